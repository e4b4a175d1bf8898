"""Steps per second of the simulated network, with memory, against the issue's targets.

Run: .venv/bin/python benchmarks/network_step.py
"""

from __future__ import annotations

import resource
import time
import tracemalloc

from ranpilot.network import Mobility, Network, NetworkConfig

CASES = [
    ("21 cells x 630 UEs", NetworkConfig(num_rings=1, num_ues=630), 100.0),
    ("57 cells x 2,850 UEs", NetworkConfig(num_rings=2, num_ues=2850), 20.0),
    ("21 cells x 630 UEs, mobile 30 km/h", NetworkConfig(num_ues=630, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=30.0), 100.0),
    ("57 cells x 2,850 UEs, mobile 30 km/h", NetworkConfig(num_rings=2, num_ues=2850, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=30.0), 20.0),
    ("21 cells x 630 UEs, 8-subband fading", NetworkConfig(num_ues=630, fading_subbands=8), None),
]


def steps_per_second(net: Network, seconds: float = 2.0) -> float:
    net.step(3)  # warm-up
    count, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        net.step()
        net.radio()
        count += 1
    return count / (time.perf_counter() - start)


def main() -> None:
    print(f"{'case':40s} {'steps/s':>9s} {'target':>8s} {'ok':>4s} {'build MiB':>10s} {'observe ms':>11s}")
    for name, cfg, target in CASES:
        tracemalloc.start()
        net = Network(cfg, seed=0)
        state_mib = tracemalloc.get_traced_memory()[0] / 2**20
        tracemalloc.stop()
        rate = steps_per_second(net)
        start = time.perf_counter()
        for _ in range(20):
            net.apply([])
            net.observe()
        observe_ms = (time.perf_counter() - start) / 20 * 1e3
        ok = "" if target is None else ("yes" if rate >= target else "NO")
        shown = "-" if target is None else f"{target:g}"
        print(f"{name:40s} {rate:9.1f} {shown:>8s} {ok:>4s} {state_mib:10.1f} {observe_ms:11.2f}")
    print(f"peak RSS of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB")


if __name__ == "__main__":
    main()
