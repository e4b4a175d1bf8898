"""Pieces of a request that belong with the clause beside them rather than standing alone: a negation
said once over several predicates, a level or a threshold given apart from its share, a gapped
predicate ('..., and for eMBB by a quarter'), a share named as a subject whose predicate follows."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.build import NAMES_SHARE, has_verb
from ranpilot.intents.clause_words import (CONDITION_START, CONTINUES, GAPPED, GERUND, KPI_WORDS, NEGATIVE_HEAD, SUBJECTLESS,
                                           THRESHOLD, names_scope, states_something)
from ranpilot.intents.shares import user_share


def verb_first(pieces: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    """A verb said alone before its object, with a scope or an aside between them, heads the first piece
    that states something ('Guarantee, for the URLLC slice in the stadium cells, a latency of at most 1 ms':
    one clause, ENSURE, with that scope; 'Reduce, in downtown, the energy consumption by 12%'). Without
    such a piece in the same sentence, the pieces stay as they were."""
    out: list[tuple[str, bool]] = []
    held: list[tuple[str, bool]] = []
    for piece, opens in pieces:
        if held and (opens or states_something(piece)):
            out += [(" ".join([*(p for p, _ in held), piece]), held[0][1])] if not opens else [*held, (piece, opens)]
            held = []
        elif held:
            held.append((piece, opens))
        elif _verb_alone(piece):
            held = [(piece, opens)]
        else:
            out.append((piece, opens))
    return out + held


def _verb_alone(piece: str) -> bool:
    """'Guarantee', 'Please make sure', 'Reduce': an imperative without an object, a value or a scope (not
    'reduce it please', whose object is the clause before; not 'to save money', a purpose)."""
    words = re.sub(r"^(?:please|kindly|pls)\s+", "", piece, flags=re.I).lower().split()
    imperative = bool(words) and (has_verb(words[0]) or words[:2] == ["make", "sure"])
    return imperative and len(piece.split()) <= 4 and not (
        states_something(piece) or names_scope(piece) or NEGATIVE_HEAD.match(piece) or re.search(r"\b(?:it|them|this|that|to)\b", piece, re.I))


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


def continues(previous: str, piece: str) -> bool:
    """Whether a piece only continues the clause before it ('..., which ...', '..., i.e. ...', '...,
    by 10%'); a second change ('up by 20% and, at the same time, by -20%') is a clause of its own."""
    if CONTINUES.match(piece) is None:
        return False
    return not (re.match(r"by\s", piece, re.I) and ex.BY_PERCENT_RE.search(previous))


def defines_level(previous: str, piece: str) -> bool:
    """'99% of users covered, RSRP -100 dBm or better', 'the low-throughput share, under 3 Mbps, ...': a
    level, said after a share of users (or a share named as such) that names no level, decides which
    users that share counts; it is no clause itself."""
    levels = [q for q in ex.quantities(piece) if q.unit in ("dBm", "dB", "Mbit/s")]
    if len(levels) != 1 or len(ex.quantities(piece)) != 1:
        return False
    if levels[0].unit == "Mbit/s":
        return (NAMES_SHARE.search(previous) is not None and not ex.quantities(previous)
                and not KPI_WORDS.search(ex.UNIT_RE.sub("", piece)))
    return user_share(previous) is not None and all(q.unit == "%" for q in ex.quantities(previous))


def ungapped(previous: str, piece: str) -> str:
    """'reduce latency for URLLC by half, and for eMBB by a quarter', 'set cell 3 power to 40 dBm and
    cell 4 to 38 dBm': a piece that opens with its scope and gives only a value, without a KPI or a
    verb, repeats the predicate before it, less that predicate's own cells (gapping)."""
    if (not GAPPED.match(piece) or not names_scope(piece) or KPI_WORDS.search(ex.UNIT_RE.sub("", piece))
            or has_verb(re.sub(r"\b(?:please|pls)\b", "", piece, flags=re.I)) or not (ex.quantities(piece) or ex.BY_PERCENT_RE.search(piece))):
        return piece
    head = ex.CELLS_RE.sub("", re.split(r"\s+(?:for|on|in|at|across|by|to)\b|\s+[\d<>]", previous, maxsplit=1)[0])
    head = re.sub(r"\s+of\s*$", "", head)  # 'the tilt of cell 0 to 6 degrees and of cell 1 to 4': 'of' opens the piece
    return f"{head} {piece}" if KPI_WORDS.search(head) else piece


SHARE_VALUE = re.compile(r"^(?:at|to|of|around|about|=)?\s*\d+(?:\.\d+)?\s*%", re.I)


def completes_share(previous: str, piece: str) -> bool:
    """'The share of cells under 4 Mbit/s, ..., should be reduced below 20%': a share named as the
    subject without its value, whose predicate (a clause starting at its verb, or only the value: 'the
    low-throughput share, under 3 Mbps, at 4% tops') gives the percentage."""
    return (NAMES_SHARE.search(previous) is not None and (SUBJECTLESS.match(piece) or SHARE_VALUE.match(piece)) is not None
            and not any(q.unit == "%" for q in ex.quantities(previous)) and any(q.unit == "%" for q in ex.quantities(piece)))


def completes_value(previous: str, piece: str) -> bool:
    """'bring the share of overloaded cells, threshold 70%, down to 5%', 'URLLC latency - 2 ms max': a clause
    that names a KPI without a value (a threshold aside), and a piece after a break that gives only the value,
    without a KPI, a verb or a scope of its own: one clause."""
    named = re.sub(r"\b(?:thresholds?|cut-?offs?)\b\W*(?:of\s+|at\s+|is\s+)?-?\d+(?:\.\d+)?\s*\S*", " ", previous, flags=re.I)
    return (KPI_WORDS.search(named) is not None and not ex.quantities(named) and ex.bare_value(named) is None
            and not ex.BY_PERCENT_RE.search(named) and bool(ex.quantities(piece) or ex.BY_PERCENT_RE.search(piece))
            and not KPI_WORDS.search(ex.UNIT_RE.sub("", piece)) and not has_verb(piece) and not names_scope(piece)
            and not CONDITION_START.match(piece) and not NEGATIVE_HEAD.match(piece))


# the KPIs a bare percentage can only change, not be: 'Energy saving on cells 15-20: 20%', 'Latency cut on cell 7: 30%'
NOT_IN_PERCENT = re.compile(r"\b(?:thr?o?u?g?h?put|speeds?|laten\w*|delays?|energy|power|electricity|consumption|efficien\w*)\b", re.I)


def moved_by(previous: str, piece: str) -> str | None:
    """The clause before with the move its words name sized by a bare percentage said after it ('Latency cut on cell 7:
    30%' -> '... by 30%'), for a KPI not measured in percent; None otherwise."""
    if not re.fullmatch(r"(?:about\s+|around\s+|roughly\s+)?\d+(?:\.\d+)?\s*%", piece, re.I):
        return None
    if (not ex.direction_verb(previous) or ex.quantities(previous) or ex.BY_PERCENT_RE.search(previous)
            or not NOT_IN_PERCENT.search(previous) or re.search(r"\b(?:share|users|cells(?!#)|load|coverage|sinr)\b", previous, re.I)):
        return None
    return f"{previous} by {piece}"


def names_threshold(piece: str) -> bool:
    """'..., using -105 dBm as the threshold': a piece that gives the threshold of the clause before
    it (one level, no change of its own)."""
    return THRESHOLD.search(piece) is not None and len(ex.quantities(piece)) <= 1 and not ex.BY_PERCENT_RE.search(piece)


# '... fewer than 5% of our customers' (and a scope said between commas): a share of users whose predicate follows
SHARE_WITHOUT_PREDICATE = re.compile(r"\d\s*%\s+of\s+" + ex.USERS + r"(?:,\s*[^,]{1,40})?$", re.I)


def dangling_share(previous: str) -> bool:
    """Whether the clause before ends on a share of users without saying what they get ('make sure
    fewer than 5% of our customers, network-wide, see throughput under 6 Mbps'): the piece after is
    its predicate ('keep weak coverage below 3% of users' said its own)."""
    return SHARE_WITHOUT_PREDICATE.search(previous) is not None and not KPI_WORDS.search(previous)


def shares_past(previous: str, piece: str) -> bool:
    """'edge users: threshold 3 Mbps, max share 4%': a clause that gives only the level deciding which
    users count, and a piece that gives only the share of them, without a KPI of its own."""
    levels = ex.quantities(previous)
    shares = ex.quantities(piece)
    return (THRESHOLD.search(previous) is not None and len(levels) == 1 and levels[0].unit != "%" and bool(shares)
            and all(q.unit == "%" for q in shares) and not KPI_WORDS.search(piece) and not ex.BY_PERCENT_RE.search(piece))


# '0.5 for eMBB', '0.6 on cells#7', '20 ms max for eMBB': a value, then the scope it is for, and nothing else
VALUE_FIRST = re.compile(r"^-?\d+(?:\.\d+)?\s*(?:%|db|dbm|deg\w*|°|ms|mbit/s|kw)?\s+(?:(?:max|min)(?:imum)?\s+|tops\s+|or (?:less|more)\s+)?"
                         r"(?:for|on|in|at|to)\s+(?:the\s+)?[\w#-]+$", re.I)  # '20 ms max for eMBB': its bound may follow the value
PLACES = re.compile(r"(?:\b(?:for|on|in|at|across)\s+(?:the\s+)?)?(?:\bcells?#[\d_]+|\b(?:" + "|".join(ex.PLACE_WORDS) + r")\b)",
                    re.I)
SLICES = re.compile(r"(?:\b(?:for|on|in|at|across)\s+(?:the\s+)?)?\b(?:urllc|embb|mmtc|miot)\b", re.I)


def value_first(previous: str, piece: str) -> str | None:
    """'a minimum PRB ratio of 0.25 for URLLC, and 0.5 for eMBB', 'eMBB PRB shares: 0.6 on cell 7, 0.5 on
    cell 8': a piece that gives only a value and its scope repeats the setting before it, up to its
    value, less that setting's own scope of the kind the piece names (gapping with the value first);
    None for any other piece."""
    if not VALUE_FIRST.match(piece):
        return None
    numbers = list(re.finditer(ex.NUMBER, previous))
    head = previous[:numbers[-1].start()] if numbers else previous
    for kind in (PLACES, SLICES):
        if kind.search(piece):
            head = kind.sub(" ", head)
    return f"{' '.join(head.split())} {piece}"


def names_its_kpi(previous: str, piece: str) -> bool:
    """'Keep it under 8 ms: URLLC latency on cells 0-2', 'min: 20 Mbps, kpi: eMBB throughput per UE': a
    value said first, without its KPI, and a piece that names the KPI (and its scope) without a value
    or a verb of its own: one clause."""
    return (bool(ex.quantities(previous)) and not KPI_WORDS.search(ex.UNIT_RE.sub("", previous))
            and KPI_WORDS.search(piece) is not None and not ex.quantities(piece) and not ex.BY_PERCENT_RE.search(piece)
            and not ex.direction_verb(piece) and not CONDITION_START.match(piece) and not NEGATIVE_HEAD.match(piece)
            and not re.search(r"\b(?:keep|hold|maintain|protect|preserve|too|also|as well)\b", piece, re.I))


SHARE_ALONE = re.compile(r"^(?:for\s+|to\s+)?(?:at least\s+|about\s+|around\s+)?-?\d+(?:\.\d+)?\s*%\s+of\s+" + ex.USERS +
                         r"(?:\s+(?:at least|or more))?$", re.I)


def share_after(previous: str, piece: str) -> bool:
    """'Users at the stadium should see at least 10 Mbps, 95% of them': a share of users said after the
    level they should get, as an afterthought, is the share that level is for."""
    return (SHARE_ALONE.match(piece) is not None and not user_share(previous)
            and any(q.unit in ("Mbit/s", "dBm", "dB") for q in ex.quantities(previous)))


# 'and the same on cell 2', 'do the same downtown', 'same for cells 13-14': the clause before, for another scope
SAME_AGAIN = re.compile(r"^(?:(?:please\s+)?do\s+)?(?:the\s+|exactly\s+the\s+)?same(?:\s+thing)?\s+(?:(?:goes\s+)?(?:for|on|in|at|with|across)\s+)?"
                        r"(?:the\s+)?(?=\S)", re.I)


def same_again(previous: str, piece: str) -> str | None:
    """The clause a piece repeats for its own scope ('latency under 10 ms on cell 1, and the same on
    cell 2' -> 'latency under 10 ms on cell 2'), or None for any other piece."""
    m = SAME_AGAIN.match(piece)
    if m is None or not names_scope(piece[m.end():]) or KPI_WORDS.search(piece):
        return None
    head = PLACES.sub(" ", previous) if PLACES.search(piece) else previous
    head = SLICES.sub(" ", head) if SLICES.search(piece) else head
    return f"{' '.join(head.split())} {piece[m.end():]}"


_PAIR_UNIT = r"(%|mbit/s|ms|kw|dbm|db|bit/j)"
PAIRED_VALUES = re.compile(rf"(-?\d+(?:\.\d+)?)\s*{_PAIR_UNIT}?\s+and\s+(-?\d+(?:\.\d+)?)\s*{_PAIR_UNIT}(?![\w/])", re.I)
_PLACE = r"(?:the\s+)?(?:" + "|".join(ex.PLACE_WORDS) + r")"
PAIRED_SCOPES = re.compile(rf"\bcells?\s+(\d+)\s+and\s+(?:cell\s+)?(\d+)\b|({_PLACE})\s+and\s+({_PLACE})\b", re.I)


def respectively(text: str) -> str:
    """'Raise throughput on cells 1 and 2 to 20 and 25 Mbps respectively' -> '... on cell 1 to 20 Mbps; ... on cell 2 to 25
    Mbps': two values and two scopes said in one sentence with 'respectively' pair up in order (before cell lists are read,
    so that 'cells 1 and 2 to 20' is no range of cells)."""
    def pair(sentence: str) -> str:
        values, scopes = PAIRED_VALUES.search(sentence), PAIRED_SCOPES.search(sentence)
        if not re.search(r"\brespectively\b", sentence, re.I) or values is None or scopes is None:
            return sentence
        places = (f"cell {scopes.group(1)}", f"cell {scopes.group(2)}") if scopes.group(1) else (scopes.group(3), scopes.group(4))
        unit = values.group(4)
        items = ((f"{values.group(1)} {values.group(2) or unit}", places[0]), (f"{values.group(3)} {unit}", places[1]))
        spans = sorted([(values.span(), 0), (scopes.span(), 1)], reverse=True)
        out = []
        for value, scope in items:
            s = sentence
            for (start, end), kind in spans:
                s = f"{s[:start]}{value if kind == 0 else scope}{s[end:]}"
            out.append(re.sub(r",?\s*\brespectively\b", "", s, flags=re.I).strip(" .;"))
        return "; ".join(out) + ("." if sentence.rstrip().endswith(".") else "")

    return "".join(pair(s) for s in re.split(r"(?<=[.;!?])(?=\s)", text))
