"""SSB beam sets on the default 21-cell network with 32-port cells: best-beam SS-RSRP (coverage)
against the SSB overhead and the throughput it costs.

For n_ssb in (1, 4, 8) beams on every cell (`SetSsbBeams` on one settled network; 8 is L_max at
3.5 GHz): the network mean and 5th percentile over the UEs of the serving cell's best-beam
SS-RSRP, the share of UEs below the weak-RSRP threshold on it, the SSB overhead (share of DL
resources) and the mean and cell-edge (5th percentile) DL UE throughput, means over `STEPS` steps
after the network settles (210 static UEs, 4 x 8 panels, ZF, up to 4 layers). Last, the time the
SSB evaluation adds to a step with 630 UEs. Run:
    .venv/bin/python benchmarks/ssb_beams.py
"""

from __future__ import annotations

import time

import numpy as np

from ranpilot.network import Network, NetworkConfig
from ranpilot.network.actions import SetSsbBeams
from ranpilot.network.mimo.config import AntennaConfig
from ranpilot.network.mimo.ssb import evaluate_ssb

STEPS = 3
PANEL = dict(panel_rows=4, panel_cols=8, mu_layers=4)
FIGURES = ("SsbRsrpMean", "SsbRsrpP5", "weak", "SsbOverhead", "AveDLRANUEThpt", "CellEdgeDLRANUEThpt")


def with_ssb_beams(net: Network, n_beams: int) -> Network:
    twin = net.clone()
    twin.apply([SetSsbBeams(cell=c, n_beams=n_beams) for c in range(twin.num_cells)])
    return twin


def measure(net: Network) -> dict[str, float]:
    """Mean over STEPS steps of the SSB and throughput KPIs (`weak`: % of UEs below the weak-RSRP
    threshold on their best beam)."""
    rows = []
    for _ in range(STEPS):
        net.step()
        kpis = net.observe().network
        weak = 100.0 * np.mean(net.radio().ssb_rsrp_dbm < net.config.thresholds.weak_rsrp_dbm)
        rows.append([weak if k == "weak" else kpis[k] for k in FIGURES])
    return dict(zip(FIGURES, np.mean(rows, axis=0)))


def beam_sets() -> None:
    print("1. SSB beams on every cell: default network (21 cells, 210 static UEs), 32-port panels, ZF, 4 layers")
    print(f"   {'n_ssb':>5s} {'SS-RSRP mean':>13s} {'SS-RSRP P5':>11s} {'weak UEs %':>11s} {'overhead %':>11s} "
          f"{'mean Mbit/s':>12s} {'edge Mbit/s':>12s}")
    net = Network(NetworkConfig(antenna=AntennaConfig(**PANEL)), seed=0)
    for n in (1, 4, 8):
        m = measure(with_ssb_beams(net, n))
        print(f"   {n:5d} {m['SsbRsrpMean']:9.2f} dBm {m['SsbRsrpP5']:7.2f} dBm {m['weak']:11.1f} "
              f"{m['SsbOverhead']:11.3f} {m['AveDLRANUEThpt']:12.2f} {m['CellEdgeDLRANUEThpt']:12.2f}")


def speed() -> None:
    net = with_ssb_beams(Network(NetworkConfig(num_ues=630, antenna=AntennaConfig(**PANEL)), seed=0), 8)
    geom, serving, rsrp = net._geom(), net.radio().serving, net.radio().rsrp_dbm
    start, calls = time.perf_counter(), 10
    for _ in range(calls):
        evaluate_ssb(net.state, geom, net.config, net.topology, serving, rsrp)
    print(f"2. SSB evaluation (8 beams, 630 UEs, 24 rays): {(time.perf_counter() - start) / calls * 1e3:.1f} ms per step")


if __name__ == "__main__":
    beam_sets()
    speed()
