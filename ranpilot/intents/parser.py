"""Embedded (offline) intent parser: operator text -> `Understanding`: goals, configuration changes,
a clarifying question, or a refusal.

The text is first put in canonical form (`normalize.py`: digits, percentages, relative changes,
ranges, target units, cell lists as tokens); its time window and priority are read and cut out
(`schedule.py`); it is cut into clauses, each with its scope (`clauses.py`). Text about safety
(disabling, ignoring or overriding policies, or claiming system authority) is refused whatever
else it says. Otherwise every problem the request has is collected (a clause that is not about
the network, unsafe or impossible values, unmanaged KPIs, nonexistent cells, slices or areas,
contradictions, vagueness, missing values) and the first in the labelling contract's order wins;
without one, direct configuration requests become changes and every other clause its own goal.
"""

from __future__ import annotations

import re
import unicodedata

from ranpilot.intents import schedule
from ranpilot.intents.build import DELIVER_WORDS, ENSURE_WORDS, build_goal, shares_verb
from ranpilot.intents.classify import classify
from ranpilot.intents.clauses import Clause, clauses_of, names_scope
from ranpilot.intents.config_requests import config_changes, named_parameter, unvalued_setting
from ranpilot.intents.extraction import CELLS_RE, comparison, direction_verb
from ranpilot.intents.goals import ConfigChange, Goal, Understanding
from ranpilot.intents.inventory import Inventory, Problem, change_problem, goal_problem
from ranpilot.intents.judgement import contradiction, first, out_of_domain, scope_problems, vague, vague_role
from ranpilot.intents.normalize import canonical
from ranpilot.intents.relative import absolute_change
from ranpilot.intents.safety import UNSUPPORTED, safety_override, safety_problem, unsafe_changes
from ranpilot.intents.shares import user_share
from ranpilot.policies.pack import PolicyPack, load_pack
from ranpilot.targets import spec

MAX_TEXT_CHARS = 2000
ASKS_FOR_VALUE = re.compile(r"\b(?:set|define|specify|establish|configure|give|add|put in place|target|goal|tbd|tbc|to be "
                            r"(?:decided|defined|confirmed|determined)|decide|pick|choose|appropriate|suitable|right)\b|\?\s*$",
                            re.I)
COMPLAINT = re.compile(r"\b(?:better|improv\w*|fix\w*|do something|optimi[sz]\w*|unhappy|complain\w*|slow|bad|issues?|"
                       r"problems?|smooth\w*|sort (?:it|this|that) out|tun(?:e|ing)|perform\w*|quality|experience|happ(?:y|ier)|"
                       r"satisf\w*|perfect\w*|flawless\w*|(?:work|run)\w* (?:well|properly|smoothly|right))\b", re.I)
RAN_WORDS = re.compile(r"\b(cells?|network|throughput|latency|delay|coverage|energy|power|prb|load|slice|users?|ues?|sinr|rsrp|"
                       r"interference|signal|speed|mbps|mbit|tilt|handover|traffic|congest\w*|urllc|embb|mmtc)\b", re.I)
REPORTED = re.compile(r"\b(?:say|says|said|report(?:s|ed)?|complain(?:s|ed)?|tell us|told us|claim(?:s|ed)?|mention(?:s|ed)?)\b",
                      re.I)
REQUEST = re.compile(r"\b(?:please|pls|should|must|shall|needs?|want\w*|like|has to|have to|let's|target|goal|aim|"
                     r"expect\w*|require\w*|i'd|we'd|can you|could you|would you)\b", re.I)
# a verb of being or a word of time: the clause describes how things are ('stuck <8 Mbps', 'hovering above 20 ms lately')
DESCRIBES = re.compile(r"\b(?:stuck|sits|sitting|hover\w*|languish\w*|crawl\w*|is|are|was|were|been|barely|currently|lately|"
                       r"these days|averag(?:es|ing|ed)|peak(?:s|ing|ed))\b", re.I)
GAPPED_CHANGE = re.compile(r"^\W*cells?#[\d_]+\W+(?:\w+\s+){0,2}?[+-]?\d", re.I)  # 'c6 by 1', 'c7 to 40 dBm', 'c8 down 2'
# 'latency is too high on cell 4', 'interference at the airport is killing us': a complaint about a KPI
TOO_BAD = re.compile(r"\btoo\s+(?:high|low|much|many|long|slow|weak|little|few|big|poor|bad)\b|\b(?:excessive|terrible|awful|horrible|"
                     r"dreadful|rubbish|unacceptable|killing us|sluggish|laggy|not good enough)\b", re.I)
IT = re.compile(r"\b(?:it|that|this|them)\b", re.I)
IMPERATIVE = re.compile(r"^\W*(?:get|make|bring|set|give|put|push|drive|limit|cap|target|hold|keep|take|lift|move)\b", re.I)
ABSOLUTE_QUESTION = ("to what value should it move, or by what percentage? A change by an absolute amount needs "
                     "today's value, which may not be what you see")
WHICH_KPI = ("which KPI should change, and to what value? "
             "For example: 'keep average user throughput above 30 Mbps in cells 3-5'.")


def understand(text: str, inventory: Inventory | None = None, pack: PolicyPack | None = None) -> Understanding:
    """Parse one request against the network's inventory (default: the default 21-cell network)
    and the policy pack in force (default: the shipped one)."""
    inventory, pack = inventory or Inventory(), pack or load_pack()
    text = unicodedata.normalize("NFKC", text or "").strip()
    if not text:
        return _no(text, ("rejected", "vague", "empty request"))
    if len(text) > MAX_TEXT_CHARS:
        return _no(text[:200], ("rejected", "too_long", f"an intent is at most {MAX_TEXT_CHARS} characters"))
    override = safety_override(text)
    if override:
        return _no(text, override)
    window, canon = schedule.time_window(whole := canonical(text))
    priority, canon = schedule.priority(canon)
    clauses = clauses_of(canon, inventory.areas, inventory.num_cells)
    problems = [safety_problem(canon, pack), out_of_domain(whole), *scope_problems(canon, inventory)]
    changes = _changes(clauses)
    if changes:
        problems += [unsafe_changes(changes, inventory), *(change_problem(c, inventory) for c in changes),
                     contradiction([], changes)]
        return _no(text, first(problems)) if first(problems) else Understanding(
            text=text, status="config", changes=changes, window=window, priority=priority)
    goals = _goals(canon, clauses, inventory, pack, problems)
    problem = first(problems + [contradiction(goals, [])])
    if problem:
        return _no(text, problem)
    return Understanding(text=text, status="parsed", goals=goals, window=window, priority=priority)


def _setting_question(parameter: str) -> Problem:
    return "clarify", "missing_value", f"what value should {parameter} take, or by how much should it move?"


def _no(text: str, problem: Problem) -> Understanding:
    status, reason, message = problem
    return Understanding(text=text, status=status, reason=reason, message=message)


def _changes(clauses: list[Clause]) -> list[ConfigChange]:
    """Every clause's changes, each once ('c0 back on pls, switch it on' says one change twice); a clause
    naming only a slice and a share continues a PRB-share list ('reserve 40% of the PRBs for URLLC and 10% for mMTC'), one
    opening with its cells and an amount continues the change before it ('uptilt c5 by 2, c6 by 1': the verb before c5)."""
    out: list[ConfigChange] = []
    head = ""  # the words before the cells of the last clause that asked for a change
    for clause in clauses:
        found = config_changes(clause.text, clause.cells, clause.slices)
        if not found and out and out[-1].parameter == "min_prb_ratio" and clause.slices:
            found = config_changes(f"PRB share {clause.text}", clause.cells, clause.slices)
        if not found and out and head and GAPPED_CHANGE.match(clause.text):
            found = config_changes(f"{head} {clause.text}", clause.cells, clause.slices)
        elif found and (cell := CELLS_RE.search(clause.text)):
            head = clause.text[:cell.start()]
        out += [change for change in found if change not in out]
    return out


def _goals(text: str, clauses: list[Clause], inventory: Inventory, pack: PolicyPack, problems: list) -> list[Goal]:
    """Every clause's goal; the problems met on the way are added to `problems`."""
    labelled = classify([c.text for c in clauses])
    targets: list[str | None] = []
    for clause, (target, _) in zip(clauses, labelled):
        targets.append(targets[-1] if clause.points_back and targets and targets[-1] else target)
    if all(target is None for target in targets):
        parameter = next((named_parameter(c.text) for c in clauses if c.cells and named_parameter(c.text)), None)
        if parameter:  # 'Adjust the tilt on cell 4': a setting to change, without its value
            problems.append(_setting_question(parameter))
            return []
        about_network = RAN_WORDS.search(text) or UNSUPPORTED.search(text) or names_scope(text) or any(
            c.named or c.slices for c in clauses)
        problems.append(("clarify", "vague", WHICH_KPI) if about_network or COMPLAINT.search(text) else
                        ("rejected", "out_of_domain", "out of domain: this is not about the radio network"))
        return []
    goals: list[Goal] = []
    request, previous, lead = text, "", ""  # the last goal's clause, and the clause whose verb it took
    unpinned: list[tuple[tuple, Problem, bool]] = []
    reported: list[Goal] = []  # goals said as someone's report: the request only when it asks nothing else
    complaints: list[Goal] = []  # the better a valueless complaint asks for: the request only when it asks nothing else
    context, unsized_target = "", None  # a clause without a value that the next one points back to ('share of ... -> get it under 10%')
    where = None  # the cells such a clause named ('interference is too much in airport, reduce ...')
    stated = False  # whether the last goal's clause only stated a value ('low SINR is hitting a third of the users')
    worse = False  # whether it bounded its KPI on the side no one asks for ('latency on cell 4 above 50 ms')
    kpis = [bool(target) and not vague(clause.text) for clause, target in zip(clauses, targets)]
    for i, (clause, target) in enumerate(zip(clauses, targets)):
        if parameter := unvalued_setting(clause.text, clause.cells):
            problems.append(_setting_question(parameter))
            continue
        role = "" if clause.points_back or not vague(clause.text) else vague_role(
            clause.text, clause.named, bool(context), any(kpis[:i] + kpis[i + 1:]))
        if role == "asks":
            problems.append(("clarify", "vague", WHICH_KPI))
        if role in ("asks", "aside") or target is None:
            continue
        target = unsized_target if role == "completes" else target
        if absolute_change(clause.text):
            problems.append(("clarify", "missing_value", ABSOLUTE_QUESTION))
            continue
        completes = (clause.points_back or role == "completes") and bool(context)  # it sizes the clause before it
        text, context = (f"{context} {clause.text}" if completes else clause.text), ""
        cells = clause.cells if clause.named or where is None else where
        built = build_goal(target, text, (cells, clause.slices), pack)
        if isinstance(built, tuple) and built[1] == "missing_value":
            unpinned.append(((target, tuple(clause.cells or ())), built, ASKS_FOR_VALUE.search(text) is not None))
            context, where, unsized_target = text, (clause.cells if clause.named else where), target
            if TOO_BAD.search(clause.text) and isinstance(better := build_goal(target, f"{text}, improve it", (cells, clause.slices),
                                                                              pack), Goal):
                complaints.append(better)
            if clause.points_back and goals and ENSURE_WORDS.search(clause.text):  # '..., please hold it there'
                goals[-1] = goals[-1].model_copy(update={"verb": "ENSURE"})
        elif isinstance(built, tuple):
            problems.append(built)
        elif REPORTED.search(clause.text) and not (DELIVER_WORDS.search(clause.text) or ENSURE_WORDS.search(clause.text)):
            reported.append(built)  # 'customers say their bars drop to zero': what someone says is so, not a request
        else:
            if completes and unpinned:
                unpinned.pop()
            if (stated or (worse and IT.search(clause.text))) and goals and _restates(goals[-1], built):
                built = built.model_copy(update={"threshold": built.threshold or goals.pop().threshold})
            if goals and goals[-1].verb == "ENSURE" and shares_verb(request, previous, clause.text, lead):
                built = built.model_copy(update={"verb": "ENSURE"})  # 'make sure A, and that B'
            else:
                lead = clause.text
            problems.append(goal_problem(built, inventory))
            goals.append(built)
            previous, stated, worse = clause.text, _states_only(clause.text), _worse_state(built, clause.text)
    # 'The power bill is too high. Reduce energy by 10%', 'we expect heavy load. Please raise ...': a
    # statement without a value beside goals is context; a request for a target without one asks.
    if not goals:  # ... and a complaint alone asks for better ('latency is too high on cell 4')
        goals = reported or complaints
        problems += [goal_problem(goal, inventory) for goal in goals]
    pinned = {(g.target, tuple(g.cells or ())) for g in goals}
    problems += [problem for key, problem, asks in unpinned if key not in pinned and (asks or not goals)]
    return _merge_restatements(goals)


def _states_only(clause: str) -> bool:
    """Whether a clause states a value without asking anything of it: no word of request or of holding,
    no move, not an imperative ('low SINR is hitting about a third of the users on cell 2', 'some 20% of
    subscribers get under 2 Mbps': a comparison in a share of users only says which users are counted; 'c14 thru stuck
    <8 Mbps': a comparison after a verb of being describes today)."""
    return not (_asks(clause) or (comparison(clause) and user_share(clause) is None and not DESCRIBES.search(clause)))


def _worse_state(goal: Goal, clause: str) -> bool:
    """'P1 incident: latency on cell 4 above 50 ms, bring it under 20 ms': a bound on the side no one asks
    for (above, for a lower-is-better KPI) without a word of request describes today, when a value asked
    for the same KPI points back to it."""
    better_bound = "min" if spec(goal.target).higher_is_better else "max"
    return goal.value is not None and goal.bound != better_bound and not _asks(clause)


def _asks(clause: str) -> bool:
    """Whether a clause asks something: a word of request or of holding, a move, an imperative."""
    return bool(REQUEST.search(clause) or ENSURE_WORDS.search(clause) or direction_verb(clause) or IMPERATIVE.match(clause))


def _restates(stated: Goal, asked: Goal) -> bool:
    """'Low SINR is hitting a third of the users on cell 2; target is 10%': a value stated, then the
    value asked for the same KPI and scope, pointing back to it: the stated one was today's."""
    sized = asked.value is not None or asked.range is not None or bool(asked.change_pct)
    return sized and (stated.target, stated.cells, stated.slice) == (asked.target, asked.cells, asked.slice)


def _merge_restatements(goals: list[Goal]) -> list[Goal]:
    """A goal without a number ('we need to save power on cells 15-20') beside one on the same
    target with a number ('a 25% cut would be ideal') is the same goal said twice: keep the one with
    the number, with the scope the other named if it names none. A goal said twice the same way
    ('Shareholders expect energy costs down. Reduce RAN energy consumption') is one goal."""
    out = [g for i, g in enumerate(goals) if g not in goals[:i]]
    for unsized in list(out):
        if unsized.value is not None or unsized.range is not None or unsized.change_pct != 0:
            continue
        same = [g for g in out if g is not unsized and (g.target, g.slice) == (unsized.target, unsized.slice)
                and (g.value is not None or g.range is not None or g.change_pct) and g.cells in (None, unsized.cells)]
        if same:
            out[out.index(same[0])] = same[0].model_copy(update={"cells": same[0].cells or unsized.cells})
            out.remove(unsized)
    return out
