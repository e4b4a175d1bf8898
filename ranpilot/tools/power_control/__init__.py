"""power_control: transmit powers for K interfering links (cells to their users, or D2D pairs).

Objectives: `sum_rate` (WMMSE with random restarts, or the learned model with method
`learned`), `max_min_sinr` (geometric program, exact), `proportional_fair` (WMMSE with
per-iteration 1/rate weights). Input gains are linear power gains G[k][j] from
transmitter j to receiver k, in the same unit as noise_w / pmax_w (watts).
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from ranpilot.tools.base import Binding, ToolInput, ToolOutput, binding, matrix, per_item
from ranpilot.tools.power_control.gp import max_min_problem
from ranpilot.tools.power_control.wmmse import rates, sinr, wmmse


class PowerControlInput(ToolInput):
    gain_linear: list[list[float]] = Field(description="G[k][j]: power gain from transmitter j to receiver k (K x K).")
    pmax_w: float | list[float] = Field(description="Maximum transmit power per link, W (scalar or K values).")
    noise_w: float | list[float] = Field(description="Noise power at each receiver, W (scalar or K values).")
    objective: Literal["sum_rate", "max_min_sinr", "proportional_fair"] = "sum_rate"
    method: Literal["auto", "wmmse", "gp", "learned"] = "auto"
    restarts: int = Field(default=4, ge=0, le=100, description="WMMSE random restarts.")

    @model_validator(mode="after")
    def _arrays(self) -> PowerControlInput:
        g = matrix(self.gain_linear, "gain_linear", square=True)
        if (np.diag(g) <= 0).any():
            raise ValueError("gain_linear: direct-link gains (diagonal) must be > 0")
        per_item(self.pmax_w, len(g), "pmax_w")
        per_item(self.noise_w, len(g), "noise_w")
        if self.method == "gp" and self.objective != "max_min_sinr":
            raise ValueError("method: 'gp' solves the max_min_sinr objective only")
        if self.method == "wmmse" and self.objective == "max_min_sinr":
            raise ValueError("method: max_min_sinr is solved by 'gp' (or 'auto')")
        if self.method == "learned" and self.objective != "sum_rate":
            raise ValueError("method: the learned model is trained for the sum_rate objective")
        return self

    def arrays(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        g = np.asarray(self.gain_linear, dtype=float)
        return g, per_item(self.pmax_w, len(g), "pmax_w"), per_item(self.noise_w, len(g), "noise_w")


class PowerControlOutput(ToolOutput):
    powers_w: list[float]
    sinr_db: list[float | None] = Field(description="Per link; null where the link is off (zero power).")
    rate_bps_hz: list[float]
    sum_rate_bps_hz: float
    min_sinr_db: float | None = Field(description="Lowest SINR among the links that transmit; null if none does.")
    method: str
    iterations: int
    binding: list[Binding] = Field(default_factory=list, description="Links whose power limit binds (GP duals).")


def power_control(inp: PowerControlInput) -> PowerControlOutput:
    G, pmax, noise = inp.arrays()
    start = time.perf_counter()
    bindings: list[Binding] = []
    status, reason, iterations = "ok", "", 0  # WMMSE and the model: a local solution, not a proven optimum
    if inp.objective == "max_min_sinr":  # solved exactly: by the GP, or its closed form where the solver stalls
        problem = max_min_problem(len(G))
        reason, _, p = problem.solve(G, pmax, noise)
        status, method = "optimal", problem.method
        bindings = binding([f"pmax[{k}]" for k in range(len(G))], problem.power_binding())
    elif inp.objective == "proportional_fair":
        p, iterations = wmmse(G[None], pmax[None], noise[None], restarts=inp.restarts, proportional_fair=True)
        p, method = p[0], "wmmse"
    elif inp.method == "learned":
        from ranpilot.tools.power_control.learned import learned_powers  # torch loads here, seconds

        p, method = learned_powers(G[None], pmax[None], noise[None])[0], "learned"
    else:
        p, iterations = wmmse(G[None], pmax[None], noise[None], restarts=inp.restarts)
        p, method = p[0], "wmmse"
    elapsed = (time.perf_counter() - start) * 1e3
    s = sinr(G[None], p[None], noise[None])[0]
    r = rates(G[None], p[None], noise[None])[0]
    sinr_db = [float(10 * np.log10(x)) if x > 0 else None for x in s]
    on = [x for x in sinr_db if x is not None]
    return PowerControlOutput(
        status=status, reason=reason, solve_time_ms=elapsed, powers_w=p.tolist(), sinr_db=sinr_db,
        rate_bps_hz=r.tolist(), sum_rate_bps_hz=float(r.sum()), min_sinr_db=min(on, default=None),
        method=method, iterations=iterations, binding=bindings,
    )
