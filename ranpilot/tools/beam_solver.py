"""beam_solver: downlink multi-user beamforming for a K-user, M-antenna MISO channel H (K x M).

- min_power_sinr: minimum total power s.t. SINR_k >= gamma_k, the SOCP of Bengtsson and
  Ottersten (h_k^H w_k made real): ||[h_k^H W, sigma]|| <= sqrt(1 + 1/gamma_k) Re(h_k^H w_k).
  Built once per (K, M) with parameters (DPP). An infeasible target set is re-solved with
  per-user slacks to name the users that cannot be served.
- max_min_sinr: bisection on the common target of that SOCP against the power budget.
- sum_rate: WMMSE for the MISO downlink (Christensen et al. 2008; Shi et al. 2011).
- zf / rzf / mrt: closed forms scaled to the power budget.
- codebook: 3GPP TS 38.214 Type-I single-panel DFT beams (`ranpilot.tools.codebook`: N1, N2,
  O1, O2, one polarization or two with co-phasing), the beam that maximizes |h^H w| per user.
Precoder W is M x K, column k for user k, in JSON as {"re", "im"}.
"""

from __future__ import annotations

import time
from functools import lru_cache
from typing import Literal

import cvxpy as cp
import numpy as np
from pydantic import Field, model_validator

from ranpilot.tools.base import ComplexArray, ToolInput, ToolOutput, per_item, solve
from ranpilot.tools.codebook import codebook_beams, type1_codebook


class BeamInput(ToolInput):
    channel: ComplexArray = Field(description="H, K users x M antennas.")
    objective: Literal["min_power_sinr", "max_min_sinr", "sum_rate", "zf", "rzf", "mrt", "codebook"]
    sinr_target_db: float | list[float] | None = None
    power_budget_w: float | None = Field(default=None, gt=0)
    noise_w: float = Field(default=1.0, gt=0)
    n1: int = Field(default=4, ge=1)
    n2: int = Field(default=1, ge=1)
    o1: int = Field(default=4, ge=1)
    o2: int = Field(default=1, ge=1)
    dual_polarized: bool = False

    @model_validator(mode="after")
    def _check(self) -> BeamInput:
        h = self.channel.to_numpy("channel")
        if h.ndim != 2 or 0 in h.shape:
            raise ValueError(f"channel: expected a non-empty K x M matrix, got shape {h.shape}")
        if self.objective == "min_power_sinr" and self.sinr_target_db is None:
            raise ValueError("sinr_target_db: required for min_power_sinr")
        if self.objective != "min_power_sinr" and self.objective != "codebook" and self.power_budget_w is None:
            raise ValueError(f"power_budget_w: required for {self.objective}")
        if self.sinr_target_db is not None:
            per_item(self.sinr_target_db, h.shape[0], "sinr_target_db", positive=False)
        ports = self.n1 * self.n2 * (2 if self.dual_polarized else 1)
        if self.objective == "codebook" and ports != h.shape[1]:
            raise ValueError(f"n1 x n2 x polarizations = {ports} must equal the {h.shape[1]} antennas of channel")
        return self


class BeamOutput(ToolOutput):
    precoder: ComplexArray | None = None
    sinr_db: list[float] = Field(default_factory=list)
    total_power_w: float = float("nan")
    failing_users: list[int] = Field(default_factory=list)
    beams: list[list[int]] = Field(default_factory=list, description="Codebook (l, m, phase) per user.")


def sinr(H: np.ndarray, W: np.ndarray, noise: float | np.ndarray) -> np.ndarray:
    """SINR per user; H (..., K, M) and W (..., M, K) may carry leading batch dimensions."""
    g = np.abs(H @ W) ** 2  # g[k, j] = |h_k^T w_j|^2: user k hears beam j
    signal = np.diagonal(g, axis1=-2, axis2=-1)
    return signal / (g.sum(axis=-1) - signal + noise)


class MinPowerProblem:
    """One SOCP per (K, M), written in real and imaginary parts (Clarabel reports the complex
    form 'inaccurate'); `slack` adds per-user slacks to find who cannot be served. Dropping
    Im(h_k^T w_k) = 0 loses nothing: a common phase per beam makes it real at the optimum."""

    def __init__(self, k: int, m: int, slack: bool, budgeted: bool = False):
        self.Wr, self.Wi = cp.Variable((m, k)), cp.Variable((m, k))
        self.Hr, self.Hi = cp.Parameter((k, m)), cp.Parameter((k, m))
        self.Hsr, self.Hsi = cp.Parameter((k, m)), cp.Parameter((k, m))  # rows scaled by sqrt(1 + 1/gamma_k)
        self.sigma = cp.Parameter((k, 1), nonneg=True)
        self.s = cp.Variable(k, nonneg=True) if slack else None
        received_re = self.Hr @ self.Wr - self.Hi @ self.Wi
        received_im = self.Hr @ self.Wi + self.Hi @ self.Wr
        rhs = cp.diag(self.Hsr @ self.Wr - self.Hsi @ self.Wi) + (self.s if slack else 0)
        lhs = cp.norm(cp.hstack([received_re, received_im, self.sigma]), 2, axis=1)
        power = cp.sum_squares(self.Wr) + cp.sum_squares(self.Wi)
        self.budget = cp.Parameter(nonneg=True) if budgeted else None
        objective = 1e3 * cp.sum(self.s) + power if slack else power
        constraints = [lhs <= rhs] + ([power <= self.budget] if budgeted else [])
        self.problem = cp.Problem(cp.Minimize(objective), constraints)
        assert self.problem.is_dcp(dpp=True)

    def solve(self, H: np.ndarray, gamma: np.ndarray, noise: float, budget: float | None = None) -> tuple[str, str]:
        scaled = H * np.sqrt(1.0 + 1.0 / gamma)[:, None]
        if self.budget is not None:
            self.budget.value = budget
        self.Hr.value, self.Hi.value = H.real, H.imag
        self.Hsr.value, self.Hsi.value = scaled.real, scaled.imag
        self.sigma.value = np.full((len(gamma), 1), np.sqrt(noise))
        status, reason, _ = solve(self.problem, solver=cp.CLARABEL, fallback=cp.SCS)
        return status, reason

    @property
    def W(self) -> np.ndarray:
        return self.Wr.value + 1j * self.Wi.value


@lru_cache(maxsize=16)
def min_power_problem(k: int, m: int, slack: bool = False, budgeted: bool = False) -> MinPowerProblem:
    return MinPowerProblem(k, m, slack, budgeted)


def min_power(H: np.ndarray, gamma: np.ndarray, noise: float, budget: float | None = None
              ) -> tuple[str, str, np.ndarray | None, list[int]]:
    k, m = H.shape
    load = gamma / (1.0 + gamma)
    if load.sum() >= m:  # necessary condition (uplink-downlink duality): sum gamma/(1+gamma) < M
        order = np.argsort(np.linalg.norm(H, axis=1))  # drop the weakest users first
        drop = int(np.argmax(load.sum() - np.cumsum(load[order]) < m)) + 1
        failing = sorted(int(i) for i in order[:drop])
        return ("infeasible", f"the SINR targets need sum gamma/(1+gamma) = {load.sum():.2f} spatial degrees of freedom, "
                f"the array has {m}; users {failing} cannot be served", None, failing)
    problem = min_power_problem(k, m, budgeted=budget is not None)
    status, reason = problem.solve(H, gamma, noise, budget)
    if status == "optimal":
        return status, reason, problem.W, []
    # Infeasible (or too ill-posed for the solvers): the slack version names the users who
    # cannot reach their targets; an answer is only 'infeasible' if some slack is needed.
    relaxed = min_power_problem(k, m, slack=True, budgeted=budget is not None)
    if relaxed.solve(H, gamma, noise, budget)[0] == "optimal":
        failing = [int(i) for i in np.flatnonzero(relaxed.s.value > 1e-6)]
        if failing:
            return "infeasible", f"SINR targets unreachable for users {failing}", None, failing
    return status, reason, None, []


def max_min(H: np.ndarray, power: float, noise: float, tol_db: float = 0.01) -> tuple[np.ndarray, float]:
    """Bisection on the common SINR target (dB) of the budgeted min-power SOCP, bracketed by
    ZF's worst user below and the weakest user's single-user MRT SNR above."""
    k, m = H.shape
    problem = min_power_problem(k, m, budgeted=True)
    best = zf(H, power)
    lo = float(10 * np.log10(max(sinr(H, best, noise).min(), 1e-6)))
    hi = float(10 * np.log10(power * np.min(np.sum(np.abs(H) ** 2, axis=1)) / noise))
    while hi - lo > tol_db:
        mid = (lo + hi) / 2
        status, _ = problem.solve(H, np.full(k, 10 ** (mid / 10)), noise, power)
        if status == "optimal":
            lo, best = mid, problem.W
        else:
            hi = mid
    return best, lo


#: Newton steps on the WMMSE beam update's power multiplier.
NEWTON_STEPS = 6


def wmmse_miso(H: np.ndarray, power: float, noise: float | np.ndarray, iterations: int = 200, tol: float = 1e-7,
               start: np.ndarray | None = None) -> np.ndarray:
    """Sum-rate WMMSE precoder for the MISO downlink (Christensen et al. 2008; Shi et al. 2011):
    full beams W (..., M, K), not per-link powers. H (..., K, M) may carry leading batch dimensions
    (`noise` then one value per batch entry, as `rzf`). Starts from `start` (scaled RZF if None);
    each iteration updates the MMSE receivers, their weights and the beams under the power budget,
    which cannot lower the sum rate (Shi et al., Thm. 3), then rescales the beams to the whole
    budget (more power only raises every SINR): ||W||_F^2 = power on return. Stops after
    `iterations` or when no batch entry's W moves by more than `tol` (relative).

    Every update is a combination of the users' channels, W = H^H X, so the iterations run on the
    K x K coefficients X and the Gram matrix H H^H (the start is projected onto that span, which
    keeps H W and spends no more power)."""
    nz = np.asarray(noise, dtype=float)[..., None]  # (..., 1): per batch entry, for every user
    gram = H @ _hermitian(H)
    W = rzf(H, power, noise) if start is None else start
    X = _coefficients_at_power(gram, np.linalg.pinv(gram) @ (H @ W), power)
    for _ in range(iterations):
        g = gram @ X  # g[k, j] = h_k^T w_j
        signal = np.diagonal(g, axis1=-2, axis2=-1)
        total = np.sum(np.abs(g) ** 2, axis=-1) + nz
        u = np.conj(signal) / total  # MMSE receivers
        weight = total / np.maximum(total - np.abs(signal) ** 2, 1e-300)  # 1 / MSE
        X_new = _coefficients_at_power(gram, _power_limited(gram, weight, u, power), power)
        moved = _beam_energy(gram, X_new - X) / np.maximum(_beam_energy(gram, X), 1.0)
        X = X_new
        if np.all(moved < tol**2):
            break
    return _hermitian(H) @ X


def _beam_energy(gram: np.ndarray, X: np.ndarray) -> np.ndarray:
    """||H^H X||_F^2 = Re tr(X^H H H^H X), per batch entry."""
    return np.real(np.sum(X.conj() * (gram @ X), axis=(-2, -1)))


def _coefficients_at_power(gram: np.ndarray, X: np.ndarray, power: float) -> np.ndarray:
    """X scaled so that its beams H^H X spend exactly `power`."""
    return X * np.sqrt(power / np.maximum(_beam_energy(gram, X), 1e-300))[..., None, None]


def _power_limited(gram: np.ndarray, weight: np.ndarray, u: np.ndarray, power: float) -> np.ndarray:
    """The WMMSE beam update W = (A + mu I)^-1 B, A = sum_k weight_k |u_k|^2 h_k^* h_k^T and column
    k of B = weight_k u_k^* h_k^*, with the smallest mu >= 0 that meets the power budget, as the
    coefficients X of W = H^H X, batched.

    With D = diag(sqrt(weight) |u|) and Hd = D H, A = Hd^H Hd and B = Hd^H Y for the diagonal
    Y = diag(sqrt(weight) u^* / |u|), so W = Hd^H Q (L + mu)^-1 Q^H Y (X = D Q (L + mu)^-1 Q^H Y)
    from the K x K eigendecomposition Hd Hd^H = D H H^H D = Q L Q^H, and ||W||_F^2 =
    sum_i L_i ||(Q^H Y)_i||^2 / (L_i + mu)^2 falls with mu. Its inverse square root is concave and
    nearly linear in mu (More and Sorensen 1983), so Newton's method on it from mu = 0 rises to
    the root without overshooting, quadratically."""
    scale = np.sqrt(weight) * np.abs(u)
    L, Q = np.linalg.eigh(scale[..., :, None] * gram * scale[..., None, :])
    L = np.where(L > 1e-12 * L[..., -1:], L, 0.0)  # null directions of A carry no beam
    Z = _hermitian(Q) * (np.sqrt(weight) * np.exp(-1j * np.angle(u)))[..., None, :]  # Q^H Y
    energy = L * np.sum(np.abs(Z) ** 2, axis=-1)  # L_i ||(Q^H Y)_i||^2, 0 where L_i = 0
    safe_L = np.where(L > 0, L, 1.0)
    mu = np.zeros(L.shape[:-1] + (1,))
    for _ in range(NEWTON_STEPS):
        spread = energy / (safe_L + mu) ** 2
        beam_power = np.maximum(np.sum(spread, axis=-1, keepdims=True), 1e-300)
        slope = np.sum(spread / (safe_L + mu), axis=-1, keepdims=True) / beam_power**1.5  # d(power^-1/2)/d mu
        mu = np.maximum(mu + (power**-0.5 - beam_power**-0.5) / np.maximum(slope, 1e-300), 0.0)
    inverse = np.where(L > 0, 1.0 / (safe_L + mu), 0.0)
    return scale[..., :, None] * (Q @ (inverse[..., None] * Z))


# The closed forms take H (..., K, M) with any leading batch dimensions (the simulator precodes
# every co-scheduled group of a size at once); `noise` may then be one value per batch entry.
def _scale(W: np.ndarray, power: float) -> np.ndarray:
    total = np.sum(np.abs(W) ** 2, axis=(-2, -1), keepdims=True)
    return W * np.sqrt(power / np.maximum(total, 1e-30))


def _hermitian(H: np.ndarray) -> np.ndarray:
    return np.swapaxes(H, -2, -1).conj()


def mrt(H: np.ndarray, power: float) -> np.ndarray:
    return _scale(_hermitian(H), power)


def zf(H: np.ndarray, power: float) -> np.ndarray:
    return _scale(_hermitian(H) @ np.linalg.pinv(H @ _hermitian(H)), power)


def rzf(H: np.ndarray, power: float, noise: float | np.ndarray) -> np.ndarray:
    k = H.shape[-2]
    loading = (k * np.asarray(noise, dtype=float) / power)[..., None, None] * np.eye(k)
    return _scale(_hermitian(H) @ np.linalg.inv(H @ _hermitian(H) + loading), power)


def codebook(H: np.ndarray, inp: BeamInput, power: float) -> tuple[np.ndarray, list[list[int]]]:
    book, index = type1_codebook(inp.n1, inp.n2, inp.o1, inp.o2, inp.dual_polarized)
    best = np.argmax(np.abs(H @ book), axis=1)
    return codebook_beams(book, best, power), [index[b] for b in best]


def beam_solver(inp: BeamInput) -> BeamOutput:
    H = inp.channel.to_numpy("channel")
    k = H.shape[0]
    noise, power = inp.noise_w, inp.power_budget_w or 1.0
    start = time.perf_counter()
    beams: list[list[int]] = []
    status, reason, failing = "optimal", "", []
    if inp.objective == "min_power_sinr":
        gamma = 10 ** (per_item(inp.sinr_target_db, k, "sinr_target_db", positive=False) / 10)
        status, reason, W, failing = min_power(H, gamma, noise, inp.power_budget_w)
    elif inp.objective == "max_min_sinr":
        W, _ = max_min(H, power, noise)
    elif inp.objective == "sum_rate":
        W = wmmse_miso(H, power, noise)
    elif inp.objective == "codebook":
        W, beams = codebook(H, inp, power)
    else:
        W = {"zf": lambda: zf(H, power), "rzf": lambda: rzf(H, power, noise), "mrt": lambda: mrt(H, power)}[inp.objective]()
    elapsed = (time.perf_counter() - start) * 1e3
    if W is None:
        return BeamOutput(status=status, reason=reason, solve_time_ms=elapsed, failing_users=failing)
    return BeamOutput(status=status, solve_time_ms=elapsed, precoder=ComplexArray.of(W),
                      sinr_db=(10 * np.log10(np.maximum(sinr(H, W, noise), 1e-30))).tolist(),
                      total_power_w=float(np.sum(np.abs(W) ** 2)), beams=beams)
