"""`ranpilot net ...`: look at the simulated network."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.network.config import load_config
from ranpilot.network.kpis import NETWORK_TARGETS, Observation
from ranpilot.network.simulator import Network
from ranpilot.settings import load_settings

app = typer.Typer(help="The simulated network: state and KPIs.", no_args_is_help=True)
console = Console()

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="NetworkConfig YAML/JSON file.")]


def build_network(config: Path | None, seed: int | None) -> Network:
    """The network described by a config file (or defaults) and seed (or the settings' seed)."""
    try:
        cfg = load_config(config)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--config") from exc
    return Network(cfg, seed=load_settings().seed if seed is None else seed)


@app.command("show")
def show(
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option(help="Network seed (default: settings).")] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps to advance before observing.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the network configuration and KPIs."""
    net = build_network(config, seed)
    net.step(steps)
    obs = net.observe()
    if as_json:
        print(obs.model_dump_json(indent=2))
    else:
        print_observation(obs)


def print_observation(obs: Observation) -> None:
    """Rich tables: the TS 28.312 targets, then one row per cell."""
    targets = Table(title=f"Network KPIs at t={obs.time_s:g} s")
    targets.add_column("target")
    targets.add_column("value", justify="right")
    for name in NETWORK_TARGETS:
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
