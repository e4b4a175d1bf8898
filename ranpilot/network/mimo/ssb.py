"""SSB beam sets of multi-antenna cells: beam-level SS-RSRP and the SSB overhead.

Each cell sweeps its SS/PBCH block over `n` beams, one SSB of the burst per beam, each at the
cell's full power per resource element (TS 38.213 4.1: at most L_max SSBs per burst,
`config.ssb_l_max`). The beams are the 2D DFT basis of the panel's corner sub-panel of
n_h = min(n, cols) columns by n_v = ceil(n / n_h) rows: n_h horizontal beams across the sector's
half-space (sin(azimuth) on [-1, 1)), split vertically by the rows when n exceeds the columns
(SSB index = vertical beam * n_h + horizontal beam; a count that is not a multiple of n_h sweeps
only the first beams of its last vertical row). One beam is one port: a wide beam with the sector
pattern alone. A complete basis of n beams sums to a gain of n on every ray, so the best of the n
beams is never below the wide beam and reaches n (10 log10 n dB) on a single ray.

SS-RSRP per beam (TS 38.215 5.1.1, L1-RSRP per SSB index) is the single-antenna serving RSRP (the
cell's power per RE, sector pattern, path loss, shadowing: `radio.rsrp_dbm`) times the beam's
gain over the UE's rays, sum_p P_p |a_p^T w_b|^2 (`channels.ray_responses`): the mean over the
rays' phases, which is the average over the SSB's 20 PRBs, many coherence bandwidths of the CDL
delay spread. The wide beam's gain is exactly 1, so with one beam SS-RSRP is the serving RSRP.

Every SSB takes 4 OFDM symbols x 20 PRBs once per 20 ms burst period (TS 38.211 7.4.3; the
initial-access period of TS 38.213 4.1), resources the cell no longer schedules data on
(`overhead_fraction`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ranpilot.network import radio
from ranpilot.network.config import NetworkConfig
from ranpilot.network.mimo.channels import Links, RayDraw, ray_responses
from ranpilot.network.mimo.downlink import serving_links

if TYPE_CHECKING:
    from ranpilot.network.evaluate import Geometry
    from ranpilot.network.state import NetState, Topology

SSB_SYMBOLS = 4  # OFDM symbols of an SS/PBCH block (TS 38.211 7.4.3.1)
SSB_PRBS = 20  # its bandwidth: 240 subcarriers
SSB_PERIOD_MS = 20.0
SYMBOLS_PER_SLOT = 14


@dataclass(frozen=True)
class SsbOutcome:
    """The best SSB beam of each UE's serving cell and every cell's SSB overhead."""

    rsrp_dbm: np.ndarray  # (N,) SS-RSRP of the best beam
    index: np.ndarray  # (N,) its SSB index
    overhead: np.ndarray  # (C,) share of the cell's DL resources its SSBs take


def beam_grid(n_beams: int, cfg: NetworkConfig) -> tuple[int, int]:
    """(n_h, n_v): the sub-panel whose DFT basis holds `n_beams` beams; ValueError beyond the panel."""
    rows, cols = cfg.antenna.panel_rows, cfg.antenna.panel_cols
    if not 1 <= n_beams <= rows * cols:
        raise ValueError(f"{n_beams} SSB beams: a {rows} x {cols} panel forms 1 to {rows * cols}")
    n_h = min(n_beams, cols)
    return n_h, -(-n_beams // n_h)


def _dft(n: int) -> np.ndarray:
    """(n, n) unitary DFT; column k is the beam towards sin(angle) = 2k/n (mod 2)."""
    return np.fft.fft(np.eye(n)) / np.sqrt(n)


def beam_gains(draw: RayDraw, links: Links, cfg: NetworkConfig, n_beams: int) -> np.ndarray:
    """(N, n_beams) gain of each SSB beam on each UE's serving link over its rays (power-weighted
    |a_p^T w_b|^2; 1 is the wide beam's, the single-antenna reference)."""
    return _gains(*ray_responses(draw, links, cfg), draw.power[links.los.astype(int)], n_beams, cfg)


def _gains(horizontal: np.ndarray, vertical: np.ndarray, power: np.ndarray, n_beams: int,
           cfg: NetworkConfig) -> np.ndarray:
    """`beam_gains` from the rays' (N, P, cols) and (N, P, rows) responses and (N, P) powers."""
    n_h, n_v = beam_grid(n_beams, cfg)
    gain_h = np.abs(horizontal[:, :, :n_h] @ _dft(n_h)) ** 2  # (N, P, n_h)
    gain_v = np.abs(vertical[:, :, :n_v] @ _dft(n_v)) ** 2  # (N, P, n_v)
    gains = np.einsum("np,npv,nph->nvh", power, gain_v, gain_h)
    return gains.reshape(len(power), n_v * n_h)[:, :n_beams]


def overhead_fraction(n_beams: np.ndarray | int, cfg: NetworkConfig) -> np.ndarray:
    """Share of a cell's DL resource elements that `n_beams` SSBs per burst period take:
    n * 4 symbols * 20 PRBs / (slots per 20 ms * 14 symbols * the cell's PRBs)."""
    slots = SSB_PERIOD_MS * cfg.scs_khz / 15.0
    ssb_res = np.asarray(n_beams) * SSB_SYMBOLS * min(SSB_PRBS, cfg.num_prb)
    return ssb_res / (slots * SYMBOLS_PER_SLOT * cfg.num_prb)


def best_beams(draw: RayDraw, links: Links, cfg: NetworkConfig, beams_of_ue: np.ndarray,
               rsrp_dbm: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(SS-RSRP of the best beam, its SSB index), both (N,), each UE swept by `beams_of_ue` (N,)
    beams with `rsrp_dbm` (N,) its single-antenna serving RSRP. A UE swept by one beam gets the wide
    beam (gain 1: its serving RSRP, SSB index 0) without its rays being evaluated."""
    best, index = rsrp_dbm.astype(float), np.zeros(len(beams_of_ue), dtype=int)
    swept = np.unique(beams_of_ue[beams_of_ue > 1])
    if not len(swept):
        return best, index
    horizontal, vertical = ray_responses(draw, links, cfg)
    power = draw.power[links.los.astype(int)]
    for n in swept:
        ues = np.flatnonzero(beams_of_ue == n)
        gains = _gains(horizontal[ues], vertical[ues], power[ues], int(n), cfg)
        index[ues] = gains.argmax(axis=1)
        best[ues] = rsrp_dbm[ues] + radio.lin_to_db(gains[np.arange(len(ues)), index[ues]])
    return best, index


def evaluate_ssb(state: NetState, geom: Geometry, cfg: NetworkConfig, topo: Topology, serving: np.ndarray,
                 rsrp_dbm: np.ndarray) -> SsbOutcome:
    """Best SSB beams of the serving cells (as set by `SetSsbBeams`) and every cell's overhead."""
    links = serving_links(geom, topo, serving, state.ue_vel)
    best, index = best_beams(geom.rays, links, cfg, state.ssb_beams[serving], rsrp_dbm)
    return SsbOutcome(rsrp_dbm=best, index=index, overhead=overhead_fraction(state.ssb_beams, cfg))
