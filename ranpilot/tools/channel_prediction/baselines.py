"""Reference predictors, vectorized over sequences. history (N, L) complex -> (N, H) complex."""

from __future__ import annotations

import numpy as np
from scipy.special import j0

from ranpilot.tools.channel_prediction.data import SLOT_S


def repeat_last(history: np.ndarray, horizon: int) -> np.ndarray:
    """No prediction: the last estimate stands for the next `horizon` slots."""
    return np.repeat(history[:, -1:], horizon, axis=1)


def ar_least_squares(history: np.ndarray, horizon: int, order: int = 4, ridge: float = 1e-3) -> np.ndarray:
    """AR(order) fitted to each sequence's own history by (ridge-regularized) least squares,
    then run forward recursively."""
    n, length = history.shape
    rows = length - order
    X = np.stack([history[:, i : i + rows] for i in range(order)], axis=2)  # (n, rows, order)
    y = history[:, order:]
    XhX = np.einsum("nri,nrj->nij", X.conj(), X) + ridge * np.eye(order) * np.mean(np.abs(history) ** 2, axis=1)[:, None, None]
    Xhy = np.einsum("nri,nr->ni", X.conj(), y)
    coef = np.linalg.solve(XhX, Xhy[..., None])[..., 0]  # (n, order), oldest lag first
    window = history[:, -order:].copy()
    out = np.empty((n, horizon), dtype=history.dtype)
    for step in range(horizon):
        nxt = np.einsum("ni,ni->n", window, coef)
        out[:, step] = nxt
        window = np.concatenate([window[:, 1:], nxt[:, None]], axis=1)
    return out


def wiener(history: np.ndarray, horizon: int, doppler_hz: float, snr_db: float) -> np.ndarray:
    """MMSE linear predictor for Clarke/Jakes fading with known Doppler and noise: the limit
    any predictor can reach on those channels. Autocorrelation J0(2 pi f_d k T)."""
    length = history.shape[1]
    lags = np.arange(length)
    r = lambda k: j0(2 * np.pi * doppler_hz * np.asarray(k) * SLOT_S)  # noqa: E731
    R = r(np.abs(lags[:, None] - lags[None, :])) + 10 ** (-snr_db / 10) * np.eye(length)
    cross = np.stack([r(length - 1 - lags + step + 1) for step in range(horizon)], axis=1)  # (L, H)
    weights = np.linalg.solve(R, cross)
    return history @ weights
