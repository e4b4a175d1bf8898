"""CSI sequences for training and evaluation: 3GPP TR 38.901 TDL/CDL channels with Doppler
(Sionna 2.x, PyTorch) and Clarke/Jakes channels with a known autocorrelation.

A sequence is the narrowband channel of each transmit antenna at one subcarrier, sampled once
per 0.5 ms slot: h[a, t] = sum_p alpha_p[a, t] exp(-j 2 pi f tau_p), f drawn per sequence in
the 100 MHz band. Histories carry CSI estimation noise at `snr_db`; targets are noiseless.
"""

from __future__ import annotations

import numpy as np
import torch

SLOT_S = 0.5e-3
CARRIER_HZ = 3.5e9
HISTORY, HORIZON = 16, 4
SPEED_OF_LIGHT = 299_792_458.0


def doppler_hz(speed_kmh: float | np.ndarray) -> float | np.ndarray:
    return np.asarray(speed_kmh) / 3.6 * CARRIER_HZ / SPEED_OF_LIGHT


def tdl_sequences(model: str, n: int, speed_kmh: tuple[float, float], antennas: int = 4, seed: int = 0,
                  delay_spread_s: float = 100e-9) -> np.ndarray:
    """(n * antennas, HISTORY + HORIZON) complex sequences from Sionna's TDL model."""
    from sionna.phy import config
    from sionna.phy.channel.tr38901 import TDL

    config.seed = seed
    tdl = TDL(model, delay_spread=delay_spread_s, carrier_frequency=CARRIER_HZ, min_speed=speed_kmh[0] / 3.6,
              max_speed=speed_kmh[1] / 3.6, num_tx_ant=antennas)
    a, tau = tdl(batch_size=n, num_time_steps=HISTORY + HORIZON, sampling_frequency=1.0 / SLOT_S)
    return _narrowband(a[:, 0, 0, 0], tau[:, 0, 0], seed)


def cdl_sequences(model: str, n: int, speed_kmh: float, seed: int = 0, delay_spread_s: float = 100e-9) -> np.ndarray:
    """Sequences from Sionna's CDL model with a 4-element ULA at the base station."""
    from sionna.phy import config
    from sionna.phy.channel.tr38901 import CDL, AntennaArray

    config.seed = seed
    bs = AntennaArray(num_rows=1, num_cols=4, polarization="single", polarization_type="V",
                      antenna_pattern="38.901", carrier_frequency=CARRIER_HZ)
    ut = AntennaArray(num_rows=1, num_cols=1, polarization="single", polarization_type="V",
                      antenna_pattern="omni", carrier_frequency=CARRIER_HZ)
    cdl = CDL(model, delay_spread_s, CARRIER_HZ, ut_array=ut, bs_array=bs, direction="downlink",
              min_speed=speed_kmh / 3.6, max_speed=speed_kmh / 3.6)
    a, tau = cdl(batch_size=n, num_time_steps=HISTORY + HORIZON, sampling_frequency=1.0 / SLOT_S)
    return _narrowband(a[:, 0, 0, 0], tau[:, 0, 0], seed)


def _narrowband(a: torch.Tensor, tau: torch.Tensor, seed: int) -> np.ndarray:
    """a (n, antennas, paths, time), tau (n, paths) -> (n * antennas, time) at a random subcarrier."""
    rng = np.random.default_rng(seed)
    f = torch.as_tensor(rng.uniform(-50e6, 50e6, (a.shape[0], 1)), dtype=torch.float32)
    phase = torch.exp(-2j * np.pi * f * tau.to(torch.float32)).to(a.dtype)  # (n, paths)
    h = torch.einsum("naps,np->nas", a, phase)
    return h.reshape(-1, h.shape[-1]).numpy().astype(np.complex64)


def jakes_sequences(n: int, speed_kmh: float, seed: int = 0, sinusoids: int = 64) -> np.ndarray:
    """Clarke/Jakes Rayleigh fading (unit power) by sums of sinusoids with uniformly random
    arrival angles: autocorrelation J0(2 pi f_d tau), the reference for the Wiener limit."""
    rng = np.random.default_rng(seed)
    t = np.arange(HISTORY + HORIZON) * SLOT_S
    theta = rng.uniform(0, 2 * np.pi, (n, sinusoids, 1))
    phi = rng.uniform(0, 2 * np.pi, (n, sinusoids, 1))
    h = np.exp(1j * (2 * np.pi * doppler_hz(speed_kmh) * np.cos(theta) * t + phi)).sum(axis=1) / np.sqrt(sinusoids)
    return h.astype(np.complex64)


def add_noise(h: np.ndarray, snr_db: float | np.ndarray, seed: int = 0) -> np.ndarray:
    """Histories as estimated: complex Gaussian noise at snr_db (scalar or one per sequence)
    relative to each sequence's power."""
    rng = np.random.default_rng(seed)
    power = np.mean(np.abs(h) ** 2, axis=-1, keepdims=True)
    snr = np.broadcast_to(np.asarray(snr_db, dtype=float), h.shape[:-1])[..., None]
    noise = (rng.standard_normal(h.shape) + 1j * rng.standard_normal(h.shape)) / np.sqrt(2)
    return (h + noise * np.sqrt(power / 10 ** (snr / 10))).astype(np.complex64)
