"""Sweeps: one scenario over many seeds, in parallel on Ray (a local cluster by default, or an
existing one by address), aggregated into pass rates and KPI gains with 95% confidence intervals.
With one worker it runs serially without Ray."""

from __future__ import annotations

import math
import os
import time

import numpy as np
from pydantic import BaseModel
from scipy import stats

from ranpilot import progress
from ranpilot.scenarios.model import Scenario
from ranpilot.scenarios.runner import run_scenario


class Interval(BaseModel):
    mean: float
    low: float
    high: float


class SweepResult(BaseModel):
    scenario: str
    seeds: list[int]
    backend: str
    workers: int
    wall_s: float
    pass_rate: Interval  # Wilson score interval
    check_pass_rates: dict[str, float]
    kpi_gains: dict[str, Interval]  # agent minus static at the end, in the KPI's unit; Student-t interval
    kpi_gains_pct: dict[str, Interval | None]  # the same in percent of the static value; None if one was 0


def run_seed(scenario_json: str, seed: int) -> dict:
    """One seed's outcome, as plain data (what a Ray task returns)."""
    scenario = Scenario.model_validate_json(scenario_json).model_copy(update={"seed": seed})
    result = run_scenario(scenario)
    return {"passed": result.passed, "checks": {c.expectation: c.passed for c in result.checks},
            "gains": {k: g.absolute for k, g in result.gains.items()},
            "gains_pct": {k: g.relative_pct for k, g in result.gains.items()}}


def sweep(scenario: Scenario, seeds: list[int], workers: int = 1, ray_address: str | None = None) -> SweepResult:
    payload = scenario.model_dump_json()
    start = time.perf_counter()
    if workers <= 1 and ray_address is None:
        outcomes, backend = _serially(payload, seeds), "serial"
    else:
        outcomes, backend = _on_ray(payload, seeds, workers, ray_address), f"ray ({ray_address or 'local'})"
    wall = time.perf_counter() - start
    passed = sum(o["passed"] for o in outcomes)
    checks = {name: float(np.mean([o["checks"][name] for o in outcomes])) for name in outcomes[0]["checks"]}
    gains = {k: _t_interval([o["gains"][k] for o in outcomes]) for k in outcomes[0]["gains"]}
    relative = {k: [o["gains_pct"][k] for o in outcomes] for k in outcomes[0]["gains_pct"]}
    return SweepResult(scenario=scenario.name, seeds=seeds, backend=backend, workers=workers, wall_s=wall,
                       pass_rate=_wilson(passed, len(outcomes)), check_pass_rates=checks, kpi_gains=gains,
                       kpi_gains_pct={k: None if None in v else _t_interval(v) for k, v in relative.items()})


def _serially(payload: str, seeds: list[int]) -> list[dict]:
    outcomes = []
    for seed in seeds:
        outcomes.append(run_seed(payload, seed))
        progress.advance()
    return outcomes


def _on_ray(payload: str, seeds: list[int], workers: int, address: str | None) -> list[dict]:
    try:
        import ray
    except ImportError as exc:
        raise RuntimeError("sweeps on more than one worker need Ray: pip install 'ranpilot[sweep]'") from exc
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")
    if address:
        ray.init(address=address, log_to_driver=False)
    else:
        ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False)
    try:
        task = ray.remote(num_cpus=1)(run_seed)
        pending = [task.remote(payload, s) for s in seeds]
        waiting = list(pending)
        while waiting:  # count seeds as they finish, in any order
            done, waiting = ray.wait(waiting, num_returns=1)
            progress.advance(len(done))
        return ray.get(pending)
    finally:
        ray.shutdown()


def _wilson(successes: int, n: int, z: float = 1.96) -> Interval:
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    return Interval(mean=p, low=max(0.0, centre - half), high=min(1.0, centre + half))


def _t_interval(values: list[float]) -> Interval:
    a = np.asarray(values, dtype=float)
    if len(a) < 2:
        return Interval(mean=float(a.mean()), low=float(a.mean()), high=float(a.mean()))
    half = stats.t.ppf(0.975, len(a) - 1) * a.std(ddof=1) / math.sqrt(len(a))
    return Interval(mean=float(a.mean()), low=float(a.mean() - half), high=float(a.mean() + half))
