"""A request cut into the things it asks for (clauses), and where each applies (scope).

The text is cut at every conjunction and punctuation mark. A piece that states something (a KPI,
a quantity, a comparison, a relative change, a parameter to set) is a clause of its own; a piece
that only names a scope ("At the stadium, ...", "..., cells 3-5") before the first clause or after
the last is said for the whole request; any other piece joins the clause before it. A clause
that names cells, an area, the whole network or a slice has that scope, for itself only; one
that names none gets the request's scope, and a clause that points back ("keep *it* under
25 Mbps", "... and below 10 Mbps", "... and must never exceed 60%") takes the previous clause's
target and scope; a guard ("..., without causing interference", "while keeping ...") takes the cells
of the clause it qualifies and no slice it does not name, and a scope that is the subject of the verb
("cell 5 should get A and B") scopes every object of it. A scope piece that opens a sentence ("...;
downtown, keep ...") scopes the clause after it, a verb said before a scope heads the object after
it ("Guarantee, for URLLC at the stadium, a latency of ..."), and a negation said once ("without A or
B", "never let A exceed x or B drop below y") governs every predicate joined to it. Pieces that ask
nothing (what someone did, an alternative not asked for: `asides.py`) are no clauses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ranpilot.intents import extraction as ex
from ranpilot.intents.asides import aside_piece
from ranpilot.intents.build import NEGATED_MOVE, has_verb
from ranpilot.intents.clause_joins import (completes_share, completes_value, continues, moved_by, dangling_share, defines_level, distribute_negation,
                                           names_its_kpi, names_threshold, same_again, share_after, shares_past, ungapped, verb_first,
                                           value_first)
from ranpilot.intents.clause_words import (APPOSITION, BETWEEN_AND, BREAKS, COMPARATOR, COMPARATOR_START,
                                           DEFINES, EACH_CELL, FILLER, HEADING, HELD_BACK, HOLDING_HEADING, KPI_WORDS, LEADING, LEADING_SCOPE,
                                           LIST_NUMBER, NEGATIVE_HEAD, NETWORK_WIDE, POINTS_BACK, REASON, SCOPE_AND, SCOPE_BACK, SUBJECTLESS,
                                           CONDITION_START, EVERY_ONE, TARGET_START, VERB_VALUE, names_cells, names_scope, states_something)

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


def split(text: str) -> tuple[list[str], list[str]]:
    """(clauses, scope pieces said for the whole request) of text whose list numbers `headed` made breaks."""
    clauses: list[str] = []
    request: list[str] = []
    pending = ""  # a scope piece between two clauses: 'trailing' the one before, or 'leading' the one after
    text = SCOPE_AND.sub(r"\1 <and> ", BETWEEN_AND.sub(r"\1 <and> ", text))
    said = [(piece if aside is None else aside, opens) for piece, opens in pieces(text) if (aside := aside_piece(piece)) != ""]
    for piece, opens in distribute_negation(verb_first(said)):
        if clauses and (moved := moved_by(clauses[-1], piece)):
            clauses[-1] = moved
        elif clauses and (continues(clauses[-1], piece) or APPOSITION.match(piece) or defines_level(clauses[-1], piece)
                        or names_threshold(piece) or completes_share(clauses[-1], piece) or shares_past(clauses[-1], piece)
                        or names_its_kpi(clauses[-1], piece) or share_after(clauses[-1], piece)
                        or (not opens and completes_value(clauses[-1], piece))):
            clauses[-1] = f"{clauses[-1]}, {piece}"
        elif clauses and (held := holds_back(piece)):
            first_held = len(clauses) - 1 if held.group("one") else 0
            clauses[first_held:] = [f"{c}, held" for c in clauses[first_held:]]
            if names_scope(piece):
                request.append(piece)  # 'Hold it on the stadium cells': where, for the whole request
        elif clauses and (gapped := value_first(clauses[-1], piece) or same_again(clauses[-1], piece)):
            clauses.append(gapped)
        elif states_something(piece):
            if pending == "trailing":  # '..., at the stadium, and ...': the scope ends the clause before
                clauses[-1] = f"{clauses[-1]}, {request.pop()}"
            elif pending == "leading":  # '...; downtown, keep ...': a new sentence opens with its scope
                piece = f"{request.pop()}, {piece}"
            pending = ""
            if clauses and not opens and dangling_share(clauses[-1]):  # '5% of our customers, network-wide, see ...'
                clauses[-1] = f"{clauses[-1]}, {piece}"
            else:
                clauses.append(ungapped(clauses[-1], piece) if clauses else piece)
        elif clauses and names_cells(clauses[-1]) and ex.REPORTS.search(piece):
            continue  # '..., customers at the mall keep complaining': a report after a request that names its cells
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


def holds_back(piece: str) -> re.Match | None:
    """'Hold it on the stadium cells', 'All 3 must hold network-wide': a piece asking to keep what was
    said before it, with no KPI or value of its own (a value makes it a clause: 'keep it above 40')."""
    held = HELD_BACK.match(piece)
    if held is None or KPI_WORDS.search(piece) or re.search(r"\d", re.sub(r"\bcells?#[\d_]+|^all\s+\d+", "", piece, flags=re.I)):
        return None
    return held


TRAILING_JOIN = re.compile(r"\s+\b(?:and|but|or|then|and then)$", re.I)


def pieces(text: str) -> list[tuple[str, bool]]:
    """The text cut at every break, each piece with whether it opens a sentence (it starts the
    text, follows a full stop, a semicolon, a bullet or a new line, or a conjunction before a comma: 'and, on cell 20, ...')."""
    out, start, opens = [], 0, True
    for m in [*BREAKS.finditer(text), None]:
        piece = LEADING.sub("", text[start:m.start() if m else len(text)].strip(" ,.!?")).replace("<and>", "and")
        joined = TRAILING_JOIN.search(piece)  # '... by 10% and, on cell 20, raise ...': what follows opens a clause
        piece = piece[:joined.start()] if joined else piece
        if piece:
            out.append((piece, opens))
        if m:
            start, opens = m.end(), bool(re.search(r"[.;\n•·▪◦]", m.group(0)) or joined) or (opens and not piece)
    return out


def scope_of(text: str, areas: dict[str, list[int]], num_cells: int = 21) -> tuple[Cells, bool, list[str]]:
    """(cells, whether the text names a scope of cells, slices) of one piece of text. Cells and areas
    left out ('the stadium - except cell 4 -', 'all cells except 4 and 5', 'everywhere but downtown') are
    taken from the area or the network named."""
    left_out = ex.excepted(text) | {c for name in ex.excepted_areas(text, areas) for c in areas[name]}
    ids = set(ex.cells(text))
    for name in set(ex.areas(text, areas)[0]) - set(ex.excepted_areas(text, areas)):
        ids |= set(areas[name])
    if left_out and NETWORK_WIDE.search(text):
        ids = set(range(num_cells))
    ids = ids - left_out or ids
    named = bool(ids) or bool(NETWORK_WIDE.search(text))
    return (sorted(ids) or None), named, ex.slices(text)


def clauses_of(text: str, areas: dict[str, list[int]], num_cells: int = 21) -> list[Clause]:
    """The clauses of a (canonical) request, each with the scope it applies to. A heading
    ('Downtown: ...', 'URLLC @ airport: ...; eMBB @ airport: ...', 'improve the cell edge in
    downtown: ...') scopes what follows it, up to the next heading, and is not a clause itself."""
    out: list[Clause] = []
    for heading, body in headed(text):
        parts, request = split(body)
        if heading is None and parts and (lead := LEADING_SCOPE.match(parts[0])):
            request.append(lead.group(1))  # 'On cells 9-11 get ... without ...': said for the whole request
        request_cells, _, request_slices = scope_of(" ".join(request if heading is None else [heading, *request]), areas,
                                                    num_cells)
        if heading is not None and EVERY_ONE.match(heading):  # 'Cell 13: ... Cell 14: ... Both: keep coverage'
            request_cells = sorted({c for clause in out for c in clause.cells or ()}) or None
        for part in parts:
            clause = _clause(part, (areas, num_cells), out[-1] if out else None, request_cells, request_slices)
            if clause.points_back and clause.named and out and not out[-1].named and out[-1].cells is None:
                out[-1].cells, out[-1].named = clause.cells, True  # 'tput above 30 and below 20 on cell 3': one scope
            out.append(clause)
    return out


# 'stadium: throughput >= 30 Mbps, airport: latency <= 6 ms': a scope heading after a comma heads the items after it
SCOPE_HEADING = re.compile(r"(?<=,)\s*([^.;:,\n]{1,40}?)\s*:\s+(?=\S)")


def headed(text: str) -> list[tuple[str | None, str]]:
    """(heading or None, the text it heads)."""
    text = LIST_NUMBER.sub("; ", text)
    marks = [m for m in HEADING.finditer(text) if _is_heading(m.group(1), text[m.end():])]
    marks = sorted(marks + [m for m in SCOPE_HEADING.finditer(text) if names_scope(m.group(1)) and not states_something(m.group(1))
                            and not any(h.start() <= m.start() < h.end() for h in marks)], key=lambda m: m.start())
    if not marks:
        return [(None, text)]
    pieces = [(None, text[:marks[0].start()])] if text[:marks[0].start()].strip(" .;") else []
    for m, nxt in zip(marks, [*marks[1:], None]):
        body = text[m.end(): nxt.start() if nxt else len(text)]
        first = split(body)[0]
        if KPI_WORDS.search(m.group(1)) and not KPI_WORDS.search(first[0] if first else body):
            body = f"{m.group(1)} {body}"  # 'Energy efficiency on cells 0-2: raise it by 15%': the heading names the KPI
        if HOLDING_HEADING.match(m.group(1)):  # 'Keep the network humming: load between 50 and 75%', every item of it
            body = "; ".join(f"ensure {item}" if i == 0 or not has_verb(item) else item for i, item in enumerate(body.split(";")))
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
        return names_scope(head) or EVERY_ONE.match(head) is not None
    return bool(ex.quantities(rest) or ex.BY_PERCENT_RE.search(rest))


# 'we need that the stadium have throughput of 50 Mbps and the latency under 10 ms': a scope that is the subject of the
# verb is the scope of every object the verb takes
SUBJECT_SCOPE = re.compile(r"\b(?:cells?#[\d_]+|(?:" + "|".join(ex.PLACE_WORDS) + r")(?:\s+(?:area|cells|users))?)(?:'s)?\s+"
                           r"(?:(?:must|should|shall|will|to)\s+)?(?:have|has|get|gets|need|needs|see|sees|deserve\w*|require\w*)\b", re.I)


def _clause(part: str, network: tuple[dict[str, list[int]], int], previous: Clause | None, request_cells: Cells,
            request_slices: list[str]) -> Clause:
    spoken = re.match(FILLER, part, re.I).end()  # 'okay so uh can you get ...': a filler, no reason ('so that ...')
    cells, named, slices = scope_of(part[:spoken] + REASON.sub("", part[spoken:]), *network)
    own_kpi = KPI_WORDS.search(re.sub(r"\b(?:sleep|asleep|awake|wake)\b", "", ex.UNIT_RE.sub("", part), flags=re.I))  # not '6 kW'
    back = previous is not None and not slices and not own_kpi and (
        COMPARATOR_START.match(part) is not None or TARGET_START.match(part) is not None or VERB_VALUE.match(part) is not None
        or POINTS_BACK.search(part) is not None or SUBJECTLESS.match(part) is not None
        or ex.BY_PERCENT_RE.search(part) is not None  # '... A 20% cut would be ideal': the previous clause's KPI
        or (COMPARATOR.search(part) is not None and all(q.unit == "%" for q in ex.quantities(part))))
    # 'without ...', 'while keeping ...', "but don't cause interference", 'only if ...', 'no extra latency': a guard on the clause before (a negated limit with
    # a value of its own is a clause of its own: 'never let latency exceed 10 ms'); on a KPI of its own it takes no slice
    # it does not name ('..., while keeping throughput as it is', 'For eMBB, raise ... without causing interference')
    qualifies = (CONDITION_START.match(part) is not None or re.match(r"(?:only\s+)?if\b|(?:with\s+)?no\s+(?:extra|additional|further)\b",
                                                                       part, re.I) is not None
                 or ((NEGATIVE_HEAD.match(part) is not None or NEGATED_MOVE.search(part) is not None)  # 'coverage must not suffer'
                     and not ex.quantities(part)))
    if qualifies and own_kpi:
        request_slices = []
    elif back or (previous is not None and POINTS_BACK.search(part)):  # '... for eMBB users, and make sure their ...'
        slices = slices or previous.slices  # '... to 3 ms on cells 12-14, and to 6 ms on cell 15': same slice
    shares = previous is not None and previous.named and SUBJECT_SCOPE.search(previous.text) is not None and not has_verb(part)
    if previous is not None and not named and (back or qualifies or shares or SCOPE_BACK.search(part) or POINTS_BACK.search(part)):
        cells, named = previous.cells, previous.named
    elif not named:
        cells = request_cells
    elif cells is None and request_cells and EACH_CELL.search(part):  # '... under 75% in every cell' of the area said
        cells, named = request_cells, False
    return Clause(part, cells, named, slices or ([] if back else request_slices), back)
