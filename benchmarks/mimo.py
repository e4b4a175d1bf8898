"""Multi-antenna cells on the default 21-cell network: MU-MIMO precoders against one antenna,
predicted against aged CSI by UE speed, and simulator speed with 32-port cells.

1. Precoders: network mean and cell-edge (5th percentile) DL UE throughput, spectral efficiency
   and layers, on the default network (210 static UEs) with 4 x 8 = 32-port panels and up to 4
   co-scheduled UEs, each precoder switched on every cell by `SetPrecoder` on one settled network.
2. CSI: the same network with UEs moving at 30, 60 and 120 km/h and ZF: ideal CSI, CSI aged by
   the report period (1 and 2 ms), and that CSI predicted to now by `channel_prediction`.
3. Speed: steps/s at 21 cells x 630 UEs with 32-port cells (target 20), one port for reference.
4. Beam power allocation: on the co-scheduled groups one 630-UE step precodes, the sum rate and
   time of WMMSE precoding against the learned power-control model (`power_control.learned`)
   allocating the cell's power over RZF's beam directions.

Figures are means over `STEPS` steps after the network settles. Run:
    .venv/bin/python benchmarks/mimo.py
"""

from __future__ import annotations

import os
import time
from unittest import mock

import numpy as np

from ranpilot import threads
from ranpilot.network import Mobility, Network, NetworkConfig
from ranpilot.network.actions import SetCsiPrediction, SetMuLayers, SetPrecoder
from ranpilot.network.mimo import downlink
from ranpilot.network.mimo.config import AntennaConfig, Precoder
from ranpilot.tools.beam_solver import sinr
from ranpilot.tools.power_control.learned import learned_powers

STEPS = 3
PANEL = dict(panel_rows=4, panel_cols=8, mu_layers=4)
FIGURES = ("AveDLRANUEThpt", "CellEdgeDLRANUEThpt")
MU_MIMO = {"mrt": "MRT", "zf": "ZF", "rzf": "RZF", "socp": "SOCP", "type1": "Type-I", "type1_zf": "Type-I + ZF",
           "wmmse": "WMMSE"}


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
    schemes |= {f"MU-MIMO {name}": on_every_cell(mu, SetPrecoder, precoder=p) for p, name in MU_MIMO.items()}
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
        "32 ports, Type-I, 4 layers": AntennaConfig(**PANEL, precoder="type1"),
        "32 ports, WMMSE, 4 layers": AntennaConfig(**PANEL, precoder="wmmse"),
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


def precoded_groups(net: Network) -> list[tuple[np.ndarray, np.ndarray]]:
    """The (CSI, q) batches of co-scheduled groups (two UEs or more) that one step of `net` precodes."""
    with mock.patch.object(downlink, "precoder", wraps=downlink.precoder) as spy:
        net.step()
    return [call.args[1:3] for call in spy.call_args_list if call.args[1].shape[1] > 1]


def learned_allocation(csi: np.ndarray, q: np.ndarray) -> np.ndarray:
    """RZF's beam directions, the cell's power over them from the learned power-control model: gains
    |h_k w_j|^2 / q_k of the unit-norm beams, each beam capped at the whole budget (the model caps
    each link; the budget is shared), the powers then scaled to sum to it."""
    rzf = downlink.precoder(Precoder.RZF, csi, q)
    directions = rzf / np.linalg.norm(rzf, axis=1, keepdims=True)
    gains = np.abs((csi / np.sqrt(q)[..., None]) @ directions) ** 2
    ones = np.ones(q.shape)
    powers = learned_powers(gains, ones, ones)
    return directions * np.sqrt(powers / powers.sum(axis=1, keepdims=True))[:, None, :]


def wmmse_once(csi: np.ndarray, q: np.ndarray) -> np.ndarray:
    """WMMSE precoding with one iteration from RZF."""
    with mock.patch.object(downlink, "WMMSE_ITERATIONS", 1):
        return downlink.precoder(Precoder.WMMSE, csi, q)


def per_step_ms(allocate, groups: list, repeats: int = 5) -> tuple[float, float]:
    """Median wall-clock and CPU time (of this process, all its threads) to allocate every batch
    of one step, ms."""
    wall, cpu = [], []
    for _ in range(repeats):
        start, start_cpu = time.perf_counter(), time.process_time()
        for csi, q in groups:
            allocate(csi, q)
        wall.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return 1e3 * float(np.median(wall)), 1e3 * float(np.median(cpu))


def power_allocation() -> None:
    print("4. Beam power allocation on one step's groups, 21 cells x 630 UEs, 32 ports, up to 4 layers")
    net = Network(NetworkConfig(num_ues=630, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=30.0,
                                antenna=AntennaConfig(**PANEL)), seed=0)
    net.step(2)
    groups = precoded_groups(net)
    methods = {"RZF (fixed split)": lambda c, q: downlink.precoder(Precoder.RZF, c, q),
               f"WMMSE precoding ({downlink.WMMSE_ITERATIONS} iter.)": lambda c, q: downlink.precoder(Precoder.WMMSE, c, q),
               "WMMSE precoding (1 iter.)": wmmse_once,
               "learned power on RZF beams": learned_allocation}
    sizes = ", ".join(f"{len(c)} x {c.shape[1]}" for c, _ in groups)
    print(f"   batches (groups x UEs): {sizes}")
    print(f"   {'allocation':30s} {'sum rate b/s/Hz per group':>26s} {'ms per step':>12s} {'CPU ms':>7s}")
    for name, allocate in methods.items():
        rates = np.concatenate([np.log2(1 + sinr(c / np.sqrt(q)[..., None], allocate(c, q), 1.0)).sum(axis=1)
                                for c, q in groups])
        wall, cpu = per_step_ms(allocate, groups)
        print(f"   {name:30s} {rates.mean():26.3f} {wall:12.1f} {cpu:7.1f}")
    with mock.patch.object(threads, "SMALL_BATCH", 10**9):  # every batch on one torch thread
        wall, cpu = per_step_ms(learned_allocation, groups)
        print(f"   {'learned, one torch thread':30s} {'':26s} {wall:12.1f} {cpu:7.1f}")


def main() -> None:
    print(f"load average at start: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    precoders()
    csi_aging()
    speed()
    power_allocation()
    print(f"load average at end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")


if __name__ == "__main__":
    main()
