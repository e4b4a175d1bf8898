"""Changes relative to today's value and values stated as today's, part of the canonical form
(`normalize.py`): 'halve', 'double', '10% less energy', 'a 15% energy cut', 'up 5%', 'down to half of
today's' become 'by N%' (signed when the words fix the direction); a value said to be today's
('currently ~25', 'sits at 40%', 'about 12% of users ... right now') is context, not a goal, and a
share stated so stays named ('the share of users ...') for the clause that points back to it."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.units import N

TODAY = (r"(?:today'?s?|now|the current(?: value| level)?|current(?: value| level)?|what it is(?: now| today)?|"
         r"its current(?: value| level)?|the present(?: value| level)?)(?:\s+(?:value|level))?")
MULTIPLES = {"twice": 2, "double": 2, "thrice": 3, "triple": 3}
MULTIPLE = re.compile(r"\b(?:to\s+)?(twice|double|thrice|triple|(\d+(?:\.\d+)?)\s*(?:times|x))\s+(?:the\s+)?" + TODAY, re.I)
VERB_CHANGES = (("halve", "cut by -50%"), ("double", "raise by +100%"), ("triple", "raise by +200%"),
                ("quadruple", "raise by +300%"))  # signed: a stated share beside them is today's ('12% ..., which we want halved')


def signed_moves(t: str) -> str:
    """'up 5%' / 'down by 33.33%' -> 'by +5%' / 'by -33.33%' (also once fractions became percentages)."""
    return re.sub(r"\b(up|down)\s+(?:by\s+)?" + N + r"\s*%", lambda m: f"by {'+' if m.group(1).lower() == 'up' else '-'}"
                  f"{m.group(2)}%", t, flags=re.I)


CHANGE_VERB = rf"{ex.CUT_VERBS}|{ex.RAISE_VERBS}|improv\w*"  # in any inflection: 'cutting energy 5%', 'saving 20%'
NOT_A_CHANGE = re.compile(r"\b(?:to|below|under|above|over|at|than|of|within|from|between|is|are|by)\b|[<>=]", re.I)
FUNCTION_WORDS = (r"and|or|but|plus|also|yet|so|nor|as|whereas|then|must|should|shall|will|would|can|to|by|of|in|on|at|for|is|"
                  r"are|be|the|with|while|we|it")
NOUNS = rf"(?:(?!(?:{FUNCTION_WORDS})\b)[a-z-]+\s+){{1,2}}?"  # one or two words that are no function words: 'energy', 'power draw'
NOW = r"(?:currently|right now|rn|at the moment|at present)"
STATED_TODAY = re.compile(rf"\b{NOW}\s+(?:is\s+|at\s+|around\s+|about\s+)?~?\s*{N}\s*(?:%|[a-z]+/[a-z]+|[a-z]+)?|"
                          rf"~\s*{N}\s*(?:%|[a-z]+/[a-z]+|[a-z]+)?\s+{NOW}\b|"
                          rf"\b(?:(?:is|are)\s+(?:sitting\s+|running\s+|hovering\s+|standing\s+|currently\s+|now\s+)?|(?:sits|stands|hovers|runs|"
                          rf"sat|stood|hovered|ran|was|were)\s+)(?:at|around|about|roughly|"
                          rf"like|approximately|near)\s+~?\s*{N}\s*"
                          rf"(?:%|[a-z]+/[a-z]+|[a-z]+)?", re.I)


def _stated_today(m: re.Match) -> str:
    """A value stated as today's is dropped; a share of users or cells stated so ('right now 25% of
    users there get under 4 Mbps. Bring that down to 10%') stays named, for the clause that points back."""
    follows = re.match(rf"\s+of\s+(?:{ex.USERS}|(?:the\s+|our\s+|all\s+)?(?:\w+\s+)?cells\b)", m.string[m.end():], re.I)
    return " the share" if follows and m.group(0).rstrip().endswith("%") else " "


# 'about 12% of users on cell 3 have weak coverage right now; halve that', 'weak coverage currently affects 9% of
# passengers': a share stated as today's, 'now' said in its sentence
STATED_SHARE = re.compile(rf"(?:\b(?:about|around|roughly|some|nearly|almost|over|more than)\s+)?{N}\s*%(?=\s+of\s+(?:{ex.USERS}|"
                          r"(?:the\s+|our\s+|all\s+)?(?:\w+\s+)?cells\b))", re.I)
SAID_NOW = re.compile(r"\b(?:right now|currently|at the moment|at present|these days|lately|today|now)\b(?!'s)", re.I)
# '18 ms now', '12 kW at the moment': a value with 'now' right after it
VALUE_NOW = re.compile(rf"{N}\s*(?:%|[a-z]+/[a-z]+|ms|kw|db|dbm)?\s+(?:right\s+)?(?:now|today|currently|at the moment|at present)\b(?!'s)",
                       re.I)
ASKS = re.compile(r"\b(?:to|below|under|above|over|at most|at least|than|bring|get|keep|reduce|cut|raise|make|want|need|should|"
                  r"must|limit|cap)\b|[<>]", re.I)


def _sentence(m: re.Match) -> tuple[str, str]:
    """(the text of m's sentence before m, the text of it after m)."""
    start, end = ex.enclosing(m.string, m.start(), m.end())
    return m.string[start:m.start()], m.string[m.end():end]


def _stated_share(m: re.Match) -> str:
    """The stated share named as such when its sentence says it is today's and asks nothing before it
    ('get it to 5% of users, currently ...' asks)."""
    before, after = _sentence(m)
    return "the share" if SAID_NOW.search(before + " " + after) and not ASKS.search(before) else m.group(0)


def _value_now(m: re.Match) -> str:
    """'Latency at the airport: 18 ms now, want 10 ms': a value said to be today's, in a sentence that
    asks nothing before it, is context ('reduce latency to 10 ms now' asks)."""
    return m.group(0) if ASKS.search(_sentence(m)[0]) else " "


def pronoun_shares(t: str) -> str:
    """'at most 4% of them get under 3 Mbps': the users (or cells) named before the share."""
    def named(m: re.Match) -> str:
        before = re.findall(rf"\b({ex.USER_NOUNS}|cells(?!#))\b", t[:m.start()], re.I)
        return f"{m.group(1)}{before[-1]}" if before else m.group(0)

    return re.sub(r"(\d\s*%\s+of\s+)(?:them|those|these)\b", named, t, flags=re.I)


# 'cut the energy of 15%', 'reduce consumption in a 20%', 'raise it of a 10%': 'of' / 'in (a)' for 'by' after a change verb (not a share of
# users or cells: 'raise throughput for 10% of users')
CHANGE_OF = re.compile(rf"\b({CHANGE_VERB})\b([^.;,:<>=%]{{0,80}}?)\s(?:of|in)(?:\s+an?)?\s+({N}\s*%)(?!\s*(?:of|or)\b)", re.I)
NOT_AN_AMOUNT = re.compile(r"\b(?:to|below|under|above|over|than|within|from|between|by|at (?:most|least))\b", re.I)


def _change_of(m: re.Match) -> str:
    return m.group(0) if NOT_AN_AMOUNT.search(m.group(2)) else f"{m.group(1)}{m.group(2)} by {m.group(3)}"


# 'too many users have throughput under 2 Mbps; we want them under 10%': a complaint about a group of users is the share
# of them, for the clause that gives its value
TOO_MANY = re.compile(rf"\b(?:too many|so many|lots of|a lot of|plenty of|many of (?:our|the))\s+({ex.USER_NOUNS})\s+"
                      r"(?:have|get|see|experience|are (?:getting|seeing|stuck (?:at|on|with))|sit|are)\b", re.I)


def complaint_shares(t: str) -> str:
    """'too many users have throughput under 2 Mbps' -> 'the share of users with throughput under 2 Mbps'."""
    return TOO_MANY.sub(lambda m: f"the share of {m.group(1)} with", t)


# 'efficiency up 1.5x', 'raise throughput 2 times': a multiple after a move up is a change relative to today
TIMES_UP = re.compile(rf"(\b(?:up|by|increas\w*|rais\w*|boost\w*|improv\w*|grow\w*|multipl\w*)\s+(?:[\w'#-]+\s+){{0,3}}?){N}\s*(?:x|times)\b"
                      r"(?!\s*(?:today|the current|now|what))", re.I)


def relative(t: str) -> str:
    """Relative changes as 'by N%': halve, double, triple, 'in half', '2 times today's', 'cut energy
    25%', '↑20%'. A value stated as today's ('currently ~25', '~85% rn') is context, not a goal."""
    t = VALUE_NOW.sub(_value_now, STATED_SHARE.sub(_stated_share, STATED_TODAY.sub(_stated_today, t)))
    t = re.sub(r"~\s*(?=\d)", "", t)
    # '10% less energy', 'throughput 25% higher': a change relative to today
    t = re.sub(N + r"\s*%\s+(?:less|lower|fewer|smaller|cheaper|down|cut|reduction|decrease|drop|saving|savings)\b", r"by -\1%",
               t, flags=re.I)
    t = re.sub(N + r"\s*%\s+(?:greener|leaner)\b", r"by -\1% in energy", t, flags=re.I)  # 'make the airport 20% greener'
    t = re.sub(N + r"\s*%\s+(?:more|higher|greater|bigger|faster|up|increase|rise|boost|gain|improvement|uplift)\b(?!\s+than)",
               r"by +\1%", t, flags=re.I)
    # 'a 15% energy cut', 'a 20% throughput boost': the KPI named between the percentage and the change noun
    t = re.sub(N + rf"\s*%\s+({NOUNS})(?:cut|reduction|decrease|drop|saving|savings)\b", r"\2by -\1%", t, flags=re.I)
    t = re.sub(N + rf"\s*%\s+({NOUNS})(?:increase|rise|boost|gain|uplift)\b", r"\2by +\1%", t, flags=re.I)
    t = re.sub(r"↑\s*", "up ", re.sub(r"↓\s*", "down ", t))
    t = re.sub(r"\b(\d+)(?:st|nd|rd|th|%)?[- ]?(?:ile|percentile)\b", r"bottom \1% of users", t, flags=re.I)

    def by(m: re.Match) -> str:
        return m.group(0) if NOT_A_CHANGE.search(m.group(2)) else f"{m.group(1)} {m.group(2)}by {m.group(3)}"

    t = re.sub(rf"\b({CHANGE_VERB})\s+((?:[\w'#-]+\s+){{0,4}}?)({N}\s*%)(?!\s*(?:of|or)\b)", by, t, flags=re.I)
    t = CHANGE_OF.sub(_change_of, t)
    t = re.sub(r"\bin half\b", "by half", t, flags=re.I)
    t = MULTIPLE.sub(lambda m: f"by +{(float(m.group(2) or MULTIPLES[m.group(1).lower()]) - 1) * 100:g}%", t)
    t = TIMES_UP.sub(lambda m: f"{m.group(1)}by +{(float(m.group(2)) - 1) * 100:g}%", t)
    for verb, canon in VERB_CHANGES:
        t = re.sub(rf"\b{verb}[sd]?\b(?!-)", canon, t, flags=re.I)
    t = signed_moves(t)
    # '+20%', '-10%', '+ 5%'; a dash between spaces is a break, not a sign ('below 3 Mbps - 10% at most')
    return re.sub(r"(?<!\bby )(?<![\w.])\s*(\+|-(?!\s))\s*" + N + r"\s*%", r" by \1\2%", t)


def relative_shares(t: str) -> str:
    """'down to 50% of today's' -> 'by -50%'; '(to) 33.33% of the current value' -> 'by -66.67%'."""
    def share(m: re.Match) -> str:
        return f"by {float(m.group(1)) - 100:+g}%"

    return re.sub(r"\b(?:down\s+|up\s+)?to\s+" + N + r"%\s+of\s+" + TODAY, share, t, flags=re.I)


AMOUNT = rf"{N}\s*(?:mbit/s|ms|kw|bit/j)\b"  # a quantity in a target's own unit (canonical form)
EXTRA = r"(?:another|(?:an?\s+)?(?:extra|additional|further))"
CHANGE_NOUN = r"savings?|reductions?|decreases?|cuts?|drops?|increases?|gains?|boosts?|improvements?|uplifts?|rises?"
ABSOLUTE_CHANGE = re.compile(
    rf"\bby\s+(?:an?\s+|{EXTRA}\s+)?{AMOUNT}|\bby\s+{N}\s*(?:percentage points?|pp|points?)\b|"
    rf"{AMOUNT}\s+(?:more|less|lower|higher|faster|quicker|slower|extra|fewer|off|(?:[a-z-]+\s+)?(?:{CHANGE_NOUN}))\b|"
    rf"\b{EXTRA}\s+{AMOUNT}|\b(?:up|down)\s+{AMOUNT}|\b(?:{CHANGE_NOUN})\s+of\s+(?:about\s+|around\s+|some\s+)?{AMOUNT}|"
    rf"\b(?:add(?:s|ing)?|gain\w*|free(?:s|ing)? up|knock\w*)\s+(?:(?:{EXTRA}|around|about|roughly|some|at least)\s+)?{AMOUNT}", re.I)
# 'save 2 kW', 'increase throughput 5 Mbps', 'cut 1.5 kW from ...': a change verb and an amount with no word of a bound
# between them, as 'cut energy 25%' is 'by 25%'
DIRECT_CHANGE = re.compile(rf"\b(?:{CHANGE_VERB})\s+((?:[\w'#-]+\s+){{0,4}}?){AMOUNT}(?!\s*(?:or\s+(?:more|less|above|below|better|"
                           r"higher|lower)|min\w*|max\w*|floor|ceiling|at (?:least|most)))", re.I)
ABSOLUTE_TARGET = re.compile(rf"\b(?:to|below|under|above|over|at (?:most|least))\s+(?:about\s+|around\s+)?{AMOUNT}|[<>]=?\s*{AMOUNT}",
                             re.I)


def absolute_change(clause: str) -> bool:
    """Whether a clause moves a KPI by an absolute amount ('raise throughput by 5 Mbps', 'cut latency by 2 ms',
    'save 3 kW', 'an extra 10 Mbps', '2 ms lower') without saying where it should end: the contract asks
    for the target value or a percentage, since today's value is not the operator's to assume."""
    direct = any(not NOT_A_CHANGE.search(m.group(1)) for m in DIRECT_CHANGE.finditer(clause))
    return (direct or ABSOLUTE_CHANGE.search(clause) is not None) and ABSOLUTE_TARGET.search(clause) is None

