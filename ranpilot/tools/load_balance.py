"""load_balance_cio: cell individual offsets (CIO) that balance PRB load, keeping coverage.

Step 1 (LP): fractional association x[u, c] over each UE's candidate cells (RSRP within
`candidate_margin_db` of its best and above the coverage threshold) minimizing the highest
cell load, where serving UE u from cell c costs demand_prb[u, c] PRBs. Duals of the load
constraints name the bottleneck cells.
Step 2 (LP): CIOs within +-max_cio_db for which every UE's A3 ranking (RSRP + CIO) picks its
assigned cell with `hysteresis_db` to spare, violations minimized, then small offsets.
Both are built once per shape with parameters (DPP).
"""

from __future__ import annotations

import time
from functools import lru_cache

import cvxpy as cp
import numpy as np
from pydantic import Field, model_validator

from ranpilot.tools.base import Binding, ToolInput, ToolOutput, binding, matrix, per_item, solve

BIG = 1e3


class LoadBalanceInput(ToolInput):
    rsrp_dbm: list[list[float]] = Field(description="RSRP of each cell at each UE (U x C).")
    demand_prb: list[list[float]] = Field(description="PRBs UE u needs from cell c for its target rate (U x C).")
    prb_budget: float | list[float] = Field(default=273.0, description="PRBs per cell.")
    candidate_margin_db: float = Field(default=6.0, gt=0, le=24)
    weak_rsrp_dbm: float = Field(default=-110.0, description="Coverage threshold: no UE is moved below it.")
    max_cio_db: float = Field(default=6.0, gt=0, le=24)
    hysteresis_db: float = Field(default=2.0, ge=0, le=10)

    @model_validator(mode="after")
    def _arrays(self) -> LoadBalanceInput:
        rsrp = matrix(self.rsrp_dbm, "rsrp_dbm", nonneg=False)
        demand = matrix(self.demand_prb, "demand_prb")
        if rsrp.shape != demand.shape:
            raise ValueError(f"demand_prb {demand.shape} must match rsrp_dbm {rsrp.shape}")
        per_item(self.prb_budget, rsrp.shape[1], "prb_budget")
        return self


class LoadBalanceOutput(ToolOutput):
    cio_db: list[float]
    load_before: list[float]
    load_after: list[float]
    max_load_before: float
    max_load_after: float
    moved_ues: int
    binding: list[Binding]


class AssignmentProblem:
    def __init__(self, users: int, cells: int):
        self.x = cp.Variable((users, cells), nonneg=True)
        self.t = cp.Variable()
        self.allowed = cp.Parameter((users, cells), nonneg=True)
        self.cost = cp.Parameter((users, cells), nonneg=True)  # demand / budget of the cell
        self.load = cp.sum(cp.multiply(self.cost, self.x), axis=0) <= self.t
        constraints = [cp.sum(self.x, axis=1) == 1, self.x <= self.allowed, self.load]
        self.problem = cp.Problem(cp.Minimize(self.t + 1e-3 * cp.sum(cp.multiply(self.cost, self.x))), constraints)


class CioProblem:
    def __init__(self, users: int, cells: int, max_cio: float):
        self.cio = cp.Variable(cells)
        self.slack = cp.Variable(users, nonneg=True)
        self.assigned = cp.Parameter((users, cells), nonneg=True)  # one-hot
        self.required = cp.Parameter((users, cells))  # rsrp_j - rsrp_a + hysteresis, -BIG if not a rival
        ranking = cp.outer(self.assigned @ self.cio + self.slack, np.ones(cells)) - cp.outer(np.ones(users), self.cio)
        constraints = [ranking >= self.required, cp.abs(self.cio) <= max_cio]
        self.problem = cp.Problem(cp.Minimize(cp.sum(self.slack) + 1e-2 * cp.norm1(self.cio)), constraints)


@lru_cache(maxsize=8)
def problems(users: int, cells: int, max_cio: float) -> tuple[AssignmentProblem, CioProblem]:
    return AssignmentProblem(users, cells), CioProblem(users, cells, max_cio)


def load_balance_cio(inp: LoadBalanceInput) -> LoadBalanceOutput:
    rsrp = np.asarray(inp.rsrp_dbm, dtype=float)
    demand = np.asarray(inp.demand_prb, dtype=float)
    users, cells = rsrp.shape
    budget = per_item(inp.prb_budget, cells, "prb_budget")
    best = rsrp.argmax(axis=1)
    allowed = (rsrp >= rsrp.max(axis=1, keepdims=True) - inp.candidate_margin_db) & (rsrp >= inp.weak_rsrp_dbm)
    allowed[np.arange(users), best] = True
    cost = demand / budget[None, :]
    load_before = np.bincount(best, weights=cost[np.arange(users), best], minlength=cells)
    assign, cio_problem = problems(users, cells, inp.max_cio_db)
    assign.allowed.value, assign.cost.value = allowed.astype(float), np.minimum(cost, BIG)
    start = time.perf_counter()
    status, reason, _ = solve(assign.problem, solver=cp.HIGHS)
    if status == "optimal":
        target = np.where(allowed, assign.x.value, -1.0).argmax(axis=1)
        one_hot = np.zeros((users, cells))
        one_hot[np.arange(users), target] = 1.0
        rivals = allowed & (one_hot == 0)
        gap = rsrp - rsrp[np.arange(users), target][:, None] + inp.hysteresis_db
        cio_problem.assigned.value = one_hot
        cio_problem.required.value = np.where(rivals, gap, -BIG)
        status, reason, _ = solve(cio_problem.problem, solver=cp.HIGHS)
    elapsed = (time.perf_counter() - start) * 1e3
    if status != "optimal":
        return LoadBalanceOutput(status=status, reason=reason, solve_time_ms=elapsed, cio_db=[], load_before=[],
                                 load_after=[], max_load_before=float("nan"), max_load_after=float("nan"), moved_ues=0,
                                 binding=[])
    cio = np.round(cio_problem.cio.value, 2)
    chosen = np.where(allowed, rsrp + cio[None, :], -np.inf).argmax(axis=1)
    load_after = np.bincount(chosen, weights=cost[np.arange(users), chosen], minlength=cells)
    return LoadBalanceOutput(
        status="optimal", solve_time_ms=elapsed, cio_db=cio.tolist(), load_before=load_before.round(4).tolist(),
        load_after=load_after.round(4).tolist(), max_load_before=float(load_before.max()),
        max_load_after=float(load_after.max()), moved_ues=int((chosen != best).sum()),
        binding=binding([f"load[cell {c}]" for c in range(cells)], assign.load.dual_value),
    )
