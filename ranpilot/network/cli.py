"""`ranpilot net ...`: look at the simulated network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.network.config import load_config
from ranpilot.network.live import LiveNetworkError, load_live, save_live
from ranpilot.network.kpis import Observation
from ranpilot.targets import RADIO_TARGETS
from ranpilot.network.simulator import Network
from ranpilot.settings import load_settings

app = typer.Typer(help="The simulated network: state and KPIs.", no_args_is_help=True)
console = Console()

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="NetworkConfig YAML/JSON file.")]


def build_network(config: Path | None, seed: int | None) -> Network:
    """A new network from a config file (or defaults) and seed (or the settings' seed)."""
    try:
        cfg = load_config(config)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--config") from exc
    return Network(cfg, seed=load_settings().seed if seed is None else seed)


def live_network() -> Network:
    """The CLI's live network (created from the settings' seed on first use)."""
    settings = load_settings()
    try:
        return load_live(settings.data_dir, seed=settings.seed)
    except LiveNetworkError as exc:
        Console(stderr=True).print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


@app.command("show")
def show(
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option(help="Network seed (default: settings).")] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps to advance before observing.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the live network's configuration and KPIs (or, with --config/--seed, a new one's)."""
    fresh = config is not None or seed is not None
    net = build_network(config, seed) if fresh else live_network()
    net.step(steps)
    if steps and not fresh:
        save_live(load_settings().data_dir, net)
    obs = net.observe()
    if as_json:
        print(obs.model_dump_json(indent=2))
    else:
        print_observation(obs)


@app.command("reset")
def reset(
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option(help="Network seed (default: settings).")] = None,
) -> None:
    """Replace the live network with a new one from --config and --seed."""
    net = build_network(config, seed)
    save_live(load_settings().data_dir, net)
    console.print(f"live network reset: {net.num_cells} cells, {net.config.num_ues} UEs, seed {net.seed}")


def print_observation(obs: Observation) -> None:
    """Rich tables: the TS 28.312 targets, then one row per cell."""
    targets = Table(title=f"Network KPIs at t={obs.time_s:g} s")
    targets.add_column("target")
    targets.add_column("value", justify="right")
    for name in RADIO_TARGETS:
        targets.add_row(name, f"{obs.network[name]:.3g}")
    console.print(targets)
    cells = Table(title="Cells")
    for column in ("cell", "site", "tx dBm", "tilt", "CIO", "sleep", "UEs", "PRB %", "UE thp Mbit/s"):
        cells.add_column(column, justify="right")
    for c in obs.cells:
        m = c.measurements
        cells.add_row(
            str(c.cell), str(c.site), f"{c.tx_power_dbm:.1f}", f"{c.tilt_deg:.1f}", f"{c.cio_db:.1f}",
            "yes" if c.asleep else "", str(c.num_ues), f"{m['RRU.PrbTotDl']:.0f}", f"{m['DRB.UEThpDl'] / 1e3:.1f}",
        )
    console.print(cells)
