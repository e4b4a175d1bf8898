"""Multi-user MIMO downlink of one evaluation: group each cell's UEs, precode every group with
`beam_solver` from the CSI the cell has, and give each UE its post-precoding SINR on the true
channel.

The single-antenna SINR the simulator computes already holds the serving cell's received power
P g (over all ports) and the load-coupled inter-cell interference plus noise I + N (a cell's
beams sum to its power, so another cell's interference keeps its single-antenna mean). With
q = (I + N) / (P g) = 1 / SINR_single and a precoder W with ||W||_F = 1 for the group:

    SINR_k = |h_k w_k|^2 / (sum_{j != k} |h_k w_j|^2 + q_k)

(intra-cell inter-beam interference from the co-scheduled beams; E|h_m|^2 = 1 gives MRT's array
gain of M). The group's members share the PRBs the scheduler gives the group, so each member's
rate per PRB it is charged for is its own rate times the group's size.

WMMSE maximises the group's sum of log2(1 + SINR_k) over beams and their powers together, under
the same ||W||_F = 1. Type-I gives each UE the codebook beam it would report as its PMI (computed
on the CSI the cell has, the report), at 1/K of the power; Type-I + ZF zero-forces those beams.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ranpilot.network.config import NetworkConfig
from ranpilot.network.mimo.channels import Links, RayDraw
from ranpilot.network.mimo.config import PRECODER_CODES, Precoder
from ranpilot.network.mimo.csi import true_and_reported
from ranpilot.network.mimo.grouping import semi_orthogonal_groups
from ranpilot.tools import beam_solver, codebook

#: Type-I oversampling (O1, O2) of a ULA (False) and of a planar panel (True), TS 38.214 Table 5.2.2.2.1-2.
TYPE1_OVERSAMPLING = {False: (4, 1), True: (4, 4)}
#: WMMSE iterations per precoding, a fixed small count that keeps a 630-UE step fast: on the
#: groups of one such step, 2 reach 82% of the sum-rate gain over RZF that 50 reach (1: 79%, 4: 86%).
WMMSE_ITERATIONS = 2

if TYPE_CHECKING:
    from ranpilot.network.evaluate import Geometry
    from ranpilot.network.state import NetState, Topology


@dataclass(frozen=True)
class CellMimo:
    """Per-cell MIMO settings of a configuration (the `AntennaConfig` ones unless changed)."""

    precoder: np.ndarray  # (C,) index into PRECODER_CODES
    layers: np.ndarray  # (C,) at most this many UEs per group
    prediction: np.ndarray  # (C,) bool: precode with predicted CSI


@dataclass(frozen=True)
class MimoOutcome:
    sinr: np.ndarray  # (N,) post-precoding SINR, linear
    layers: np.ndarray  # (N,) size of the UE's co-scheduling group


def cell_settings(state: NetState) -> CellMimo:
    """The cells' MIMO settings, as configured (`SetPrecoder`, `SetMuLayers`, `SetCsiPrediction`)."""
    return CellMimo(precoder=state.precoder, layers=state.mu_layers, prediction=state.csi_prediction)


def downlink(
    draw: RayDraw, links: Links, time_s: float, cfg: NetworkConfig, serving: np.ndarray,
    sinr_single: np.ndarray, settings: CellMimo,
) -> MimoOutcome:
    """Group, precode and evaluate every cell's UEs (see the module docstring)."""
    true, csi = true_and_reported(draw, links, time_s, cfg, settings.prediction[serving])
    group = semi_orthogonal_groups(csi, serving, settings.layers, cfg.antenna.max_correlation)
    q = 1.0 / np.maximum(sinr_single, 1e-30)
    panel = (cfg.antenna.panel_rows, cfg.antenna.panel_cols)
    sinr, layers = np.empty(len(serving)), np.empty(len(serving))
    for members in _groups_by_size(serving * (len(serving) + 1) + group):
        mode = settings.precoder[serving[members[:, 0]]]
        for code in np.unique(mode):
            rows = members[mode == code]  # (G, K): groups of one size and precoder
            weights = precoder(Precoder(PRECODER_CODES[code]), csi[rows].astype(np.complex128), q[rows], panel)
            sinr[rows] = beam_solver.sinr(true[rows] / np.sqrt(q[rows])[..., None], weights, 1.0)
        layers[members] = members.shape[1]
    return MimoOutcome(sinr=sinr, layers=layers)


def _groups_by_size(key: np.ndarray) -> list[np.ndarray]:
    """The UEs of each distinct key, as one (groups, K) index array per group size K."""
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.concatenate([[True], np.diff(key[order]) != 0]))
    sizes = np.diff(np.append(starts, len(key)))
    return [order[starts[sizes == k][:, None] + np.arange(k)] for k in np.unique(sizes)]


def precoder(mode: Precoder, csi: np.ndarray, q: np.ndarray, panel: tuple[int, int] | None = None) -> np.ndarray:
    """(G, M, K) beams of total power 1 per group, from the groups' CSI (G, K, M) and their
    normalised interference plus noise `q` (G, K). `panel` (rows, cols) is the array the Type-I
    codebook is built for (default: a horizontal ULA of the M ports)."""
    if mode in (Precoder.TYPE1, Precoder.TYPE1_ZF):
        rows, cols = panel or (1, csi.shape[2])
        pmi = codebook.type1_pmi(csi, cols, rows, *TYPE1_OVERSAMPLING[rows > 1])
        beams = codebook.codebook_beams(type1_beams(rows, cols), pmi, 1.0)
        if mode is Precoder.TYPE1:
            return beams
        return beam_solver.zf(np.swapaxes(beams, 1, 2).conj(), 1.0)  # each UE's channel taken as its beam
    if csi.shape[1] == 1 or mode is Precoder.MRT:
        return beam_solver.mrt(csi, 1.0)
    if mode is Precoder.ZF:
        return beam_solver.zf(csi, 1.0)
    if mode is Precoder.RZF:
        return beam_solver.rzf(csi, 1.0, q.mean(axis=1))
    if mode is Precoder.WMMSE:
        whitened = csi / np.sqrt(q)[..., None]  # unit noise per UE: the sum rate of the module docstring
        return beam_solver.wmmse_miso(whitened, 1.0, 1.0, iterations=WMMSE_ITERATIONS, tol=0.0,
                                      start=precoder(Precoder.RZF, csi, q))
    return np.stack([_socp(h, np.sqrt(n)) for h, n in zip(csi, q)])


@lru_cache(maxsize=8)
def type1_beams(rows: int, cols: int) -> np.ndarray:
    """(M, B) TS 38.214 5.2.2.2.1 Type-I single-panel beams of a rows x cols panel: N1 = cols,
    N2 = rows, O1 = 4, O2 = 4 (1 when N2 = 1), one polarization (the panel's ports are
    co-polarized, so no co-phasing); the port order col * rows + row is the codebook's."""
    if rows * cols == 1:
        raise ValueError("a Type-I codebook needs more than one port")
    book, _ = codebook.type1_codebook(cols, rows, *TYPE1_OVERSAMPLING[rows > 1], False)
    book.flags.writeable = False
    return book


def _socp(csi: np.ndarray, scale: np.ndarray) -> np.ndarray:
    """The min-power SOCP beams that give every member at least the SINR ZF gives it, on the CSI
    whitened by each member's interference plus noise (`scale` = sqrt(q)), the power they save
    spread over them (every member gains over ZF); ZF where the solver finds no optimum."""
    whitened = csi / scale[:, None]
    zf = beam_solver.zf(csi, 1.0)
    targets = beam_solver.sinr(whitened, zf, 1.0)
    _, _, weights, _ = beam_solver.min_power(whitened, np.maximum(targets, 1e-6), 1.0)
    if weights is None:
        return zf
    return weights / np.sqrt(max(np.sum(np.abs(weights) ** 2), 1e-30))


def serving_links(geom: Geometry, topo: Topology, serving: np.ndarray, velocity: np.ndarray) -> Links:
    """The serving link of each UE from the cached geometry."""
    rows = np.arange(len(serving))
    site = topo.cell_site[serving]
    az_off = geom.az_off_deg[rows, serving]
    return Links(
        az_off=np.radians(az_off),
        zenith=np.radians(90.0 + geom.elev_down_deg[rows, site]),
        to_site_az=np.radians(az_off + topo.cell_azimuth_deg[serving] + 180.0),
        site=site,
        los=geom.is_los[rows, site],
        velocity=velocity,
    )


def evaluate_mimo(state: NetState, geom: Geometry, cfg: NetworkConfig, topo: Topology, serving: np.ndarray,
                  sinr_single: np.ndarray) -> MimoOutcome:
    """The MU-MIMO outcome of a state whose geometry carries rays (more than one port)."""
    links = serving_links(geom, topo, serving, state.ue_vel)
    return downlink(geom.rays, links, state.time_s, cfg, serving, sinr_single, cell_settings(state))
