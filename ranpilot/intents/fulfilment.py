"""From an intent to numbers on a network: each goal's value now and at the start, what the
verifier checks on the dry run, and the TS 28.312 IntentReport."""

from __future__ import annotations

from datetime import datetime, timezone

from ranpilot.intents.goals import Goal
from ranpilot.intents.model import (
    ExpectationFulfilmentResult, FulfilmentInfo, FulfilmentStatus, Intent, IntentConflictReport,
    IntentFeasibilityCheckReport, IntentFulfilmentReport, IntentReport, ReportExtension, TargetFulfilmentResult,
)
from ranpilot.intents.ts28312 import NETWORK_DN, goals_of
from ranpilot.network.view import NetworkView
from ranpilot.policies import TargetCheck
from ranpilot.targets import condition_holds

Baselines = dict[str, float | None]


def key(exp_id: str, goal: Goal) -> str:
    return f"{exp_id}.{goal.target.value}"


def measure(net: NetworkView, goal: Goal) -> float | None:
    return net.target_value(goal.target, goal.cells, goal.slice, goal.threshold)


def baselines(intent: Intent, net: NetworkView) -> Baselines:
    return {key(e, g): measure(net, g) for e, g in goals_of(intent)}


def met(goal: Goal, value: float | None, baseline: float | None) -> bool:
    return value is not None and condition_holds(goal.condition(), value, goal.values(baseline))


def target_checks(intent: Intent, base: Baselines) -> list[TargetCheck]:
    """The intent as the verifier checks it on the dry run."""
    return [TargetCheck(target=g.target, condition=g.condition(), values=g.values(base[key(e, g)]), cells=g.cells,
                        slice=g.slice, threshold=g.threshold, ensure=g.verb == "ENSURE")
            for e, g in goals_of(intent)]


def unmet(intent: Intent, net: NetworkView, base: Baselines) -> list[tuple[str, Goal]]:
    return [(e, g) for e, g in goals_of(intent) if not met(g, measure(net, g), base[key(e, g)])]


def named_cells(intent: Intent) -> set[int]:
    """Every cell the intent's goals name (not the whole network they default to)."""
    return {c for _, g in goals_of(intent) for c in g.cells or []}


def within(hour: float, window: tuple[str, str]) -> bool:
    """Whether a time of day (hours) lies in an 'HH:MM'-'HH:MM' window, which may wrap midnight."""
    start, end = (int(t[:2]) + int(t[3:5]) / 60.0 for t in window)
    return start <= hour < end if start < end else hour >= start or hour < end


def _info(ok: bool, state: str | None = None, reasons: list[str] | None = None) -> FulfilmentInfo:
    if ok:
        return FulfilmentInfo(fulfilmentStatus=FulfilmentStatus.FULFILLED)
    return FulfilmentInfo(fulfilmentStatus=FulfilmentStatus.NOT_FULFILLED, notFullfilledState=state,
                          notFulfilledReasons=reasons or None)


def report(intent: Intent, net: NetworkView, base: Baselines, feasible: bool = True, infeasibility: str = "",
           conflicts: list[IntentConflictReport] | None = None, state_name: str | None = None) -> IntentReport:
    """The IntentReport of the live network now: FULFILLED only when every goal holds on it."""
    state = state_name or ("COMPLIANT" if feasible else "TERMINATED")
    by_expectation: dict[str, list[TargetFulfilmentResult]] = {}
    for e, g in goals_of(intent):
        value = measure(net, g)
        ok = met(g, value, base[key(e, g)])
        why = None if ok else [f"{g.describe()}: {'no value' if value is None else f'{value:.4g}'}"]
        by_expectation.setdefault(e, []).append(TargetFulfilmentResult(
            targetName=g.target.value, targetFulfilmentInfo=_info(ok, state, why), targetAchievedValue=value))
    results = []
    for e, targets in by_expectation.items():
        ok = all(t.targetFulfilmentInfo.fulfilmentStatus == FulfilmentStatus.FULFILLED for t in targets)
        results.append(ExpectationFulfilmentResult(expectaitonId=e, expectationFulfilmentInfo=_info(ok, state),
                                                   targetFulfilmentResult=targets))
    fulfilled = all(r.expectationFulfilmentInfo.fulfilmentStatus == FulfilmentStatus.FULFILLED for r in results)
    reasons = [r for t in (t for rs in by_expectation.values() for t in rs)
               for r in t.targetFulfilmentInfo.notFulfilledReasons or []]
    return IntentReport(
        id=f"report-{intent.id}", intentReference=f"{NETWORK_DN},IntentHandlingFunction=ranpilot,Intent={intent.id}",
        lastUpdatedTime=datetime.now(timezone.utc).isoformat(timespec="seconds"),
        intentFulfilmentReport=IntentFulfilmentReport(intentFulfilmentInfo=_info(fulfilled, state, reasons),
                                                      expectationFulfilmentResult=results),
        intentConflictReports=conflicts or None,
        intentFeasibilityCheckReport=IntentFeasibilityCheckReport(
            feasibilityCheckResult="FEASIBLE" if feasible else "INFEASIBLE", infeasibilityReason=infeasibility or None),
        ranpilotExtension=ReportExtension(baselines=base),
    )
