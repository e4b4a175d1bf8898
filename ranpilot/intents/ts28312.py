"""ranpilot's goals written as a TS 28.312 Intent, and any TS 28.312 Intent read back as goals.

Writing: each goal is one RadioNetworkExpectation (objectType RAN_SubNetwork) or, on a slice,
one RadioServiceExpectation (Radio_Service, the slice in the DN); a cell list is a Rel-19
CellContext (`Cell`, IS_ALL_OF, NR cell ids); thresholds are the standard threshold contexts. A
standard target gets the one condition and the integer value its specialised schema allows (a
bound rounded the strict way); the exact goal, a change relative to today and a daily window go
into `ranpilotExtension`. Reading: the extension when present, otherwise the standard fields.

Cell ids: ranpilot's cell index as a 36-bit NR cell identity in 9 hex digits (cell 3 = 000000003).
"""

from __future__ import annotations

import json
import math
import re

from pydantic import ValidationError

from ranpilot.inputs import summary
from ranpilot.intents.goals import Goal, Understanding
from ranpilot.intents.model import (
    Context, ExpectationObject, ExpectationTarget, GoalExtension, Intent, IntentExpectation, IntentInputError,
    RanpilotExtension,
)
from ranpilot.targets import TARGETS, Condition, Target, TargetSpec, spec

NETWORK_DN = "SubNetwork=ranpilot"
CELL_CONTEXT = "Cell"
ASSURANCE_TIME = "TargetAssuranceTime"
SLICE_DN = re.compile(r"(?:^|,)NetworkSlice=([^,]+)")
MIN_CONDITIONS = (Condition.IS_GREATER_THAN, Condition.IS_EQUAL_TO_OR_GREATER_THAN)
MAX_CONDITIONS = (Condition.IS_LESS_THAN, Condition.IS_EQUAL_TO_OR_LESS_THAN)


def cell_id(cell: int) -> str:
    return f"{cell:09X}"


def cell_index(nci: object) -> int:
    if not isinstance(nci, str) or not re.fullmatch(r"[0-9A-Fa-f]{9}", nci):
        raise IntentInputError(f"cell id {nci!r}: an NR cell id is 9 hex digits (cell 3 is '000000003')")
    return int(nci, 16)


# -- writing -------------------------------------------------------------------------------
def to_intent(understanding: Understanding, intent_id: str | None = None) -> Intent:
    """The TS 28.312 Intent of a parsed request (status 'parsed')."""
    expectations, extensions = [], []
    for index, goal in enumerate(understanding.goals, start=1):
        exp_id = f"exp-{index}"
        expectations.append(IntentExpectation(expectationId=exp_id, expectationVerb=goal.verb,
                                              expectationObject=_object(goal), expectationTargets=[_target(goal)]))
        extensions.append(GoalExtension(
            expectationId=exp_id, targetName=goal.target.value, bound=goal.bound, value=goal.value,
            range=list(goal.range) if goal.range else None, changePct=goal.change_pct, strict=goal.strict,
            threshold=goal.threshold))
    extra = {"id": intent_id} if intent_id else {}
    return Intent(**extra, userLabel=understanding.text[:200], intentExpectations=expectations,
                  intentPriority=understanding.priority or 50,
                  ranpilotExtension=RanpilotExtension(goals=extensions,
                                                      dailyWindow=list(understanding.window) if understanding.window else None))


def _object(goal: Goal) -> ExpectationObject:
    contexts = None
    if goal.cells is not None:
        contexts = [Context(contextAttribute=CELL_CONTEXT, contextCondition=Condition.IS_ALL_OF,
                            contextValueRange=[cell_id(c) for c in goal.cells])]
    if goal.slice is not None:
        return ExpectationObject(objectType="Radio_Service", objectInstance=f"{NETWORK_DN},NetworkSlice={goal.slice}",
                                 objectContexts=contexts)
    return ExpectationObject(objectType="RAN_SubNetwork", objectInstance=NETWORK_DN, objectContexts=contexts)


def _target(goal: Goal) -> ExpectationTarget:
    """A standard target takes its specialised schema's one condition (the better way) and the
    value on that side: a range gives its better edge; a bound the other way, or a change
    relative to today, gives no value (the extension says what is meant). ranpilot's own
    targets are generic ExpectationTargets with the goal's own condition."""
    s = spec(goal.target)
    contexts = None
    if goal.threshold is not None:
        contexts = [Context(contextAttribute=s.threshold.context, contextCondition=Condition.IS_LESS_THAN,
                            contextValueRange=_number(goal.threshold))]
    if s.standard:
        edge = None
        if goal.range is not None:
            edge = goal.range[0] if s.higher_is_better else goal.range[1]
        elif goal.value is not None and (goal.bound == "min") == s.higher_is_better:
            edge = goal.value
        value = None if edge is None else _standard_value(edge, s)
        return ExpectationTarget(targetName=s.name, targetCondition=s.spec_condition, targetValueRange=value,
                                 targetContexts=contexts)
    values = None if goal.relative else (list(goal.range) if goal.range else [goal.value])
    return ExpectationTarget(targetName=s.name, targetCondition=goal.condition(), targetValueRange=values,
                             targetContexts=contexts)


def _standard_value(value: float, s: TargetSpec) -> float | int | dict:
    """The specialised schema's value, rounded so that meeting the standard condition meets the
    goal: an integer, or for DlThptPerUE the TS 28.541 DLThptPerUE object (guaranteed kbit/s)."""
    if s.target == Target.DL_THPT_PER_UE:
        return {"guaThpt": value * 1000.0}
    return math.ceil(value) if s.higher_is_better else math.floor(value)


def _number(x: float) -> float | int:
    return int(x) if float(x).is_integer() else x


# -- reading -------------------------------------------------------------------------------
def goals_of(intent: Intent) -> list[tuple[str, Goal]]:
    """(expectation id, goal) for every expectation target, in order; IntentInputError names what
    ranpilot cannot pursue (an unknown target, condition, object or context)."""
    extension = {(g.expectationId, g.targetName): g for g in (intent.ranpilotExtension.goals if intent.ranpilotExtension else [])}
    out = []
    for e in intent.intentExpectations:
        cells, slice_ = _scope(e.expectationObject, e.expectationId)
        for t in e.expectationTargets:
            where = f"expectation {e.expectationId}, target {t.targetName}"
            try:
                goal = _goal(t, extension.get((e.expectationId, t.targetName)), where)
                out.append((e.expectationId, goal.model_copy(update={"cells": cells, "slice": slice_,
                                                                      "verb": e.expectationVerb or "DELIVER"})))
            except ValidationError as exc:
                raise IntentInputError(f"{where}: {exc.errors()[0]['msg']}") from exc
    return out


def _scope(obj: ExpectationObject, exp_id: str) -> tuple[list[int] | None, str | None]:
    if not obj.objectInstance.startswith(NETWORK_DN):
        raise IntentInputError(f"expectation {exp_id}: unknown object {obj.objectInstance!r}; "
                               f"this network is {NETWORK_DN!r}")
    match = SLICE_DN.search(obj.objectInstance)
    slice_ = match.group(1) if match else None
    if (obj.objectType == "Radio_Service") != (slice_ is not None):
        raise IntentInputError(f"expectation {exp_id}: a Radio_Service object names its slice "
                               f"('{NETWORK_DN},NetworkSlice=URLLC'), and only it does")
    cells = None
    for c in obj.objectContexts or []:
        if c.contextAttribute != CELL_CONTEXT:
            raise IntentInputError(f"expectation {exp_id}: unsupported object context {c.contextAttribute!r}")
        ids = c.contextValueRange if isinstance(c.contextValueRange, list) else [c.contextValueRange]
        cells = sorted({cell_index(x) for x in ids})
    return cells, slice_


def _goal(t: ExpectationTarget, ext: GoalExtension | None, where: str) -> Goal:
    try:
        target = Target(t.targetName)
    except ValueError:
        raise IntentInputError(f"{where}: ranpilot does not manage {t.targetName!r}; "
                               f"targets: {', '.join(x.value for x in TARGETS)}") from None
    threshold = _threshold(t, spec(target), where)
    if ext is not None:
        return Goal(target=target, bound=ext.bound, value=ext.value, range=tuple(ext.range) if ext.range else None,
                    change_pct=ext.changePct, strict=ext.strict, threshold=ext.threshold)
    values = _values(t.targetValueRange, where)
    if t.targetCondition in MIN_CONDITIONS + MAX_CONDITIONS and len(values) == 1:
        return Goal(target=target, bound="min" if t.targetCondition in MIN_CONDITIONS else "max", value=values[0],
                    threshold=threshold)
    if t.targetCondition == Condition.IS_WITHIN_RANGE and len(values) == 2:
        return Goal(target=target, bound="range", range=(values[0], values[1]), threshold=threshold)
    raise IntentInputError(f"{where}: {t.targetCondition.value} with {len(values)} value(s) is not a goal ranpilot "
                           "can pursue (use IS_GREATER_THAN / IS_LESS_THAN with one value, or IS_WITHIN_RANGE with two)")


def _values(raw: object, where: str) -> list[float]:
    if isinstance(raw, dict) and "guaThpt" in raw:  # TS 28.541 DLThptPerUE, kbit/s
        raw = raw["guaThpt"] / 1000.0 if isinstance(raw["guaThpt"], (int, float)) else raw["guaThpt"]
    items = raw if isinstance(raw, list) else [raw]
    if not items or any(isinstance(x, bool) or not isinstance(x, (int, float)) for x in items):
        raise IntentInputError(f"{where}: targetValueRange must be a number or a list of numbers, not {raw!r}")
    return [float(x) for x in items]


def _threshold(t: ExpectationTarget, s: TargetSpec, where: str) -> float | None:
    for c in t.targetContexts or []:
        if s.threshold is None or c.contextAttribute != s.threshold.context:
            raise IntentInputError(f"{where}: unsupported target context {c.contextAttribute!r}")
        return _values(c.contextValueRange, where)[0]
    return None


def daily_window(intent: Intent) -> tuple[str, str] | None:
    """The daily window the intent holds in: the extension's, or the time of day of a standard
    TargetAssuranceTime context's start and end."""
    if intent.ranpilotExtension and intent.ranpilotExtension.dailyWindow:
        start, end = intent.ranpilotExtension.dailyWindow
        return start, end
    for e in intent.intentExpectations:
        for c in e.expectationContexts or []:
            if c.contextAttribute == ASSURANCE_TIME and isinstance(c.contextValueRange, dict):
                times = [str(c.contextValueRange.get(k, ""))[11:16] for k in ("startTime", "endTime")]
                if all(re.fullmatch(r"\d\d:\d\d", x) for x in times):
                    return times[0], times[1]
    return None


def understanding_of(intent: Intent) -> Understanding:
    """A TS 28.312 intent as ranpilot understands it (IntentInputError for one it cannot pursue)."""
    return Understanding(text=intent.userLabel or intent.id, status="parsed", goals=[g for _, g in goals_of(intent)],
                         window=daily_window(intent), priority=intent.intentPriority)


def read_request(value: str | dict) -> str | Intent:
    """What an operator hands over: plain language, or a TS 28.312 intent as a JSON object (a dict,
    or text that is one). IntentInputError names what is wrong with an intent."""
    if isinstance(value, str) and not value.lstrip().startswith("{"):
        return value
    try:
        data = json.loads(value) if isinstance(value, str) else value
        intent = Intent.model_validate(data)
    except (ValueError, RecursionError) as exc:
        message = summary(exc) if isinstance(exc, ValidationError) else exc
        raise IntentInputError(f"invalid TS 28.312 intent: {message}") from exc
    goals_of(intent)
    return intent
