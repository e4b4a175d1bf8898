"""Problems a request as a whole can have, and which one is reported when there are several.

The labelling contract (benchmarks/data/intents/LABELS.md) fixes the order: a request with a
clause that is not about the network is out of domain even when another clause has an unsafe
value; an unknown cell is reported before a contradiction, and so on."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.clause_words import KPI_WORDS
from ranpilot.intents.clauses import pieces
from ranpilot.intents.goals import ConfigChange, Goal
from ranpilot.intents.inventory import Inventory, Problem
from ranpilot.intents.safety import UNSUPPORTED

ORDER = ("safety_override", "out_of_domain", "unsafe_value", "invalid_value", "unsupported_kpi", "unknown_cell",
         "unknown_slice", "unknown_area", "contradiction", "vague", "missing_value")
ASKED = (r"^\W*(?:(?:please|pls|kindly|hey|hi|hello|ok|now|also|and)\W+)*(?:(?:could|can|would|will) (?:you|u)\s+(?:please\s+)?|"
         r"i (?:want|need|would like) (?:you )?to\s+)?")  # the courtesy and the modal before the verb of a request
OTHER_REQUEST = re.compile(ASKED + r"(?:write|draft|compose|book|order|arrange|organi[sz]e|print|call|cancel|pay|schedule|forecast|"
                           r"predict|buy|send|e-?mail|reset|translate|tell|summari[sz]e|remind|find|play|sing|recommend|explain|"
                           r"give me|get me)\b", re.I)
# verbs whose request is never a network change, whatever network words their object has ('tell me a joke about latency',
# 'explain what PRB load means', 'remind me to check cell 4', 'order a replacement antenna for cell 12')
OFFICE_REQUEST = re.compile(ASKED + r"(?:tell (?:me|us)|explain|summari[sz]e|remind|translate|write|draft|compose|sing|recommend|"
                            r"print|buy|pay|e-?mail|(?:book|order) (?:a|an|me|us|some|new|more|another|\d+))\b", re.I)
# 'what they would like is ...', 'what we need, ideally, is ...': the request said as a pseudo-cleft, no question
PSEUDO_CLEFT = (r"\s+(?:[\w']+\s+){1,3}?(?:wants?|would (?:really )?(?:like|love|want)|'d like|needs?|asks? for|expects?|"
                r"(?:is|are) (?:after|asking for|hoping for))\b")
# a question asking for information ('what ...', 'anyone know when ...'): only where it opens a sentence;
# inside one, 'when the meters receive updates' says when the request holds
QUESTION = re.compile(r"^\W*(?:(?:hey|hi|hello|ok|so)\W+)*(?:(?:does|do)\s+)?(?:(?:any|some) ?(?:one|body)|you)\s+know\b|"
                      r"^\W*(?:(?:hey|hi|hello|ok|so)\W+)*(?:what(?!" + PSEUDO_CLEFT + r")|who|where|when|how(?:'s| is| are| was)|how much|"
                      r"how many|how do)\b", re.I)


# things that have a latency, an energy use or a 'cell' of their own but are not the radio network: IT systems,
# building services, money matters
OFF_NETWORK = (r"databases?|servers?|quer(?:y|ies)|websites?|web ?pages?|spreadsheets?|formulas?|inbox|e-?mails?|laptops?|printers?|"
               r"vpn|intranet|crm|erp|cooling(?: system)?|hvac|air[- ]?con\w*|chillers?|boilers?|heating|lighting|elevators?|"
               r"data[- ]?cent(?:er|re)s?|datacent\w+|payroll|refunds?|invoices?|salar(?:y|ies)|expenses?|reimburse\w*|"
               r"coffee(?: machines?)?|vending machines?|kitchen|canteen")
# a piece of writing asked for ('translate the cell 5 outage report', 'draft an email about the stadium cells'): office
# work about the network, not a change to it
DOCUMENT_TASK = re.compile(r"\b(?:write|draft|compose|translate|summari[sz]e|print|e-?mail|proofread|prepare|format)\s+(?:me\s+|us\s+)?"
                           r"(?:[\w'#-]+\s+){0,5}?(?:reports?|summar(?:y|ies)|e-?mails?|memos?|slides?|decks?|documents?|docs?|"
                           r"presentations?|minutes|letters?|notes?|posts?|articles?|poems?|haikus?|stor(?:y|ies)|tweets?|"
                           r"press releases?)\b", re.I)
OFF_NETWORK_RE = re.compile(rf"\b(?:{OFF_NETWORK})\b", re.I)
# what only the radio network has; a 'cell' of a spreadsheet is not one ('Cell 4 of the budget spreadsheet')
NETWORK_MARK = re.compile(r"\b(?:ran|radio|network|base ?stations?|antennas?|sites?|urllc|embb|mmtc|miot|slices?|prbs?|tilt|cio|"
                          r"sinr|rsrp|coverage|interference|handovers?|downlink|dl)\b|\bcells?#[\d_]+(?![\d_])(?!\s+(?:of|in|on)\s+(?:the\s+|our\s+|"
                          rf"this\s+|that\s+)?(?:[\w-]+\s+){{0,2}}(?:{OFF_NETWORK})\b)", re.I)


def first(problems: list[Problem | None]) -> Problem | None:
    """The problem the contract reports first, or None."""
    found = [p for p in problems if p]
    return min(found, key=lambda p: ORDER.index(p[1]) if p[1] in ORDER else -1) if found else None


def out_of_domain(text: str) -> Problem | None:
    """A piece that asks for something other than the network ('write me a haiku', 'book me a
    taxi to the office', "what's the weather"). Courtesy and context around a network request
    ('for the sake of our visitors', 'thank you very much') are not requests of their own. A KPI of
    something other than the network ('the latency of our payroll database queries', 'the energy of the
    data-centre cooling') with nothing only the network has, or a piece of writing about it ('translate the
    cell 5 outage report'), is not a request to the network either."""
    if (off := OFF_NETWORK_RE.search(text)) and not NETWORK_MARK.search(text):
        return "rejected", "out_of_domain", f"out of domain: {off.group(0)!r} is not part of the radio network"
    if writing := DOCUMENT_TASK.search(text):
        return "rejected", "out_of_domain", f"out of domain: {writing.group(0)!r} is writing, not a network change"
    for piece, opens in pieces(text):
        words = re.findall(r"[a-z']+", piece.lower())
        if len(words) >= 2 and OFFICE_REQUEST.match(piece) or (
                len(words) >= 2 and (OTHER_REQUEST.match(piece) or (opens and QUESTION.match(piece))) and not (
                KPI_WORDS.search(piece) or ex.quantities(piece) or ex.CELLS_RE.search(piece) or UNSUPPORTED.search(piece))):
            return "rejected", "out_of_domain", f"out of domain: {piece.strip()!r} is not about the radio network"
    return None


def vague(clause: str) -> bool:
    """'make the network better': no KPI named and no quantity to pin one down."""
    return not KPI_WORDS.search(clause) and not ex.quantities(clause) and not ex.BY_PERCENT_RE.search(clause)


# what a request to make things better without a KPI is about: the network, things, the experience...
GENERAL_OBJECT = re.compile(r"\b(?:network|net|things|everything|everywhere|stuff|service|performance|quality|experience|overall|"
                            r"general(?:ly)?|it all|situation|customers?|users|people|ppl|site|area)\b", re.I)
FIX_VERB = re.compile(r"\b(?:sort\w*|deal with|tackle|resolve|remedy|do something|see to)\b", re.I)


def vague_role(clause: str, named: bool, after_unsized: bool, kpi_elsewhere: bool) -> str:
    """What a clause without a KPI does in its request: 'completes' the valueless KPI clause before it
    ('c16 throughput poor, improve pls': improve that KPI); 'asks' for something no KPI pins down
    ('..., and make things better overall': vague); or is an 'aside' on the amount of a goal said
    elsewhere ('improve efficiency a little? No specific number, just better than now')."""
    if GENERAL_OBJECT.search(clause):
        return "asks"
    if after_unsized and (ex.direction_verb(clause) or FIX_VERB.search(clause)):
        return "completes"
    return "asks" if named or not kpi_elsewhere else "aside"


QUOTED = re.compile(r"['\"‘’“”]([a-z][\w-]*)['\"‘’“”]", re.I)  # "the 'premium' slice": a name in quotes is the name
# a class of service written where a slice goes ('V2X throughput', 'gold-tier latency'): a slice this network does not have
# ('premium speeds' only says fast: a tier word names a slice with 'slice' or 'tier', read by `ex.unknown_slices`)
SERVICE_CLASS = re.compile(r"\b(c-v2x|v2x|xr|vr|fwa|nb-iot|lte-m|vonr|cloud gaming|gaming|public[- ]safety)\s+"
                           r"(?:throughput|thru|speeds?|latency|delay|traffic|prbs?|qos)\b", re.I)


def scope_problems(text: str, inventory: Inventory) -> list[Problem]:
    """Cells, slices and areas the text names that the network does not have."""
    problems: list[Problem] = []
    bad = ex.bad_cell_ids(text) + [str(c) for c in ex.cells(text) if not 0 <= c < inventory.num_cells]
    if bad:
        problems.append(("clarify", "unknown_cell", f"cell {bad[0]} does not exist: {inventory.describe_cells()}. "
                         "Which cells did you mean?"))
    strange = ex.unknown_slices(QUOTED.sub(r"\1", text)) + [m.group(1) for m in SERVICE_CLASS.finditer(text)]
    if strange:
        problems.append(("clarify", "unknown_slice", f"there is no slice {strange[0]!r}; the slices are "
                         f"{', '.join(inventory.slices)}. Which one did you mean?"))
    unknown = ex.areas(text, inventory.areas)[1]
    if unknown:
        known = f"; known areas: {', '.join(inventory.areas)}" if inventory.areas else ""
        problems.append(("clarify", "unknown_area", f"which cells make up the {unknown[0]}? Name them "
                         f"('cells 3, 4 and 5') or define the area{known}"))
    return problems


def contradiction(goals: list[Goal], changes: list[ConfigChange]) -> Problem | None:
    """Two goals on the same target and scope that cannot both hold (absolute ranges that do not
    meet, or different changes relative to today), or two different changes of one parameter."""
    allowed: dict[tuple, tuple[float, float, Goal]] = {}
    relative: dict[tuple, Goal] = {}
    for goal in goals:
        key = (goal.target, tuple(goal.cells or ()), goal.slice, goal.threshold)
        if goal.relative:
            old = relative.setdefault(key, goal)
            if (old.change_pct, old.bound) != (goal.change_pct, goal.bound):
                return _both(old, goal)
            continue
        lo, hi = goal.range or ((goal.value, float("inf")) if goal.bound == "min" else (float("-inf"), goal.value))
        old_lo, old_hi, old = allowed.get(key, (lo, hi, goal))
        lo, hi = max(lo, old_lo), min(hi, old_hi)
        if lo > hi:
            return _both(old, goal)
        allowed[key] = (lo, hi, goal)
    moves: dict[tuple, ConfigChange] = {}
    for change in changes:
        old = moves.setdefault((change.parameter, change.cell, change.slice), change)
        if (old.value, old.delta) != (change.value, change.delta):
            return "clarify", "contradiction", f"cell {change.cell}: two different {change.parameter} changes were asked"
    return None


def _both(old: Goal, new: Goal) -> Problem:
    return "clarify", "contradiction", f"'{old.describe()}' and '{new.describe()}' cannot both hold: which one do you want?"
