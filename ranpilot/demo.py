"""`ranpilot demo`: the main job on the embedded default (offline, no API key).

Builds the knowledge store from the shipped notes on first run, retrieves the clauses behind
an energy-saving change, dry-runs that change (3 dB less transmit power on every cell) on a
digital twin, and prints the predicted KPI deltas beside the live KPIs; the live network is
left untouched.
"""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ranpilot.knowledge import KnowledgeStore, ensure_notes, retrieve
from ranpilot.network import NETWORK_TARGETS, Network, SetPowerVector
from ranpilot.network.cli import print_observation
from ranpilot.settings import load_settings

DRY_RUN_STEPS = 10
QUESTION = "reduce base station transmit power to save energy while keeping coverage"


def demo() -> None:
    console = Console()
    settings = load_settings()
    store = KnowledgeStore(settings.data_dir)
    ensure_notes(store)
    console.print(f"[bold]Supporting clauses[/bold] for: {QUESTION}")
    for p in retrieve(QUESTION, 3, store=store):
        console.print(f"  {p.spec} {p.clause} {p.title}  (score {p.score:.3f})")
    net = Network(seed=settings.seed)
    net.step(DRY_RUN_STEPS)
    before = net.observe()
    print_observation(before)
    twin = net.clone()
    twin.apply([SetPowerVector(tx_power_dbm=[p - 3.0 for p in twin.state.tx_power_dbm])])
    twin.step(DRY_RUN_STEPS)
    after = twin.observe()
    table = Table(title=f"Digital twin: every cell 3 dB lower, after {DRY_RUN_STEPS} steps")
    for column in ("target", "live", "twin", "delta"):
        table.add_column(column, justify="right")
    for name in NETWORK_TARGETS:
        a, b = before.network[name], after.network[name]
        table.add_row(name, f"{a:.4g}", f"{b:.4g}", f"{b - a:+.3g}")
    console.print(table)
