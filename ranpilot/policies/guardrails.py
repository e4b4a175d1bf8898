"""Dry-run guardrails: service KPIs of the twin after the change against the no-change baseline.

No creep: beyond a guardrail's limit, only a change that improves the KPI, or leaves it as the
no-change twin has it (within the paired dry run's numerical noise), passes; a per-step
tolerance would let many small steps walk the network past any limit. `max_drift` bounds, in
addition, how far the KPI may move from its value when the drift window began."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network import Observation
from ranpilot.network.view import NetworkView
from ranpilot.network.evaluate import RadioResult
from ranpilot.policies import rules as r
from ranpilot.policies.base import Violation, violation
from ranpilot.policies.pack import PolicyPack

#: Relative numerical noise of the paired dry run: the twins share their random stream, so a
#: change without effect predicts the very same KPIs up to floating-point rounding.
NOISE = 1e-9


@dataclass(frozen=True)
class DryRun:
    """The twin without the change (baseline) and with it (predicted), after the same steps."""

    baseline: Observation
    predicted: Observation
    baseline_radio: RadioResult
    predicted_radio: RadioResult
    twin: NetworkView  # the network after the change and the dry-run steps
    reference: NetworkView  # the network without the change, after the same steps
    newly_asleep: np.ndarray  # (C,) bool
    weak_rsrp_dbm: float
    drift_references: dict[str, float]  # each drift-budgeted KPI's value when its drift window began


def worse_beyond(after: float, before: float, limit: float, upper: bool) -> bool:
    """Whether the predicted value is beyond `limit` (above it when `upper`) and worse than the
    no-change twin's by more than numerical noise."""
    noise = NOISE * max(1.0, abs(before))
    return after > limit and after > before + noise if upper else after < limit and after < before - noise


def check_kpi(rule: r.KpiLimit, run: DryRun) -> list[Violation]:
    """The limit, then (where the limit holds) the drift budget, on each bounded side."""
    if rule.kpi not in run.predicted.network:
        return [violation(rule, "network", "unknown KPI", rule.kpi, f"no KPI named {rule.kpi}")]
    after, before = run.predicted.network[rule.kpi], run.baseline.network[rule.kpi]
    reference = run.drift_references.get(rule.kpi)
    out = []
    for bound, upper in ((rule.max, True), (rule.min, False)):
        if bound is None:
            continue
        way = "rise" if upper else "fall"
        if worse_beyond(after, before, bound, upper):
            out.append(violation(rule, "network", round(after, 4), bound,
                                 f"{rule.kpi} would {way} to {after:.4g} (without the change {before:.4g}), "
                                 f"beyond its limit {bound:g}"))
        elif rule.max_drift is not None and reference is not None:
            budget = reference + rule.max_drift if upper else reference - rule.max_drift
            if worse_beyond(after, before, budget, upper):
                out.append(violation(rule, "network", round(after, 4), round(budget, 4),
                                     f"{rule.kpi} would {way} to {after:.4g} (without the change {before:.4g}), more "
                                     f"than its drift budget {rule.max_drift:g} from {reference:.4g} at the start of "
                                     f"the drift window"))
    return out


def check_sla(rule: r.SliceSla, run: DryRun) -> list[Violation]:
    out = []
    for after, before in zip(run.predicted.slices, run.baseline.slices):
        floor = after.sla_thp_mbps - rule.tolerance_mbps
        if after.sla_thp_mbps > 0 and worse_beyond(after.DlThptPerUE, before.DlThptPerUE, floor, upper=False):
            out.append(violation(rule, f"slice {after.slice}", round(after.DlThptPerUE, 3), after.sla_thp_mbps,
                                 f"{after.slice} would get {after.DlThptPerUE:.2f} Mbit/s per UE "
                                 f"(without the change {before.DlThptPerUE:.2f}), below its SLA"))
    return out


def check_coverage(rule: r.CoverageKept, run: DryRun) -> list[Violation]:
    out = []
    for cell in np.flatnonzero(run.newly_asleep):
        ues = run.baseline_radio.serving == cell
        if not ues.any():
            continue
        weak = 100.0 * float((run.predicted_radio.measured_rsrp_dbm[ues] < run.weak_rsrp_dbm).mean())
        if weak > rule.max_uncovered_pct:
            out.append(violation(rule, f"cell {cell}", round(weak, 2), rule.max_uncovered_pct,
                                 f"{weak:.0f}% of cell {cell}'s UEs would fall below {run.weak_rsrp_dbm:g} dBm"))
    return out


DRY_RUN_CHECKS = {r.KpiLimit: check_kpi, r.SliceSla: check_sla, r.CoverageKept: check_coverage}


def dry_run_violations(pack: PolicyPack, run: DryRun) -> list[Violation]:
    out: list[Violation] = []
    for rule in pack.rules:
        check = DRY_RUN_CHECKS.get(type(rule))
        if check is not None:
            out.extend(check(rule, run))
    return out
