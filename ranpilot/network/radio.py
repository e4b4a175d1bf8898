"""Downlink link budget, cell selection, SINR, link adaptation and PF scheduling (vectorized).

Modelling choices, all standard for system-level simulation:
- SINR per UE over the full band, inter-cell interference weighted by each interfering
  cell's PRB utilisation in the previous step (load-coupled interference); optional
  Rayleigh block fading per subband.
- Link adaptation: the highest TS 38.214 Table 5.2.2.1-3 (256QAM) CQI whose spectral
  efficiency is at most log2(1 + SINR / gap), with a 1.5 dB gap; throughput uses the TS 38.306
  overhead of 0.14 for FR1 downlink; one spatial layer.
- Scheduling: proportional fair with equal long-run resource shares, i.e. max-min fair PRB
  shares capped by each UE's demand; first within each slice's guaranteed PRB quota, then
  the cell's remaining PRBs shared across all UEs with demand left.
"""

from __future__ import annotations

import numpy as np

from ranpilot.network import steering

#: Spectral efficiency (bit/s/Hz) of CQI 1..15, TS 38.214 Table 5.2.2.1-3.
CQI_EFFICIENCY = np.array(
    [0.1523, 0.3770, 0.8770, 1.4766, 1.9141, 2.4063, 2.7305, 3.3223,
     3.9023, 4.5234, 5.1152, 5.5547, 6.2266, 6.9141, 7.4063]
)
SHANNON_GAP_DB = 1.5
OVERHEAD_DL_FR1 = 0.14
THERMAL_NOISE_DBM_HZ = -174.0
BIG = 1e12


def db_to_lin(x: np.ndarray | float) -> np.ndarray:
    return np.power(10.0, np.asarray(x) / 10.0)


def lin_to_db(x: np.ndarray | float) -> np.ndarray:
    return 10.0 * np.log10(np.maximum(np.asarray(x), 1e-30))


def dbm_to_w(dbm: np.ndarray | float) -> np.ndarray:
    return db_to_lin(np.asarray(dbm) - 30.0)


def w_to_dbm(watts: np.ndarray | float) -> np.ndarray:
    return lin_to_db(watts) + 30.0


def rsrp_dbm(tx_power_dbm: np.ndarray, gain_db: np.ndarray, num_prb: int) -> np.ndarray:
    """(N, C) RSRP: each cell's power per resource element (12 subcarriers a PRB) plus the link gain."""
    return tx_power_dbm[None, :] - 10.0 * np.log10(12 * num_prb) + gain_db


def shannon_se(sinr: np.ndarray) -> np.ndarray:
    """Gap-adjusted Shannon spectral efficiency (bit/s/Hz) of a linear SINR."""
    return np.log2(1.0 + sinr / db_to_lin(SHANNON_GAP_DB))


def rate_per_prb_bps(se: np.ndarray, prb_bandwidth_hz: float) -> np.ndarray:
    """Downlink bit rate one PRB carries at a spectral efficiency, after FR1 overhead."""
    return se * prb_bandwidth_hz * (1.0 - OVERHEAD_DL_FR1)


def noise_mw(bandwidth_hz: float, noise_figure_db: float) -> float:
    """Thermal noise power in mW over the bandwidth."""
    return float(db_to_lin(THERMAL_NOISE_DBM_HZ + lin_to_db(bandwidth_hz) + noise_figure_db))


def select_serving(
    rsrp_dbm: np.ndarray,
    cio_db: np.ndarray,
    active: np.ndarray,
    previous: np.ndarray | None,
    hysteresis_db: float,
    ue_bias_db: np.ndarray | None = None,
) -> np.ndarray:
    """Serving cell per UE: A3 ranking on RSRP + CIO with hysteresis; sleeping cells excluded.

    rsrp_dbm (N, C); cio_db, active (C,); previous (N,) or None (initial attach: best cell);
    ue_bias_db (N, C) or None: traffic steering preferences (`ranpilot.network.steering`).
    """
    metric = np.where(active[None, :], rsrp_dbm + cio_db[None, :], -np.inf)
    if ue_bias_db is not None:
        metric = steering.with_fallback(metric, metric + ue_bias_db)
    best = metric.argmax(axis=1)
    if previous is None:
        return best
    rows = np.arange(len(best))
    current = metric[rows, previous]
    keep = np.isfinite(current) & (metric[rows, best] <= current + hysteresis_db)
    return np.where(keep, previous, best)


def sinr_linear(
    rx_mw: np.ndarray,
    serving: np.ndarray,
    interferer_weight: np.ndarray,
    noise: float,
    fading: np.ndarray | None = None,
) -> np.ndarray:
    """SINR per UE (N,) or per UE and subband (N, B).

    rx_mw (N, C) received power from each cell; interferer_weight (C,) utilisation of each
    cell (0 for sleeping cells); fading (N, C, B) power gains or None.
    """
    rows = np.arange(len(serving))
    if fading is None:
        signal = rx_mw[rows, serving]
        total = rx_mw @ interferer_weight
        interference = total - rx_mw[rows, serving] * interferer_weight[serving]
        return signal / (interference + noise)
    faded = rx_mw[:, :, None] * fading
    signal = faded[rows, serving, :]
    total = np.einsum("ncb,c->nb", faded, interferer_weight)
    interference = total - signal * interferer_weight[serving][:, None]
    return signal / (interference + noise)


def spectral_efficiency(sinr: np.ndarray) -> np.ndarray:
    """CQI-table spectral efficiency (bit/s/Hz) for linear SINR; 0 below CQI 1."""
    cqi = cqi_index(sinr)
    return np.where(cqi > 0, CQI_EFFICIENCY[np.maximum(cqi - 1, 0)], 0.0)


def cqi_index(sinr: np.ndarray) -> np.ndarray:
    """CQI index 0..15 for linear SINR (0 = out of range)."""
    return np.searchsorted(CQI_EFFICIENCY, shannon_se(sinr), side="right")


def waterfill(need: np.ndarray, group: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Max-min fair split of each group's budget among its members, capped by their need.

    need (N,) >= 0 (np.inf allowed), group (N,) ints in [0, G), budget (G,) >= 0.
    Returns allocations (N,) with sum per group <= budget and alloc <= need.
    """
    cap = float(budget.max(initial=0.0)) + 1.0  # any need above every budget acts as infinite
    need = np.minimum(need, cap)
    order = np.lexsort((need, group))
    g_sorted, n_sorted = group[order], need[order]
    counts = np.bincount(group, minlength=len(budget))
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    pos = np.arange(len(order)) - starts[g_sorted]
    cum = np.cumsum(n_sorted)
    group_offset = np.where(starts > 0, cum[np.maximum(starts - 1, 0)], 0.0)
    cum_before = cum - n_sorted - group_offset[g_sorted]
    remaining = counts[g_sorted] - pos
    filled = cum_before + n_sorted * remaining >= budget[g_sorted]
    first = np.full(len(budget), len(order))
    np.minimum.at(first, g_sorted[filled], np.flatnonzero(filled))
    level = np.full(len(budget), BIG)
    has = first < len(order)
    k = first[has]
    level[has] = (budget[has] - cum_before[k]) / remaining[k]
    return np.minimum(need, level[group])
