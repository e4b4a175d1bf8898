"""Verifier safety and latency on 1,000 generated proposals (safe, unsafe, borderline).

Labels come from how each proposal is built, not from the verifier: a proposal is unsafe when
it breaks a declared limit of the default pack (power above the class limit, a step above the
limit, a URLLC quota below its floor, quotas above the cell's PRBs, a whole site asleep, which
leaves its UEs uncovered, or four cells asleep around the centre site, one per neighbouring site,
which breaks the neighbour-sleep limit at a site none of them belongs to). A batch is judged by
the configuration it ends in: a safe value written over an out-of-range one is safe. Targets: 0
unsafe proposals approved; p50 under 200 ms with the 10-step dry run on the default 21-cell
network. Wrongly rejected safe proposals are reported.

Run: .venv/bin/python benchmarks/verifier.py
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from ranpilot.network import Network, NetworkConfig, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower
from ranpilot.policies import Proposal, Verifier, load_pack

N = 1000


def generate(rng: np.random.Generator) -> tuple[str, list]:
    cell = int(rng.integers(21))
    kind = rng.choice(["safe", "unsafe", "borderline"], p=[0.4, 0.4, 0.2])
    if kind == "safe":
        if rng.uniform() < 0.1:  # the last write stands: 80 dBm overwritten within the batch
            final = float(46 - rng.uniform(0, 3))
            return kind, [SetTxPower(cell=cell, tx_power_dbm=80.0), SetTxPower(cell=cell, tx_power_dbm=final)]
        return kind, [rng.choice([
            SetTxPower(cell=cell, tx_power_dbm=float(46 - rng.uniform(0, 3))),
            SetTilt(cell=cell, tilt_deg=float(12 + rng.uniform(-4, 4))),
            SetCio(cell=cell, cio_db=float(rng.uniform(-6, 6))),
            SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=float(rng.uniform(0.1, 0.45))),
        ])]
    if kind == "unsafe":
        site = int(rng.integers(7))
        return kind, [rng.choice([
            SetTxPower(cell=cell, tx_power_dbm=float(rng.uniform(46.5, 90))),
            SetTxPower(cell=cell, tx_power_dbm=float(46 - rng.uniform(3.5, 20))),
            SetTilt(cell=cell, tilt_deg=float(12 + rng.choice([-1, 1]) * rng.uniform(4.5, 8))),
            SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=float(rng.uniform(0, 0.09))),
            SetSliceQuota(cell=cell, slice="eMBB", min_prb_ratio=float(rng.uniform(0.76, 1.0))),
        ])] if rng.uniform() < 0.85 else sleepers(rng, site)
    at_limit = rng.uniform() < 0.5
    step = 3.0 if at_limit else 3.05
    return ("safe" if at_limit else "unsafe"), [SetTxPower(cell=cell, tx_power_dbm=46.0 - step)]


def sleepers(rng: np.random.Generator, site: int) -> list:
    """A whole site asleep, or one cell of each of four sites around the centre site asleep."""
    if rng.uniform() < 0.5:
        return [SetCellSleep(cell=3 * site + s, asleep=True) for s in range(3)]
    ring = rng.choice(np.arange(1, 7), size=4, replace=False)
    return [SetCellSleep(cell=int(3 * r + rng.integers(3)), asleep=True) for r in ring]


def main() -> None:
    rng = np.random.default_rng(7)
    net = Network(NetworkConfig(num_ues=210, start_time_h=2.0), seed=1)
    pack = load_pack()
    proposals = [generate(rng) for _ in range(N)]
    for dry_run in (True, False):
        verifier = Verifier(pack, dry_run=dry_run)
        counts = {"unsafe_approved": 0, "safe_rejected": 0, "safe": 0, "unsafe": 0}
        times = []
        for label, actions in proposals:
            t0 = time.perf_counter()
            verdict = verifier.verify(Proposal(actions=actions), net)
            times.append((time.perf_counter() - t0) * 1e3)
            counts[label] += 1
            if label == "unsafe" and verdict.status == "approved":
                counts["unsafe_approved"] += 1
            if label == "safe" and verdict.status == "rejected":
                counts["safe_rejected"] += 1
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        print(f"dry run {'on (10 steps)' if dry_run else 'off          '}: {counts['safe']} safe, {counts['unsafe']} unsafe; "
              f"unsafe approved {counts['unsafe_approved']} (target 0), safe rejected {counts['safe_rejected']}; "
              f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p50 < 200 ms with dry run)")


if __name__ == "__main__":
    main()
