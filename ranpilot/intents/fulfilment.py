"""From an intent to numbers: each target's scope and goal on the network, and the IntentReport."""

from __future__ import annotations

from ranpilot.intents.model import (
    ExpectationReport, ExpectationTarget, FeasibilityCheckReport, FulfilmentStatus, Intent, IntentExpectation,
    IntentReport, TargetReport,
)
from ranpilot.network import Network
from ranpilot.policies import TargetCheck
from ranpilot.targets import condition_holds, spec

RELATIVE = "changeRelativeToBaselinePct"


def scope_of(e: IntentExpectation, all_cells: int) -> tuple[list[int], str | None]:
    """(cells, slice) an expectation is about; cells default to every cell."""
    obj = e.expectationObject
    cells = list(range(all_cells))
    if obj.objectType == "NRCellDU":
        cells = sorted(int(c) for c in obj.objectInstance)
    for ctx in obj.objectContexts:
        if ctx.contextAttribute == "cells":
            cells = sorted(int(float(c)) for c in ctx.contextValueRange)
    slice_ = obj.objectInstance[0] if obj.objectType == "NetworkSlice" else None
    return cells, slice_


def names_cells(e: IntentExpectation) -> bool:
    """Whether the expectation names cells (rather than the whole network in the operator's scope)."""
    obj = e.expectationObject
    return obj.objectType == "NRCellDU" or any(c.contextAttribute == "cells" for c in obj.objectContexts)


def threshold_of(t: ExpectationTarget) -> float | None:
    """The target's TS 28.312 threshold context (e.g. LowDLRANUEThptThreshold), if it has one."""
    threshold = spec(t.targetName).threshold
    ctx = t.context(threshold.context) if threshold else None
    return float(ctx.contextValueRange[0]) if ctx else None


def key(e: IntentExpectation, t: ExpectationTarget) -> str:
    return f"{e.expectationId}.{t.targetName}"


def measure(net: Network, e: IntentExpectation, t: ExpectationTarget) -> float | None:
    cells, slice_ = scope_of(e, net.num_cells)
    return net.target_value(t.targetName, cells, slice_, threshold_of(t))


def baselines(intent: Intent, net: Network) -> dict[str, float | None]:
    return {key(e, t): measure(net, e, t) for e in intent.intentExpectations for t in e.expectationTargets}


def goal(t: ExpectationTarget, baseline: float | None) -> list[float]:
    """Absolute goal values: a baseline-relative target becomes baseline x (1 + pct / 100)."""
    relative = t.context(RELATIVE)
    if relative is None:
        return list(t.targetValueRange)
    if baseline is None:
        return [float("nan")]
    return [baseline * (1.0 + float(relative.contextValueRange[0]) / 100.0)]


def target_checks(intent: Intent, base: dict[str, float | None], all_cells: int) -> list[TargetCheck]:
    """The intent as the verifier checks it on the dry run."""
    checks = []
    for e in intent.intentExpectations:
        cells, slice_ = scope_of(e, all_cells)
        for t in e.expectationTargets:
            checks.append(TargetCheck(target=t.targetName, condition=t.targetCondition, values=goal(t, base[key(e, t)]),
                                      cells=cells, slice=slice_, threshold=threshold_of(t),
                                      ensure=e.expectationVerb == "ENSURE"))
    return checks


def unmet(intent: Intent, net: Network, base: dict[str, float | None]) -> list[tuple[IntentExpectation, ExpectationTarget]]:
    out = []
    for e in intent.intentExpectations:
        for t in e.expectationTargets:
            value = measure(net, e, t)
            if value is None or not condition_holds(t.targetCondition, value, goal(t, base[key(e, t)])):
                out.append((e, t))
    return out


def time_window(intent: Intent) -> tuple[str, str] | None:
    ctx = next((c for c in intent.intentContexts if c.contextAttribute == "timeWindow"), None)
    return (str(ctx.contextValueRange[0]), str(ctx.contextValueRange[1])) if ctx else None


def within(hour: float, window: tuple[str, str]) -> bool:
    """Whether a time of day (hours) lies in an 'HH:MM'-'HH:MM' window, which may wrap midnight."""
    start, end = (int(t[:2]) + int(t[3:5]) / 60.0 for t in window)
    return start <= hour < end if start < end else hour >= start or hour < end


def report(intent: Intent, net: Network, base: dict[str, float | None], feasible: bool = True,
           infeasibility: str = "", conflicts: list | None = None, state_name: str | None = None) -> IntentReport:
    results = []
    for e in intent.intentExpectations:
        targets = []
        for t in e.expectationTargets:
            value = measure(net, e, t)
            met = value is not None and condition_holds(t.targetCondition, value, goal(t, base[key(e, t)]))
            targets.append(TargetReport(targetName=t.targetName, targetAchievedValue=value, baselineValue=base[key(e, t)],
                                        targetFulfilmentStatus=FulfilmentStatus.FULFILLED if met else FulfilmentStatus.NOT_FULFILLED))
        done = all(r.targetFulfilmentStatus == FulfilmentStatus.FULFILLED for r in targets)
        results.append(ExpectationReport(expectationId=e.expectationId, targetFulfilmentResults=targets,
                                         expectationFulfilmentStatus=FulfilmentStatus.FULFILLED if done else FulfilmentStatus.NOT_FULFILLED))
    fulfilled = all(r.expectationFulfilmentStatus == FulfilmentStatus.FULFILLED for r in results)
    return IntentReport(
        intentId=intent.id,
        fulfilmentStatus=FulfilmentStatus.FULFILLED if fulfilled else FulfilmentStatus.NOT_FULFILLED,
        notFulfilledState=None if fulfilled else (state_name or ("COMPLIANT" if feasible else "TERMINATED")),
        expectationFulfilmentResults=results,
        intentConflictReports=conflicts or [],
        intentFeasibilityCheckReport=FeasibilityCheckReport(
            feasibilityCheckType="FEASIBLE" if feasible else "INFEASIBLE", infeasibilityReason=infeasibility),
    )
