"""Embedded (offline) intent parser: operator text -> TS 28.312 Intent, a clarification, or a rejection.

Each clause of the text is classified to a target (`classify.py`); numbers, units, comparisons,
cells, slices, areas, time windows and priority are extracted deterministically (`extraction.py`).
"""

from __future__ import annotations

import re
from typing import Literal

import numpy as np
from pydantic import BaseModel

from ranpilot.intents import extraction as ex
from ranpilot.intents.classify import classify, inherit_subjects
from ranpilot.intents.model import (
    Context, ExpectationObject, ExpectationTarget, Intent, IntentExpectation,
)
from ranpilot.policies.pack import PolicyPack, load_pack
from ranpilot.targets import THROUGHPUT_TARGETS, Condition, Target, spec

PEAK_UE_THP_MBPS = 2000.0
SLOT_MS = 0.5
CLAUSE_SPLIT = re.compile(r";|\.\s+|,?\s+\bbut\b\s+|,?\s+\bwhile\b\s+|,?\s+\bwhilst\b\s+|,?\s+\band also\b\s+|,?\s+(?=without \w+ing\b)|,?\s+\band\b\s+(?=(?:keep|cut|reduce|raise|ensure|make|lower|increase|limit|hold|maintain|protect|guarantee|save|improve|above|below|under|over|at least|at most|less|more)\b)", re.I)
RAN_WORDS = re.compile(r"\b(cells?|network|throughput|latency|delay|coverage|energy|power|prb|load|slice|users?|ues?|sinr|rsrp|interference|signal|speed|mbps|mbit|tilt|handover|traffic|congest\w*|urllc|embb|mmtc)\b", re.I)
KPI_WORDS = re.compile(r"\b(throughput|speed|data rate|bit ?rate|bandwidth|latency|delay|energy|power|electricity|coverage|"
                       r"covered|rsrp|signal|sinr|interference|load|prb|resource|utili[sz]ation|congest\w*|overload\w*|"
                       r"efficien\w*|edge|slow|sleep|asleep|switch\w* off|turn\w* off)\b", re.I)
WHICH_KPI = ("which KPI should change, and to what value? "
             "For example: 'keep average user throughput above 30 Mbps in cells 3-5'.")
GUARD_WORDS = r"keep\w*|maintain\w*|preserv\w*|protect\w*|without \w+ing"
GUARD_CLAUSE = re.compile(r"(keeping|maintaining|preserving|protecting|without \w+ing)\b", re.I)  # after 'while'
ENSURE_WORDS = re.compile(rf"\b({GUARD_WORDS}|ensur\w*|guarantee\w*|hold\w*|never)\b", re.I)
EDGE_DEFAULT_PCT = 5.0  # 'cell edge' read as the 5th percentile of UE throughput


class ParseResult(BaseModel):
    text: str
    status: Literal["parsed", "clarify", "rejected"]
    intent: Intent | None = None
    reason: str | None = None


def parse_intent(text: str, areas: dict[str, list[int]] | None = None, pack: PolicyPack | None = None) -> ParseResult:
    """Parse one intent. `areas` maps area names ('stadium') to cell ids; `pack` (default: the
    shipped one) gives the limits behind safety rejections and guard clauses with no value."""
    pack = pack or load_pack()
    text = (text or "").strip()
    if not text:
        return ParseResult(text=text, status="rejected", reason="empty intent")
    unsafe = unsafe_request(text, pack)
    if unsafe:
        return ParseResult(text=text, status="rejected", reason=unsafe)
    clauses = [c.strip(" ,.") for c in CLAUSE_SPLIT.split(text) if c and c.strip(" ,.")]
    labelled = inherit_subjects(clauses, classify(clauses))
    if all(target is None for target, _ in labelled):
        if RAN_WORDS.search(text):
            return ParseResult(text=text, status="clarify", reason=WHICH_KPI)
        return ParseResult(text=text, status="rejected", reason="out of domain: this is not about the radio network")
    if any(target is not None and vague(clause) for clause, (target, _) in zip(clauses, labelled)):
        return ParseResult(text=text, status="clarify", reason=WHICH_KPI)
    scope_or_question = scope(text, areas or {})
    if isinstance(scope_or_question, str):
        return ParseResult(text=text, status="clarify", reason=scope_or_question)
    expectations = []
    for index, (clause, (target, _)) in enumerate(zip(clauses, labelled), start=1):
        if target is None:
            continue
        clause_scope = narrow_scope(clause, scope_or_question, areas or {})
        built = build_target(target, clause, clause_scope, pack)
        if isinstance(built, str):
            return ParseResult(text=text, status=built.split(":", 1)[0], reason=built.split(":", 1)[1].strip())
        expectations.append(expectation(f"exp-{index}", clause, built, clause_scope))
    problem = contradiction(expectations)
    if problem:
        return ParseResult(text=text, status="rejected", reason=problem)
    contexts = []
    window = ex.time_window(text)
    if window:
        contexts.append(Context(contextAttribute="timeWindow", contextCondition=Condition.IS_WITHIN_RANGE,
                                contextValueRange=list(window)))
    intent = Intent(userLabel=text[:120], intentExpectations=expectations, intentContexts=contexts,
                    intentPriority=ex.priority(text) or 50)
    return ParseResult(text=text, status="parsed", intent=intent)


def vague(clause: str) -> bool:
    """'make the network better': no KPI named and no quantity to pin one down."""
    return not KPI_WORDS.search(clause) and not ex.quantities(clause)


def unsafe_request(text: str, pack: PolicyPack) -> str | None:
    t = text.lower()
    limit = pack.tx_power_limit()
    for m in re.finditer(r"(-?\d+(?:\.\d+)?)\s*dbm", t):
        value = float(m.group(1))
        if limit and value > limit.max_dbm and re.search(r"\b(set|raise|increase|put|boost|push|transmit|power)\b", t[: m.start()]):
            return (f"{value:g} dBm exceeds the {limit.max_dbm:g} dBm transmit power limit of {limit.bs_class.value} "
                    f"cells (rule {limit.id}, {limit.source}); nothing was applied")
    if re.search(r"\b(switch|turn|shut|power)\s*(off|down)\s+(all|every|the whole|each)\b|\b(all|every) cells? (off|asleep|to sleep)\b", t):
        return "switching off every cell would leave all users without coverage (TS 38.300 15.4); nothing was applied"
    return None


Scope = tuple[list[int] | None, list[str]]  # cells (None = all), slices


def scope(text: str, areas: dict[str, list[int]]) -> Scope | str:
    """The cells and slices an intent is about, or a clarification question."""
    known, unknown = ex.areas(text, areas)
    if unknown:
        return f"which cells make up the {unknown[0]}? Name them ('cells 3, 4 and 5') or define the area"
    cell_ids = ex.cells(text)
    for name in known:
        cell_ids = sorted(set(cell_ids) | set(areas[name]))
    return (cell_ids or None), ex.slices(text)


def narrow_scope(clause: str, text_scope: Scope, areas: dict[str, list[int]]) -> Scope:
    """A clause naming its own cells or slices uses them; otherwise the whole text's scope."""
    cells_, slices_ = text_scope
    own = scope(clause, areas)
    if isinstance(own, str):
        return text_scope
    return (own[0] or cells_), (own[1] or slices_)


def build_target(target: Target, clause: str, scope_: Scope, pack: PolicyPack) -> ExpectationTarget | str:
    """The target with its value and condition, or 'clarify: ...' / 'rejected: ...'."""
    cells_, slices_ = scope_
    qs = ex.quantities(clause)
    share = ex.user_share(clause)
    if share and not 0 <= share[0] <= 100:
        return f"rejected: {share[0]:g}% of users is not a share: it must lie within 0-100%"
    if share and share[1] and target in THROUGHPUT_TARGETS and any(q.unit == "Mbit/s" for q in qs):
        target = Target.LOW_DL_RAN_UE_THPT_RATIO  # '90% of users above 10 Mbps': at most 10% below it
    if slices_ and (target == Target.AVE_DL_RAN_UE_THPT or (target == Target.LOW_DL_RAN_UE_THPT_RATIO and not any(q.unit == "%" for q in qs))):
        target = Target.DL_THPT_PER_UE
    unit = spec(target).unit
    contexts: list[Context] = []
    relative = ex.BY_PERCENT_RE.search(clause)
    between = ex.BETWEEN_RE.search(clause)
    condition = ex.comparison(clause)
    guard = GUARD_CLAUSE.match(clause) is not None
    ratio_target = spec(target).is_ratio
    pcts = [q.value for q in qs if q.unit == "%"]
    if relative and not ratio_target or (relative and ratio_target and len(pcts) == 1 and ex.direction_verb(clause, spec(target).higher_is_better)):
        change = float(relative.group(1)) * (1 if ex.direction_verb(clause, spec(target).higher_is_better) >= 0 else -1)
        contexts.append(Context(contextAttribute="changeRelativeToBaselinePct", contextCondition=Condition.IS_EQUAL_TO,
                                contextValueRange=[change]))
        condition = Condition.IS_EQUAL_TO_OR_GREATER_THAN if change > 0 else Condition.IS_EQUAL_TO_OR_LESS_THAN
        return ExpectationTarget(targetName=target, targetCondition=condition, targetValueRange=[change], targetContexts=contexts)
    if ratio_target:
        value, threshold = ratio_value(target, clause, qs, pcts, pack)
        if share and share[1] and value == share[0]:
            value = 100.0 - share[0]  # the ratio counts the poorly served users
        if threshold is not None:
            contexts.append(Context(contextAttribute=spec(target).threshold.context,
                                    contextCondition=Condition.IS_LESS_THAN, contextValueRange=[threshold]))
    elif between:
        value = None
    else:  # percentages of a load target are values, not ratios
        matching = [q.value for q in qs if q.unit == unit]
        value = matching[0] if matching else None
    if between:
        low, high = sorted((float(between.group(1)), float(between.group(2))))
        values = [low, high]
        condition = Condition.IS_WITHIN_RANGE
    elif value is None and (guard or ex.direction_verb(clause, spec(target).higher_is_better)):
        # 'without hurting latency', 'while keeping throughput': no worse than the baseline.
        # 'cut transmit power at night': any change in that direction, the others' targets and
        # the guardrails permitting. Strictly better than the baseline, by an unstated amount.
        contexts.append(Context(contextAttribute="changeRelativeToBaselinePct", contextCondition=Condition.IS_EQUAL_TO,
                                contextValueRange=[0.0]))
        direction = 0 if guard else ex.direction_verb(clause, spec(target).higher_is_better)
        return ExpectationTarget(targetName=target, targetCondition=relative_condition(target, direction),
                                 targetValueRange=[0.0], targetContexts=contexts)
    elif value is None:
        return (f"clarify: what value should {target} reach"
                + (f" on cells {cells_}" if cells_ else "") + f"? Give a number in {unit}.")
    else:
        values = [value]
        if condition in (None, Condition.IS_WITHIN_RANGE) or ratio_target:
            condition = (Condition.IS_EQUAL_TO_OR_GREATER_THAN if spec(target).higher_is_better
                         else Condition.IS_EQUAL_TO_OR_LESS_THAN)
    bad = implausible(target, values)
    if bad:
        return f"rejected: {bad}"
    return ExpectationTarget(targetName=target, targetCondition=condition, targetValueRange=values, targetContexts=contexts)


def relative_condition(target: Target, direction: int) -> Condition:
    """Against the baseline: strictly up (+1) or down (-1), or no worse (0)."""
    if direction:
        return Condition.IS_GREATER_THAN if direction > 0 else Condition.IS_LESS_THAN
    return Condition.IS_EQUAL_TO_OR_GREATER_THAN if spec(target).higher_is_better else Condition.IS_EQUAL_TO_OR_LESS_THAN


def ratio_value(target: Target, clause: str, qs: list[ex.Quantity], pcts: list[float],
                pack: PolicyPack) -> tuple[float | None, float | None]:
    """(ratio in %, threshold) for ratio targets: 'fewer than 5% of users below 2 Mbps'. A
    percent threshold (cells above 80% load) is read only from a pair of percentages."""
    threshold_unit = spec(target).threshold.unit
    thresholds = [q.value for q in qs if q.unit == threshold_unit and threshold_unit != "%"]
    if target == Target.HIGH_DL_PRB_LOAD_RATIO and len(pcts) >= 2:
        return pcts[0], pcts[1]
    value = pcts[0] if pcts else None
    if value is None and target == Target.LOW_DL_RAN_UE_THPT_RATIO and thresholds:
        value = EDGE_DEFAULT_PCT
    if value is None and re.search(rf"\b({GUARD_WORDS})\b", clause, re.I):
        value = pack.kpi_max(target)  # 'keep coverage': the pack's guardrail limit
    return value, (thresholds[0] if thresholds else None)


def implausible(target: Target, values: list[float]) -> str | None:
    unit = spec(target).unit
    if unit == "%" and any(v < 0 or v > 100 for v in values):
        return f"{target} is a percentage; {values} is outside 0-100"
    if unit == "Mbit/s" and any(v > PEAK_UE_THP_MBPS for v in values):
        return f"{values[0]:g} Mbit/s per user is beyond the peak rate of a 100 MHz NR carrier"
    if unit == "Mbit/s" and any(v < 0 for v in values):
        return "a throughput cannot be negative"
    if target == Target.DL_LATENCY and any(v < SLOT_MS for v in values):
        return f"{min(values):g} ms is below one {SLOT_MS} ms slot at 30 kHz subcarrier spacing: infeasible"
    return None


def expectation(exp_id: str, clause: str, target: ExpectationTarget, scope_: Scope) -> IntentExpectation:
    cells_, slices_ = scope_
    if slices_ and spec(target.targetName).per_ue:
        obj = ExpectationObject(objectType="NetworkSlice", objectInstance=slices_)
    elif cells_:
        obj = ExpectationObject(objectType="NRCellDU", objectInstance=[str(c) for c in cells_])
    else:
        obj = ExpectationObject(objectType="RAN_SubNetwork", objectInstance=["all"])
    if slices_ and cells_ and obj.objectType == "NetworkSlice":
        obj.objectContexts.append(Context(contextAttribute="cells", contextCondition=Condition.IS_ONE_OF,
                                          contextValueRange=[float(c) for c in cells_]))
    verb = "ENSURE" if ENSURE_WORDS.search(clause) else "DELIVER"
    return IntentExpectation(expectationId=exp_id, expectationVerb=verb, expectationObject=obj, expectationTargets=[target])


def contradiction(expectations: list[IntentExpectation]) -> str | None:
    """Two absolute targets on the same KPI and object whose allowed ranges do not meet."""
    bounds: dict[tuple, tuple[float, float]] = {}
    for e in expectations:
        for t in e.expectationTargets:
            if t.context("changeRelativeToBaselinePct"):
                continue
            lo, hi = allowed_range(t.targetCondition, t.targetValueRange)
            key = (t.targetName, tuple(e.expectationObject.objectInstance))
            old = bounds.get(key, (-np.inf, np.inf))
            new = (max(old[0], lo), min(old[1], hi))
            if new[0] > new[1]:
                return f"contradictory targets: {t.targetName} cannot be both in {old} and in {(lo, hi)}"
            bounds[key] = new
    return None


def allowed_range(condition: Condition, values: list[float]) -> tuple[float, float]:
    if condition in (Condition.IS_GREATER_THAN, Condition.IS_EQUAL_TO_OR_GREATER_THAN):
        return values[0], np.inf
    if condition in (Condition.IS_LESS_THAN, Condition.IS_EQUAL_TO_OR_LESS_THAN):
        return -np.inf, values[0]
    if condition == Condition.IS_WITHIN_RANGE:
        return values[0], values[1]
    if condition == Condition.IS_EQUAL_TO:
        return values[0], values[0]
    return -np.inf, np.inf
