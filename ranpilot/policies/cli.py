"""`ranpilot policy ...` and `ranpilot verify`: inspect packs, verify proposed actions."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
import yaml
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from ranpilot.network import parse_actions
from ranpilot.network.cli import ConfigOption, build_network, live_network
from ranpilot.policies.audit import AuditLog, audit_path
from ranpilot.policies.pack import PackError, PolicyPack, load_pack
from ranpilot.policies.verifier import Proposal, Verdict, Verifier
from ranpilot.settings import load_settings

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


def verify(
    actions: Annotated[Path, typer.Option("--actions", help="JSON list of actions, or a proposal object.")],
    pack: PackOption = None,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the verifier on the live network (with its change history) and print the verdict; nothing is applied."""
    proposal = read_proposal(actions)
    network = build_network(config, seed) if (config or seed is not None) else live_network()
    audit = AuditLog(audit_path(load_settings().data_dir))
    verdict = Verifier(open_pack(pack), audit).verify(proposal, network)
    if as_json:
        print(verdict.model_dump_json(indent=2))
    else:
        print_verdict(verdict)
    if verdict.status == "rejected":
        raise typer.Exit(3)


def read_proposal(path: Path) -> Proposal:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, list):
            return Proposal(actions=parse_actions(data))
        return Proposal.model_validate(data)
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise typer.BadParameter(f"{path}: {exc}", param_hint="--actions") from exc


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
