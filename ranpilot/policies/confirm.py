"""Confirming an applied change with statistics, not one sample.

A bursty network's KPIs swing by more from one step to the next (about +/-10 Mbit/s of mean
throughput) than any fixed tolerance a pack can afford, so one live sample against one
prediction rolls good changes back by chance. Instead, both the dry run and the confirm period
measure the change's *effect*: the per-step difference between a network with the change and a
twin without it, stepped together on the same random stream (paired, so traffic and fading that
both see cancel). The live effect is compared with the predicted one, and a change is rolled back
only when it falls short by more than the pack's `max_worse` plus `CONFIDENCE_Z` standard errors
of the two means: the tolerance grows with the noise actually measured, and where the pairing is
exact (the simulator) a shortfall beyond `max_worse` is caught at once.
"""

from __future__ import annotations

import math

from pydantic import BaseModel, Field

from ranpilot.network.view import NetworkView

#: One-sided 99%: a change whose true effect is as predicted is rolled back by noise about 1 time in 100.
CONFIDENCE_Z = 2.33


class Effect(BaseModel):
    """A change's effect on one KPI: the mean and spread of its per-step paired differences
    (with the change minus without), over `steps` steps."""

    mean: float
    sd: float = Field(ge=0)
    steps: int = Field(ge=1)

    @property
    def variance_of_mean(self) -> float:
        return self.sd ** 2 / self.steps


def paired_differences(changed: NetworkView, unchanged: NetworkView, steps: int,
                       kpis: list[str]) -> dict[str, list[float]]:
    """Step both networks one step at a time (the same random stream, so they see the same
    traffic and fading) and record each network-wide KPI's difference, changed minus unchanged,
    after every step. A KPI either network cannot measure at a step is left out of that step."""
    out: dict[str, list[float]] = {kpi: [] for kpi in kpis}
    for _ in range(steps):
        changed.step(1)
        unchanged.step(1)
        for kpi in kpis:
            a, b = changed.target_value(kpi), unchanged.target_value(kpi)
            if a is not None and b is not None and math.isfinite(a) and math.isfinite(b):
                out[kpi].append(a - b)
    return out


def effects(differences: dict[str, list[float]]) -> dict[str, Effect]:
    """Each KPI's effect from its paired differences (KPIs with none are left out)."""
    out = {}
    for kpi, values in differences.items():
        if values:
            mean = sum(values) / len(values)
            var = sum((v - mean) ** 2 for v in values) / (len(values) - 1) if len(values) > 1 else 0.0
            out[kpi] = Effect(mean=mean, sd=math.sqrt(var), steps=len(values))
    return out


def shortfall_reason(kpi: str, higher_is_better: bool, max_worse: float, predicted: Effect,
                     observed: Effect) -> str | None:
    """Why the live effect is worse than predicted beyond `max_worse` plus the noise allowance,
    or None when it is within them."""
    worse = (predicted.mean - observed.mean) if higher_is_better else (observed.mean - predicted.mean)
    noise = CONFIDENCE_Z * math.sqrt(predicted.variance_of_mean + observed.variance_of_mean)
    if worse <= max_worse + noise:
        return None
    return (f"{kpi}: the change's live effect {observed.mean:+.3g} over {observed.steps} steps is worse than the "
            f"{predicted.mean:+.3g} predicted by {worse:.3g} > {max_worse:g} + {noise:.3g} (noise allowance)")
