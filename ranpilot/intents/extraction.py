"""Deterministic extraction from (canonical, see `normalize.py`) operator text: quantities with
units, comparison words, direction verbs, cells, slices and named areas."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ranpilot.targets import Condition

NUMBER = r"(?<![\w.#])(-?\d+(?:\.\d+)?)"  # not part of a word or of a cell token ('cells#3_4')
UNIT_RE = re.compile(NUMBER + r"\s*(mbit/s|ms|%|dbm|kw|bit/j|degrees?|deg\b|°|db\b)", re.I)
BETWEEN_RE = re.compile(r"between\s+" + NUMBER + r"\s*(?:%|[\w/]+)?\s+and\s+" + NUMBER, re.I)
BY_PERCENT_RE = re.compile(
    r"(?:\bby\s+(?:at least\s+|about\s+|around\s+|roughly\s+)?|\b(?:sav(?:e|ing)|cut(?:ting)?|reduc(?:e|ing)|lower(?:ing)?|trim(?:ming)?|shav(?:e|ing)|rais(?:e|ing)|increas(?:e|ing)|"
    r"boost(?:ing)?)\s+"
    r"(?:about\s+|around\s+|roughly\s+)?)([+-]?\d+(?:\.\d+)?)\s*%", re.I)
CELL_ID = r"\d+\b(?!\.\d)(?!:\d|\s*(?:am\b|pm\b|[ap]\.m|h\b|o'clock|%|mbit/s|ms\b|kw\b|bit/j|dbm?\b|deg|°|s\b|seconds?|w\b|kbps|mbps|gbps))"
CELL_LIST = re.compile(r"\b(?:cells?|sites?)(?:\s+(?:ids?|numbers?|numbered|no\.?|#))?\s*(" + CELL_ID +
                       r"(?:(?:\s*(?:,\s*and|,|and|&|or|to|through|thru|until|till|\.\.|-)\s*|\s+)" + CELL_ID + r")*)", re.I)
CELLS_RE = re.compile(r"\bcells?#([\d_]+)", re.I)
SLICE_RE = re.compile(r"\b(urllc|embb|mmtc|miot)\b", re.I)
USER_NOUNS = (r"users|ues|subscribers|devices|customers|clients|people|passengers|travell?ers|visitors|fans|spectators|attendees|"
              r"guests|handsets|phones|terminals")
USERS = rf"(?:the\s+|all\s+|our\s+)?(?:\w+\s+)?(?:{USER_NOUNS})\b"
SLICE_NAMES = {"urllc": "URLLC", "embb": "eMBB", "mmtc": "mMTC", "miot": "mMTC"}
PLACE_WORDS = ("stadium", "station", "airport", "downtown", "mall", "campus", "arena", "harbour", "harbor", "centre", "center",
               "port", "hospital", "beach", "zone", "town", "fairground", "hall", "park", "square", "university", "school",
               "market", "district", "village", "plaza", "terminal", "venue", "factory", "suburbs?", "city", "neighbou?rhood",
               "museum", "zoo", "seafront", "waterfront", "docks?", "marina", "racetrack", "showground", "exhibition", "quarry",
               "gates?", "lobby", "warehouse", "highway", "motorway", "tunnel", "bridge", "office", "mine", "farm", "resort",
               "plant", "depot", "estate", "ward", "(?<!in-)house", "theat(?:re|er)", "hotel", "library", "church", "cathedral", "arcade",
               "pier", "sectors?")

GE_WORDS = r"at least|no less than|not below|not fall below|never below|minimum of|min\.?|>=|≥|or more|or above"
GT_WORDS = r"above|over|more than|greater than|exceed\w*|higher than|beyond|surpass\w*|top|>"
LE_WORDS = (r"at most|tops|no more than|not exceed|not to exceed|up to|maximum of|max\.?|<=|≤|not above|or less|or below|within|"
            r"(?:cap|caps|capped|capping|limit|limits|limited|limiting)\s+(?:\S+\s+){0,4}?(?:at|to)\b")
LT_WORDS = r"below|under|less than|lower than|fewer than|beneath|<"
NEGATION = r"(?:\b(?:not|never|no|without)\s+|n't\s+|\bnot?\s+be\s+)"
RAISE_VERBS = (r"more (?:throughput|speed|capacity|bandwidth|data)|rais\w*|increas\w*|boost\w*|lift\w*|push\w*|bring up|go(?:es|ing)? up|went up|creep\w* up|grow\w*|maximi[sz]\w*|as (?:high|much|fast) as (?:possible|you can|we can)|"
               r"as much \w+(?: \w+)? as (?:possible|you can|we can)")
# words of a KPI in everyday speech: the classifier and the clause splitter read the same ones
FASTER_WORDS = r"faster|quicker|speedier|snappier"  # 'get cell 5 faster'
LAG_WORDS = r"ping|lag|lags|laggy|lagging|responsive\w*|response times?|rtt|round[- ]trip"  # latency as users feel it
BETTER_VERBS = (r"improv\w*|enhanc\w*|better|fix(?:ed|es|ing)?|optimi[sz]\w*|greener|"
                r"sort\w* (?:\w+ )?out|deal with|do something about|tackle|resolve|remedy|smooth\w* (?:\w+ )?out|"
                rf"best possible|as good as possible|optimal|{FASTER_WORDS}|zippier|smoother|stronger|more (?:responsive|reliable|stable)")  # 'c9 interference bad, sort it out'
CUT_VERBS = (r"cut|cuts|cutting|reduc\w*|lower|lowers|lowering|decreas\w*|sav(?:e|es|ing)|drop\w*|shrink\w*|trim\w*|bring down|"
             r"shav\w*|slash\w*|shed\w*|fall\w*|fell|declin\w*|go down|come down|shorten\w*|"
             r"eas(?:e|es|ing)|reliev\w*|lighten\w*|alleviat\w*|offload\w*|"
             r"minimi[sz]\w*|less(?!\s+than)|fewer(?!\s+than)|"  # 'less energy used', 'fewer overloaded cells'
             r"as (?:low|little|short) as (?:possible|you can|we can)")


RAISED_UP_TO = re.compile(r"\b(?:get|gets|getting|got|push\w*|brought|bring\w*|rais\w*|go(?:ne|es)?|went|climb\w*|increas\w*|boost\w*|lift\w*|"
                          r"(?:be )?moved|mov\w*|driv\w*|drove|ramp\w*)\s+(?:\S+\s+){0,5}?up\s+to\b")


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # Mbit/s, ms, %, dBm, kW, bit/J, deg, dB
    start: int


UNITS = {"mbit/s": "Mbit/s", "ms": "ms", "%": "%", "dbm": "dBm", "kw": "kW", "bit/j": "bit/J", "db": "dB"}


def canonical_unit(raw: str) -> str:
    """The unit's canonical name; the text was already converted to the targets' units."""
    u = raw.lower().strip()
    return UNITS.get(u, "deg")


def quantities(text: str) -> list[Quantity]:
    out = []
    for m in UNIT_RE.finditer(text):
        out.append(Quantity(float(m.group(1)), canonical_unit(m.group(2)), m.start()))
    return out


BARE_VALUE = re.compile(r"(?:\b(?:above|below|under|over|at least|at most|to|than|of|beyond|max(?:imum)?|min(?:imum)?)\.?|[<>]=?|[=≤≥])\s*"
                        + NUMBER +
                        r"(?![\d.]|\s*(?:%|[a-z]+/|mbit|ms\b|kw\b|dbm?\b|deg|°|x\b|times|cells?\b|users?\b|ues?\b))", re.I)


def bare_value(text: str) -> float | None:
    """A number compared without a unit ('keep it above 40', 'throughput above 30'): read in the
    target's own unit, as the labelling contract says values are given."""
    m = BARE_VALUE.search(text)
    return float(m.group(1)) if m else None


def comparison(text: str) -> Condition | None:
    """The comparison the text states: explicit bounds first ('at least', 'no more than'), then a
    negated comparative ('must never exceed', "doesn't fall below"), then a plain one, then verbs."""
    t = RAISED_UP_TO.sub("raised to", text.lower())  # 'pushed up to 25 Mbps' is no upper bound
    if BETWEEN_RE.search(t):
        return Condition.IS_WITHIN_RANGE
    for words, condition in ((GE_WORDS, Condition.IS_EQUAL_TO_OR_GREATER_THAN), (LE_WORDS, Condition.IS_EQUAL_TO_OR_LESS_THAN)):
        if re.search(rf"(?:^|\s|\b)(?:{words})(?:\b|\s|$)", t):
            return condition
    for words, condition in ((GT_WORDS, Condition.IS_EQUAL_TO_OR_LESS_THAN), (LT_WORDS, Condition.IS_EQUAL_TO_OR_GREATER_THAN)):
        if re.search(rf"{NEGATION}(?:[\w'#-]+\s+)*?(?:{words})(?:\b|\s|$)", t):  # a negation governs its whole clause
            return condition
    for words, condition in ((GT_WORDS, Condition.IS_GREATER_THAN), (LT_WORDS, Condition.IS_LESS_THAN)):
        if re.search(rf"(?:^|\s|\b)(?:{words})(?:\b|\s|$)", t):
            return condition
    if re.search(rf"\b(?:{RAISE_VERBS})\b", t):
        return Condition.IS_EQUAL_TO_OR_GREATER_THAN
    if re.search(rf"\b(?:{CUT_VERBS})\b", t):
        return Condition.IS_EQUAL_TO_OR_LESS_THAN
    return None


def direction_verb(text: str, higher_is_better: bool = True) -> int:
    """+1 for raise-like verbs, -1 for cut-like verbs, 0 otherwise; 'improve' points the way
    that is better for the target."""
    t = text.lower()
    if re.search(rf"\b(?:{BETTER_VERBS})\b", t):
        return 1 if higher_is_better else -1
    if re.search(rf"\b(?:{CUT_VERBS})\b", t) or PARTICLE_DOWN.search(t):
        return -1
    if re.search(rf"\b(?:{RAISE_VERBS})\b", t) or PARTICLE_UP.search(t):
        return 1
    headline = HEADLINE_MOVE.search(t)  # 'cell 13: throughput up, energy down'
    return 0 if headline is None else 1 if headline.group(1).startswith("up") else -1


# a particle after the KPI that ends the clause, the verb left out, as in a headline or a note
HEADLINE_MOVE = re.compile(r"[a-z]\s+(up|down)(?:wards?)?\s*(?:please|pls|a bit|a little|slightly|again)?\W*$")
PARTICLE_UP = re.compile(r"\b(?:get|bring|push|speed|drive|move|pick|turn)\w*\s+(?:\S+\s+){0,4}?up\b(?!\s+to\s+-?\d)")
PARTICLE_DOWN = re.compile(r"\b(?:get|bring|push|drive|move|turn|take|keep|put|knock|pull|dial|tone|scale|wind|ramp)\w*\s+(?:\S+\s+){0,4}?down\b(?!\s+to\s+-?\d)")


RANGE_WORD = r"(?:-|to|through|thru|until|till|\.\.)"


def tokenize_cells(text: str) -> str:
    """Each list of cell ids as one token, 'cells 3, 4 and 7' / 'cells 2 through 5' -> 'cells#3_4_7' /
    'cells#2_3_4_5', so that splitting the text into clauses cannot cut a list and no number
    reader takes a cell id for a quantity ('cell 3 to 50%' names cell 3, not cells 3 to 50)."""
    def token(m: re.Match) -> str:
        body, ids = m.group(1), []
        for a, b in re.findall(rf"(\d+)\s*{RANGE_WORD}\s*(\d+)", body, re.I):
            ids.extend(range(int(a), int(b) + 1))
        body = re.sub(rf"\d+\s*{RANGE_WORD}\s*\d+", " ", body, flags=re.I)
        ids.extend(int(n) for n in re.findall(r"\d+", body))
        return "cells#" + "_".join(str(i) for i in sorted(set(ids)))

    return CELL_LIST.sub(token, text)


LEAVING_OUT = r"except(?:\s+for)?|excluding|but not|apart from|other than|save for|leaving out|minus|besides"
EXCLUDED = re.compile(rf"\b(?:{LEAVING_OUT}|not|not touch|leave|spare)\s+"
                      r"(?:for\s+|on\s+)?cells?#([\d_]+)|\bcells?#([\d_]+)\s+(?:doesn't|does not|don't|do not)\s+need", re.I)


def excepted_areas(text: str, known: dict[str, list[int]]) -> list[str]:
    """The known areas a text leaves out ('everywhere except downtown', 'apart from the airport')."""
    return [name for name in known if re.search(rf"\b(?:{LEAVING_OUT})\s+(?:in\s+|at\s+|on\s+)?(?:the\s+)?{re.escape(name)}\b",
                                                 text, re.I)]


def cells(text: str) -> list[int]:
    """The cell ids a (tokenized) text names, less those it excepts ('cells 15-20 except cell 17')."""
    named = {int(n) for m in CELLS_RE.finditer(text) for n in m.group(1).split("_") if n}
    return sorted(named - excepted(text) if named - excepted(text) else named)


def excepted(text: str) -> set[int]:
    """The cell ids a (tokenized) text leaves out ('except cell 17', 'but not cells 3 and 4')."""
    return {int(n) for m in EXCLUDED.finditer(text) for n in (m.group(1) or m.group(2)).split("_") if n}


def slices(text: str) -> list[str]:
    return sorted({SLICE_NAMES[m.lower()] for m in SLICE_RE.findall(text)})


NAMED_SLICE = re.compile(r"\b([a-z][\w-]*?)(?:\s+network)?[\s-]+(?:slice|tier)\b|\bslice\s+(?:called\s+|named\s+)?['\"]?([a-z][\w-]*)",
                         re.I)
NOT_A_NAME = {"the", "a", "an", "this", "that", "each", "every", "any", "one", "our", "its", "their", "my", "which", "same",
              "low-latency", "latency", "critical", "broadband", "iot", "service", "network", "per", "for", "of", "in", "on",
              "whole", "other", "given", "specific", "new", "default", "and", "or", "to", "is", "with", "all", "slice", "tier",
              "share", "shares", "ratio", "quota", "prb", "prbs", "users", "traffic", "throughput", "load", "cells", "cell", "it", "them"}
PRBS = r"\d+(?:\.\d+)?\s*%\s+of\s+(?:the\s+|its\s+|all\s+)?(?:prbs?|resource blocks?|radio resources)\b"
PRB_RECIPIENT = re.compile(rf"\b(?:give|reserve|allocate|assign|dedicate|guarantee|grant|earmark)\w*\s+(?:the\s+)?([a-z][\w-]*)\s+{PRBS}|"
                           rf"{PRBS}\s+(?:for|to)\s+(?:the\s+)?([a-z][\w-]*)", re.I)
BAD_CELL = re.compile(r"\bcells?\s+(?:#|no\.?\s*|number\s+)?(-\s*\d+|\d+\.\d+)", re.I)


def unknown_slices(text: str) -> list[str]:
    """Slice names the text uses that are not eMBB, URLLC or mMTC ('the gold slice', 'premium tier', 'give
    premium 40% of the PRBs': who gets a share of the PRBs is a slice)."""
    names = [(a or b) for a, b in NAMED_SLICE.findall(text)] + [(a or b) for a, b in PRB_RECIPIENT.findall(text)]
    return [n for n in names if n.lower() not in SLICE_NAMES and n.lower() not in NOT_A_NAME]


def bad_cell_ids(text: str) -> list[str]:
    """Cell numbers no network has: negative or fractional ('cell -1', 'cell 4.5')."""
    return [m.replace(" ", "") for m in BAD_CELL.findall(text)]


# a place word that names no area of the network: part of a known area ('the airport gates', 'the
# stadium car park': the area is replaced by '@'), where a message comes from or who it concerns
# ('from the regional office', 'our SLA with the city'), a distribution ('per zone', 'in each zone')
NOT_A_PLACE = re.compile(r"(?:@\s+(?:[\w-]+\s+)?|\b(?:from|with|per|each|every|any)\s+(?:the\s+|our\s+|this\s+|each\s+|every\s+)?"
                         r"(?:[\w-]+\s+)?)$")
# a place inside a known area, said before it: 'the business district downtown', 'the food court in the @'
IN_AREA = re.compile(r"\s+(?:(?:of|in|at|inside|within)\s+)?(?:the\s+)?@")
# ... or after it, as the part that matters most: 'the @ - especially near the east gates', '@, mainly around the market'
REFINES_AREA = re.compile(r"@[^.;!?]{0,25}?\b(?:especially|particularly|mainly|mostly|notably|in particular|above all|chiefly)\b"
                          r"[^.;!?]{0,40}$")
# named cells that a place word describes: 'the warehouse cells 18 to 20', 'cells 9-10 (near the hospital)'
DESCRIBES_CELLS = re.compile(r"\s*[,:(–-]?\s*(?:area\s+|zone\s+|district\s+|site\s+)?(?:(?:on|at|in|near|by|of|around|served by|"
                             r"covered by|i\.e\.?|that is|namely)\s+)?(?:the\s+)?cells?#")  # 'at the mall, cells 9 and 10'
DESCRIBED_CELLS = re.compile(r"cells?#[\d_]+\s*[(,]?\s*(?:(?:at|in|near|by|around|next to|of|serving|covering)\s+)?"
                             r"(?:the\s+|our\s+)?(?:[\w-]+\s+)?$")


PURPOSE = re.compile(r"\b(?:for\s+(?:a\s+)?(?:better|more|improved|stronger|faster|wider|extra|greater)|to\s+(?:reach|serve|cover|"
                     r"improve|boost|strengthen|extend|fix|help)|"
                     r"because|since|so that|due to|owing to|thanks to|given that|in view of)\b")
STATEMENT = re.compile(r"\b(?:is|are|was|were|nobody|no one|everyone|everybody)\b")
# '..., customers at the mall keep complaining', 'fans near the arena say ...': what someone reports names no scope
REPORTS = re.compile(r"\b(?:complain\w*|say|says|said|report(?:s|ed)?|told|tell|claim\w*|mention\w*|moan\w*|grumbl\w*)\b", re.I)


def areas(text: str, known: dict[str, list[int]]) -> tuple[list[str], list[str]]:
    """(known area names mentioned, unknown place words used as a place)."""
    t = text.lower()
    found = [name for name in known if re.search(rf"\b{re.escape(name.lower())}\b", t)]
    for name in found:
        t = re.sub(rf"\b{re.escape(name.lower())}\b", "@", t)
    scoped = CELLS_RE.search(text) is not None  # beside named cells, a place counts only as a scope ('at the mall')
    prefix = r"\b(?:at|in|near|around|for|across|on|by|inside|throughout)\s+(?:the\s+|our\s+|this\s+|that\s+)?(?:[\w-]+\s+){0,2}?"
    unknown = [w for w in PLACE_WORDS if any(
        not NOT_A_PLACE.search(t[:m.start()]) and not REFINES_AREA.search(t[:m.start()]) and not DESCRIBES_CELLS.match(t[m.end():]) and not IN_AREA.match(t[m.end():]) and not DESCRIBED_CELLS.search(t[:m.start(1)])
        and not ((scoped or found) and (_aside(t, m.start(1)) or t.startswith("'s", m.end()))) for m in re.finditer(rf"{prefix if scoped else ''}\b({w})\b", t))]
    return found, unknown


def _aside(t: str, at: int) -> bool:
    """Whether a place word at `at`, in a request that names its cells or a known area, only says why or
    what the place is like ('Traffic doubled downtown since the new mall opened'): a purpose ('... to 44 dBm for better reach on the motorway') or a statement of
    its own without cells ('Switch off cell 11 overnight? Nobody is in that business park then'), or a report beside the
    request ('Improve coverage on cell 16, customers at the mall keep complaining')."""
    start, end = enclosing(t, at, at)
    sentence, piece = t[start:end], t[slice(*enclosing(t, at, at, ".?!;,"))]
    return (PURPOSE.search(t[start:at]) is not None or (CELLS_RE.search(sentence) is None and STATEMENT.search(sentence) is not None)
            or (CELLS_RE.search(piece) is None and REPORTS.search(piece) is not None))


def enclosing(t: str, start: int, end: int, marks: str = ".?!;") -> tuple[int, int]:
    """The bounds of the stretch of `t` between two of `marks` (or the text's ends) that holds
    t[start:end]: its sentence, or, with ',' among the marks, its piece."""
    left = max(t.rfind(mark, 0, start) for mark in marks) + 1
    ends = [i for i in (t.find(mark, end) for mark in marks) if i >= 0]
    return left, min(ends) if ends else len(t)
