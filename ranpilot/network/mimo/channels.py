"""Per-UE small-scale MISO channels following TR 38.901 CDL, spatially and temporally consistent.

At drop time each UE draws its rays from the CDL-C (NLoS) and CDL-D (LoS) cluster tables that
Sionna ships (`sionna.phy.channel.tr38901.models`): clusters chosen in proportion to their power,
each ray's AoD/ZoD/AoA/ZoA offset taken independently from the 20 offsets of TR 38.901 Table 7.5-3
(the random coupling of step 8), departure angles translated to the link's LoS direction and
scaled to the scenario's median ASD/ZSD (TR 38.901 7.7.5.1, Table 7.5-6). Every UE-site link
draws its own initial ray phases, so the channels to two sites are independent.

The channel at time t is then a pure function of the state: rays leave the site at the geometric
direction of the UE plus their offset (so beams follow a moving UE), and each ray's phase turns at
its Doppler frequency v . r_p / lambda (Clarke's model for the ray set). Power is normalised to
E|h_m|^2 = 1 per port: a beam's array gain is on top of the sector pattern of `geometry.py`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from ranpilot.network.config import NetworkConfig

SPEED_OF_LIGHT = 299_792_458.0
#: Median azimuth / zenith spread of departure, degrees, (NLoS, LoS) per scenario (TR 38.901
#: Table 7.5-6 at 3.5 GHz; ZSD at about 200 m from the site).
ASD_DEG = {"UMa": (27.4, 13.2), "UMi": (24.0, 15.0)}
ZSD_DEG = {"UMa": (3.0, 2.1), "UMi": (3.5, 2.5)}
#: The 20 intra-cluster ray offsets of TR 38.901 Table 7.5-3 (times the cluster spread).
RAY_OFFSETS = np.array([0.0447, 0.1413, 0.2492, 0.3715, 0.5129, 0.6797, 0.8844, 1.1481, 1.5195, 2.1551])
RAY_OFFSETS = np.concatenate([RAY_OFFSETS, -RAY_OFFSETS])


@dataclass(frozen=True)
class RayDraw:
    """Rays of every UE, index [0] NLoS (CDL-C), [1] LoS (CDL-D), drawn once per network seed.

    Angles in radians: departure offsets from the LoS direction, arrival relative to the UE's
    direction towards the site. `phase0` (N, S, P) is per UE-site link."""

    aod: np.ndarray  # (2, N, P)
    zod: np.ndarray  # (2, N, P)
    aoa: np.ndarray  # (2, N, P)
    zoa: np.ndarray  # (2, N, P)
    power: np.ndarray  # (2, P) sums to 1 per model
    phase0: np.ndarray  # (N, S, P)


def _cdl_table(model: str) -> dict:
    from sionna.phy.channel.tr38901 import models

    return models.load_json(models.parameter_file(f"CDL-{model}.json"))


def _draw_model(model: str, desired_asd: float, desired_zsd: float, n: int, rays: int, rng: np.random.Generator):
    """(aod, zod, aoa, zoa) (n, rays) and power (rays,) of one CDL model."""
    t = _cdl_table(model)
    powers = 10.0 ** (np.asarray(t["powers"]) / 10.0)
    angles = {k: np.asarray(t[k], dtype=float) for k in ("aod", "zod", "aoa", "zoa")}
    los_share = 0.0
    if t["los"]:  # the first entry is the specular LoS ray
        los_share = powers[0] / powers.sum()
        powers, angles = powers[1:], {k: v[1:] for k, v in angles.items()}
    weights = powers / powers.sum()
    spread = {"aod": t["cASD"], "zod": t["cZSD"], "aoa": t["cASA"], "zoa": t["cZSA"]}
    scattered = rays - 1 if los_share else rays
    cluster = rng.choice(len(weights), size=(n, scattered), p=weights)
    out = {}
    for key, values in angles.items():
        table = values[:, None] + spread[key] * RAY_OFFSETS[None, :]  # (clusters, 20)
        mean = np.sum(weights[:, None] * table) / 20.0
        deg = table[cluster, rng.integers(0, 20, size=cluster.shape)] - mean
        if key in ("aod", "zod"):
            model_spread = np.sqrt(np.sum(weights[:, None] * (table - mean) ** 2) / 20.0)
            deg = deg * (desired_asd if key == "aod" else desired_zsd) / model_spread
        if key == "zoa":
            deg = deg + 90.0  # arrival zenith around the horizon
        out[key] = np.radians(deg)
    power = np.full(scattered, (1.0 - los_share) / scattered)
    if los_share:
        out = {k: np.concatenate([np.full((n, 1), np.pi / 2 if k == "zoa" else 0.0), v], axis=1) for k, v in out.items()}
        power = np.concatenate([[los_share], power])
    return out["aod"], out["zod"], out["aoa"], out["zoa"], power


@lru_cache(maxsize=8)
def draw_rays(cfg: NetworkConfig, seed: int) -> RayDraw | None:
    """The rays of a network (None for one-port cells), from a stream of their own: the network's
    random stream, and so every one-port result, is untouched."""
    if cfg.antenna.ports == 1:
        return None
    rng = np.random.default_rng([seed, 0x4D494D4F])
    rays, n = cfg.antenna.rays_per_link, cfg.num_ues
    scenario = cfg.scenario.value
    nlos = _draw_model("C", ASD_DEG[scenario][0], ZSD_DEG[scenario][0], n, rays, rng)
    los = _draw_model("D", ASD_DEG[scenario][1], ZSD_DEG[scenario][1], n, rays, rng)
    stacked = [np.stack([a, b]) for a, b in zip(nlos, los)]
    phase0 = rng.uniform(0.0, 2.0 * np.pi, (n, cfg.num_sites, rays))
    draw = RayDraw(*stacked[:4], power=stacked[4], phase0=phase0)
    for array in (draw.aod, draw.zod, draw.aoa, draw.zoa, draw.power, draw.phase0):
        array.setflags(write=False)
    return draw


def _ula(direction: np.ndarray, size: int) -> np.ndarray:
    """(..., size) complex64 response exp(j pi n direction) of a half-wavelength ULA."""
    phase = (np.pi * direction)[..., None].astype(np.float32) * np.arange(size, dtype=np.float32)
    return np.cos(phase) + 1j * np.sin(phase)


@dataclass(frozen=True)
class Links:
    """The serving link of each UE, as the channel needs it (angles in radians)."""

    az_off: np.ndarray  # (N,) azimuth of the UE from its cell's boresight
    zenith: np.ndarray  # (N,) zenith angle of the UE seen from its site
    to_site_az: np.ndarray  # (N,) global azimuth from the UE towards its site
    site: np.ndarray  # (N,)
    los: np.ndarray  # (N,) bool
    velocity: np.ndarray  # (N, 2) m/s


def ray_responses(draw: RayDraw, links: Links, cfg: NetworkConfig) -> tuple[np.ndarray, np.ndarray]:
    """(N, P, cols) and (N, P, rows): the response of the panel's column and row ULAs to each ray
    leaving towards each UE. The panel's response is exp(j pi (col sin(theta) sin(phi) + row
    cos(theta))), the product of the two at half-wavelength spacing."""
    ue = np.arange(len(links.site))
    model = links.los.astype(int)
    phi = links.az_off[:, None] + draw.aod[model, ue]
    theta = links.zenith[:, None] + draw.zod[model, ue]
    rows, cols = cfg.antenna.panel_rows, cfg.antenna.panel_cols
    return _ula(np.sin(theta) * np.sin(phi), cols), _ula(np.cos(theta), rows)


def channels(draw: RayDraw, links: Links, times_s: np.ndarray, cfg: NetworkConfig) -> np.ndarray:
    """(N, T, M) complex64 channel of each UE's serving link at each time (row vectors: the UE
    receives h @ w): the rays' panel responses (`ray_responses`), each turned by its phase."""
    ue = np.arange(len(links.site))
    model = links.los.astype(int)
    rows, cols = cfg.antenna.panel_rows, cfg.antenna.panel_cols
    horizontal, vertical = ray_responses(draw, links, cfg)  # (N, P, cols|rows)
    arrival = links.to_site_az[:, None] + draw.aoa[model, ue]
    wavelength = SPEED_OF_LIGHT / (cfg.carrier_ghz * 1e9)
    v = links.velocity
    doppler = (v[:, :1] * np.cos(arrival) + v[:, 1:] * np.sin(arrival)) * np.sin(draw.zoa[model, ue]) / wavelength
    rotation = draw.phase0[ue, links.site][:, :, None] + 2.0 * np.pi * doppler[:, :, None] * times_s[None, None, :]
    amplitude = np.sqrt(draw.power[model])[:, :, None]
    coeff = (amplitude * np.exp(1j * rotation)).astype(np.complex64)  # (N, P, T)
    # h[t] as a cols x rows matrix is horizontal^T diag(coeff[:, t]) vertical; flattened row by row
    # it is the port order col * rows + row.
    n, _, t = coeff.shape
    weighted = horizontal.transpose(0, 2, 1)[:, None, :, :] * coeff.transpose(0, 2, 1)[:, :, None, :]  # (N, T, cols, P)
    return (weighted.reshape(n, t * cols, -1) @ vertical).reshape(n, t, cols * rows)
