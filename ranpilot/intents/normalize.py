"""Canonical form of an operator's text, computed before anything else reads it.

Operators write the same quantity many ways: "twenty-five and a half milliseconds", "a quarter of
the cells", "one in twenty users", "halve energy", "0.002 s", "60 kWh a day", "a 4–8 ms range".
The readers downstream (`extraction`, `build`, `config_requests`) understand one form only:
digits, percentages ("25%"), relative changes as "by N%" (signed when the words fix the
direction: "by -50%"), ranges as "between X unit and Y unit", and each target's own unit
(Mbit/s, ms, kW, bit/J: `units.py`, read before the cell lists); misspelt KPI words in their
spelling, and without the sign-off ("Kind regards, Energy Office"). The original text is kept by
the caller for messages.
"""

from __future__ import annotations

import difflib
import re
from functools import lru_cache

from text_to_num import alpha2digit

from ranpilot.intents import extraction as ex
from ranpilot.intents import forms, schedule
from ranpilot.intents.asides import corrected, without_asides
from ranpilot.intents.clause_joins import respectively
from ranpilot.intents.relative import CHANGE_VERB, complaint_shares, pronoun_shares, relative, relative_shares, signed_moves
from ranpilot.intents.units import FRACTION_WORDS, N, UNIT_WORDS, fraction_value, unit_fractions, units

FRACTION = re.compile(rf"\b(a|an|one|\d+)\s+({FRACTION_WORDS})\b", re.I)
# 'one in twenty', '3 out of 20 cells', 'one cell in ten': the counted noun may sit inside
ONE_IN = re.compile(r"(?<!#)\b(1|one|a|\d+)\s+(?:(cells?|users?|ues?|sites?|subscribers?|devices?)\s+)?(?:in|out of)\s+"
                    r"(?:every\s+|a\s+)?(\d+)\b(?!\s*(?:%|percent))(\s+of\b)?", re.I)
RANGE_UNIT = r"(\s*(?:%|(?:" + UNIT_WORDS + r")(?![\w/])))"
RANGES = (
    re.compile(r"\b(?:in|within|inside)\s+(?:a|the)\s+" + N + RANGE_UNIT + r"?\s*(?:-|to)\s*" + N + RANGE_UNIT +
               r"\s+(?:range|band|window|interval|corridor)\b", re.I),
    re.compile(r"\b(?:from|within)\s+" + N + RANGE_UNIT + r"?\s+to\s+" + N + RANGE_UNIT, re.I),
    re.compile(r"\b(?:between|within)\s+" + N + RANGE_UNIT + r"?\s+and\s+" + N + RANGE_UNIT, re.I),
    re.compile(N + RANGE_UNIT + r"?\s*-\s*" + N + RANGE_UNIT, re.I),
    re.compile(N + r"()\s+to\s+" + N + RANGE_UNIT, re.I),
)
# 'no less than 30% and no more than 70%': both bounds said, the lower first, joined by 'and' (a 'but' or a lower
# bound above the upper one is left for the contradiction check)
BOUND_PAIR = re.compile(r"\b(?:no less than|at least|not (?:less|lower) than|minimum(?: of)?|min\.?)\s+" + N + RANGE_UNIT +
                        r"?\s*,?\s+and\s+(?:no more than|at most|not (?:more|higher) than|maximum(?: of)?|max\.?)\s+" + N + RANGE_UNIT,
                        re.I)


# 'Kind regards, Energy Office', 'Thanks - NOC team': who signs a request is not what it asks
SIGN_OFF = re.compile(r"(?:^|[.!,]\s*|\s)(?i:(?:(?:kind|best|warm|many)\s+)?(?:regards|wishes|thanks|thx|thank you|cheers|"
                      r"sincerely|best|br))\s*[,:-]?\s+(?:[A-Z][\w&.-]*\s*){1,4}$")


def canonical(text: str) -> str:
    """The text with numbers, shares, relative changes, ranges and units in canonical form."""
    t = symbols(re.sub(r"\bhalf[- ]?time\b", "the break", SIGN_OFF.sub("", forms.prose(text)), flags=re.I))
    t = schedule.clock_words(alpha2digit(unit_fractions(t), "en", threshold=0))  # before 'a second' can become an ordinal
    t = re.sub(r"\b(\d+)\s+point\s+(\d+)\b", r"\1.\2", t, flags=re.I)  # dictated decimals
    t = re.sub(r"\b(?:an?|one)\s+(?=(?:degree|db|dbm)\b)", "1 ", t, flags=re.I)  # 'by a degree'
    t = re.sub(r"\b(\d+(?:\.\d+)?)\s+(?:more|extra|additional)\s+(degrees?|db)\b", r"\1 \2 extra", t, flags=re.I)  # '1 more degree'
    t = re.sub(r"(?<![\d.])\bpoint\s+(\d+)\b", r"0.\1", t, flags=re.I)
    t = re.sub(r"\bminus\s+(?=\d)", "-", t, flags=re.I)
    t = re.sub(r"\b(\d+) and (a|one) (half|quarter)\b", lambda m: _plus_fraction(m), t, flags=re.I)
    t = FRACTION.sub(_fraction, t)  # 'cell 0 to one half': before '0 to 1' can read as a range of cells
    t = ex.tokenize_cells(one_cell_list(bare_cell_lists(respectively(units(enumerated(SCOPE_DASH_VALUE.sub(r"\2 on \1", t)))))))  # '17 and 18 to 12 ms': a quantity ends a cell list
    t = KPI_VALUE_COLON.sub(r"\1 ", t)
    t = relative(pronoun_shares(complaint_shares(fractions(t))))
    t = signed_moves(re.sub(r"\bhalf\b", "50%", t, flags=re.I))
    t = relative_shares(t)
    return corrected(without_asides(ranges(t)))  # a parenthesis read with the values and cells in it in canonical form


ABBREVIATIONS = {r"t-?put|thruput|thp|thrpt": "throughput", r"engy": "energy", r"util": "utilisation", r"thpt|tpt": "throughput",
                 r"eff": "efficiency", r"ee": "energy efficiency", r"avg": "average", r"lat": "latency", r"efficen\w*": "efficiency",
                 r"latancy|latensy": "latency", r"pwr": "power", r"w/o": "without", r"w/": "with", r"prio": "priority",
                 r"ppl": "people", r"hrs": "hours", r"thresh|thld|thr": "threshold"}
# misspellings of these ('interfrence', 'thoughput', 'covrage') are read as them: see `spelled`
DOMAIN_WORDS = ("interference", "throughput", "latency", "coverage", "energy", "efficiency", "congestion", "utilisation",
                "utilization", "consumption", "bandwidth", "capacity", "maintain", "guarantee")


FIELD_KEYS = (r"kpi|metric|slice|scope|target|action|objective|guard|constraint|min|max|value|param|parameter|when|window|"
              r"threshold|thr|op|lo|hi|bound|limit")


# and of these place words ('stadum', 'airprot', 'dowtown'), long enough that no other word is one misspelt
SPELT_WORDS = DOMAIN_WORDS + tuple(w for w in ex.PLACE_WORDS if w.isalpha() and len(w) >= 7)


@lru_cache(maxsize=4096)
def _spelling(word: str) -> str:
    low = word.lower()
    if any(low.startswith(w) for w in SPELT_WORDS):
        return word  # the word or an inflection of it ('guaranteed', 'maintains')
    candidates = [w for w in SPELT_WORDS if w[0] == low[0]]
    match = [w for w in candidates if sorted(w) == sorted(low)] or difflib.get_close_matches(low, candidates, 1, 0.9)
    return match[0] if match else word


def spelled(text: str) -> str:
    """Misspelt domain and place words in their spelling: a word of five letters or more with the same first
    letter as one and either its letters in another order ('latecny') or a close match (difflib
    ratio 0.9 or more: 'interfrence', 'latncy')."""
    return re.sub(r"\b[a-z]{5,}\b", lambda m: _spelling(m.group(0)), text, flags=re.I)


def symbols(text: str) -> str:
    """One spelling for dashes, comparison signs, percent words, contractions without their
    apostrophe ('whats', 'dont'), misspelt domain words and common abbreviations ('tput')."""
    t = spelled(re.sub(r"[–—−]", "-", text))
    for short, word in ABBREVIATIONS.items():
        t = re.sub(rf"(?<![\w/])(?:{short})(?![\w/])", word, t, flags=re.I)
    t = re.sub(r"\b(more|less|fewer|higher|lower|greater|better|worse|rather)\s+then\b", r"\1 than", t, flags=re.I)
    t = DECIMAL_COMMA.sub(lambda m: f"{m.group(1)}.{m.group(2)}", t)
    t = re.sub(r"(?<![\d,.])(\d{1,3})((?:,\d{3})+)(?![\d,])", lambda m: m.group(1) + m.group(2).replace(",", ""), t)
    t = re.sub(r"\bminus\s+(?=\d)", "-", t, flags=re.I)
    t = re.sub(r"\bat\s+(?:the\s+)?(?:very|absolute|bare)\s+(least|most)\b(?!\s*,)", r"at \1", t, flags=re.I)  # 'at the very least'
    t = re.sub(r"\b(do|does|did|is|are|was|were|wo|ca|should|would|could|must)nt\b", r"\1n't", t, flags=re.I)  # 'dont'
    t = re.sub(r"\b(what|where|who|how|that|there)s\b", r"\1's", t, flags=re.I)  # 'whats'
    t = re.sub(r"(?<=[a-z])_(?=[a-z])", " ", t, flags=re.I)  # 'low_sinr_users'
    t = re.sub(r"\s*(?:->|→)\s*(?=[+-]?\d)", " to ", t)
    t = re.sub(r"\s*(?:->|→)\s*", ": ", t)  # 'Cells 0-2 → (1) ...': a heading
    t = re.sub(r":\s+(?=(?:at most|at least|max|min|under|below|above|over|no more|no less|fewer|less|more)\b|[<>≤≥])", _kpi_colon, t,
               flags=re.I)  # 'share of cells under 4 Mbps: at most 15%': one clause
    t = re.sub(rf"\b([a-z_]+\s*=|(?:{FIELD_KEYS})\s*:)\s*(?=[\w<>+-])", lambda m: m.group(1)[:-1].strip().replace("_", " ") + " ", t,
               flags=re.I)  # 'kpi=latency', 'metric: throughput'
    t = re.sub(r"\b(by\s+(?:about\s+)?)([1-9])\s*/\s*([2-9]|10)\b(?![/.]?\d)",
               lambda m: f"{m.group(1)}{_pct(100.0 * int(m.group(2)) / int(m.group(3)))}", t, flags=re.I)  # 'cut by 1/4'
    t = re.sub(r"(?<![\w/.#])([1-9])\s*/\s*([2-9]|10)\s+of\b", lambda m: f"{_pct(100.0 * int(m.group(1)) / int(m.group(2)))} of", t)
    t = re.sub(r"(?<=\d)\s*[/|]\s*(?=\d)", ", ", t)  # 'cells 3/4/5', 'cells: 16|17|18'
    t = cell_shorthand(t)
    t = re.sub(r"\b(cio|tilt|power)\s+(on|of|for|at)\s+(\d{1,3})\b(?!\s*(?:%|db|deg|°|m|w\b|k))", r"\1 \2 cell \3", t, flags=re.I)
    t = re.sub(r"\bdecibels?\b", "dB", t, flags=re.I)
    t = re.sub(r"(\brsrp\b[^\d;,.]{0,20}?-\d+(?:\.\d+)?)(?![\d.]|\s*(?:%|dbm?\b))", r"\1 dBm", t, flags=re.I)  # RSRP is in dBm
    t = re.sub(r"(bits?|bytes?)\s+(?:per|a)\s+second\b", r"\1/s", t, flags=re.I)
    t = re.sub(r"\b(?:to|at|be|is|=)\s+(?:none|nil|zero)\b(?!\s*(?:%|[a-z]+/|mbit|ms\b|kw\b|db))", "to 0%", t, flags=re.I)
    t = re.sub(r"\bno (cells?|users?|ues?)\s+(?=with|whose|has|have|having|below|under|above|over|in|at|running|overloaded)",
               lambda m: f"0% of {m.group(1).rstrip('s')}s ", t, flags=re.I)  # 'no cell with weak coverage': none of them
    t = re.sub(r"(?<![\w.])[x×]\s*(\d+(?:\.\d+)?)\b(?!\s*%)", lambda m: f"by +{(float(m.group(1)) - 1) * 100:g}%", t)
    t = re.sub(rf"(\d)\+\s*((?:{UNIT_WORDS})(?![\w/])\s*)?(?=[a-z])", lambda m: f"{m.group(1)} {m.group(2) or ''}or more ", t,
               flags=re.I)  # '30+ mbps': '30 mbps or more'
    t = re.sub(r"↑(?!\s*\d)", " raise ", t)
    t = re.sub(r"↓(?!\s*\d)", " cut ", t)
    t = t.replace("≥", ">=").replace("≤", "<=")
    t = re.sub(r"\s*\b(?:per ?cent|pct)\b", "%", t, flags=re.I)
    t = re.sub(r"\bover(?=\s+(?:the\s+|all\s+|our\s+)?(?:whole|entire|network|cells?\b|\w+\s+(?:cells|area)\b))", "across", t,
               flags=re.I)  # 'over the whole network' is a scope, not a comparison
    if re.search(r"\b(?:\w*tilt\w*|cio|(?:tx|transmit\w*) power|antennas?)\b", t, re.I):
        return t  # 'uptilt c5 by 2': a setting moves by its own unit
    return re.sub(r"\bby\s+(?:a\s+)?(?:factor of\s+)?(two|2)\b(?!\s*[%\w°])", "by 100%", t)


def cell_shorthand(t: str) -> str:
    """Cells as operators jot them: 'c3-c5' and 'cells #3-#5' -> 'cells 3-5', 'c20' -> 'cell 20', '#7' and 'cell #7'
    -> 'cell 7' (not '#1 priority'), 'cels' -> 'cells'."""
    t = re.sub(r"\b(cells?|sites?)\s*#\s*(?=\d)", r"\1 ", t, flags=re.I)
    range_to = r"\s*(?:-|\.\.\.?|to)\s*(?:c|#)\s?(\d{1,3})\b"
    t = re.sub(rf"(?:\bc|(?<![\w#])#)\s?(\d{{1,3}}){range_to}", r"cells \1-\2", t)  # 'c3-c5', 'c9..c11', '#3-#5'
    t = re.sub(rf"(\d){range_to}", r"\1-\2", t)  # 'cells 3-#5'
    t = re.sub(r"\bc(\d{1,3})\b", r"cell \1", t)
    t = re.sub(r"\bcel(s?)\b", r"cell\1", t, flags=re.I)
    return re.sub(r"(?<![\w#])(?<!priority )(?<!prio )#\s?(\d{1,3})\b(?!\s*(?:priority|prio)\b)", r"cell \1", t, flags=re.I)


# 'cell 1 - 20 Mbps, cells 15-17 - 6 kW, airport - 6 ms': a scope, a dash and its value are one item ('20 Mbps on cell 1'),
# before a dash between numbers can be read as a range
SCOPE_DASH_VALUE = re.compile(r"(\bcells?\s+\d+(?:\s*(?:-|to|,|and|&)\s*\d+)*|\b(?:" + "|".join(ex.PLACE_WORDS) + r"))\s+-\s+"
                              rf"(-?\d+(?:\.\d+)?\s*(?:%|(?:{UNIT_WORDS})(?![\w/])))"
                              r"(?!\s*(?:less|more|lower|higher|fewer|down|up|cut|reduction|increase|drop|rise|of)\b)", re.I)
# 'cell 11, cell 12', 'cell 3 and cell 4', 'c12 c13': cells named one by one are one list
ONE_BY_ONE = re.compile(r"(\bcells?\s+\d+(?:\s*(?:,\s*and|,|and|&|or)\s*\d+)*)(\s*(?:,\s*and|,|and|&|or)\s*|\s+)cells?\s+(?=\d)", re.I)


def one_cell_list(t: str) -> str:
    """'cell 11, cell 12 and cell 14' -> 'cell 11, 12 and 14', to be read as one list."""
    while (merged := ONE_BY_ONE.sub(r"\1\2", t)) != t:
        t = merged
    return t


# '4,5 ms', '0,012 MW', '2,5%': a decimal comma, told from a thousands separator ('1,500 kbps') by the digits after it
# (not three) or a zero before it, and from a list of cells ('cells 1,2') by the unit that follows
DECIMAL_COMMA = re.compile(rf"(?<![\d,.])(0|\d+(?=,(?:\d{{1,2}}|\d{{4,}})(?!\d))),(\d+)(?![\d,])(?=\s*(?:%|(?:{UNIT_WORDS}|dbm?|degrees?|°)"
                           r"(?![\w])))", re.I)
# 'two things on cells 0 to 2: ...', 'the following at the airport: ...': a colon that announces a list, not a value
ANNOUNCES = re.compile(r"\b(?:\d+|two|three|four|several|a few|some|these|the following|following)\s+(?:\w+\s+)?(?:things|goals|targets|"
                       r"requirements|objectives|items|asks|points|kpis|conditions|constraints|slos)\b[^.;:]*$|\bthe following\b[^.;:]*$", re.I)


def _kpi_colon(m: re.Match) -> str:
    """' ' for a colon between a KPI and its bound; the colon kept after a sentence that announces a list."""
    return m.group(0) if ANNOUNCES.search(m.string[:m.start()]) else " "


# 'eMBB throughput: 20 Mbit/s min': a colon between a KPI and a value is no heading, the value is the KPI's
KPI_VALUE_COLON = re.compile(r"\b(latency|delay|speeds?|energy|power|load|usage|throughput|efficiency|coverage|consumption|"
                             r"utili[sz]ation)\s*:\s+(?=(?:[<>]=?\s*)?[+-]?\d+(?:\.\d+)?\s*(?:%|ms\b|mbit/s|kw\b|bit/j|dbm?\b))", re.I)
# 'on 16,17', 'for 4 and 5': a list of bare numbers after a preposition, no unit or time after it
BARE_CELLS = re.compile(r"\b(?:(on|for|at|in|across)\s+(\d{1,2}(?:\s*(?:,|&|and)\s*\d{1,2})+)|"
                        r"(except(?: for)?|excluding|minus|apart from|other than|but not|not)\s+(\d{1,2}(?:\s*(?:,|&|and|or)\s*\d{1,2})*))\b"
                        r"(?![.:]\d)(?!\s*(?:%|[a-z]+/|mbit|ms\b|kw|dbm?\b|"
                        r"am\b|pm\b|[ap]\.m|h\b|hrs?\b|hours?|days?|weeks?|months?|minutes?|mins?|seconds?|o'clock|times|x\b|"
                        r"percent|deg|°|cells?|sites?|users?|ues?))", re.I)


def bare_cell_lists(t: str) -> str:
    """'bring prb util on 16,17 up to 30%' -> 'on cells 16,17': numbers listed after a preposition
    without a unit are cells (a single bare number is too ambiguous to read so, except when it is left out
    of cells the sentence named: 'all cells except 4', 'cells 18-20 overnight (except 19)')."""
    def cells(m: re.Match) -> str:
        if m.group(3) and not re.search(r"\bcells?\b[^.;!?]*$", t[:m.start()], re.I):
            return m.group(0)
        return f"{m.group(1) or m.group(3)} cells {m.group(2) or m.group(4)}"

    return BARE_CELLS.sub(cells, t)


LIST_MARK = re.compile(r"(?:^|(?<=\s))\(?(\d)[.)](?=\s)")


def enumerated(t: str) -> str:
    """'1. A on cells 12-14 2. B' -> '; A on cells 12-14; B': the items of a numbered list (markers 1, 2, ...
    in order) are breaks, so that no marker is read as a cell or a quantity."""
    marks = list(LIST_MARK.finditer(t))
    numbers = [int(m.group(1)) for m in marks]
    if len(marks) < 2 or numbers != list(range(1, len(marks) + 1)):
        return t
    for m in reversed(marks):
        t = f"{t[:m.start()]}; {t[m.end():]}"
    return t


def _plus_fraction(m: re.Match) -> str:
    return f"{int(m.group(1)) + (0.5 if m.group(3).lower() == 'half' else 0.25):g}"


def _pct(x: float) -> str:
    return f"{round(x, 2):g}%"


def fractions(t: str) -> str:
    """'a quarter' -> 25%, '2 thirds' -> 66.67%, 'one in 20' -> 5% (before relative
    changes are read: 'a third fewer overloaded cells'; 'half' is read after them, since 'in half' is one)."""
    t = FRACTION.sub(_fraction, t)
    return ONE_IN.sub(_one_in, t)


def _fraction(m: re.Match) -> str:
    return _pct(100.0 * fraction_value(m.group(1), m.group(2), m.group(3)))


def _one_in(m: re.Match) -> str:
    """'one in twenty' -> 5%, '19 out of 20' -> 95%, 'one cell in ten' -> 10% of cells (followed
    by 'of' when it was not)."""
    numerator = 1 if m.group(1).lower() in ("1", "one", "a") else int(m.group(1))
    whole, noun = int(m.group(3)), m.group(2)
    if not 0 < numerator <= whole:
        return m.group(0)
    follows = re.match(r"\s+[a-z]", m.string[m.end():], re.I)  # 'one in ten cells'; not 'Target: one in fifty.'
    return _pct(100.0 * numerator / whole) + (f" of {noun.rstrip('s')}s" if noun else m.group(4) or (" of" if follows else ""))


MOVED = re.compile(rf"\b(?:{CHANGE_VERB})\b[^.;,]*$", re.I)  # a change verb; 'bring power draw from 3 to 8 kW' is a band


def ranges(t: str) -> str:
    """'in a 4-8 ms range', 'from 2 to 7 kW', 'within 60% to 75%', '17000-47000 kbps' -> 'between X unit and Y unit'."""
    def between(m: re.Match) -> str:
        low_unit, high_unit = (m.group(2) or "").strip().lower(), m.group(4).strip().lower()
        if m.group(0).lower().startswith("from") and MOVED.search(t[max(0, m.start() - 60):m.start()]):
            return f"to {m.group(3)}{m.group(4)}"  # 'increase efficiency from 1 to 1.5 Mbit/J': where it ends
        if (low_unit and low_unit != high_unit) or (m.re is BOUND_PAIR and float(m.group(1)) > float(m.group(3))):
            return m.group(0)  # '10% to 5 kW' is two quantities, not a range
        return f"between {m.group(1)}{m.group(2) or m.group(4)} and {m.group(3)}{m.group(4)}"

    for pattern in (BOUND_PAIR, *RANGES):
        t = pattern.sub(between, t)
    return t
