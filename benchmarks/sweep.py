"""Scenario sweep speedup: the same seeds serially and on a local Ray cluster with 2 workers
(this machine has 2 cores; Ray's start-up is included in its wall time). Two sizes: the shipped
21-cell scenario (under a second per seed: start-up dominates) and a 57-cell, 1,140-UE,
1,500-step variant (tens of seconds per seed).

Run: .venv/bin/python benchmarks/sweep.py
"""

from __future__ import annotations

from ranpilot.scenarios.model import SHIPPED_DIR, load_scenario
from ranpilot.scenarios.sweep import sweep

SCENARIO = SHIPPED_DIR / "night_energy_saving.yaml"
SEEDS = list(range(8))


def main() -> None:
    small = load_scenario(SCENARIO)
    large = small.model_copy(update={
        "name": "night-energy-saving-57-cells-1500-steps", "steps": 1500,
        "network": small.network.model_copy(update={"num_rings": 2, "num_ues": 1140}),
    })
    for scenario in (small, large):
        serial = sweep(scenario, SEEDS, workers=1)
        parallel = sweep(scenario, SEEDS, workers=2)
        print(f"{scenario.name}, {len(SEEDS)} seeds: serial {serial.wall_s:.1f} s, Ray x2 {parallel.wall_s:.1f} s, "
              f"speedup {serial.wall_s / parallel.wall_s:.2f}x; pass rates {serial.pass_rate.mean:.2f} / "
              f"{parallel.pass_rate.mean:.2f}", flush=True)


if __name__ == "__main__":
    main()
