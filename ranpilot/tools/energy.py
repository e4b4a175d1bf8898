"""energy_min_power: minimum total transmit power subject to per-UE SINR (rate) targets.

With the serving cell s(u) of each UE fixed, every target is linear in the cell powers p:
    G[u, s(u)] p_s(u) >= gamma_u (sum_{c != s(u)} load_c G[u, c] p_c + noise)
so the problem is an LP, built once per shape with parameters (DPP). Gains are normalized by
the noise for conditioning. Cells that serve no UE and whose power no target needs are
reported as sleep candidates; the duals name the UEs whose targets hold the power up.
"""

from __future__ import annotations

import time
from functools import lru_cache

import cvxpy as cp
import numpy as np
from pydantic import Field, model_validator

from ranpilot.network.radio import SHANNON_GAP_DB
from ranpilot.tools.base import Binding, ToolInput, ToolOutput, binding, matrix, per_item, solve


class EnergyInput(ToolInput):
    gain_linear: list[list[float]] = Field(description="G[u][c]: power gain from cell c to UE u (U x C).")
    serving: list[int] = Field(description="Serving cell of each UE.")
    rate_target_bps_hz: float | list[float] = Field(description="Spectral-efficiency target per UE (bit/s/Hz).")
    noise_w: float | list[float] = Field(description="Noise (plus fixed interference) at each UE, W.")
    pmax_w: float | list[float] = Field(description="Maximum power per cell, W.")
    interferer_load: float | list[float] = Field(default=1.0, description="Activity of each cell as an interferer (0..1).")

    @model_validator(mode="after")
    def _arrays(self) -> EnergyInput:
        g = matrix(self.gain_linear, "gain_linear")
        users, cells = g.shape
        if len(self.serving) != users or not all(0 <= s < cells for s in self.serving):
            raise ValueError(f"serving: expected {users} cell indices in 0..{cells - 1}")
        per_item(self.rate_target_bps_hz, users, "rate_target_bps_hz", positive=False)
        per_item(self.noise_w, users, "noise_w")
        per_item(self.pmax_w, cells, "pmax_w")
        load = per_item(self.interferer_load, cells, "interferer_load", positive=False)
        if ((load < 0) | (load > 1)).any():
            raise ValueError("interferer_load: values must lie in [0, 1]")
        return self


class EnergyOutput(ToolOutput):
    powers_w: list[float]
    powers_dbm: list[float]
    total_power_w: float
    sleep_candidates: list[int]
    binding: list[Binding]


class EnergyProblem:
    def __init__(self, users: int, cells: int):
        self.p = cp.Variable(cells, nonneg=True)
        self.margin = cp.Parameter((users, cells))  # diag(g_serving) S - diag(gamma) G_interference
        self.rhs = cp.Parameter(users, nonneg=True)  # gamma * noise (normalized to 1)
        self.pmax = cp.Parameter(cells, nonneg=True)
        self.target = self.margin @ self.p >= self.rhs
        self.problem = cp.Problem(cp.Minimize(cp.sum(self.p)), [self.target, self.p <= self.pmax])
        assert self.problem.is_dcp(dpp=True)


@lru_cache(maxsize=16)
def energy_problem(users: int, cells: int) -> EnergyProblem:
    return EnergyProblem(users, cells)


def energy_min_power(inp: EnergyInput) -> EnergyOutput:
    users = len(inp.serving)
    g = np.asarray(inp.gain_linear, dtype=float) / per_item(inp.noise_w, users, "noise_w")[:, None]
    cells = g.shape[1]
    serving = np.asarray(inp.serving)
    rate = per_item(inp.rate_target_bps_hz, users, "rate_target_bps_hz", positive=False)
    gamma = 10 ** (SHANNON_GAP_DB / 10) * (2.0**rate - 1.0)
    load = per_item(inp.interferer_load, cells, "interferer_load", positive=False)
    own = np.zeros((users, cells))
    own[np.arange(users), serving] = g[np.arange(users), serving]
    interference = g * load[None, :]
    interference[np.arange(users), serving] = 0.0
    problem = energy_problem(users, cells)
    problem.margin.value = own - gamma[:, None] * interference
    problem.rhs.value = gamma
    problem.pmax.value = per_item(inp.pmax_w, cells, "pmax_w")
    start = time.perf_counter()
    status, reason, _ = solve(problem.problem, solver=cp.HIGHS)
    elapsed = (time.perf_counter() - start) * 1e3
    if status != "optimal":
        if status == "infeasible":
            reason += "; the rate targets cannot be met within pmax_w: lower the targets or allow more power"
        nan = [float("nan")] * cells
        return EnergyOutput(status=status, reason=reason, solve_time_ms=elapsed, powers_w=nan, powers_dbm=nan,
                            total_power_w=float("nan"), sleep_candidates=[], binding=[])
    p = np.maximum(problem.p.value, 0.0)
    served = np.bincount(serving, minlength=cells) > 0
    return EnergyOutput(
        status="optimal", solve_time_ms=elapsed, powers_w=p.tolist(),
        powers_dbm=(10 * np.log10(np.maximum(p, 1e-12)) + 30).tolist(), total_power_w=float(p.sum()),
        sleep_candidates=[int(c) for c in np.flatnonzero(~served & (p < 1e-6))],
        binding=binding([f"rate_target[ue {u}]" for u in range(users)], problem.target.dual_value),
    )
