"""Multi-antenna cells on the default 21-cell network: MU-MIMO precoders against one antenna,
predicted against aged CSI by UE speed, and simulator speed with 32-port cells.

1. Precoders: network mean and cell-edge (5th percentile) DL UE throughput, spectral efficiency
   and layers, on the default network (210 static UEs) with 4 x 8 = 32-port panels and up to 4
   co-scheduled UEs, each precoder switched on every cell by `SetPrecoder` on one settled network.
2. CSI: the same network with UEs moving at 30, 60 and 120 km/h and ZF: ideal CSI, CSI aged by
   the report period (1 and 2 ms), and that CSI predicted to now by `channel_prediction`.
3. Speed: steps/s at 21 cells x 630 UEs with 32-port cells (target 20), one port for reference.

Figures are means over `STEPS` steps after the network settles. Run:
    .venv/bin/python benchmarks/mimo.py
"""

from __future__ import annotations

import os
import time

import numpy as np

from ranpilot.network import Mobility, Network, NetworkConfig
from ranpilot.network.actions import SetCsiPrediction, SetMuLayers, SetPrecoder
from ranpilot.network.mimo.config import AntennaConfig

STEPS = 3
PANEL = dict(panel_rows=4, panel_cols=8, mu_layers=4)
FIGURES = ("AveDLRANUEThpt", "CellEdgeDLRANUEThpt")


def measure(net: Network, steps: int = STEPS) -> dict[str, float]:
    """Mean over `steps` steps of the throughput KPIs, spectral efficiency and layers."""
    rows = []
    for _ in range(steps):
        net.step()
        kpis = net.observe().network
        rows.append([kpis[k] for k in FIGURES] + [kpis.get("DLSpectralEfficiency", np.nan), kpis.get("MimoMeanLayers", 1.0)])
    return dict(zip(FIGURES + ("SE", "layers"), np.mean(rows, axis=0)))


def on_every_cell(net: Network, action, **value) -> Network:
    twin = net.clone()
    twin.apply([action(cell=c, **value) for c in range(twin.num_cells)])
    return twin


def precoders() -> None:
    print("1. Precoders, default network (21 cells, 210 static UEs), 32-port panels, up to 4 layers")
    print(f"   {'scheme':26s} {'mean Mbit/s':>12s} {'edge Mbit/s':>12s} {'SE b/s/Hz':>10s} {'layers':>7s} {'s/step':>7s}")
    one_port = Network(NetworkConfig(), seed=0)
    mu = Network(NetworkConfig(antenna=AntennaConfig(**PANEL)), seed=0)
    schemes = {"single antenna (1 port)": one_port, "SU-MIMO 32 ports (MRT)": on_every_cell(mu, SetMuLayers, layers=1)}
    schemes |= {f"MU-MIMO {p.upper()}": on_every_cell(mu, SetPrecoder, precoder=p) for p in ("mrt", "zf", "rzf", "socp")}
    base = None
    for name, net in schemes.items():
        start = time.perf_counter()
        m = measure(net)
        seconds = (time.perf_counter() - start) / STEPS
        base = base or m
        gain = f"x{m['AveDLRANUEThpt'] / base['AveDLRANUEThpt']:.2f} / x{m['CellEdgeDLRANUEThpt'] / max(base['CellEdgeDLRANUEThpt'], 1e-9):.2f}"
        se = "-" if np.isnan(m["SE"]) else f"{m['SE']:.2f}"
        print(f"   {name:26s} {m['AveDLRANUEThpt']:12.2f} {m['CellEdgeDLRANUEThpt']:12.2f} {se:>10s} "
              f"{m['layers']:7.2f} {seconds:7.2f}   {gain} vs 1 port")


def csi_aging() -> None:
    print("2. CSI aging and prediction, default network with moving UEs, 32 ports, ZF, up to 4 layers")
    print(f"   {'km/h':>5s} {'report':>7s} {'ideal':>14s} {'aged':>14s} {'predicted':>14s}   predicted against aged")
    print(f"   {'':5s} {'':7s} {'(mean / edge Mbit/s)':>44s}")
    for speed in (30.0, 60.0, 120.0):
        for period in (1.0, 2.0):
            antenna = AntennaConfig(**PANEL, csi_report_period_ms=period)
            cfg = NetworkConfig(mobility=Mobility.LINEAR, ue_speed_kmh=speed, antenna=antenna)
            aged = Network(cfg, seed=0)
            ideal = Network(cfg.model_copy(update={"antenna": antenna.model_copy(update={"csi_report_period_ms": 0.0})}), seed=0)
            runs = {"ideal": ideal, "aged": aged, "predicted": on_every_cell(aged, SetCsiPrediction, enabled=True)}
            m = {name: measure(net) for name, net in runs.items()}
            cells = "".join(f" {m[k]['AveDLRANUEThpt']:6.2f}/{m[k]['CellEdgeDLRANUEThpt']:6.2f}" + " " for k in runs)
            gain = m["predicted"]["AveDLRANUEThpt"] / m["aged"]["AveDLRANUEThpt"] - 1
            edge = m["predicted"]["CellEdgeDLRANUEThpt"] - m["aged"]["CellEdgeDLRANUEThpt"]
            print(f"   {speed:5.0f} {period:5.1f}ms{cells} {100 * gain:+7.1f}% mean, {edge:+.2f} Mbit/s edge")


def speed() -> None:
    """Steps per wall-clock second, and per CPU second of this process (what an idle core would
    give: the machine is shared, and its other work only stretches the wall clock)."""
    print("3. Simulator speed, 21 cells x 630 UEs moving at 30 km/h (wall clock; per CPU second of this process)")
    cases = {
        "1 port (reference)": AntennaConfig(),
        "32 ports, ZF, 4 layers": AntennaConfig(**PANEL),
        "32 ports, RZF, 4 layers": AntennaConfig(**PANEL, precoder="rzf"),
        "32 ports, ZF, predicted CSI": AntennaConfig(**PANEL, csi_prediction=True),
    }
    for name, antenna in cases.items():
        net = Network(NetworkConfig(num_ues=630, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=30.0, antenna=antenna), seed=0)
        net.step(2)  # warm-up
        count, start, cpu = 0, time.perf_counter(), time.process_time()
        while time.perf_counter() - start < 5.0 or count < 3:
            net.step()
            count += 1
        rate, cpu_rate = count / (time.perf_counter() - start), count / (time.process_time() - cpu)
        target = "" if antenna.ports == 1 or antenna.csi_prediction else ("  target 20: met" if rate >= 20 else "  target 20: NOT met")
        print(f"   {name:30s} {rate:8.1f} steps/s; {cpu_rate:7.1f} per CPU s{target}")


def main() -> None:
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    precoders()
    csi_aging()
    speed()
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
