"""`ranpilot policy ...` and `ranpilot verify`: inspect packs, verify proposed actions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ranpilot import live
from ranpilot.errors import ExitCode, InputError, reported
from ranpilot.inputs import MAX_PROPOSAL_ACTIONS, check_cells, parse_cells, read_json, summary
from ranpilot.network import ActionError, Network, parse_actions
from ranpilot.network.configuration import changed_cells
from ranpilot.network.cli import ConfigOption, fresh_network
from ranpilot.policies.pack import PackError, PolicyPack, load_pack
from ranpilot.policies.verifier import Proposal, Verdict, Verifier
from ranpilot.settings import Settings, load_settings

app = typer.Typer(help="Policy packs: validate and explain rules.", no_args_is_help=True)
console = Console()
PackOption = Annotated[Optional[Path], typer.Option("--pack", help="Policy pack YAML (default: the shipped pack).")]


def open_pack(path: Path | None) -> PolicyPack:
    try:
        return load_pack(path)
    except PackError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}", highlight=False)
        raise typer.Exit(1) from exc


@app.command("check")
def check(pack: PackOption = None) -> None:
    """Validate a pack and list its rules."""
    loaded = open_pack(pack)
    table = Table(title=f"pack {loaded.name} v{loaded.version}: valid, {len(loaded.rules)} rules")
    for column in ("id", "kind", "severity", "mode", "source"):
        table.add_column(column)
    for rule in loaded.rules:
        table.add_row(rule.id, rule.kind, rule.severity.value, rule.mode.value, rule.source)
    console.print(table)


@app.command("explain")
def explain(rule_id: Annotated[str, typer.Argument(help="Rule id, e.g. step.power.")], pack: PackOption = None) -> None:
    """Show one rule in full."""
    loaded = open_pack(pack)
    try:
        rule = loaded.rule(rule_id)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0])) from exc
    print(yaml.safe_dump(rule.model_dump(mode="json"), sort_keys=False).strip())


VERDICT_EXIT = {"approved": ExitCode.OK, "needs_approval": ExitCode.NEEDS_APPROVAL, "rejected": ExitCode.REJECTED}


def verify(
    actions: Annotated[Path, typer.Option("--actions", help="JSON list of actions, or a proposal object.")],
    pack: PackOption = None,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
    cells: Annotated[Optional[str], typer.Option(help="Operator scope, e.g. 0,1,2: a proposal changing any "
                                                 "other cell is refused as bad input.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the verifier on the live network (with its change history) and print the verdict; nothing
    is applied. Exit 0 approved, 5 needs approval, 3 rejected, 2 bad input or out of scope."""
    settings = load_settings()
    with reported():
        proposal = read_proposal(actions)
        scope = parse_cells(cells) if cells is not None else None
        verifier, network = open_verifier(open_pack(pack), fresh_network(config, seed), settings)
        if scope is not None:
            check_scope(proposal, network, check_cells(scope, network.num_cells))
        verdict = verifier.verify(proposal, network)
    if as_json:
        print(verdict.model_dump_json(indent=2))
    else:
        print_verdict(verdict)
    if VERDICT_EXIT[verdict.status]:
        raise typer.Exit(VERDICT_EXIT[verdict.status])


def open_verifier(pack: PolicyPack, network: Network | None, settings: Settings) -> tuple[Verifier, Network]:
    """A verifier over the audit log, and `network` or the live one: the live network and the
    change history the verifier reads are one committed state."""
    audit = live.open_audit(settings)
    if network is not None:
        return Verifier(pack, audit), network
    with live.reading(audit, settings) as network:
        return Verifier(pack, audit), network


def read_proposal(path: Path) -> Proposal:
    """The proposal in a JSON file (bounded in size and depth), at most MAX_PROPOSAL_ACTIONS actions."""
    data = read_json(path, "--actions")
    try:
        proposal = Proposal(actions=parse_actions(data)) if isinstance(data, list) else Proposal.model_validate(data)
    except ValidationError as exc:
        raise InputError(f"--actions {path}: {summary(exc)}") from exc
    if len(proposal.actions) > MAX_PROPOSAL_ACTIONS:
        raise InputError(f"--actions {path}: {len(proposal.actions)} actions; "
                         f"at most {MAX_PROPOSAL_ACTIONS} a proposal")
    return proposal


def check_scope(proposal: Proposal, network: Network, scope: list[int]) -> None:
    """InputError naming the cells outside `scope` that the proposal would change (an action that
    cannot apply counts by the cell it names; the verifier rejects it anyway)."""
    try:
        changed = changed_cells(network.configuration(), proposal.actions, network.config)
    except ActionError:
        changed = {a.cell for a in proposal.actions if hasattr(a, "cell")}
    outside = sorted(changed - set(scope))
    if outside:
        raise InputError(f"the proposal changes cells {outside}, outside the operator's scope --cells {scope}")


def print_verdict(verdict: Verdict) -> None:
    colour = {"approved": "green", "rejected": "red", "needs_approval": "yellow"}[verdict.status]
    console.print(f"[bold {colour}]{verdict.status}[/]: proposal {verdict.proposal.proposal_id}")
    if verdict.violations:
        table = Table(title="Violations")
        for column in ("rule", "severity", "object", "observed", "limit", "why"):
            table.add_column(column, no_wrap=column in ("rule", "object"))
        for v in verdict.violations:
            table.add_row(v.rule_id, f"{v.severity.value} ({v.mode.value})", v.object, str(v.observed), str(v.limit),
                          f"{v.message} [{v.source}]")
        console.print(table)
    if verdict.kpi_deltas:
        table = Table(title="Dry run: predicted KPI deltas")
        for column in ("KPI", "baseline", "predicted", "delta"):
            table.add_column(column, justify="right")
        for name, d in verdict.kpi_deltas.items():
            table.add_row(name, f"{d.baseline:.4g}", f"{d.predicted:.4g}", f"{d.delta:+.3g}")
        console.print(table)
