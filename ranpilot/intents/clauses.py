"""A request cut into the things it asks for (clauses), and where each applies (scope).

The text is cut at every conjunction and punctuation mark. A piece that states something (a KPI,
a quantity, a comparison, a relative change, a parameter to set) is a clause of its own; a piece
that only names a scope ("At the stadium, ...", "..., cells 3-5") before the first clause or after
the last is said for the whole request; any other piece joins the clause before it. A clause
that names cells, an area, the whole network or a slice has that scope, for itself only; one
that names none gets the request's scope, and a clause that points back ("keep *it* under
25 Mbps", "... and below 10 Mbps", "... and must never exceed 60%") takes the previous clause's
target and scope. A scope piece that opens a sentence ("...; downtown, keep ...") scopes the clause
after it, and a negation said once ("without A or B", "never let A exceed x or B drop below y")
governs every predicate joined to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ranpilot.intents import extraction as ex
from ranpilot.intents.build import GUARD_CLAUSE, NAMES_SHARE

# an adverb after an auxiliary ('it must also be above 15 ms', 'should then stay') is inside its clause
AUXILIARY_BEFORE = "".join(rf"(?<!\b{w})" for w in ("must", "should", "shall", "will", "would", "can", "could", "may", "is", "are",
                                                     "has", "have", "to"))
ABBREVIATION_BEFORE = r"(?<!\bi\.e)(?<!\be\.g)(?<!\betc)(?<!\bvs)"  # 'i.e. cells loaded above 85%' is one sentence
BREAKS = re.compile(r"\s*[;•·▪◦]\s*|" + ABBREVIATION_BEFORE + r"\.\s+(?=\S)|\s*\n\s*|:\s+|"
                    r",?\s+\b(?:but(?: also)?|while|whilst|and also|as well as|plus|whereas|meanwhile|and then|given that)\b\s+|"
                    + AUXILIARY_BEFORE + r",?\s+\b(?:also|yet|then)\b\s+|"
                    r",?\s+(?=(?:without|as long as|so long as|provided|on (?:the )?condition that)\b)|\s*,\s*|\s+\band\b\s+|\s+[&+]\s+|\s+-\s+", re.I)
LEADING = re.compile(r"^(?:(?:and|but|while|whilst|also|then|yet|so|plus|or)\b[\s,]*)+", re.I)
LIST_NUMBER = re.compile(r"(?:^|(?<=[\s;,:]))(?:\(?\d\)|\[\d\]|\(?[a-e]\)|\d\.(?=\s))\s*")
BETWEEN_AND = re.compile(r"(\bbetween\s+-?[\d.]+(?:\s*[^\s\d]+)?)\s+and\s+(?=-?\d)", re.I)
COMPARATOR_START = re.compile(r"^(?:above|below|under|over|at least|at most|(?:min|max)(?:imum)?:?\s*(?:of\s+)?(?=-?\d)|less|more|"
                              r"no more|no less|to (?=-?\d)|not (?:above|below|over|under|more|less)|never|>|<|≥|≤)", re.I)
KPI_WORDS = re.compile(r"\b(slow\w*|downloads?|thr?o?u?g?h?put|thruput|t-?put|thp|speeds?|data ?rates?|bit ?rates?|bandwidth|laten\w*|delays?|"
                       r"energy|power|electricity|kwh|kw|watts?|coverage|covered|rsrp|signal|sinr|interference|"
                       r"loads?|prbs?|resources?|util\w*|congest\w*|overload\w*|hot|efficien\w*|edge|slow|sleep|asleep|awake|wake|"
                       r"\w*activat\w*|back on|power\w* (?:down|up)|(?:switch|turn)\w* (?:\S+ ){0,3}?(?:off|on|up|down)\b|"
                       r"(?:up|down)?-?tilt\w*|cio|p-?max|offset|bits per joule)\b", re.I)
STATES = re.compile(r"\bby\s+[+-]?\d|(?:\b(?:above|below|under|over|at least|at most|to)|[<>]=?)\s*-?\d|\d\s*(?:%|mbit/s|ms\b|kw\b|bit/j|dbm?\b)|\b(?:better|improve\w*|optimi[sz]\w*|"
                    r"enhance\w*|maximi[sz]\w*|minimi[sz]\w*)\b", re.I)
COMPARATOR = re.compile(r"\b(?:above|below|under|over|at least|at most|less than|more than|no more|no less|fewer)\b|[<>≤≥]", re.I)
# '... must stay above 80% and must never exceed 60%': a clause that starts at its verb shares the subject before it
SUBJECTLESS = re.compile(r"^(?:must|should|shall|has to|have to|needs? to|may|can(?:not|'t)?|will|won't|is|are|stays?|remains?|"
                         r"goes|doesn't|does not)\b", re.I)
# '... and cap it at 30 Mbps so URLLC has room': a reason with a subject of its own names no scope
REASON = re.compile(r"\s+\b(?:so that|so|because|since)\s+(?:\S+\s+){1,2}?(?:has|have|gets?|can|could|will|would|is|are|"
                    r"needs?|keeps?|stays?)\b.*$", re.I)
POINTS_BACK = re.compile(r"\b(?:it|them|that|this|its|their)\b", re.I)
SCOPE_BACK = re.compile(r"\b(?:there|those cells|these cells|(?:the )?same(?: cells| area| ones)?|in those|in these)\b", re.I)
CONTINUES = re.compile(r"^(?:by\s+[+-]?[\d.]+\s*%$|which|i\.e\.?|ie|e\.g\.?|meaning|that is|measured|expressed|counted|counting|defined|where (?:a|the)|"
                       r"where\s+['\"]?[\w-]+['\"]?\s+(?:means|is defined as|counts as|=)|"
                       r"with \w+ meaning|(?:with |using )?(?:an? |the )?(?:[\w-]+ ){0,2}thresholds?\b|"
                       r"with (?:[\w-]+ ){1,3}(?:defined|meaning|counted)\b|"
                       r"(?:overloaded|hot|congested|busy|low[- ]?\w+|weak\w*|poor\w*|edge)\s+(?:means\s+|is\s+|=\s*)?"
                       r"(?:prb|load|utili[sz]ation|sinr|rsrp|throughput)\b(?:\s+load)?\s*(?:[<>≤≥]|above|over|below|under))", re.I)
NEGATIVE_HEAD = re.compile(r"^(?:without|under no circumstances|in no case|at no (?:time|point)|never|do not|don't|must not|"
                           r"mustn't|should not|shouldn't|not)\b(?:\s+(?:let|letting|allow|allowing|have|having)\b)?", re.I)
GERUND = re.compile(r"^[a-z]+ing\b(?<!\bbring)(?<!\bthing)", re.I)
CONDITION_START = re.compile(rf"(?:while|whilst)\b|{GUARD_CLAUSE.pattern}", re.I)  # 'while keeping ...', 'without ...'
# '... to the maximum allowed, 46 dBm': a bare quantity restates the clause before it
APPOSITION = re.compile(r"^(?:i\.?e\.?|that is|namely|so|about|around|roughly|approx\w*)?\s*-?\d+(?:\.\d+)?\s*"
                        r"(?:%|mbit/s|ms|dbm|db|kw|bit/j|deg\w*|°)?$", re.I)
# '..., using -105 dBm as the threshold', '..., taking 3 Mbps as the limit': the level that decides what counts
GAPPED = re.compile(r"^(?:(?:for|on|in|at|across)\s+|cells?#)", re.I)  # a piece that opens with its scope
THRESHOLD = re.compile(r"\b(?:thresholds?|cut-?offs?)\b|\bas\s+(?:the|a|our)\s+(?:limit|boundary|bar|line|criterion)\b", re.I)
# 'We consider a cell hot when its PRB load is above 75%. Bring the share of hot cells under 10%': the
# definition is read with the clause after it
DEFINES = re.compile(r"\b(?:consider|define|call|count|treat|regard|deem|class\w*)\w*\s+(?:a |an |the )?(?:cells?|users?|ues?)\s+"
                     r"(?:as\s+)?['\"]?[\w-]+['\"]?\s+(?:when|if|once|whenever|where)\b|"
                     r"\b(?:counts?|(?:is|are)\s+(?:considered|deemed|classed|classified|treated|regarded))\s+as\s+"
                     r"(?:an?\s+)?['\"]?[\w-]+['\"]?$", re.I)  # '... anything over 70% PRB counts as hot; keep ...'

HOLDING_HEADING = re.compile(r"^(?:please\s+)?(?:keep|maintain|ensure|guarantee|hold|make sure|protect|preserve)\b", re.I)
HEADING = re.compile(r"(?:^|(?<=[.;\n]))\s*([^.;:\n]{1,80}?)\s*:\s+(?=\S)")
FILLER = r"(?:(?:ok(?:ay)?|so|hi|hey|hello|um+|uh+|right|well|alright|eh)\b[\s,]*)*"
# 'On cells 9-11 get ...', 'ok for cells ten and eleven reduce ...', 'stadium cells overnight cut ...', 'in airport ...'
LEADING_SCOPE = re.compile(rf"^{FILLER}((?:(?:on|in|at|for|across|within)\s+(?:the\s+)?)?(?:cells#[\d_]+|[\w-]+\s+(?:cells|area)|"
                           rf"(?:{'|'.join(ex.PLACE_WORDS)}))\b)\s*,?\s+(?=[a-z])", re.I)
NETWORK_WIDE = re.compile(r"\b(?:network[- ]wide|(?:the |our )?(?:whole|entire) network|across the network|all (?:the )?cells|"
                          r"every(?:where| cell)|all sites|of the network|the network's cells)\b", re.I)

Cells = list[int] | None


@dataclass
class Clause:
    """One thing asked, with the scope it names itself (`named`: it names cells, an area or the
    whole network) and whether it points back at the previous clause."""

    text: str
    cells: Cells = None
    named: bool = False
    slices: list[str] = field(default_factory=list)
    points_back: bool = False


def states_something(piece: str) -> bool:
    return bool(KPI_WORDS.search(piece) or COMPARATOR_START.match(piece) or STATES.search(piece))


def split(text: str) -> tuple[list[str], list[str]]:
    """(clauses, scope pieces said for the whole request) of text whose list numbers `headed` made breaks."""
    clauses: list[str] = []
    request: list[str] = []
    pending = ""  # a scope piece between two clauses: 'trailing' the one before, or 'leading' the one after
    for piece, opens in distribute_negation(pieces(BETWEEN_AND.sub(r"\1 <and> ", text))):
        if clauses and (CONTINUES.match(piece) or APPOSITION.match(piece) or defines_level(clauses[-1], piece)
                        or names_threshold(piece) or completes_share(clauses[-1], piece)):
            clauses[-1] = f"{clauses[-1]}, {piece}"
        elif states_something(piece):
            if pending == "trailing":  # '..., at the stadium, and ...': the scope ends the clause before
                clauses[-1] = f"{clauses[-1]}, {request.pop()}"
            elif pending == "leading":  # '...; downtown, keep ...': a new sentence opens with its scope
                piece = f"{request.pop()}, {piece}"
            pending = ""
            clauses.append(ungapped(clauses[-1], piece) if clauses else piece)
        elif clauses and not opens and names_scope(piece) and names_cells(clauses[-1]):
            clauses[-1] = f"{clauses[-1]} and {piece}"  # 'at the stadium and on cell 20': one scope, extended
        elif not clauses or names_scope(piece):
            request.append(piece)
            pending = "" if not clauses else "leading" if opens else "trailing"
        else:
            clauses[-1] = f"{clauses[-1]} {piece}"
    for i in range(len(clauses) - 2, -1, -1):
        if DEFINES.search(clauses[i]):
            clauses[i:i + 2] = [f"{clauses[i]}, {clauses[i + 1]}"]
    return clauses, request


def pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut at every break, each piece with whether it opens a sentence (it starts the
    text or follows a full stop, a semicolon, a bullet or a new line)."""
    out, start, opens = [], 0, True
    for m in [*BREAKS.finditer(text), None]:
        piece = LEADING.sub("", text[start:m.start() if m else len(text)].strip(" ,.!?")).replace("<and>", "and")
        if piece:
            out.append((piece, opens))
        if m:
            start, opens = m.end(), bool(re.search(r"[.;\n•·▪◦]", m.group(0))) or (opens and not piece)
    return out


def distribute_negation(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A negation or guard said once applies to every predicate it governs: 'without reducing
    throughput or hurting latency' is 'without reducing throughput' and 'without hurting latency';
    'never let latency exceed 20 ms or throughput drop below 8 Mbps' is two limits. A bare noun
    phrase after it takes its verb too ('do not increase latency or the low-SINR share', 'without
    degrading latency and coverage'), and so does a gerund after 'without' ('without causing
    interference, and hurting latency'; not one that is a guard itself: '..., and keeping ...')."""
    out: list[tuple[str, bool]] = []
    for piece, opens in pieces:
        head = NEGATIVE_HEAD.match(piece)
        parts = re.split(r"\s+(?:or|nor)\s+", piece[head.end():].strip()) if head else [piece]
        if len(parts) > 1 and all(KPI_WORDS.search(part) for part in parts):
            out.append((f"{head.group(0)} {parts[0]}", opens))
            out += [(_governed(out[-1][0], part), False) for part in parts[1:]]
        elif out and NEGATIVE_HEAD.match(out[-1][0]) and (_bare_noun_phrase(piece) or (
                GERUND.match(piece) and not CONDITION_START.match(piece))):
            out.append((_governed(out[-1][0], piece), opens))
        else:
            out.append((piece, opens))
    return out


def _bare_noun_phrase(piece: str) -> bool:
    """'coverage', 'the low-SINR user share': a KPI without a verb or a number of its own."""
    return (len(piece.split()) <= 4 and KPI_WORDS.search(piece) is not None and not ex.quantities(piece)
            and not ex.direction_verb(piece) and not re.search(r"\b(?:is|are|be|must|should|stays?|remains?|keep\w*|let)\b", piece, re.I))


def _governed(previous: str, piece: str) -> str:
    """`piece` with the negation (and, for a bare noun phrase, the verb) of the `previous` piece."""
    head = NEGATIVE_HEAD.match(previous)
    verb = re.match(r"\s*([a-z]+)\b", previous[head.end():], re.I)
    if _bare_noun_phrase(piece) and verb and not KPI_WORDS.match(verb.group(1)) and not re.match(r"(?:the|a|an|any|our)$", verb.group(1), re.I):
        return f"{head.group(0)} {verb.group(1)} {piece}"
    return f"{head.group(0)} {piece}"


def defines_level(previous: str, piece: str) -> bool:
    """'99% of users covered, RSRP -100 dBm or better': a signal level (dBm, dB), said after a share
    of users that names no level, decides which users that share counts; it is no clause itself."""
    levels = [q for q in ex.quantities(piece) if q.unit in ("dBm", "dB")]
    return (len(levels) == len(ex.quantities(piece)) == 1 and ex.user_share(previous) is not None
            and all(q.unit == "%" for q in ex.quantities(previous)))


def ungapped(previous: str, piece: str) -> str:
    """'reduce latency for URLLC by half, and for eMBB by a quarter', 'set cell 3 power to 40 dBm and
    cell 4 to 38 dBm': a piece that opens with its scope and gives only a value, without a KPI or a
    verb, repeats the predicate before it, less that predicate's own cells (gapping)."""
    if (not GAPPED.match(piece) or not names_scope(piece) or KPI_WORDS.search(ex.UNIT_RE.sub("", piece))
            or ex.direction_verb(piece) or not (ex.quantities(piece) or ex.BY_PERCENT_RE.search(piece))):
        return piece
    head = ex.CELLS_RE.sub("", re.split(r"\s+(?:for|on|in|at|across|by|to)\b|\s+[\d<>]", previous, maxsplit=1)[0])
    return f"{head} {piece}" if KPI_WORDS.search(head) else piece


def completes_share(previous: str, piece: str) -> bool:
    """'The share of cells under 4 Mbit/s, ..., should be reduced below 20%': a share named as the
    subject without its value, whose predicate (a clause starting at its verb) gives the percentage."""
    return (NAMES_SHARE.search(previous) is not None and SUBJECTLESS.match(piece) is not None
            and not any(q.unit == "%" for q in ex.quantities(previous)) and any(q.unit == "%" for q in ex.quantities(piece)))


def names_threshold(piece: str) -> bool:
    """'..., using -105 dBm as the threshold': a piece that gives the threshold of the clause before
    it (one level, no change of its own)."""
    return THRESHOLD.search(piece) is not None and len(ex.quantities(piece)) <= 1 and not ex.BY_PERCENT_RE.search(piece)


def names_cells(piece: str) -> bool:
    return bool(ex.CELLS_RE.search(piece) or any(re.search(rf"\b{w}\b", piece, re.I) for w in ex.PLACE_WORDS))


def names_scope(piece: str) -> bool:
    return bool(ex.CELLS_RE.search(piece) or NETWORK_WIDE.search(piece) or ex.SLICE_RE.search(piece)
                or re.search(r"\b(?:area|cells)\b", piece, re.I) or any(re.search(rf"\b{w}\b", piece, re.I)
                                                                          for w in ex.PLACE_WORDS))


def scope_of(text: str, areas: dict[str, list[int]]) -> tuple[Cells, bool, list[str]]:
    """(cells, whether the text names a scope of cells, slices) of one piece of text."""
    ids = set(ex.cells(text))
    for name in ex.areas(text, areas)[0]:
        ids |= set(areas[name])
    named = bool(ids) or bool(NETWORK_WIDE.search(text))
    return (sorted(ids) or None), named, ex.slices(text)


def clauses_of(text: str, areas: dict[str, list[int]]) -> list[Clause]:
    """The clauses of a (canonical) request, each with the scope it applies to. A heading
    ('Downtown: ...', 'URLLC @ airport: ...; eMBB @ airport: ...', 'improve the cell edge in
    downtown: ...') scopes what follows it, up to the next heading, and is not a clause itself."""
    out: list[Clause] = []
    for heading, body in headed(text):
        parts, request = split(body)
        if heading is None and parts and (lead := LEADING_SCOPE.match(parts[0])):
            request.append(lead.group(1))  # 'On cells 9-11 get ... without ...': said for the whole request
        request_cells, _, request_slices = scope_of(" ".join(request if heading is None else [heading, *request]), areas)
        for part in parts:
            clause = _clause(part, areas, out[-1] if out else None, request_cells, request_slices)
            if clause.points_back and clause.named and out and not out[-1].named:
                out[-1].cells, out[-1].named = clause.cells, True  # 'tput above 30 and below 20 on cell 3': one scope
            out.append(clause)
    return out


def headed(text: str) -> list[tuple[str | None, str]]:
    """(heading or None, the text it heads)."""
    text = LIST_NUMBER.sub("; ", text)
    marks = [m for m in HEADING.finditer(text) if _is_heading(m.group(1), text[m.end():])]
    if not marks:
        return [(None, text)]
    pieces = [(None, text[:marks[0].start()])] if text[:marks[0].start()].strip(" .;") else []
    for m, nxt in zip(marks, [*marks[1:], None]):
        body = text[m.end(): nxt.start() if nxt else len(text)]
        first = split(body)[0]
        if KPI_WORDS.search(m.group(1)) and not KPI_WORDS.search(first[0] if first else body):
            body = f"{m.group(1)} {body}"  # 'Energy efficiency on cells 0-2: raise it by 15%': the heading names the KPI
        if HOLDING_HEADING.match(m.group(1)):
            body = f"ensure {body}"  # 'Keep the network humming: load between 50 and 75%'
        pieces.append((m.group(1), body))
    return pieces


def _is_heading(head: str, rest: str) -> bool:
    if ex.quantities(head) or ex.BY_PERCENT_RE.search(head) or not re.search(r"[a-z]", rest, re.I):
        return False
    if KPI_WORDS.search(head) and ex.direction_verb(head) and CONDITION_START.match(rest):
        return False  # 'improve coverage carefully: without ...': a request, then its conditions
    if HOLDING_HEADING.match(head) and not KPI_WORDS.search(head):
        return True  # 'Keep the network humming: load between 50 and 75%'
    if not states_something(head):
        return names_scope(head)
    return bool(ex.quantities(rest) or ex.BY_PERCENT_RE.search(rest))


def _clause(part: str, areas: dict[str, list[int]], previous: Clause | None, request_cells: Cells,
            request_slices: list[str]) -> Clause:
    cells, named, slices = scope_of(REASON.sub("", part), areas)
    own_kpi = KPI_WORDS.search(re.sub(r"\b(?:sleep|asleep|awake|wake)\b", "", ex.UNIT_RE.sub("", part), flags=re.I))  # not '6 kW'
    back = previous is not None and not slices and not own_kpi and (
        COMPARATOR_START.match(part) is not None or POINTS_BACK.search(part) is not None or SUBJECTLESS.match(part) is not None
        or ex.BY_PERCENT_RE.search(part) is not None  # '... A 20% cut would be ideal': the previous clause's KPI
        or (COMPARATOR.search(part) is not None and all(q.unit == "%" for q in ex.quantities(part))))
    if back or (previous is not None and POINTS_BACK.search(part)):  # '... for eMBB users, and make sure their ...'
        slices = slices or previous.slices  # '... to 3 ms on cells 12-14, and to 6 ms on cell 15': same slice
    if previous is not None and not named and (back or SCOPE_BACK.search(part) or POINTS_BACK.search(part)):
        cells, named = previous.cells, previous.named
    elif not named:
        cells = request_cells
    return Clause(part, cells, named, slices or ([] if back else request_slices), back)
