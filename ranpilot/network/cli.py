"""`ranpilot net show|step|reset`: look at the simulated live network (a read that never changes
it), advance its clock, replace it; and `build_network`, which the other commands use for a new
network from --config/--seed (the live one is in `ranpilot.live`)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot import live
from ranpilot.errors import InputError, reported
from ranpilot.network.config import config_option
from ranpilot.network.kpis import Observation
from ranpilot.targets import RADIO_TARGETS, spec
from ranpilot.network.simulator import Network
from ranpilot.settings import load_settings

app = typer.Typer(help="The simulated network: state and KPIs.", no_args_is_help=True)
console = Console()

ConfigOption = Annotated[Optional[Path], typer.Option("--config", help="NetworkConfig YAML/JSON file.")]


def build_network(config: Path | None, seed: int | None) -> Network:
    """A new network from a config file (or defaults) and seed (or the settings' seed);
    InputError naming the file for a config that cannot be read or is invalid."""
    return Network(config_option(config), seed=load_settings().seed if seed is None else seed)


def fresh_network(config: Path | None, seed: int | None) -> Network | None:
    """A new network when --config or --seed is given, else None: the live one is meant."""
    return build_network(config, seed) if (config is not None or seed is not None) else None


SeedOption = Annotated[Optional[int], typer.Option(help="Network seed (default: the settings' seed).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@app.command("show")
def show(
    config: ConfigOption = None,
    seed: SeedOption = None,
    steps: Annotated[int, typer.Option(min=0, help="With --config/--seed: steps the new network runs before it is "
                                                   "shown (the live network's clock moves only by `net step`).")] = 0,
    as_json: JsonOption = False,
) -> None:
    """Print the live network's configuration and KPIs (or, with --config/--seed, a new one's).
    A read: it never changes the live network (`ranpilot net step N` advances its clock)."""
    with reported():
        fresh = fresh_network(config, seed)
        if steps and fresh is None:
            raise InputError("--steps would advance the live network, and `net show` only reads it: use "
                             "`ranpilot net step N` (or --steps with --config/--seed for a new network)")
        obs = observe(fresh, steps)
    emit(obs, as_json)


@app.command("step")
def step(
    steps: Annotated[int, typer.Argument(min=1, max=100_000, help="Steps to advance the live network's clock.")],
    as_json: JsonOption = False,
) -> None:
    """Advance the live network's clock by STEPS steps (UEs move, traffic evolves), save it, and
    print its KPIs. It holds the live network's lock, as every command that changes it does."""
    with reported():
        obs = advance(steps)
    emit(obs, as_json)


def observe(net: Network | None, steps: int = 0) -> Observation:
    """`net`'s KPIs after `steps` steps, or the live network's: read from one committed state
    without the lock, or, with `steps`, advanced first (a change: see `advance`)."""
    if net is not None:
        net.step(steps)
        return net.observe()
    if steps:
        return advance(steps)
    settings = load_settings()
    with live.reading(live.open_audit(settings), settings) as live_net:
        return live_net.observe()


def advance(steps: int) -> Observation:
    """Step the live network under its lock and save it; its KPIs after."""
    settings = load_settings()
    with live.exclusive(settings), live.changing(live.open_audit(settings), settings) as net:
        net.step(steps)
    return net.observe()


def emit(obs: Observation, as_json: bool) -> None:
    if as_json:
        print(obs.model_dump_json(indent=2))
    else:
        print_observation(obs)


@app.command("reset")
def reset(config: ConfigOption = None, seed: SeedOption = None) -> None:
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
    targets.add_column("unit")
    for name in RADIO_TARGETS:
        targets.add_row(name, f"{obs.network[name]:.3g}", spec(name).unit)
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
