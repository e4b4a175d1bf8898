"""Hexagonal site layout, UE drops and the 3GPP sector antenna pattern (vectorized numpy)."""

from __future__ import annotations

import numpy as np

from ranpilot.network.config import NetworkConfig


def hex_sites(num_rings: int, isd_m: float) -> np.ndarray:
    """Site positions of a hexagonal grid with `num_rings` rings around a centre site.

    Returns an array of shape (1 + 3 r (r + 1), 2) in metres, centre site first.
    """
    # Axial hex coordinates within distance num_rings of the origin.
    coords = [
        (q, r)
        for q in range(-num_rings, num_rings + 1)
        for r in range(max(-num_rings, -q - num_rings), min(num_rings, -q + num_rings) + 1)
    ]
    coords.sort(key=lambda qr: (max(abs(qr[0]), abs(qr[1]), abs(qr[0] + qr[1])), qr))
    qr = np.array(coords, dtype=float)
    x = isd_m * (qr[:, 0] + qr[:, 1] / 2.0)
    y = isd_m * (np.sqrt(3.0) / 2.0) * qr[:, 1]
    return np.stack([x, y], axis=1)


def sector_azimuths_deg(sectors_per_site: int) -> np.ndarray:
    """Boresight azimuths of the sectors of one site, 30 deg first (3GPP convention for 3 sectors)."""
    return (30.0 + 360.0 / sectors_per_site * np.arange(sectors_per_site)) % 360.0


def drop_ues(cfg: NetworkConfig, sites: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Drop `cfg.num_ues` UEs: hotspot fractions as Gaussian clusters, the rest uniform per site hexagon.

    Returns positions of shape (num_ues, 2) in metres, each at least the TR 38.901 minimum
    2D distance from its nearest site.
    """
    counts = [int(round(h.ue_fraction * cfg.num_ues)) for h in cfg.hotspots]
    n_uniform = cfg.num_ues - sum(counts)
    parts = [uniform_in_hexagons(n_uniform, sites, cfg.isd_m, rng)]
    for hotspot, n in zip(cfg.hotspots, counts):
        parts.append(np.array([hotspot.x_m, hotspot.y_m]) + rng.normal(0.0, hotspot.radius_m, (n, 2)))
    positions = np.concatenate(parts)[: cfg.num_ues]
    return keep_min_distance(positions, sites, min_distance_m(cfg))


def uniform_in_hexagons(n: int, sites: np.ndarray, isd_m: float, rng: np.random.Generator) -> np.ndarray:
    """Points uniform over the union of the sites' hexagonal cells (rejection sampling)."""
    radius = isd_m / np.sqrt(3.0)
    out = np.empty((0, 2))
    while len(out) < n:
        m = 2 * (n - len(out)) + 8
        site = rng.integers(0, len(sites), m)
        offset = rng.uniform(-radius, radius, (m, 2))
        inside = in_hexagon(offset, radius)
        out = np.concatenate([out, sites[site[inside]] + offset[inside]])
    return out[:n]


def in_hexagon(offset: np.ndarray, radius: float) -> np.ndarray:
    """Whether offsets (n, 2) lie in a pointy-top hexagon of circumradius `radius`."""
    x, y = np.abs(offset[:, 0]), np.abs(offset[:, 1])
    half_width = radius * np.sqrt(3.0) / 2.0
    return (x <= half_width) & (y <= radius - x / np.sqrt(3.0))


def min_distance_m(cfg: NetworkConfig) -> float:
    """TR 38.901 Table 7.2-1 minimum BS-UT 2D distance: 35 m UMa, 10 m UMi."""
    return 35.0 if cfg.scenario.value == "UMa" else 10.0


def keep_min_distance(positions: np.ndarray, sites: np.ndarray, d_min: float) -> np.ndarray:
    """Push UEs that are closer than d_min to a site radially out to d_min."""
    delta = positions[:, None, :] - sites[None, :, :]
    dist = np.linalg.norm(delta, axis=2)
    nearest = dist.argmin(axis=1)
    d = dist[np.arange(len(positions)), nearest]
    close = d < d_min
    if close.any():
        direction = delta[np.arange(len(positions)), nearest][close]
        norm = np.maximum(d[close], 1e-9)[:, None]
        direction = np.where(norm > 1e-6, direction / norm, np.array([1.0, 0.0]))
        positions = positions.copy()
        positions[close] = sites[nearest[close]] + direction * d_min
    return positions


def sector_gain_db(
    azimuth_off_deg: np.ndarray,
    elevation_down_deg: np.ndarray,
    tilt_deg: np.ndarray,
    cfg: NetworkConfig,
) -> np.ndarray:
    """3GPP 3D sector antenna gain (TR 36.814 Table A.2.1.1-2 form, as in TR 38.901 Table 7.3-1).

    azimuth_off_deg: angle from boresight in [-180, 180]; elevation_down_deg: angle below the
    horizon seen from the antenna; tilt_deg: electrical downtilt per cell. Broadcasts.
    """
    a_h = -np.minimum(12.0 * (azimuth_off_deg / cfg.h_beamwidth_deg) ** 2, cfg.front_back_db)
    a_v = -np.minimum(12.0 * ((elevation_down_deg - tilt_deg) / cfg.v_beamwidth_deg) ** 2, cfg.side_lobe_v_db)
    return cfg.antenna_gain_dbi - np.minimum(-(a_h + a_v), cfg.front_back_db)
