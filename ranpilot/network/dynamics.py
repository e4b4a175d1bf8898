"""Time evolution of a network state: UE mobility, correlated shadowing and traffic arrivals."""

from __future__ import annotations

import numpy as np

from ranpilot.network.config import Mobility, NetworkConfig, Traffic
from ranpilot.network.geometry import keep_min_distance, min_distance_m, uniform_in_hexagons
from ranpilot.network.state import NetState, Topology

#: Shadowing decorrelation distance (TR 38.901 Table 7.5-6, UMa NLoS), m.
SHADOW_DECORRELATION_M = 50.0


def move_ues(state: NetState, cfg: NetworkConfig, topo: Topology, rng: np.random.Generator) -> bool:
    """Advance UE positions by one step and update shadowing as an AR(1) process in distance.

    Returns whether any UE can have moved (so cached geometry must be recomputed)."""
    if cfg.mobility == Mobility.STATIC or cfg.ue_speed_kmh == 0.0:
        return False
    dt = cfg.step_s
    old = state.ue_pos
    if cfg.mobility == Mobility.LINEAR:
        new = old + state.ue_vel * dt
        new = _bounce(new, state, topo, cfg)
    else:
        new = _toward_waypoints(state, cfg, topo, rng)
    new = keep_min_distance(new, topo.sites, min_distance_m(cfg))
    moved = np.linalg.norm(new - old, axis=1)
    rho = np.exp(-moved / SHADOW_DECORRELATION_M)[:, None]
    if cfg.shadowing:
        innovation = rng.standard_normal(state.shadow_z.shape)
        state.shadow_z = rho * state.shadow_z + np.sqrt(1.0 - rho**2) * innovation
    state.ue_pos = new
    return True


def _toward_waypoints(state: NetState, cfg: NetworkConfig, topo: Topology, rng: np.random.Generator) -> np.ndarray:
    """Random waypoint: walk toward the waypoint at constant speed, draw a new one on arrival."""
    step = cfg.ue_speed_kmh / 3.6 * cfg.step_s
    delta = state.ue_dest - state.ue_pos
    dist = np.linalg.norm(delta, axis=1)
    arrived = dist <= step
    frac = np.where(arrived, 1.0, step / np.maximum(dist, 1e-9))[:, None]
    new = state.ue_pos + delta * frac
    if arrived.any():
        state.ue_dest = state.ue_dest.copy()
        state.ue_dest[arrived] = uniform_in_hexagons(int(arrived.sum()), topo.sites, cfg.isd_m, rng)
    return new


def _bounce(new: np.ndarray, state: NetState, topo: Topology, cfg: NetworkConfig) -> np.ndarray:
    """Linear mobility: UEs leaving the layout turn back (velocity reversed)."""
    extent = np.abs(topo.sites).max(axis=0) + cfg.isd_m / np.sqrt(3.0)
    outside = (np.abs(new) > extent[None, :]).any(axis=1)
    if outside.any():
        state.ue_vel = state.ue_vel.copy()
        state.ue_vel[outside] *= -1.0
        new[outside] = state.ue_pos[outside]
    return new


def draw_traffic(state: NetState, cfg: NetworkConfig, rng: np.random.Generator) -> None:
    """Offered load this step: inf for full-buffer slices, Poisson file arrivals for bursty ones."""
    offered = np.full(len(state.ue_slice), np.inf)
    for index, spec in enumerate(cfg.slices):
        if spec.traffic != Traffic.BURSTY:
            continue
        members = state.ue_slice == index
        files = rng.poisson(spec.arrivals_per_s * cfg.step_s, int(members.sum()))
        offered[members] = files * spec.file_mbit * 1e6 / cfg.step_s
    state.offered_bps = offered
    state.fading_seed = int(rng.integers(2**31))
