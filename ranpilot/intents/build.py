"""One clause and its classified target to a `Goal`: value, bound, relative change, threshold,
share of users or of cells, verb; or the question or refusal the clause calls for."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.goals import Goal
from ranpilot.intents.inventory import Problem
from ranpilot.intents.shares import user_share
from ranpilot.policies.pack import PolicyPack
from ranpilot.targets import TARGETS, THROUGHPUT_TARGETS, Condition, Target, spec

CONDITION = r"without|as long as|so long as|provided(?: that)?|on condition that|on the condition that"
# 'keep losing signal', 'keeps dropping': keep + a verb in -ing says something goes on, it holds nothing
KEEP = r"keep\w*(?!\s+(?:on\s+)?(?!existing|remaining|incoming|outgoing|ongoing|serving|working)[a-z]{2,}ing\b)"
GUARD_WORDS = rf"{KEEP}|maintain\w*|preserv\w*|protect\w*|{CONDITION}"
# a clause that starts like this is a guard ('while keeping ...', 'provided that no more interference ...')
GUARD_CLAUSE = re.compile(rf"(keeping|maintaining|preserving|protecting|{CONDITION})\b", re.I)
NO_LOSS = r"no\s+(?:\w+\s+){0,2}?(?:loss|drop|degradation|hit|impact|increase|worsening)|no hit on"
HOLD_WORDS = (rf"{GUARD_WORDS}|kept|held|ensur\w*|guarantee\w*|hold\w*|stay\w*|remain\w*|{NO_LOSS}|"
              r"unchanged|as[- ]is|untouched|(?<!more )(?<!less )(?:flat|steady|stable)$")  # 'latency: unchanged', 'energy flat'
# ENSURE: the operator asks to keep something (the contract's verb); a guard: keep it no worse than today
ENSURE_WORDS = re.compile(rf"\b({HOLD_WORDS}|make sure|assur\w*|never|must not|mustn't|should not|shouldn't|do not|don't|"
                          r"doesn't|does not|under no circumstances|in no case|at no (?:time|point)|"
                          r"not (?:exceed|go|drop|fall|ris|surpass|dipp|climb)\w*ing)\b", re.I)
GUARD_VERBS = re.compile(rf"\b({HOLD_WORDS}|no (?:extra|additional|further)|(?:don't|do not|not|never|no) (?:hurt|harm|degrad|worsen|affect|impact|touch|increas|"
                         r"reduc|lower|rais|caus|creat|introduc|generat|add)\w*)\b", re.I)
# 'must not decrease', 'without any reduction in', 'shouldn't go down', 'no extra interference': keep it no worse, whatever the verb
NEGATED_MOVE = re.compile(rf"(?:\b(?:not|never|no|without)|n't)\s+(?:(?:let|allow)\w*\s+)?(?:\w+\s+){{0,3}}?(?:{ex.CUT_VERBS}|{ex.RAISE_VERBS}|"
                          r"reductions?|increases?|ris(?:e|es|ing)|rose|climb\w*|hurt\w*|harm\w*|degrad\w*|worsen\w*|affect\w*|"
                          r"impact\w*|slow\w*|extra|additional|further|"
                          r"get worse|gets worse|deteriorat\w*|suffer\w*)\b", re.I)
DELIVER_WORDS = re.compile(r"\b(?:cap|caps|capped|limit|limits|restor\w*|return|get|gets|make|bring|reach|achieve|want|need|needs|target|set|aim|go|push|put|give|drive|"
                           r"please|should|must|shall|has to|have to|to be|i'd like|we'd like)\b", re.I)
EDGE_DEFAULT_PCT = 5.0
LEVEL_UNITS = ("Mbit/s", "dBm", "dB")  # the units of the levels that decide which users or cells a share counts
SHARE_SUBJECT = re.compile(r"\b(?:share|ratio|proportion|fraction|percentage|number)\s+of\s+(?:the\s+|all\s+|our\s+)?(?:\w+\s+)?"
                           rf"(?:cells|{ex.USER_NOUNS})\b", re.I)  # a share named as a noun: what it counts follows
NAMES_SHARE = re.compile(r"\b(?:share|ratio|proportion|fraction|percentage|number|count)\b", re.I)  # a share named as such
# '20% of cells', 'the share of the cells' count cells; 'the throughput of the stadium cells' is about those cells
CELL_SHARE = re.compile(r"(?:%|\b(?:share|ratio|proportion|fraction|percentage|number|count|half|most|none|any|majority|many|"
                        r"few|some))\s+(?:of|among)\s+(?:the\s+|all\s+|our\s+)?(?:[\w']+\s+)?cells\b|\bcells?\s+(?:with|whose|that|where)\b|"
                        r"\b(?:low[- ]?\w+|weak(?:ly)?[- ]cover\w*|poor(?:ly)?[- ]cover\w*|bad[- ]coverage|low[- ]sinr|"
                        r"overloaded|hot)\s+cells?\b(?!#)|\bcells?\s+(?:ratio|share)\b|\b(?:mean|average)\s+(?:rsrp|sinr)\b", re.I)
UE_SHARE_OF = {Target.LOW_DL_RAN_UE_THPT_RATIO: Target.LOW_DL_THPT_UE_SHARE, Target.WEAK_RSRP_RATIO: Target.WEAK_RSRP_UE_SHARE,
               Target.LOW_SINR_RATIO: Target.LOW_SINR_UE_SHARE}
CELL_SHARE_OF = {ue: cell for cell, ue in UE_SHARE_OF.items()}

SLOW_USERS = r"\blow[- ](?:throughput|rate|speed) (?:users|ues)\b"  # the users a throughput share counts, named as such
EDGE_WORDS = re.compile(r"\bedge\b|percentile|\b(?:worst|bottom|weakest|slowest|poorest|every|each)\b|\ball (?:the )?users\b|"
                        rf"\b(?:users?|ues?)\W+(?:\w+\s+)?(?:below|under|beneath)\b|{SLOW_USERS}", re.I)
COUNTS_CELLS = re.compile(r"\b(?:hot|overload\w*|congest\w*|busy)\b|\b(?:share|number|fraction|percentage|count) of\b|"
                          r"\bof (?:the |all )?(?:\w+ )?cells\b", re.I)
# 'cells above 80% load' counts cells when a share of them is asked too ('10% of ...', 'halve ...'); alone,
# 'the stadium cells must never go above 70% load' bounds their load
CELLS_ABOVE = re.compile(r"\bcells?\b[^.;]{0,25}\b(?:above|over|beyond|exceed\w*)\s+[\d.]+\s*%", re.I)
LOAD_LEVEL = re.compile(r"\s*(?:(?:evoba|revo|dnoyeb|gnideecxe)\b|=?>)")  # reversed: a load level follows 'above', 'over'...
# '(PRB load over 85%)', 'cells above 80% utilisation', '(threshold 75%)': the load that makes a cell count as overloaded
NAMED_LOAD_LEVEL = re.compile(r"\b(?:load(?:ed)?|utili[sz](?:ation|ed)|prbs?)\s+(?:is\s+|of\s+)?(?:above|over|beyond|exceeding|>=?)\s*$|"
                              r"\bthreshold\s*(?:of\s+|at\s+|=\s*|:\s*|is\s+)?$|"
                              r"^\s*%\s+(?:prb\s+)?(?:load|utili[sz]ation|prbs?)\b", re.I)

# 'up to' a value of a higher-is-better KPI raises it there unless a cap is said
RAISED_UP_TO = re.compile(r"\bup to\s+[\d.]", re.I)
CAPPED = re.compile(r"\b(?:cap\w*|limit\w*|allow\w*|permit\w*|max\w*|at most|no more|tops|ceiling|restrict\w*|throttl\w*)\b", re.I)

Scope = tuple[list[int] | None, list[str]]  # cells (None = all), slices


def guards(clause: str) -> bool:
    """Whether the clause is a guard by its form: 'while keeping ...', 'provided that ...', 'not degrading ...'."""
    return GUARD_CLAUSE.match(clause) is not None or NEGATED_MOVE.search(clause) is not None


def has_verb(clause: str) -> bool:
    """Whether a clause says what to do itself ('keep ...', 'cut ...', 'we need ...'); one that does
    not ('..., URLLC latency <= 5 ms') continues the verb of the clause before it."""
    return bool(ENSURE_WORDS.search(clause) or DELIVER_WORDS.search(clause) or ex.direction_verb(clause))


LEADS_WITH_HOLD = re.compile(r"^(?:please\s+|kindly\s+|(?:we|you)\s+(?:must|should|need to|have to)\s+)?(?:keep|maintain|"
                             r"ensure|guarantee|make sure|hold|preserve|protect)\b", re.I)


def shares_verb(request: str, previous: str, clause: str, lead: str) -> bool:
    """Whether a verbless clause continues the sentence of the previous one, whose verb `lead`
    said, and so takes that verb: 'make sure A, and that B', 'guarantee A, B and C' (not 'A held
    under 3 ms, and B above 30')."""
    if not previous or has_verb(clause):
        return False
    joined = re.search(re.escape(previous) + r"\s*(,?\s*and\s+that|,\s*that|,\s*and|,|\s+and)\s+" + re.escape(clause),
                       request, re.I)
    return joined is not None and ("that" in joined.group(1) or clause.lower().startswith("that ")
                                   or LEADS_WITH_HOLD.match(lead) is not None)


def share_kind(target: Target, clause: str) -> Target:
    """A share target counts cells when the clause says so ('10% of cells with weak coverage'),
    otherwise users."""
    if CELL_SHARE.search(clause):
        return CELL_SHARE_OF.get(target, target)
    return UE_SHARE_OF.get(target, target)


def by_level_unit(target: Target, qs: list[ex.Quantity]) -> Target:
    """A share's level says what it counts: users below -105 dBm are in weak coverage, below 0 dB at
    low SINR, below 3 Mbit/s at low throughput ('fewer than 4% of users below -105 dBm')."""
    s = spec(target)
    levels = {q.unit for q in qs if q.unit in LEVEL_UNITS}
    if not s.is_ratio or len(levels) != 1 or s.threshold.unit in levels:
        return target
    return next((t for t, o in TARGETS.items() if o.counts == s.counts and o.threshold and o.threshold.unit in levels), target)


def named_target(clause: str) -> Target | None:
    """The TS 28.312 target a clause names verbatim ('LowSINRRatio under 10%'): no rewording rule
    overrides the standard's own name."""
    return next((t for t in Target if re.search(rf"\b{t.value}\b", clause, re.I)), None)


def build_goal(target: Target | str, clause: str, scope: Scope, pack: PolicyPack) -> Goal | Problem:
    """The goal a clause states about `target` over `scope`, or the question or refusal it calls for."""
    target, (cells, slices) = Target(target), scope
    relative = ex.BY_PERCENT_RE.search(clause)
    qs = [q for q in ex.quantities(clause) if not (relative and relative.start() <= q.start < relative.end())]
    share = user_share(clause)
    if share and not 0 <= share[0] <= 100:
        return "rejected", "invalid_value", f"{share[0]:g}% of users is not a share: it must lie within 0-100%"
    if share and target in THROUGHPUT_TARGETS and any(q.unit == "Mbit/s" for q in qs):
        target = Target.LOW_DL_THPT_UE_SHARE  # '90% of users above 10 Mbps': at most 10% below it
    if target in THROUGHPUT_TARGETS and CELL_SHARE.search(clause) and (relative or any(q.unit == "%" for q in qs)):
        target = Target.LOW_DL_RAN_UE_THPT_RATIO  # '20% of cells below 6 Mbps': a share of cells
    elif target in THROUGHPUT_TARGETS and (SHARE_SUBJECT.search(clause) or (
            (NAMES_SHARE.search(clause) or re.search(SLOW_USERS, clause, re.I)) and any(q.unit == "%" for q in qs))):
        target = Target.LOW_DL_THPT_UE_SHARE  # 'the share of users below 4 Mbps', 'low-throughput users to 1%'
    if target == Target.LOW_DL_THPT_UE_SHARE and not (share or SHARE_SUBJECT.search(clause) or EDGE_WORDS.search(clause)
                                                      or any(q.unit == "%" for q in qs)
                                                      or (relative and (CELL_SHARE.search(clause) or NAMES_SHARE.search(clause)))):
        target = Target.AVE_DL_RAN_UE_THPT  # 'throughput above 15 Mbps' counts no users
    target = by_level_unit(share_kind(target, clause), qs)
    counted = COUNTS_CELLS.search(clause) or (CELLS_ABOVE.search(clause) and (relative or len([q for q in qs if q.unit == "%"]) > 1))
    if target == Target.HIGH_DL_PRB_LOAD_RATIO and not counted:
        target = Target.AVE_DL_PRB_LOAD  # 'PRB load under 65% for the stadium cells' counts no cells
    if slices and (target == Target.AVE_DL_RAN_UE_THPT
                   or (target == Target.LOW_DL_THPT_UE_SHARE and not any(q.unit == "%" for q in qs))):
        target = Target.DL_THPT_PER_UE
    target = named_target(clause) or target
    s = spec(target)
    common = {"target": target, "cells": cells, "slice": slices[0] if slices and s.per_ue else None,
              "verb": "ENSURE" if ENSURE_WORDS.search(clause) or guards(clause) else "DELIVER"}
    level = next((q for q in qs if target == Target.HIGH_DL_PRB_LOAD_RATIO and q.unit == "%" and (
        NAMED_LOAD_LEVEL.search(clause[:q.start]) or NAMED_LOAD_LEVEL.match(clause[q.start:].lstrip("0123456789.")))), None)
    pcts = [q.value for q in qs if q.unit == "%" and q is not level]
    direction = ex.direction_verb(clause, s.higher_is_better)
    signed = relative is not None and relative.group(1)[0] in "+-"
    if relative and (not s.is_ratio or signed or (not pcts and direction)):
        # 'by -50%' (halve, down to half of today's) carries its sign; 'cut by 10%' takes the verb's
        change = float(relative.group(1)) if signed else abs(float(relative.group(1))) * (1 if direction >= 0 else -1)
        threshold = ratio_value(target, clause, qs, pcts, pack, level)[1] if s.is_ratio else None
        return Goal(**common, bound="min" if change > 0 else "max", change_pct=change, threshold=threshold)
    threshold = None
    if s.is_ratio:
        value, threshold = ratio_value(target, clause, qs, pcts, pack, level)
        if value == EDGE_DEFAULT_PCT and not pcts and NAMES_SHARE.search(clause):
            value = None  # 'reduce the share of cells under 3 Mbps': a share named as such has no cell-edge default
        if share and share[1] and value == share[0]:
            value = 100.0 - share[0]  # the ratio counts the poorly served users
    else:  # percentages of a load target are values, not ratios
        matching = [q.value for q in qs if q.unit == s.unit]
        value = matching[0] if matching else ex.bare_value(clause)
    between = ex.BETWEEN_RE.search(clause)
    if between:
        low, high = sorted((float(between.group(1)), float(between.group(2))))
        return Goal(**common, bound="range", range=(low, high), threshold=threshold)
    guard = guards(clause) or (value is None and not direction and GUARD_VERBS.search(clause) is not None)
    if value is None and (guard or direction):
        # 'without hurting latency', 'while keeping throughput': no worse than today.
        # 'cut transmit power at night': strictly better than today, by an unstated amount.
        bound = ("min" if s.higher_is_better else "max") if guard else ("min" if direction > 0 else "max")
        common["verb"] = "ENSURE" if guard else common["verb"]  # 'not to hurt something' is ENSURE
        return Goal(**common, bound=bound, change_pct=0.0, strict=not guard, threshold=threshold)
    if value is None:
        where = f" on cells {cells}" if cells else ""
        return "clarify", "missing_value", f"what value should {target.value} reach{where}? Give a number in {s.unit}."
    condition = ex.comparison(clause)
    if s.higher_is_better and RAISED_UP_TO.search(clause) and not CAPPED.search(clause):
        condition = Condition.IS_EQUAL_TO_OR_GREATER_THAN  # "I'd like efficiency up to 4 Mbit/J": raised to it, not capped
    if condition in (None, Condition.IS_WITHIN_RANGE) or s.is_ratio:
        bound = "min" if s.higher_is_better else "max"
    else:
        bound = "min" if condition in (Condition.IS_GREATER_THAN, Condition.IS_EQUAL_TO_OR_GREATER_THAN) else "max"
    return Goal(**common, bound=bound, value=value, threshold=threshold)


def ratio_value(target: Target, clause: str, qs: list[ex.Quantity], pcts: list[float], pack: PolicyPack,
                level: ex.Quantity | None) -> tuple[float | None, float | None]:
    """(ratio in %, threshold) for ratio targets: 'fewer than 5% of users below 2 Mbps'. A
    percent threshold (cells above 80% load) is a load `level` named as such, or read from a pair
    of percentages."""
    threshold_unit = spec(target).threshold.unit
    thresholds = [q.value for q in qs if q.unit == threshold_unit and threshold_unit != "%"] + ([level.value] if level else [])
    if target == Target.HIGH_DL_PRB_LOAD_RATIO and len(pcts) >= 2:
        loads = [q.value for q in qs if q.unit == "%" and LOAD_LEVEL.match(clause[:q.start][::-1])]
        paired = loads[0] if loads else pcts[1]
        return next(p for p in pcts if p != paired), paired
    value = pcts[0] if pcts else ex.bare_value(clause)  # 'hot cells down to 0': in the target's own unit, %
    if value is None and target in (Target.LOW_DL_THPT_UE_SHARE, Target.LOW_DL_RAN_UE_THPT_RATIO) and thresholds:
        value = EDGE_DEFAULT_PCT
    if value is None and (GUARD_VERBS.search(clause) or guards(clause)) and not NAMES_SHARE.search(clause):
        value = pack.kpi_max(target)  # 'keep coverage': the pack's guardrail limit; 'keep the share of ...' names the KPI
    return value, (thresholds[0] if thresholds else None)
