"""Asides: words an operator adds to explain or give context, that ask for nothing (LABELS.md: "a
parenthesis, 'because ...', 'so that ...', 'since ...', a sentence about what happened add no goal,
scope or change").

A parenthesis is read by what it does, not by its words: one that states part of the request (a
value, a threshold, cells, a scope alone, a KPI or a guard: '(threshold 70%)', '(cells 3-5)', '(the
stadium)', '(without hurting latency)') stays, less any reason it gives ('(using a 70% threshold, since
our rule is conservative)'); one that reports, tells what happened or how things are, or only describes
('(subscribers say the signal drops in the car park)', '(this matters during events)', '(both border
cells toward the airport)', '(the stadium roof issue, again)') is cut out, with every place, slice and
time it names. A piece of a sentence is context in the same way (`is_context`): a statement that asks
nothing, so a place it names is no scope ('the airport has been swamped since the new schedule').
"""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.build import DELIVER_WORDS, ENSURE_WORDS, GUARD_CLAUSE, NEGATED_MOVE
from ranpilot.intents.clause_words import KPI_WORDS

PARENTHESIS = re.compile(r"\s*\(([^()]{2,})\)")  # not a list marker: "(a)", "(2)"
# a reason or purpose given inside: 'since our planning rule is conservative', 'because of the event'
REASON_TAIL = re.compile(r"\s*[,;-]?\s*\b(?:since|because|so that|given that|due to|as (?:that|this|it|we|they|our)|"
                         r"(?:as|per) (?:agreed|discussed|requested|planned|usual|the \w+))\b.*$", re.I)
NOW = re.compile(r"\b(?:currently|now|today|at the moment|lately|these days|usually|often|always|every (?:day|evening|night|morning))\b",
                 re.I)
ADDS = re.compile(r"(?:and|also|plus|as well as|but)\b", re.I)
CLOCK = re.compile(r"\d:\d\d|\d\s*(?:am|pm|h)\b", re.I)
# what someone says or what happened: a report, or a verb in the past
REPORT = re.compile(r"\b(?:says?|said|report(?:s|ed)?|complain(?:s|ed)?|tell|tells|told|claim(?:s|ed)?|mention(?:s|ed)?|"
                    r"think|thinks|thought|notic(?:e|es|ed)|was|were|had|been|happened|agreed|started|began|opened|"
                    r"last (?:week|month|year|night|time)|yesterday|again|as usual)\b", re.I)
# a finite verb of being or having, or a verb after a subject pronoun: a statement, not an ask
STATES = re.compile(r"\b(?:is|are|'s|'re|has|have|matters?|seems?|looks?|happens?|means?)\b|"
                    r"\b(?:we|they|it|this|that|he|she|who|which|people|users|customers|callers|subscribers|cells?#[\d_]+|urllc|embb|mmtc)\s+"
                    r"(?!\w+ing\b|and\b|or\b|as\b|is\b)[a-z]+s\b", re.I)  # '(cell 1 handles too much traffic)' 
# an ask: a request word, a verb of change or of holding
ASKS = re.compile(r"\b(?:please|pls|must|should|shall|need|needs|want|has to|have to|make sure|let's)\b", re.I)
THRESHOLD = re.compile(r"\b(?:thresholds?|cut-?offs?|level|limit|defined|counts? as|means|=)", re.I)
# what a scope said alone is made of: '(the stadium cells)', '(cells 3-5, airport)', '(URLLC only)'
SCOPE_FILLER = re.compile(r"\b(?:the|in|at|on|for|of|and|or|both|all|only|just|i\.?e\.?|e\.?g\.?|namely|cells?|sites?|area|areas|"
                          r"slice|slices|network[- ]wide|whole|entire|network|everywhere)\b|[,.;&/]", re.I)
PLACES = re.compile(rf"\b(?:{'|'.join(ex.PLACE_WORDS)})\b", re.I)
WINDOW_WORDS = re.compile(r"\b(?:night|nights|overnight|tonight|day|daytime|business hours|working hours|morning|evening|am|pm|"
                          r"priority|urgent|critical)\b", re.I)


def without_asides(text: str) -> str:
    """`text` (canonical) with every parenthesis that asks nothing cut out, and the reasons given inside
    the others; one that adds a clause ('(and on cell 4 to 25 Mbps)') is said as one."""
    def keep(m: re.Match) -> str:
        inside = REASON_TAIL.sub("", m.group(1)).strip(" ,;")
        if not inside or not states_request(inside):
            return ""
        return f", {inside}," if ADDS.match(inside) else f" ({inside})"  # '(and on cell 4 to 25 Mbps)': a clause of its own

    return PARENTHESIS.sub(keep, text)


def states_request(inside: str) -> bool:
    """Whether the words of a parenthesis state part of the request."""
    valued = bool(ex.quantities(inside) or ex.BY_PERCENT_RE.search(inside) or ex.bare_value(inside) is not None)
    if REPORT.search(inside) or (STATES.search(inside) and not (ASKS.search(inside) or THRESHOLD.search(inside))
                                 and (not valued or NOW.search(inside))):
        return False  # what someone says, what happened, how things are ('(it is 12 ms today)'; not '(PRB load is above 80%)')
    if valued or ex.CELLS_RE.search(inside) or CLOCK.search(inside) or THRESHOLD.search(inside):
        return True  # a value, a threshold, cells, a time
    asks = (ASKS.search(inside) or ENSURE_WORDS.search(inside) or GUARD_CLAUSE.match(inside) or NEGATED_MOVE.search(inside)
            or ex.direction_verb(inside) or _window_alone(inside))
    return bool(asks) or _scope_alone(inside) or KPI_WORDS.search(inside) is not None


def _window_alone(inside: str) -> bool:
    """'at night', 'business hours only', 'low priority': nothing but when or how urgent (not 'gaming night at the arcade')."""
    rest = SCOPE_FILLER.sub(" ", WINDOW_WORDS.sub(" ", re.sub(r"\b(?:during|over|through|every|each|from|until|to|between|low|high|top|medium|very|\d+)\b", " ", inside,
                                                                flags=re.I)))
    return WINDOW_WORDS.search(inside) is not None and not rest.strip()


def _scope_alone(inside: str) -> bool:
    """'the stadium cells', 'URLLC only', 'network-wide', 'the mall': nothing but a scope (a place the
    network has no area for is a scope too, to be asked about)."""
    rest = SCOPE_FILLER.sub(" ", PLACES.sub(" ", ex.SLICE_RE.sub(" ", ex.CELLS_RE.sub(" ", inside))))
    return not rest.strip()



# 'we tried raising power last week', 'we already cut power': what someone did, not what is asked
NARRATIVE = re.compile(r"^(?:(?:yesterday|last \w+|earlier(?: today)?|this morning|so far)\s*,?\s+)?(?:we|i|they|he|she|someone|somebody|"
                       r"ops|engineering|the (?:\w+ )?(?:team|crew|vendor|engineers?))\s+(?:(?:already|just|recently)\s+[a-z]+|(?:also\s+)?"
                       r"(?!(?:want|need|hope|lik|ask|request|expect|prefer|wish|intend|plan)ed\b)(?:tried|did|had|was|were|\w+ed))\b", re.I)
# '..., not more throughput', '..., rather than lower latency': the alternative the operator does not ask for
CONTRAST = re.compile(r"^(?:not|rather than|instead of)\s+(?:more|less|higher|lower|better|faster|the|a|an|its|their)?\s*"
                      r"(?:[\w-]+\s*){1,3}$", re.I)


def aside_piece(piece: str) -> str | None:
    """What is left of a piece of a sentence (`clauses.pieces`) that asks nothing: of one naming an alternative not
    asked for ('..., not more throughput'), nothing (''); of one telling what someone did ('we tried raising power
    last week'), only the cells and places it names, which a later 'it' or 'there' may mean ('They switched off cell
    17 yesterday, so turn it back on'). None for a piece that is no aside."""
    if ex.quantities(piece) or ex.BY_PERCENT_RE.search(piece) or ASKS.search(piece):
        return None
    if CONTRAST.match(piece) and KPI_WORDS.search(piece) and not (
            ENSURE_WORDS.search(piece) or DELIVER_WORDS.search(piece) or re.search(r"\b\w+ing\b", piece)):  # 'not degrading ...' guards
        return ""
    if NARRATIVE.match(piece) is None:
        return None
    places = [m.group(0) for m in re.finditer(rf"{ex.CELLS_RE.pattern}|{PLACES.pattern}", piece, re.I)]
    return f"on {' and '.join(places)}" if places else ""


_SCOPE = r"(?:cells?#[\d_]+|(?:the\s+)?(?:" + "|".join(ex.PLACE_WORDS) + r")(?:\s+(?:cells|area))?)"
# 'at the stadium, sorry, the airport', 'cell 4 - I mean cell 14 -': the operator corrects the scope they said
_VALUE = r"(?:by\s+)?-?\d+(?:\.\d+)?\s*(?:%|mbit/s|ms|kw|dbm|db|bit/j|deg\w*)"
_CORRECTION = r"\s*[,-]?\s*(?:sorry|i mean|no wait|no,? wait|correction|or rather|rather|make that|actually)\s*[,:-]?\s*"
# 'at the stadium, sorry, the airport', 'cell 4 - I mean cell 14 -', 'to 30 Mbps, sorry, 35 Mbps': the operator corrects
# the scope or the value they said
CORRECTED = re.compile(rf"{_SCOPE}{_CORRECTION}({_SCOPE})(?:\s*-(?=\s))?|(?<=\s)({_VALUE}){_CORRECTION}({_VALUE})(?:\s*-(?=\s))?", re.I)


def corrected(text: str) -> str:
    """`text` (canonical) with a scope or a value the operator corrects replaced by the correction ('Raise throughput at
    the stadium, sorry, the airport, to 30 Mbps' -> '... at the airport, to 30 Mbps')."""
    def correction(m: re.Match) -> str:
        if m.group(1):
            return m.group(1)
        said, meant = m.group(2), m.group(3)  # 'by 10%, no wait, 15%': the correction keeps the 'by' of what it corrects
        return f"by {meant}" if said.lower().startswith("by") and not meant.lower().startswith("by") else meant

    return CORRECTED.sub(correction, text)

