"""TS 28.312 target values over a scope: all cells or a cell list, optionally one slice,
with the target's own threshold (e.g. the throughput below which a UE counts as 'low').
What each target means lives in `ranpilot.targets`; this is how the simulator measures it."""

from __future__ import annotations

import numpy as np

from ranpilot.network.config import NetworkConfig
from ranpilot.network.evaluate import RadioResult
from ranpilot.network.state import NetState
from ranpilot.targets import Target, spec


def pct(mask: np.ndarray) -> float:
    return float(100.0 * mask.mean()) if mask.size else 0.0


def target_value(
    name: str | Target,
    r: RadioResult,
    state: NetState,
    cfg: NetworkConfig,
    cells: list[int] | None = None,
    slice_index: int | None = None,
    threshold: float | None = None,
) -> float | None:
    """Value of a target over the UEs served by `cells` (all if None) and of one slice; None
    for an unknown target or an empty scope."""
    try:
        target = spec(name)
    except KeyError:
        return None
    n_cells = len(state.asleep)
    in_scope = np.zeros(n_cells, bool)
    in_scope[list(range(n_cells)) if cells is None else cells] = True
    ues = in_scope[r.serving]
    if slice_index is not None:
        ues &= state.ue_slice == slice_index
    awake = in_scope & ~state.asleep
    if target.threshold is not None and threshold is None:
        threshold = getattr(cfg.thresholds, target.threshold.default_field)
    thp_mbps = r.thp_bps[ues] / 1e6
    power_w = float(r.cell_power_w[in_scope].sum())
    match target.target:
        case Target.AVE_DL_RAN_UE_THPT | Target.DL_THPT_PER_UE:
            return float(thp_mbps.mean()) if ues.any() else None
        case Target.LOW_DL_THPT_UE_SHARE:
            return pct(thp_mbps < threshold)
        case Target.WEAK_RSRP_UE_SHARE:
            return pct(r.measured_rsrp_dbm[ues] < threshold)
        case Target.LOW_SINR_UE_SHARE:
            return pct(r.sinr_db[ues] < threshold)
        case Target.LOW_DL_RAN_UE_THPT_RATIO:
            return share_of_cells_below(r.thp_bps / 1e6, r.serving, ues, in_scope, threshold)
        case Target.WEAK_RSRP_RATIO:
            return share_of_cells_below(r.measured_rsrp_dbm, r.serving, ues, in_scope, threshold)
        case Target.LOW_SINR_RATIO:
            return share_of_cells_below(r.sinr_db, r.serving, ues, in_scope, threshold)
        case Target.AVE_DL_PRB_LOAD:
            return float(100.0 * r.cell_load[awake].mean()) if awake.any() else 0.0
        case Target.HIGH_DL_PRB_LOAD_RATIO:
            return pct(100.0 * r.cell_load[awake] > threshold)
        case Target.RAN_ENERGY_CONSUMPTION:
            return power_w / 1e3
        case Target.RAN_ENERGY_EFFICIENCY:
            return float(r.thp_bps[in_scope[r.serving]].sum() / power_w) if power_w > 0 else 0.0
        case Target.DL_LATENCY:
            return _mean_latency(r.latency_ms[ues])


def share_of_cells_below(values: np.ndarray, serving: np.ndarray, ues: np.ndarray, in_scope: np.ndarray,
                         threshold: float) -> float:
    """TS 28.312 cell ratios: the percentage of the scope's cells whose mean per-UE value (over
    the UEs in `ues` they serve) is below the threshold; cells serving no such UE do not count."""
    n_cells = len(in_scope)
    counts = np.bincount(serving[ues], minlength=n_cells)
    sums = np.bincount(serving[ues], weights=values[ues], minlength=n_cells)
    counted = in_scope & (counts > 0)
    return pct(sums[counted] / counts[counted] < threshold)


def _mean_latency(latency: np.ndarray) -> float | None:
    latency = latency[~np.isnan(latency)]
    return float(latency.mean()) if latency.size else None
