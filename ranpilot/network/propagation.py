"""TR 38.901 (V17/V18) UMa and UMi-Street Canyon path loss and LoS probability, vectorized.

Implements Table 7.4.1-1 (path loss, with the breakpoint distance of note 1 and an
effective environment height h_E = 1 m) and Table 7.4.2-1 (LoS probability). Distances in
metres, carrier frequency in GHz, results in dB. Validity: d2D >= 10 m, d2D <= 5 km.
"""

from __future__ import annotations

import numpy as np

SPEED_OF_LIGHT = 299_792_458.0
H_E = 1.0

#: Shadow-fading standard deviations in dB, (LoS, NLoS), from Table 7.4.1-1.
SHADOW_STD_DB = {"UMa": (4.0, 6.0), "UMi": (4.0, 7.82)}


def breakpoint_m(h_bs: float, h_ut: float, fc_ghz: float) -> float:
    """Breakpoint distance d'_BP = 4 h'_BS h'_UT f_c / c (note 1 of Table 7.4.1-1)."""
    return 4.0 * (h_bs - H_E) * (h_ut - H_E) * fc_ghz * 1e9 / SPEED_OF_LIGHT


def pathloss_los(d2d: np.ndarray, h_bs: float, h_ut: float, fc_ghz: float, scenario: str) -> np.ndarray:
    """LoS path loss in dB for UMa or UMi."""
    d3d = np.sqrt(d2d**2 + (h_bs - h_ut) ** 2)
    d_bp = breakpoint_m(h_bs, h_ut, fc_ghz)
    if scenario == "UMa":
        pl1 = 28.0 + 22.0 * np.log10(d3d) + 20.0 * np.log10(fc_ghz)
        pl2 = 28.0 + 40.0 * np.log10(d3d) + 20.0 * np.log10(fc_ghz) - 9.0 * np.log10(d_bp**2 + (h_bs - h_ut) ** 2)
    else:
        pl1 = 32.4 + 21.0 * np.log10(d3d) + 20.0 * np.log10(fc_ghz)
        pl2 = 32.4 + 40.0 * np.log10(d3d) + 20.0 * np.log10(fc_ghz) - 9.5 * np.log10(d_bp**2 + (h_bs - h_ut) ** 2)
    return np.where(d2d <= d_bp, pl1, pl2)


def pathloss_nlos(d2d: np.ndarray, h_bs: float, h_ut: float, fc_ghz: float, scenario: str) -> np.ndarray:
    """NLoS path loss in dB: max(PL_LoS, PL'_NLoS)."""
    d3d = np.sqrt(d2d**2 + (h_bs - h_ut) ** 2)
    if scenario == "UMa":
        pl_prime = 13.54 + 39.08 * np.log10(d3d) + 20.0 * np.log10(fc_ghz) - 0.6 * (h_ut - 1.5)
    else:
        pl_prime = 22.4 + 35.3 * np.log10(d3d) + 21.3 * np.log10(fc_ghz) - 0.3 * (h_ut - 1.5)
    return np.maximum(pathloss_los(d2d, h_bs, h_ut, fc_ghz, scenario), pl_prime)


def los_probability(d2d: np.ndarray, h_ut: float, scenario: str) -> np.ndarray:
    """Outdoor LoS probability from Table 7.4.2-1."""
    d = np.maximum(d2d, 1e-9)
    if scenario == "UMa":
        c_prime = 0.0 if h_ut <= 13.0 else ((h_ut - 13.0) / 10.0) ** 1.5
        p = (18.0 / d + np.exp(-d / 63.0) * (1.0 - 18.0 / d)) * (
            1.0 + c_prime * 1.25 * (d / 100.0) ** 3 * np.exp(-d / 150.0)
        )
    else:
        p = 18.0 / d + np.exp(-d / 36.0) * (1.0 - 18.0 / d)
    return np.where(d2d <= 18.0, 1.0, np.minimum(p, 1.0))


def pathloss(
    d2d: np.ndarray,
    is_los: np.ndarray,
    h_bs: float,
    h_ut: float,
    fc_ghz: float,
    scenario: str,
) -> np.ndarray:
    """Path loss in dB per link, LoS or NLoS as given by the boolean array `is_los`."""
    d2d = np.maximum(d2d, 10.0)
    return np.where(
        is_los,
        pathloss_los(d2d, h_bs, h_ut, fc_ghz, scenario),
        pathloss_nlos(d2d, h_bs, h_ut, fc_ghz, scenario),
    )
