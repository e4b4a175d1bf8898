"""Max-min SINR power control as a geometric program, solved in its log-convex form (CVXPY, DPP).

GP:  maximize t  s.t.  t (sum_{j != k} G[k, j] p_j + noise_k) / (G[k, k] p_k) <= 1,  p <= pmax.
With x = log p and tau = log t each constraint becomes log-sum-exp(affine) <= 0, which is
exactly what CVXPY's `gp=True` does internally. Written out and vectorized, the K = 50 problem
compiles once (~0.1 s) and re-solves with new gains through parameters; CVXPY's DGP path
re-canonicalizes K^2 monomials and took ~23 s per solve at K = 50 on this machine.

Some K = 50 instances stall Clarabel's interior point (insufficient progress) because the optimal
powers span many decades. For those the exact closed form of the same problem is used
(Perron-Frobenius, Tan, Chiang, Srikant 2011): it is the optimum, not an approximation, and costs
K eigendecompositions; SCS, the generic fallback, took 40-70 s on them.
"""

from __future__ import annotations

from functools import lru_cache

import cvxpy as cp
import numpy as np

from ranpilot.tools.base import solve

ABSENT = -200.0  # log of an absent interference path (exp(-200) ~ 0)
# Clarabel's 1e-8 defaults end "inaccurate" on instances where the optimum is already right to 1e-5 dB.
CLARABEL_SETTINGS = {"tol_gap_abs": 1e-7, "tol_gap_rel": 1e-7, "tol_feas": 1e-7}


class MaxMinProblem:
    def __init__(self, k: int):
        self.k = k
        self.x = cp.Variable(k)  # log powers
        self.tau = cp.Variable()  # log of the common SINR
        self.log_ratio = cp.Parameter((k, k))  # log(G[k, j] / G[k, k]) off-diagonal, ABSENT on it
        self.log_noise = cp.Parameter(k)  # log(noise_k / G[k, k])
        self.log_pmax = cp.Parameter(k)
        ones = np.ones(k)
        terms = self.log_ratio + cp.outer(ones, self.x) - cp.outer(self.x, ones) + self.tau
        noise = cp.reshape(self.log_noise - self.x + self.tau, (k, 1), order="C")
        self.sinr_constraint = cp.log_sum_exp(cp.hstack([terms, noise]), axis=1) <= 0
        self.power_constraint = self.x <= self.log_pmax
        self.problem = cp.Problem(cp.Maximize(self.tau), [self.sinr_constraint, self.power_constraint])
        assert self.problem.is_dcp(dpp=True)

    def solve(self, G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> tuple[str, float, np.ndarray]:
        """(reason, ms of the conic solve, optimal powers). The reason is empty when the GP solved it;
        otherwise it says why the closed form answered (`method` is then "perron_frobenius")."""
        direct = np.diag(G)
        off = G.copy()
        np.fill_diagonal(off, 0.0)
        with np.errstate(divide="ignore"):
            ratio = np.where(off > 0, np.log(off) - np.log(direct)[:, None], ABSENT)
        self.log_ratio.value = ratio
        self.log_noise.value = np.log(noise) - np.log(direct)
        self.log_pmax.value = np.log(pmax)
        status, reason, ms = solve(self.problem, solver=cp.CLARABEL, **CLARABEL_SETTINGS)
        if status == "optimal":
            self.method, self._binding = "gp", np.asarray(self.power_constraint.dual_value, dtype=float)
            return "", ms, np.asarray(np.exp(self.x.value), dtype=float)
        _, p, self._binding = perron_frobenius_solution(G, pmax, noise)
        self.method = "perron_frobenius"
        return f"closed form (Perron-Frobenius); the conic solver stopped: {reason}", ms, p

    def power_binding(self) -> np.ndarray:
        """d log(max-min SINR) / d log(pmax_k): which links' power limits hold the optimum back."""
        return self._binding


@lru_cache(maxsize=16)
def max_min_problem(k: int) -> MaxMinProblem:
    return MaxMinProblem(k)


def perron_frobenius_max_min(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> float:
    """Closed-form optimal max-min SINR with per-link power limits (Tan, Chiang, Srikant 2011):
    1 / max_k rho(D (F + noise e_k^T / pmax_k)), D = diag(1 / G_kk), F = off-diagonal gains."""
    return 1.0 / max(_spectral_radii(G, pmax, noise))


def perron_frobenius_solution(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> tuple[float, np.ndarray, np.ndarray]:
    """(max-min SINR, powers, d log SINR / d log pmax) in closed form. The link k* whose matrix has
    the largest spectral radius binds: powers are that matrix's Perron vector scaled to p_k* = pmax_k*."""
    radii = _spectral_radii(G, pmax, noise)
    k = int(np.argmax(radii))
    values, vectors = np.linalg.eig(_matrix(G, pmax, noise, k))
    p = np.abs(np.real(vectors[:, np.argmax(np.real(values))]))
    p = p * pmax[k] / p[k]
    step = 1e-6  # one-sided sensitivity of log SINR* to log pmax_k*
    raised = pmax.copy()
    raised[k] *= np.exp(step)
    binding = np.zeros(len(pmax))
    binding[k] = (np.log(max(radii)) - np.log(max(_spectral_radii(G, raised, noise)))) / step
    return 1.0 / radii[k], p, binding


def _matrix(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray, k: int) -> np.ndarray:
    e = np.zeros(len(pmax))
    e[k] = 1.0
    return np.diag(1.0 / np.diag(G)) @ (G - np.diag(np.diag(G)) + np.outer(noise, e) / pmax[k])


def _spectral_radii(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> list[float]:
    return [max(abs(np.linalg.eigvals(_matrix(G, pmax, noise, k)))) for k in range(len(pmax))]
