"""slice_prb_allocation: PRBs per slice and cell maximizing the weighted sum of log rates.

maximize  sum_{c,s} w_s n_cs log(x_cs)        (each of the n_cs UEs gets rate x_cs r_cs / n_cs)
s.t.      sum_s x_cs <= prb_c                 (cell PRB budget; dual = value of one more PRB)
          x_cs >= sla_s n_cs / r_cs           (slice SLA floor on mean UE rate; dual = SLA cost)
Built once per (cells, slices) shape with parameters (DPP); integer rounding keeps every
floor and budget whenever an integer solution exists.
"""

from __future__ import annotations

import time
from functools import lru_cache

import cvxpy as cp
import numpy as np
from pydantic import Field, model_validator

from ranpilot.tools.base import Binding, ToolInput, ToolOutput, binding, matrix, per_item, solve

EMPTY = 1e-3  # PRB floor for a slice with no UEs in a cell, keeps log() finite


class SliceAllocationInput(ToolInput):
    slices: list[str] = Field(min_length=1)
    ue_count: list[list[int]] = Field(description="n[c][s]: UEs of slice s in cell c.")
    rate_per_prb_mbps: list[list[float]] = Field(description="r[c][s]: mean rate one PRB gives slice s's UEs in cell c.")
    prb_budget: int | list[int] = Field(default=273, description="PRBs per cell (scalar or per cell).")
    weight: list[float] | None = Field(default=None, description="Priority weight per slice (default 1).")
    sla_mbps: list[float] | None = Field(default=None, description="Per-UE mean rate floor per slice (default 0).")

    @model_validator(mode="after")
    def _arrays(self) -> SliceAllocationInput:
        n = matrix(self.ue_count, "ue_count")
        r = matrix(self.rate_per_prb_mbps, "rate_per_prb_mbps")
        if n.shape != r.shape or n.shape[1] != len(self.slices):
            raise ValueError(f"ue_count {n.shape} and rate_per_prb_mbps {r.shape} must both be cells x {len(self.slices)} slices")
        if ((n > 0) & (r <= 0)).any():
            raise ValueError("rate_per_prb_mbps: must be > 0 where a slice has UEs")
        per_item(self.prb_budget, n.shape[0], "prb_budget")
        for name in ("weight", "sla_mbps"):
            if getattr(self, name) is not None:
                per_item(getattr(self, name), len(self.slices), name, positive=(name == "weight"))
        return self


class SliceAllocationOutput(ToolOutput):
    prb: list[list[int]] = Field(description="Integer PRBs per cell and slice.")
    prb_fractional: list[list[float]]
    min_prb_ratio: list[list[float]] = Field(description="prb / budget: the quotas to configure.")
    mean_rate_mbps: list[list[float]]
    binding: list[Binding]


class SliceProblem:
    def __init__(self, cells: int, slices: int):
        self.x = cp.Variable((cells, slices))
        self.coef = cp.Parameter((cells, slices), nonneg=True)
        self.floor = cp.Parameter((cells, slices), nonneg=True)
        self.budget = cp.Parameter(cells, nonneg=True)
        self.budget_constraint = cp.sum(self.x, axis=1) <= self.budget
        self.floor_constraint = self.x >= self.floor
        objective = cp.Maximize(cp.sum(cp.multiply(self.coef, cp.log(self.x))))
        self.problem = cp.Problem(objective, [self.budget_constraint, self.floor_constraint])
        assert self.problem.is_dcp(dpp=True)


@lru_cache(maxsize=16)
def slice_problem(cells: int, slices: int) -> SliceProblem:
    return SliceProblem(cells, slices)


def slice_prb_allocation(inp: SliceAllocationInput) -> SliceAllocationOutput:
    n = np.asarray(inp.ue_count, dtype=float)
    r = np.asarray(inp.rate_per_prb_mbps, dtype=float)
    cells, slices = n.shape
    budget = per_item(inp.prb_budget, cells, "prb_budget")
    weight = np.ones(slices) if inp.weight is None else np.asarray(inp.weight, dtype=float)
    sla = np.zeros(slices) if inp.sla_mbps is None else np.asarray(inp.sla_mbps, dtype=float)
    floor = np.where(n > 0, sla[None, :] * n / np.where(r > 0, r, 1.0), 0.0) + EMPTY
    start = time.perf_counter()
    problem = slice_problem(cells, slices)
    problem.coef.value = weight[None, :] * n
    problem.floor.value = floor
    problem.budget.value = budget
    status, reason, _ = solve(problem.problem, solver=cp.CLARABEL)
    elapsed = (time.perf_counter() - start) * 1e3
    if status != "optimal":
        failing = [f"cell {c}" for c in range(cells) if floor[c].sum() > budget[c]]
        detail = f"; SLA floors exceed the PRB budget in {', '.join(failing)}" if failing else ""
        return SliceAllocationOutput(status=status, reason=reason + detail, solve_time_ms=elapsed, prb=[], prb_fractional=[],
                                     min_prb_ratio=[], mean_rate_mbps=[], binding=[])
    x = np.maximum(problem.x.value, 0.0)
    prb = round_keeping_floors(x, np.ceil(floor - EMPTY - 1e-9).clip(min=0), budget)
    names = [f"prb_budget[cell {c}]" for c in range(cells)]
    floor_names = [f"sla_floor[cell {c}, {inp.slices[s]}]" for c in range(cells) for s in range(slices)]
    floor_duals = np.where(n > 0, problem.floor_constraint.dual_value, 0.0).ravel()
    return SliceAllocationOutput(
        status="optimal", solve_time_ms=elapsed, prb=prb.astype(int).tolist(), prb_fractional=x.round(4).tolist(),
        min_prb_ratio=(prb / budget[:, None]).round(4).tolist(),
        mean_rate_mbps=np.where(n > 0, prb * r / np.maximum(n, 1), 0.0).round(3).tolist(),
        binding=binding(names, problem.budget_constraint.dual_value) + binding(floor_names, floor_duals),
    )


def round_keeping_floors(x: np.ndarray, floor: np.ndarray, budget: np.ndarray) -> np.ndarray:
    """Integer PRBs: floors kept, each cell's total at most its budget, remainders by largest fraction."""
    out = np.maximum(np.floor(x), floor)
    for c in range(len(budget)):
        spare = int(budget[c] - out[c].sum())
        frac = x[c] - np.floor(x[c])
        if spare > 0:
            for s in np.argsort(-frac)[:spare]:
                out[c, s] += 1
        while spare < 0:
            above = np.flatnonzero(out[c] > floor[c])
            if not len(above):
                break
            s = above[np.argmin(frac[above])]
            out[c, s] -= 1
            frac[s] = 1.0
            spare += 1
    return out
