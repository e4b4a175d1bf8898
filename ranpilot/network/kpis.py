"""KPIs with standard names: TS 28.552 / E2SM-KPM measurements and TS 28.312 radio-network targets.

Units: `DRB.UEThpDl` kbit/s (TS 28.552), `RRU.PrbUsedDl` / `RRU.PrbAvailDl` PRB counts,
`RRU.PrbTotDl` percent, `DRB.RlcSduDelayDl` ms; TS 28.312 targets: `AveDLRANUEThpt` Mbit/s,
ratios in percent, `AveDLPrbLoad` percent, `RANEnergyConsumption` kWh per hour at the current
operating point (average kW), `RANEnergyEfficiency` bit/J. Multi-antenna cells add
`MimoMeanLayers` (UEs per used PRB), `DLSpectralEfficiency` bit/s/Hz, and from the SSB beam sets
(`mimo.ssb`) `SsbRsrpMean` and `SsbRsrpP5` dBm (mean and 5th percentile over the UEs of the
serving cell's best-beam SS-RSRP, TS 38.215 5.1.1) and `SsbOverhead` percent (mean share of the
awake cells' DL resources their SSBs take). These are network KPIs, not TS 28.312 targets: a
pack's `kpi_limit` can guard them, an intent cannot target them.
"""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel

from ranpilot.network.config import NetworkConfig
from ranpilot.network.evaluate import RadioResult
from ranpilot.network.state import NetState, Topology
from ranpilot.network.targets import target_value
from ranpilot.targets import RADIO_TARGETS



class CellKpis(BaseModel):
    """Configuration and measurements of one cell."""

    cell: int
    site: int
    sector: int
    asleep: bool
    tx_power_dbm: float
    tilt_deg: float
    cio_db: float
    slice_quota: dict[str, float]
    ue_p_max_dbm: float
    num_ues: int
    measurements: dict[str, float]


class SliceKpis(BaseModel):
    """Per-slice service KPIs over the whole network."""

    slice: str
    sst: int
    five_qi: int
    num_ues: int
    DlThptPerUE: float  # Mbit/s, mean over the slice's UEs
    DlLatency: float | None  # ms, mean over bursty UEs; None for full-buffer slices
    sla_thp_mbps: float


class Observation(BaseModel):
    """What `Network.observe()` returns: network targets, per-cell and per-slice KPIs."""

    time_s: float
    network: dict[str, float]
    cells: list[CellKpis]
    slices: list[SliceKpis]


def network_targets(r: RadioResult, state: NetState, cfg: NetworkConfig) -> dict[str, float]:
    """TS 28.312 RadioNetworkExpectation targets and network-wide KPM aggregates."""
    out = {t.value: target_value(t, r, state, cfg) for t in RADIO_TARGETS}
    out.update({
        "DRB.UEThpDl": float(r.thp_bps.mean() / 1e3),
        "CellEdgeDLRANUEThpt": float(np.percentile(r.thp_bps / 1e6, 5)),
        "RRU.PrbUsedDl": float(r.cell_prb_used.sum()),
        "NumActiveCells": float((~state.asleep).sum()),
        "HandoverCount": float(state.handovers),
    })
    if r.layers is not None:  # multi-antenna cells
        out.update(mimo_kpis(r, cfg))
        out.update(ssb_kpis(r, state, cfg))
    return out


def ssb_kpis(r: RadioResult, state: NetState, cfg: NetworkConfig) -> dict[str, float]:
    """`SsbRsrpMean`, `SsbRsrpP5` (dBm) and `SsbOverhead` (%) of multi-antenna cells (module docstring)."""
    from ranpilot.network.mimo.ssb import overhead_fraction

    awake = ~state.asleep
    return {
        "SsbRsrpMean": float(r.ssb_rsrp_dbm.mean()),
        "SsbRsrpP5": float(np.percentile(r.ssb_rsrp_dbm, 5)),
        "SsbOverhead": float(100.0 * overhead_fraction(state.ssb_beams[awake], cfg).mean()) if awake.any() else 0.0,
    }


def mimo_kpis(r: RadioResult, cfg: NetworkConfig) -> dict[str, float]:
    """`MimoMeanLayers`: UEs sharing a used PRB, on average over the used PRBs (1: single-user);
    `DLSpectralEfficiency`: network DL throughput per used PRB's bandwidth, bit/s/Hz (with the
    layers it multiplexes)."""
    used = r.prb.sum()
    return {
        "MimoMeanLayers": float((r.prb * r.layers).sum() / used) if used > 0 else 0.0,
        "DLSpectralEfficiency": float(r.thp_bps.sum() / (used * cfg.prb_bandwidth_hz)) if used > 0 else 0.0,
    }


def cell_kpis(r: RadioResult, state: NetState, cfg: NetworkConfig, topo: Topology) -> list[CellKpis]:
    n_cells = topo.num_cells
    counts = np.bincount(r.serving, minlength=n_cells)
    thp_sum = np.bincount(r.serving, weights=r.thp_bps, minlength=n_cells)
    rsrp_sum = np.bincount(r.serving, weights=r.measured_rsrp_dbm, minlength=n_cells)
    lat = np.nan_to_num(r.latency_ms)
    has_lat = ~np.isnan(r.latency_ms)
    lat_sum = np.bincount(r.serving, weights=lat, minlength=n_cells)
    lat_n = np.bincount(r.serving, weights=has_lat, minlength=n_cells)
    names = [s.name for s in cfg.slices]
    cells = []
    for c in range(n_cells):
        n = max(int(counts[c]), 1)
        cells.append(
            CellKpis(
                cell=c,
                site=int(topo.cell_site[c]),
                sector=int(topo.cell_sector[c]),
                asleep=bool(state.asleep[c]),
                tx_power_dbm=float(state.tx_power_dbm[c]),
                tilt_deg=float(state.tilt_deg[c]),
                cio_db=float(state.cio_db[c]),
                slice_quota=dict(zip(names, map(float, state.slice_quota[c]))),
                ue_p_max_dbm=float(state.ue_p_max_dbm[c]),
                num_ues=int(counts[c]),
                measurements={
                    "DRB.UEThpDl": float(thp_sum[c] / n / 1e3),
                    "RRU.PrbUsedDl": float(r.cell_prb_used[c]),
                    "RRU.PrbAvailDl": float(0 if state.asleep[c] else cfg.num_prb - r.cell_prb_used[c]),
                    "RRU.PrbTotDl": float(100.0 * r.cell_load[c]),
                    "DRB.RlcSduDelayDl": float(lat_sum[c] / lat_n[c]) if lat_n[c] else 0.0,
                    "L1M.SS-RSRP": float(rsrp_sum[c] / n) if counts[c] else float("nan"),
                    "PEE.AvgPower": float(r.cell_power_w[c]),
                },
            )
        )
    return cells


def slice_kpis(r: RadioResult, state: NetState, cfg: NetworkConfig) -> list[SliceKpis]:
    out = []
    for index, spec in enumerate(cfg.slices):
        members = state.ue_slice == index
        lat = r.latency_ms[members]
        lat = lat[~np.isnan(lat)]
        out.append(
            SliceKpis(
                slice=spec.name,
                sst=spec.sst,
                five_qi=spec.five_qi,
                num_ues=int(members.sum()),
                DlThptPerUE=float(r.thp_bps[members].mean() / 1e6) if members.any() else 0.0,
                DlLatency=float(lat.mean()) if lat.size else None,
                sla_thp_mbps=spec.sla_thp_mbps,
            )
        )
    return out


def observation(r: RadioResult, state: NetState, cfg: NetworkConfig, topo: Topology) -> Observation:
    return Observation(
        time_s=state.time_s,
        network=network_targets(r, state, cfg),
        cells=cell_kpis(r, state, cfg, topo),
        slices=slice_kpis(r, state, cfg),
    )
