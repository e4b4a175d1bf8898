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
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from ranpilot.network.config import NetworkConfig
from ranpilot.network.mimo.channels import Links, RayDraw
from ranpilot.network.mimo.config import PRECODER_CODES, Precoder
from ranpilot.network.mimo.csi import true_and_reported
from ranpilot.network.mimo.grouping import semi_orthogonal_groups
from ranpilot.tools import beam_solver

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
    sinr, layers = np.empty(len(serving)), np.empty(len(serving))
    for members in _groups_by_size(serving * (len(serving) + 1) + group):
        mode = settings.precoder[serving[members[:, 0]]]
        for code in np.unique(mode):
            rows = members[mode == code]  # (G, K): groups of one size and precoder
            weights = precoder(Precoder(PRECODER_CODES[code]), csi[rows].astype(np.complex128), q[rows])
            sinr[rows] = beam_solver.sinr(true[rows] / np.sqrt(q[rows])[..., None], weights, 1.0)
        layers[members] = members.shape[1]
    return MimoOutcome(sinr=sinr, layers=layers)


def _groups_by_size(key: np.ndarray) -> list[np.ndarray]:
    """The UEs of each distinct key, as one (groups, K) index array per group size K."""
    order = np.argsort(key, kind="stable")
    starts = np.flatnonzero(np.concatenate([[True], np.diff(key[order]) != 0]))
    sizes = np.diff(np.append(starts, len(key)))
    return [order[starts[sizes == k][:, None] + np.arange(k)] for k in np.unique(sizes)]


def precoder(mode: Precoder, csi: np.ndarray, q: np.ndarray) -> np.ndarray:
    """(G, M, K) beams of total power 1 per group, from the groups' CSI (G, K, M) and their
    normalised interference plus noise `q` (G, K)."""
    if csi.shape[1] == 1 or mode is Precoder.MRT:
        return beam_solver.mrt(csi, 1.0)
    if mode is Precoder.ZF:
        return beam_solver.zf(csi, 1.0)
    if mode is Precoder.RZF:
        return beam_solver.rzf(csi, 1.0, q.mean(axis=1))
    return np.stack([_socp(h, np.sqrt(n)) for h, n in zip(csi, q)])


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
