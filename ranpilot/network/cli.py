"""`ranpilot net ...`: look at the simulated network; and `build_network`, which the other
commands use for a new network from --config/--seed (the live one is in `ranpilot.live`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot import live
from ranpilot.errors import InputError, reported
from ranpilot.network.config import load_config
from ranpilot.network.kpis import Observation
from ranpilot.targets import RADIO_TARGETS
from ranpilot.network.simulator import Network
from ranpilot.settings import load_settings

app = typer.Typer(help="The simulated network: state and KPIs.", no_args_is_help=True)
console = Console()

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="NetworkConfig YAML/JSON file.")]


def build_network(config: Path | None, seed: int | None) -> Network:
    """A new network from a config file (or defaults) and seed (or the settings' seed);
    InputError naming the file for a config that cannot be read or is invalid."""
    try:
        cfg = load_config(config)
    except InputError:
        raise
    except ValueError as exc:
        raise InputError(f"--config {exc}") from exc
    return Network(cfg, seed=load_settings().seed if seed is None else seed)


def fresh_network(config: Path | None, seed: int | None) -> Network | None:
    """A new network when --config or --seed is given, else None: the live one is meant."""
    return build_network(config, seed) if (config is not None or seed is not None) else None


@app.command("show")
def show(
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option(help="Network seed (default: settings).")] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps to advance before observing.")] = 0,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Print the live network's configuration and KPIs (or, with --config/--seed, a new one's)."""
    with reported():
        obs = observe(fresh_network(config, seed), steps)
    if as_json:
        print(obs.model_dump_json(indent=2))
    else:
        print_observation(obs)


def observe(net: Network | None, steps: int) -> Observation:
    """`net`'s KPIs (or the live network's) after `steps` steps. Stepping the live network
    changes it: that holds its lock and saves it; only looking at it just reads it."""
    if net is not None:
        net.step(steps)
        return net.observe()
    settings = load_settings()
    audit = live.open_audit(settings)
    if not steps:
        with live.reading(audit, settings) as net:
            return net.observe()
    with live.exclusive(settings), live.changing(audit, settings) as net:
        net.step(steps)
    return net.observe()


@app.command("reset")
def reset(
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option(help="Network seed (default: settings).")] = None,
) -> None:
    """Replace the live network with a new one from --config and --seed."""
    settings = load_settings()
    with reported():
        net = build_network(config, seed)
        with live.exclusive(settings), live.changing(live.open_audit(settings), settings, replace=net):
            pass
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
