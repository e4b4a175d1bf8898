"""`ranpilot scenario list|run|sweep`: the shipped scenarios (or any file), checked whole before they run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.errors import InputError, reported
from ranpilot.scenarios.model import SHIPPED_DIR, ScenarioError, find_scenario, load_scenario

app = typer.Typer(help="Scripted agent scenarios with expected outcomes.", no_args_is_help=True)
console = Console()
ScenarioArgument = Annotated[str, typer.Argument(
    help="Scenario YAML file, or the name of a shipped one (see `ranpilot scenario list`).", show_default=False)]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the result as JSON.")]


def open_scenario(file: str):
    """The scenario, checked whole before anything runs; a bad one is bad input (exit 2)."""
    with reported():
        try:
            return load_scenario(find_scenario(file))
        except ScenarioError as exc:
            raise InputError(str(exc)) from exc


@app.command("list")
def list_scenarios(
    directory: Annotated[Optional[Path], typer.Option(
        "--dir", help="A directory of scenario files (default: the scenarios shipped with ranpilot).")] = None,
) -> None:
    """The scenarios in a directory (by default the shipped ones, whatever the working directory)."""
    directory = directory or SHIPPED_DIR
    paths = sorted(directory.glob("*.yaml"))
    with reported():
        if not paths:
            raise InputError(f"--dir {directory}: no scenario files (*.yaml) there")
    for path in paths:
        try:
            s = load_scenario(path)
            console.print(f"{path.stem}  [bold]{s.name}[/bold]: {s.description}  ({path})", highlight=False)
        except ScenarioError as exc:
            console.print(f"{path}  [red]invalid[/red]: {exc}", highlight=False)


@app.command("run")
def run(
    file: ScenarioArgument,
    report: Annotated[Optional[Path], typer.Option(
        help="Directory for the report: one PNG per KPI group and the configuration, and an HTML summary.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Run the timeline with the agent and the static and optimizer-only baselines; check the
    expectations. Exit 0 when all pass, 4 when one fails, 2 for a scenario that does not validate."""
    scenario = open_scenario(file)
    from ranpilot.scenarios.report import write_report  # the agent, matplotlib: loaded when a scenario runs
    from ranpilot.scenarios.result import describe
    from ranpilot import progress
    from ranpilot.scenarios.runner import run_scenario

    with progress.shown(quiet=as_json):
        result = run_scenario(scenario)
    if report is not None:
        page = write_report(result, report)
        if not as_json:
            console.print(f"report: {page}")
    if as_json:
        print(result.model_dump_json(include={"name", "passed", "checks", "gains", "gains_vs_optimizer"}, indent=2))
    else:
        table = Table(title=f"{scenario.name}: {'PASSED' if result.passed else 'FAILED'}")
        for column in ("", "expectation", "observed"):
            table.add_column(column)
        for c in result.checks:
            table.add_row("[green]pass[/green]" if c.passed else "[red]FAIL[/red]", c.expectation, c.observed)
        console.print(table)
        gains = Table(title="Agent at the end (agent minus baseline; pp: percentage points)")
        for column in ("KPI", "static", "agent", "vs static", "vs optimizer-only"):
            gains.add_column(column, justify="right")
        for k, g in result.gains.items():
            versus_optimizer = describe(k, result.gains_vs_optimizer[k])
            gains.add_row(k, f"{g.baseline:.4g}", f"{g.agent:.4g}", describe(k, g), versus_optimizer)
        console.print(gains)
    if not result.passed:
        raise typer.Exit(4)


@app.command("sweep")
def sweep_command(
    file: ScenarioArgument,
    seeds: Annotated[int, typer.Option(min=1, help="Seeds 0..N-1.")] = 8,
    workers: Annotated[int, typer.Option(min=1, help="Parallel workers (Ray when > 1).")] = 2,
    ray_address: Annotated[Optional[str], typer.Option(help="An existing Ray cluster, e.g. ray://host:10001.")] = None,
    as_json: JsonOption = False,
) -> None:
    """Run a scenario over many seeds; pass rates and KPI gains with 95% confidence intervals."""
    scenario = open_scenario(file)
    from ranpilot.scenarios.result import unit_of_difference
    from ranpilot import progress
    from ranpilot.scenarios.sweep import sweep  # ray: loaded when a sweep runs

    with progress.shown(quiet=as_json), progress.task(f"sweep {scenario.name}: seeds", total=seeds):
        result = sweep(scenario, list(range(seeds)), workers, ray_address)
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    p = result.pass_rate
    console.print(f"{result.scenario}: {len(result.seeds)} seeds on {result.backend}, {result.wall_s:.1f} s; "
                  f"pass rate {p.mean:.2f} [{p.low:.2f}, {p.high:.2f}]")
    for name, rate in result.check_pass_rates.items():
        console.print(f"  {rate:.2f}  {name}", highlight=False)
    for kpi, g in result.kpi_gains.items():
        unit, pct = unit_of_difference(kpi), result.kpi_gains_pct[kpi]
        relative = f", {pct.mean:+.1f}% [{pct.low:+.1f}, {pct.high:+.1f}]" if pct else ", no percent (a baseline of 0)"
        console.print(f"  {kpi}: {g.mean:+.4g} [{g.low:+.4g}, {g.high:+.4g}] {unit}{relative} vs static", highlight=False)
