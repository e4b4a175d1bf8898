"""Dry-run guardrails: service KPIs of the twin after the change against the no-change baseline."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network import Observation
from ranpilot.network.view import NetworkView
from ranpilot.network.evaluate import RadioResult
from ranpilot.policies import pack as p
from ranpilot.policies.checks import Violation, violation


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


def check_kpi(rule: p.KpiLimit, run: DryRun) -> list[Violation]:
    if rule.kpi not in run.predicted.network:
        return [violation(rule, "network", "unknown KPI", rule.kpi, f"no KPI named {rule.kpi}")]
    after, before = run.predicted.network[rule.kpi], run.baseline.network[rule.kpi]
    out = []
    if rule.max is not None and after > rule.max and after > before + rule.tolerance:
        out.append(violation(rule, "network", round(after, 4), rule.max,
                             f"{rule.kpi} would rise to {after:.3g} (baseline {before:.3g}), above {rule.max:g}"))
    if rule.min is not None and after < rule.min and after < before - rule.tolerance:
        out.append(violation(rule, "network", round(after, 4), rule.min,
                             f"{rule.kpi} would fall to {after:.3g} (baseline {before:.3g}), below {rule.min:g}"))
    return out


def check_sla(rule: p.SliceSla, run: DryRun) -> list[Violation]:
    out = []
    for after, before in zip(run.predicted.slices, run.baseline.slices):
        floor = after.sla_thp_mbps - rule.tolerance_mbps
        if after.sla_thp_mbps > 0 and after.DlThptPerUE < floor and after.DlThptPerUE < before.DlThptPerUE - rule.tolerance_mbps:
            out.append(violation(rule, f"slice {after.slice}", round(after.DlThptPerUE, 3), after.sla_thp_mbps,
                                 f"{after.slice} would get {after.DlThptPerUE:.2f} Mbit/s per UE, below its SLA"))
    return out


def check_coverage(rule: p.CoverageKept, run: DryRun) -> list[Violation]:
    out = []
    for cell in np.flatnonzero(run.newly_asleep):
        ues = run.baseline_radio.serving == cell
        if not ues.any():
            continue
        weak = 100.0 * float((run.predicted_radio.rsrp_dbm[ues] < run.weak_rsrp_dbm).mean())
        if weak > rule.max_uncovered_pct:
            out.append(violation(rule, f"cell {cell}", round(weak, 2), rule.max_uncovered_pct,
                                 f"{weak:.0f}% of cell {cell}'s UEs would fall below {run.weak_rsrp_dbm:g} dBm"))
    return out


DRY_RUN_CHECKS = {p.KpiLimit: check_kpi, p.SliceSla: check_sla, p.CoverageKept: check_coverage}


def dry_run_violations(pack: p.PolicyPack, run: DryRun) -> list[Violation]:
    out: list[Violation] = []
    for rule in pack.rules:
        check = DRY_RUN_CHECKS.get(type(rule))
        if check is not None:
            out.extend(check(rule, run))
    return out
