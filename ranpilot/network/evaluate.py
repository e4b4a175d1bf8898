"""One radio evaluation of a network state: who serves whom, SINR, PRBs, throughput, energy."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network import radio, steering
from ranpilot.network.config import NetworkConfig, Traffic
from ranpilot.network.geometry import sector_gain_db
from ranpilot.network.mimo.channels import RayDraw
from ranpilot.network.propagation import SHADOW_STD_DB, los_probability, pathloss
from ranpilot.network.state import NetState, Topology

OVERLOAD_LATENCY_MS = 1000.0


@dataclass(frozen=True)
class Geometry:
    """Quantities that depend only on UE positions (cached while UEs stand still)."""

    elev_down_deg: np.ndarray  # (N, S) angle below the horizon from each site
    az_off_deg: np.ndarray  # (N, C) angle from each cell's boresight
    pl_db: np.ndarray  # (N, S) path loss plus shadowing
    is_los: np.ndarray | None = None  # (N, S) line of sight
    rays: RayDraw | None = None  # small-scale rays of multi-antenna cells (None: one port)


@dataclass(frozen=True)
class RadioResult:
    """Per-UE and per-cell outcome of one evaluation."""

    serving: np.ndarray  # (N,)
    rsrp_dbm: np.ndarray  # (N,) serving-cell RSRP
    sinr_db: np.ndarray  # (N,)
    cqi: np.ndarray  # (N,)
    prb: np.ndarray  # (N,) PRBs allocated (time-averaged, fractional)
    thp_bps: np.ndarray  # (N,) DL throughput
    latency_ms: np.ndarray  # (N,) file delay for bursty UEs, nan for full buffer
    cell_prb_used: np.ndarray  # (C,)
    cell_load: np.ndarray  # (C,) utilisation 0..1
    cell_power_w: np.ndarray  # (C,) input power from the power model
    handovers: int
    layers: np.ndarray | None = None  # (N,) UEs sharing the UE's PRBs (MU-MIMO); None with one port
    ssb_rsrp_dbm: np.ndarray | None = None  # (N,) SS-RSRP of the serving cell's best SSB beam; None with one port
    ssb_index: np.ndarray | None = None  # (N,) that beam's SSB index; None with one port

    @property
    def measured_rsrp_dbm(self) -> np.ndarray:
        """(N,) the RSRP each UE measures and reports, which coverage targets count: the SS-RSRP of
        its serving cell's best SSB beam on multi-antenna cells (TS 38.215 5.1.1; with one SSB beam
        it equals `rsrp_dbm`), the cell's RSRP otherwise."""
        return self.rsrp_dbm if self.ssb_rsrp_dbm is None else self.ssb_rsrp_dbm


def compute_geometry(state: NetState, cfg: NetworkConfig, topo: Topology, rays: RayDraw | None = None) -> Geometry:
    delta = state.ue_pos[:, None, :] - topo.sites[None, :, :]
    d2d = np.linalg.norm(delta, axis=2)
    elev_down = np.degrees(np.arctan2(cfg.bs_height_m - cfg.ue_height_m, d2d))
    azimuth = np.degrees(np.arctan2(delta[..., 1], delta[..., 0]))[:, topo.cell_site]
    az_off = (azimuth - topo.cell_azimuth_deg[None, :] + 180.0) % 360.0 - 180.0
    scenario = cfg.scenario.value
    is_los = state.los_u < los_probability(d2d, cfg.ue_height_m, scenario)
    pl = pathloss(d2d, is_los, cfg.bs_height_m, cfg.ue_height_m, cfg.carrier_ghz, scenario)
    sigma_los, sigma_nlos = SHADOW_STD_DB[scenario]
    pl = pl + np.where(is_los, sigma_los, sigma_nlos) * state.shadow_z
    return Geometry(elev_down, az_off, pl, is_los, rays)


def evaluate(
    state: NetState, geom: Geometry, cfg: NetworkConfig, topo: Topology, initial: bool = False
) -> RadioResult:
    """Evaluate the state; `initial` attaches every UE to its best cell (no hysteresis)."""
    site = topo.cell_site
    gain_db = sector_gain_db(geom.az_off_deg, geom.elev_down_deg[:, site], state.tilt_deg[None, :], cfg)
    gain_db = gain_db - geom.pl_db[:, site]
    active = ~state.asleep
    rsrp_all = radio.rsrp_dbm(state.tx_power_dbm, gain_db, cfg.num_prb)
    previous = None if initial else state.serving
    bias = steering.ue_bias_db(state.slice_steering, state.ue_slice, state.ue_steering)
    serving = radio.select_serving(rsrp_all, state.cio_db, active, previous, cfg.handover_hysteresis_db, bias)
    rows = np.arange(len(serving))
    rx_mw = radio.db_to_lin(state.tx_power_dbm[None, :] + gain_db) * active[None, :]
    noise = radio.noise_mw(cfg.num_prb * cfg.prb_bandwidth_hz, cfg.noise_figure_db)
    fading = _fading(state, cfg, rx_mw.shape)
    sinr = radio.sinr_linear(rx_mw, serving, state.load * active, noise, fading)
    layers = ssb = None
    if geom.rays is not None:  # multi-antenna cells (fading_subbands is then 0)
        from ranpilot.network.mimo.downlink import evaluate_mimo
        from ranpilot.network.mimo.ssb import evaluate_ssb

        mimo = evaluate_mimo(state, geom, cfg, topo, serving, sinr)
        sinr, layers = mimo.sinr, mimo.layers
        ssb = evaluate_ssb(state, geom, cfg, topo, serving, rsrp_all[rows, serving])
    se = radio.spectral_efficiency(sinr) * (1 if layers is None else layers)
    if fading is not None:
        se, sinr = se.mean(axis=1), sinr.mean(axis=1)
    rate_per_prb = radio.rate_per_prb_bps(se, cfg.prb_bandwidth_hz)
    if ssb is not None:  # the resources a cell's SSBs take carry no data
        rate_per_prb = rate_per_prb * (1.0 - ssb.overhead[serving])
    prb, guaranteed = _schedule(state, cfg, serving, rate_per_prb)
    cell_used = np.bincount(serving, weights=prb, minlength=topo.num_cells)
    thp, latency = _throughput(state, cfg, serving, prb, guaranteed, cell_used, rate_per_prb)
    load = cell_used / cfg.num_prb
    p_tx_w = radio.dbm_to_w(state.tx_power_dbm)
    pm = cfg.power_model
    power = np.where(active, pm.p0_w + pm.delta_p * load * p_tx_w, pm.p_sleep_w)
    return RadioResult(
        serving=serving,
        rsrp_dbm=rsrp_all[rows, serving],
        sinr_db=radio.lin_to_db(sinr),
        cqi=radio.cqi_index(sinr),
        prb=prb,
        thp_bps=thp,
        latency_ms=latency,
        cell_prb_used=cell_used,
        cell_load=load,
        cell_power_w=power,
        handovers=0 if initial else int((serving != state.serving).sum()),
        layers=layers,
        ssb_rsrp_dbm=None if ssb is None else ssb.rsrp_dbm,
        ssb_index=None if ssb is None else ssb.index,
    )


def _fading(state: NetState, cfg: NetworkConfig, shape: tuple[int, int]) -> np.ndarray | None:
    if cfg.fading_subbands == 0:
        return None
    rng = np.random.default_rng(state.fading_seed)
    return rng.exponential(size=(*shape, cfg.fading_subbands))


def _schedule(
    state: NetState, cfg: NetworkConfig, serving: np.ndarray, rate_per_prb: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """PRBs per UE: slice quotas first, then the cell's leftover; a UE whose guaranteed rate
    (`ue_gbr_kbps`) needs more than that fair share gets exactly its guarantee instead. Also returns
    each UE's guaranteed share (its own guarantee, or its slice quota split over the slice's UEs in
    its cell)."""
    n_cells, n_slices = state.slice_quota.shape
    need = np.where(rate_per_prb > 0, state.offered_bps / np.maximum(rate_per_prb, 1e-9), 0.0)
    group = serving * n_slices + state.ue_slice
    budget = state.slice_quota.ravel() * cfg.num_prb
    own = np.zeros(len(serving))
    prb = _share(need, own, group, budget, serving, cfg.num_prb, n_cells)
    if state.ue_gbr_kbps.any():
        own, budget = _guaranteed_rates(state, cfg, serving, rate_per_prb, need, group,
                                        budget, prb)
        prb = _share(np.where(own > 0, own, need), own, group, budget, serving, cfg.num_prb, n_cells)
    members = np.bincount(group, minlength=n_cells * n_slices)
    guaranteed = np.where(own > 0, own, budget[group] / np.maximum(members[group], 1))
    return prb, guaranteed


def _share(need: np.ndarray, own: np.ndarray, group: np.ndarray, budget: np.ndarray, serving: np.ndarray,
           num_prb: int, n_cells: int) -> np.ndarray:
    """PRBs per UE: `own` PRBs reserved, then max-min fair within slice quotas, then the cell's leftover."""
    first = own + radio.waterfill(need - own, group, budget)
    leftover = num_prb - np.bincount(serving, weights=first, minlength=n_cells)
    return first + radio.waterfill(need - first, serving, np.maximum(leftover, 0.0))


def _guaranteed_rates(state: NetState, cfg: NetworkConfig, serving: np.ndarray, rate_per_prb: np.ndarray,
                      need: np.ndarray, group: np.ndarray, budget: np.ndarray,
                      fair: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(PRBs reserved for each UE whose guarantee its `fair` share does not meet, the slice quota
    budgets left once they are taken).

    A guarantee takes the PRBs its rate needs at the UE's link quality (at most its demand); a
    cell's guarantees together take at most all its PRBs (scaled down alike beyond that). They count
    toward their slice's quota, and the quotas left are scaled so guarantees and quotas fit the cell.
    Whether a guarantee binds is judged against the share without guarantees."""
    n_cells = len(state.tx_power_dbm)
    gbr_bps = state.ue_gbr_kbps[serving, np.arange(len(serving))] * 1e3
    own = np.minimum(need, np.where(rate_per_prb > 0, gbr_bps / np.maximum(rate_per_prb, 1e-9), 0.0))
    own = np.where(own > fair, own, 0.0)
    taken = np.bincount(serving, weights=own, minlength=n_cells)
    own = own * np.minimum(1.0, cfg.num_prb / np.maximum(taken, 1e-9))[serving]
    rest = np.maximum(budget - np.bincount(group, weights=own, minlength=len(budget)), 0.0)
    free = cfg.num_prb - np.bincount(serving, weights=own, minlength=n_cells)
    per_cell = rest.reshape(n_cells, -1)
    scale = np.minimum(1.0, free / np.maximum(per_cell.sum(axis=1), 1e-9))
    return own, (per_cell * scale[:, None]).ravel()


def _throughput(
    state: NetState,
    cfg: NetworkConfig,
    serving: np.ndarray,
    prb: np.ndarray,
    guaranteed: np.ndarray,
    cell_used: np.ndarray,
    rate_per_prb: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    """Full buffer: allocated rate. Bursty: processor-sharing file throughput C(1 - rho) and
    sojourn time, where the burst capacity C is the UE's guaranteed share plus idle PRBs."""
    bursty = np.array([s.traffic == Traffic.BURSTY for s in cfg.slices])[state.ue_slice]
    file_bits = np.array([s.file_mbit * 1e6 for s in cfg.slices])[state.ue_slice]
    idle = np.maximum(cfg.num_prb - cell_used, 0.0)[serving]
    capacity = rate_per_prb * np.maximum(prb, guaranteed + idle)
    offered = np.where(bursty, state.offered_bps, 0.0)
    with np.errstate(divide="ignore", invalid="ignore"):
        rho = np.where(capacity > 0, offered / capacity, np.inf)
        stable = rho < 1.0
        burst_thp = np.where(stable, capacity * (1.0 - rho), prb * rate_per_prb)
        sojourn_ms = 1e3 * file_bits / (capacity * (1.0 - rho))
    slot_ms = 15.0 / cfg.scs_khz
    latency = np.where(stable, slot_ms + sojourn_ms, OVERLOAD_LATENCY_MS)
    thp = np.where(bursty, burst_thp, prb * rate_per_prb)
    return thp, np.where(bursty, np.minimum(latency, OVERLOAD_LATENCY_MS), np.nan)
