"""What every tool shares: typed inputs with validated arrays, solver status handling, binding constraints."""

from __future__ import annotations

import os
import sys
import time
from contextlib import contextmanager
from typing import Any

import cvxpy as cp
import numpy as np
from pydantic import BaseModel, ConfigDict, Field, field_validator

OPTIMAL = {cp.OPTIMAL}
TERMINAL = {cp.INFEASIBLE, cp.UNBOUNDED}
#: First-order fallbacks run to tight tolerances so their OPTIMAL means what the primary's does.
FALLBACK_SETTINGS = {cp.SCS: {"eps_abs": 1e-9, "eps_rel": 1e-9, "max_iters": 200_000}}


class ToolInput(BaseModel):
    model_config = ConfigDict(extra="forbid")


class ToolOutput(BaseModel):
    status: str = Field(description="optimal | infeasible | unbounded | failed | ok")
    reason: str = ""
    solve_time_ms: float = 0.0


class Binding(BaseModel):
    """A constraint that limits the optimum, with its dual value (the objective's sensitivity)."""

    constraint: str
    dual: float


class ComplexArray(BaseModel):
    """A complex array as it travels in JSON: real and imaginary parts of equal shape."""

    re: list[Any]
    im: list[Any]

    def to_numpy(self, field: str) -> np.ndarray:
        re, im = np.asarray(self.re, dtype=float), np.asarray(self.im, dtype=float)
        if re.shape != im.shape:
            raise ValueError(f"{field}: re has shape {re.shape} but im has shape {im.shape}")
        return finite(re + 1j * im, field)

    @classmethod
    def of(cls, z: np.ndarray) -> ComplexArray:
        return cls(re=np.real(z).tolist(), im=np.imag(z).tolist())


def finite(a: np.ndarray, field: str) -> np.ndarray:
    if not np.all(np.isfinite(a)):
        raise ValueError(f"{field}: contains NaN or infinity")
    return a


def matrix(value: Any, field: str, square: bool = False, nonneg: bool = True) -> np.ndarray:
    """A finite 2-D float array (optionally square and non-negative) or a ValueError naming the field."""
    try:
        a = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{field}: not a numeric matrix ({exc})") from exc
    if a.ndim != 2 or 0 in a.shape:
        raise ValueError(f"{field}: expected a non-empty 2-D matrix, got shape {a.shape}")
    if square and a.shape[0] != a.shape[1]:
        raise ValueError(f"{field}: expected a square matrix, got shape {a.shape}")
    finite(a, field)
    if nonneg and (a < 0).any():
        raise ValueError(f"{field}: entries must be >= 0")
    return a


def per_item(value: float | list[float], n: int, field: str, positive: bool = True) -> np.ndarray:
    """A scalar broadcast to n items, or a list of exactly n items."""
    a = np.broadcast_to(np.asarray(value, dtype=float), (n,)) if np.ndim(value) == 0 else np.asarray(value, dtype=float)
    if a.shape != (n,):
        raise ValueError(f"{field}: expected a scalar or {n} values, got {a.shape[0]}")
    finite(a, field)
    if positive and (a <= 0).any():
        raise ValueError(f"{field}: values must be > 0")
    return np.array(a)


@contextmanager
def stdout_to_stderr():
    """Send what native solver code prints on stdout (HiGHS prints a banner however it is
    configured) to stderr, so that commands printing JSON on stdout stay parseable."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        os.dup2(saved, 1)
        os.close(saved)


def solve(problem: cp.Problem, fallback: str | None = None, **kwargs) -> tuple[str, str, float]:
    """Solve and map the status: ('optimal', '', ms) or (status, reason, ms). Never raises.

    Only OPTIMAL is accepted. When the solver fails or is inaccurate, `fallback` (another
    solver) gets one try; infeasible and unbounded answers are final. Solvers start cold unless
    `warm_start=True` is passed: the problems are cached per shape, and a warm start from the last
    solve picks another vertex of a degenerate optimum (CIOs are shift-invariant), so the same input
    would get an answer that depends on what the process solved before."""
    with stdout_to_stderr():
        return _solve(problem, fallback, **({"warm_start": False} | kwargs))


def _solve(problem: cp.Problem, fallback: str | None = None, **kwargs) -> tuple[str, str, float]:
    start = time.perf_counter()
    try:
        problem.solve(**kwargs)
        status = problem.status
    except cp.error.SolverError as exc:
        status = f"solver error: {exc}"
    if status not in OPTIMAL and status not in TERMINAL and fallback is not None:
        try:
            settings = FALLBACK_SETTINGS.get(fallback, {})
            problem.solve(solver=fallback, **settings, **{k: v for k, v in kwargs.items() if k != "solver"})
            status = problem.status
        except cp.error.SolverError as exc:
            status = f"solver error: {exc}"
    ms = (time.perf_counter() - start) * 1e3
    if status in OPTIMAL:
        return "optimal", "", ms
    if status in (cp.INFEASIBLE, cp.INFEASIBLE_INACCURATE):
        return "infeasible", "the constraints cannot all be met", ms
    if status in (cp.UNBOUNDED, cp.UNBOUNDED_INACCURATE):
        return "unbounded", "the objective is unbounded", ms
    return "failed", status if status.startswith("solver error") else f"solver status {status}", ms


def binding(names: list[str], duals: np.ndarray, tol: float = 1e-6) -> list[Binding]:
    """Constraints with a non-zero dual, largest first."""
    duals = np.abs(np.atleast_1d(np.asarray(duals, dtype=float)))
    order = np.argsort(-duals)
    return [Binding(constraint=names[i], dual=float(duals[i])) for i in order if duals[i] > tol]
