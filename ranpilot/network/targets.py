"""TS 28.312 target values over a scope: all cells or a cell list, optionally one slice,
with the target's own threshold (e.g. the throughput below which a UE counts as 'low')."""

from __future__ import annotations

import numpy as np

from ranpilot.network.config import NetworkConfig
from ranpilot.network.evaluate import RadioResult
from ranpilot.network.state import NetState


def pct(mask: np.ndarray) -> float:
    return float(100.0 * mask.mean()) if mask.size else 0.0


def target_value(
    name: str,
    r: RadioResult,
    state: NetState,
    cfg: NetworkConfig,
    cells: list[int] | None = None,
    slice_index: int | None = None,
    threshold: float | None = None,
) -> float | None:
    """Value of a target over the UEs served by `cells` (all if None) and of one slice; None
    for an unknown target or an empty scope."""
    n_cells = len(state.asleep)
    in_scope = np.zeros(n_cells, bool)
    in_scope[list(range(n_cells)) if cells is None else cells] = True
    ues = in_scope[r.serving]
    if slice_index is not None:
        ues &= state.ue_slice == slice_index
    awake = in_scope & ~state.asleep
    th = cfg.thresholds
    thp_mbps = r.thp_bps[ues] / 1e6
    power_w = float(r.cell_power_w[in_scope].sum())
    values = {
        "AveDLRANUEThpt": lambda: float(thp_mbps.mean()) if ues.any() else None,
        "DlThptPerUE": lambda: float(thp_mbps.mean()) if ues.any() else None,
        "LowDLRANUEThptRatio": lambda: pct(thp_mbps < (th.low_thp_mbps if threshold is None else threshold)),
        "WeakRSRPRatio": lambda: pct(r.rsrp_dbm[ues] < (th.weak_rsrp_dbm if threshold is None else threshold)),
        "LowSINRRatio": lambda: pct(r.sinr_db[ues] < (th.low_sinr_db if threshold is None else threshold)),
        "AveDLPrbLoad": lambda: float(100.0 * r.cell_load[awake].mean()) if awake.any() else 0.0,
        "HighDLPrbLoadRatio": lambda: pct(100.0 * r.cell_load[awake] > (th.high_prb_load_pct if threshold is None else threshold)),
        "RANEnergyConsumption": lambda: power_w / 1e3,
        "RANEnergyEfficiency": lambda: float(r.thp_bps[in_scope[r.serving]].sum() / power_w) if power_w > 0 else 0.0,
        "DlLatency": lambda: _mean_latency(r.latency_ms[ues]),
    }
    compute = values.get(name)
    return None if compute is None else compute()


def _mean_latency(latency: np.ndarray) -> float | None:
    latency = latency[~np.isnan(latency)]
    return float(latency.mean()) if latency.size else None
