"""WMMSE power control for the SISO interference channel (Shi, Razaviyayn, Luo, He, 2011), batched.

Shapes: G (B, K, K) with G[b, k, j] the power gain from transmitter j to receiver k; pmax and
noise (B, K); weights (B, K). Each iteration is two batched matrix-vector products, O(B K^2); random restarts run as
extra batch rows and the best sum-rate per instance is kept.

Example:
    >>> G = np.random.default_rng(0).exponential(size=(4, 10, 10))
    >>> p, _ = wmmse(G, np.ones((4, 10)), np.ones((4, 10)))
    >>> p.shape
    (4, 10)
"""

from __future__ import annotations

import numpy as np


def sinr(G: np.ndarray, p: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """SINR per link, (B, K)."""
    received = G * p[:, None, :]
    signal = np.diagonal(received, axis1=1, axis2=2)
    return signal / (received.sum(axis=2) - signal + noise)


def rates(G: np.ndarray, p: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Spectral efficiency log2(1 + SINR) per link, (B, K)."""
    return np.log2(1.0 + sinr(G, p, noise))


def wmmse(
    G: np.ndarray,
    pmax: np.ndarray,
    noise: np.ndarray,
    weights: np.ndarray | None = None,
    iterations: int = 100,
    restarts: int = 0,
    tol: float = 1e-6,
    seed: int = 0,
    proportional_fair: bool = False,
) -> tuple[np.ndarray, int]:
    """Powers (B, K) maximizing the weighted sum-rate; returns (powers, iterations run).

    With proportional_fair the weights are set to 1 / rate every iteration, which ascends
    sum log(rate) (the weighted-sum-rate view of the PF utility's gradient)."""
    batch, k = pmax.shape
    weights = np.ones((batch, k)) if weights is None else weights
    copies = restarts + 1
    rep = lambda a: np.repeat(a, copies, axis=0)  # noqa: E731
    Gr, pm, nz, al = rep(G), rep(pmax), rep(noise), rep(weights)
    scale = np.ones((batch * copies, k))
    if restarts:
        rng = np.random.default_rng(seed)
        scale = scale.reshape(batch, copies, k)
        scale[:, 1:, :] = rng.uniform(0.0, 1.0, (batch, restarts, k))
        scale = scale.reshape(batch * copies, k)
    v = np.sqrt(pm) * scale
    h = np.sqrt(np.diagonal(Gr, axis1=1, axis2=2))
    vmax = np.sqrt(pm)
    done = 0
    for done in range(1, iterations + 1):
        total = (Gr @ (v**2)[:, :, None])[:, :, 0] + nz
        u = h * v / total
        w = 1.0 / np.maximum(1.0 - u * h * v, 1e-12)
        if proportional_fair:
            al = 1.0 / np.maximum(np.log2(1.0 + (h * v) ** 2 / (total - (h * v) ** 2)), 1e-9)
        denom = ((al * w * u**2)[:, None, :] @ Gr)[:, 0, :]  # sum_j G[j, k] a_j w_j u_j^2
        v_new = np.clip(al * w * u * h / np.maximum(denom, 1e-30), 0.0, vmax)
        change = np.abs(v_new - v).max()
        v = v_new
        if change < tol:
            break
    if proportional_fair:  # full power is a candidate too: PF-WMMSE ascends to local optima
        v = np.concatenate([v.reshape(batch, copies, k), np.sqrt(pmax)[:, None, :]], axis=1).reshape(-1, k)
        Gr, nz, copies = np.repeat(G, copies + 1, axis=0), np.repeat(noise, copies + 1, axis=0), copies + 1
    p = (v**2).reshape(batch, copies, k)
    r = rates(Gr, v**2, nz).reshape(batch, copies, k)
    objective = np.log(np.maximum(r, 1e-12)).sum(axis=2) if proportional_fair else (weights[:, None, :] * r).sum(axis=2)
    best = objective.argmax(axis=1)
    return p[np.arange(batch), best], done

