"""A request cut into the things it asks for (clauses), and where each applies (scope).

The text is cut at every conjunction and punctuation mark. A piece that states something (a KPI,
a quantity, a comparison, a relative change, a parameter to set) is a clause of its own; a piece
that only names a scope ("At the stadium, ...", "..., cells 3-5") before the first clause or after
the last is said for the whole request; any other piece joins the clause before it. A clause
that names cells, an area, the whole network or a slice has that scope, for itself only; one
that names none gets the request's scope, and a clause that points back ("keep *it* under
25 Mbps", "... and below 10 Mbps") takes the previous clause's target and scope.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ranpilot.intents import extraction as ex

BREAKS = re.compile(r"\s*[;•·▪◦]\s*|\.\s+(?=\S)|\s*\n\s*|:\s+|,?\s+\b(?:but(?: also)?|while|whilst|and also|as well as|plus|also|yet|"
                    r"whereas|meanwhile|then|and then|given that)\b\s+|"
                    r",?\s+(?=(?:without|as long as|so long as|provided|on (?:the )?condition that)\b)|\s*,\s*|\s+\band\b\s+|\s+[&+]\s+|\s+-\s+", re.I)
LEADING = re.compile(r"^(?:(?:and|but|while|whilst|also|then|yet|so|plus|or)\b[\s,]*)+", re.I)
LIST_NUMBER = re.compile(r"(?:^|(?<=[\s;,:]))(?:\(?\d\)|\[\d\]|\(?[a-e]\)|\d\.(?=\s))\s*")
BETWEEN_AND = re.compile(r"(\bbetween\s+-?[\d.]+(?:\s*[^\s\d]+)?)\s+and\s+(?=-?\d)", re.I)
COMPARATOR_START = re.compile(r"^(?:above|below|under|over|at least|at most|less|more|no more|no less|to (?=-?\d)|not (?:above|below|"
                              r"over|under|more|less)|never|>|<|≥|≤)", re.I)
KPI_WORDS = re.compile(r"\b(slow\w*|downloads?|thr?o?u?g?h?put|thruput|t-?put|thp|speeds?|data ?rates?|bit ?rates?|bandwidth|laten\w*|latncy|delays?|"
                       r"energy|enrgy|power|electricity|kwh|kw|watts?|coverage|covrage|covered|rsrp|signal|sinr|interference|"
                       r"loads?|prbs?|resources?|util\w*|congest\w*|overload\w*|hot|efficien\w*|edge|slow|sleep|asleep|awake|wake|"
                       r"\w*activat\w*|back on|power\w* (?:down|up)|(?:switch|turn)\w* (?:\S+ )?(?:off|on)|(?:up|down)?-?tilt\w*|cio|p-?max|offset|bits per joule)\b", re.I)
STATES = re.compile(r"\bby\s+[+-]?\d|(?:\b(?:above|below|under|over|at least|at most|to)|[<>]=?)\s*-?\d|\d\s*(?:%|mbit/s|ms\b|kw\b|bit/j|dbm?\b)|\b(?:better|improve\w*|optimi[sz]\w*|"
                    r"enhance\w*|maximi[sz]\w*|minimi[sz]\w*)\b", re.I)
COMPARATOR = re.compile(r"\b(?:above|below|under|over|at least|at most|less than|more than|no more|no less|fewer)\b|[<>≤≥]", re.I)
POINTS_BACK = re.compile(r"\b(?:it|them|that|this|its|their)\b", re.I)
SCOPE_BACK = re.compile(r"\b(?:there|those cells|these cells|(?:the )?same(?: cells| area| ones)?|in those|in these)\b", re.I)
CONTINUES = re.compile(r"^(?:which|i\.e\.?|ie|meaning|that is|measured|expressed|counted|counting|defined|where (?:a|the)|"
                       r"with \w+ meaning|(?:with |using )?(?:an? |the )?(?:[\w-]+ ){0,2}thresholds?\b|"
                       r"with (?:[\w-]+ ){1,3}(?:defined|meaning|counted)\b|"
                       r"(?:overloaded|hot|congested|busy|low[- ]?\w+|weak\w*|poor\w*|edge)\s+(?:means\s+|is\s+|=\s*)?"
                       r"(?:prb|load|utili[sz]ation|sinr|rsrp|throughput)\b(?:\s+load)?\s*(?:[<>≤≥]|above|over|below|under))", re.I)
# 'We consider a cell hot when its PRB load is above 75%. Bring the share of hot cells under 10%': the
# definition is read with the clause after it
DEFINES = re.compile(r"\b(?:consider|define|call|count|treat|regard|deem|class\w*)\w*\s+(?:a |an |the )?(?:cells?|users?|ues?)\s+"
                     r"(?:as\s+)?['\"]?[\w-]+['\"]?\s+(?:when|if|once|whenever|where)\b", re.I)
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
    text = BETWEEN_AND.sub(r"\1 <and> ", text)
    pieces = [LEADING.sub("", p.strip(" ,.!?")).replace("<and>", "and") for p in BREAKS.split(text)]
    clauses: list[str] = []
    request: list[str] = []
    trailing = False
    for piece in filter(None, pieces):
        if clauses and CONTINUES.match(piece):
            clauses[-1] = f"{clauses[-1]}, {piece}"
        elif states_something(piece):
            if trailing:  # a scope piece between two clauses belongs to the one before
                clauses[-1] = f"{clauses[-1]}, {request.pop()}"
                trailing = False
            clauses.append(piece)
        elif clauses and names_scope(piece) and names_cells(clauses[-1]):
            clauses[-1] = f"{clauses[-1]} and {piece}"  # 'at the stadium and on cell 20': one scope, extended
        elif not clauses or names_scope(piece):
            request.append(piece)
            trailing = bool(clauses)
        else:
            clauses[-1] = f"{clauses[-1]} {piece}"
    for i in range(len(clauses) - 2, -1, -1):
        if DEFINES.search(clauses[i]):
            clauses[i:i + 2] = [f"{clauses[i]}, {clauses[i + 1]}"]
    return clauses, request


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
    if HOLDING_HEADING.match(head) and not KPI_WORDS.search(head):
        return True  # 'Keep the network humming: load between 50 and 75%'
    if not states_something(head):
        return names_scope(head)
    return bool(ex.quantities(rest) or ex.BY_PERCENT_RE.search(rest))


def _clause(part: str, areas: dict[str, list[int]], previous: Clause | None, request_cells: Cells,
            request_slices: list[str]) -> Clause:
    cells, named, slices = scope_of(part, areas)
    own_kpi = KPI_WORDS.search(re.sub(r"\b(?:sleep|asleep|awake|wake)\b", "", part, flags=re.I))
    back = previous is not None and not ex.SLICE_RE.search(part) and not own_kpi and (
        COMPARATOR_START.match(part) is not None or POINTS_BACK.search(part) is not None
        or ex.BY_PERCENT_RE.search(part) is not None  # '... A 20% cut would be ideal': the previous clause's KPI
        or (COMPARATOR.search(part) is not None and all(q.unit == "%" for q in ex.quantities(part))))
    if back or (previous is not None and POINTS_BACK.search(part)):  # '... for eMBB users, and make sure their ...'
        slices = slices or previous.slices  # '... to 3 ms on cells 12-14, and to 6 ms on cell 15': same slice
    if previous is not None and not named and (back or SCOPE_BACK.search(part) or POINTS_BACK.search(part)):
        cells, named = previous.cells, previous.named
    elif not named:
        cells = request_cells
    return Clause(part, cells, named, slices or ([] if back else request_slices), back)
