"""`ranpilot scenario list|run`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.scenarios.model import ScenarioError, load_scenario

app = typer.Typer(help="Scripted agent scenarios with expected outcomes.", no_args_is_help=True)
console = Console()


def open_scenario(file: Path):
    try:
        return load_scenario(file)
    except ScenarioError as exc:
        raise typer.BadParameter(str(exc), param_hint="FILE") from exc


@app.command("list")
def list_scenarios(directory: Annotated[Path, typer.Option("--dir")] = Path("scenarios")) -> None:
    """Scenario files in a directory (default ./scenarios)."""
    for path in sorted(directory.glob("*.yaml")):
        try:
            s = load_scenario(path)
            console.print(f"{path}  [bold]{s.name}[/bold]: {s.description}", highlight=False)
        except ScenarioError as exc:
            console.print(f"{path}  [red]invalid[/red]: {exc}", highlight=False)


@app.command("run")
def run(
    file: Annotated[Path, typer.Argument(help="Scenario YAML.")],
    report: Annotated[Optional[Path], typer.Option(help="Directory for the PNG plots and HTML summary.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run the timeline with the agent and a static baseline; check the expectations."""
    scenario = open_scenario(file)
    from ranpilot.scenarios.report import write_report  # the agent, matplotlib: loaded when a scenario runs
    from ranpilot.scenarios.runner import run_scenario

    result = run_scenario(scenario)
    if report is not None:
        page = write_report(result, report)
        if not as_json:
            console.print(f"report: {page}")
    if as_json:
        print(result.model_dump_json(include={"name", "passed", "checks", "gains_pct", "gains_vs_optimizer_pct"}, indent=2))
    else:
        table = Table(title=f"{scenario.name}: {'PASSED' if result.passed else 'FAILED'}")
        for column in ("", "expectation", "observed"):
            table.add_column(column)
        for c in result.checks:
            table.add_row("[green]pass[/green]" if c.passed else "[red]FAIL[/red]", c.expectation, c.observed)
        console.print(table)
        console.print("agent vs static at the end: " + ", ".join(f"{k} {v:+.1f}%" for k, v in result.gains_pct.items()))
        console.print("agent vs optimizer-only: " + ", ".join(f"{k} {v:+.1f}%" for k, v in result.gains_vs_optimizer_pct.items()))
    if not result.passed:
        raise typer.Exit(4)


@app.command("sweep")
def sweep_command(
    file: Annotated[Path, typer.Argument(help="Scenario YAML.")],
    seeds: Annotated[int, typer.Option(min=1, help="Seeds 0..N-1.")] = 8,
    workers: Annotated[int, typer.Option(min=1, help="Parallel workers (Ray when > 1).")] = 2,
    ray_address: Annotated[Optional[str], typer.Option(help="An existing Ray cluster, e.g. ray://host:10001.")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Run a scenario over many seeds; pass rates and KPI gains with 95% confidence intervals."""
    scenario = open_scenario(file)
    from ranpilot.scenarios.sweep import sweep  # ray: loaded when a sweep runs

    result = sweep(scenario, list(range(seeds)), workers, ray_address)
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    p = result.pass_rate
    console.print(f"{result.scenario}: {len(result.seeds)} seeds on {result.backend}, {result.wall_s:.1f} s; "
                  f"pass rate {p.mean:.2f} [{p.low:.2f}, {p.high:.2f}]")
    for name, rate in result.check_pass_rates.items():
        console.print(f"  {rate:.2f}  {name}", highlight=False)
    for kpi, g in result.kpi_gains_pct.items():
        console.print(f"  {kpi}: {g.mean:+.1f}% [{g.low:+.1f}, {g.high:+.1f}] vs static", highlight=False)
