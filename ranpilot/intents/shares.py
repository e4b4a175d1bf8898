"""Shares of users said as such ('95% of users above 10 Mbps', 'the share of users under 4 Mbps ...
97%', 'coverage for 98% of users', '96% coverage'): the share, and whether it names the well-served
users (above a level, covered) or the poorly served ones that the targets count."""

from __future__ import annotations

import re

from ranpilot.intents.extraction import BY_PERCENT_RE, NUMBER, USERS, quantities

USER_SHARE_RE = re.compile(NUMBER + r"\s*(?:%|percent|per cent)\s+of\s+" + USERS + r"(.{0,40})", re.I)
SHARE_OF_USERS = re.compile(r"\b(?:share|percentage|proportion|fraction|ratio)\s+of\s+" + USERS, re.I)
# what makes a user well served, said before the share's own value: 'above 5 Mbps', '-100 dBm or better', 'covered'
SERVED_LEVEL = re.compile(r"(?:\b(?:above|over|at least|more than|better than)|>=?)\s*-?[\d.]+\s*(?:mbit/s|dbm|db)\b|"
                          r"-?[\d.]+\s*(?:mbit/s|dbm|db)\s+or\s+(?:more|better|above|higher)\b|"
                          r"\b(?:covered|good|decent|strong|reliable)\b", re.I)
SHARE_SERVED = re.compile(r"^\W*(?:\S+\s+){0,5}?(above|over|at least|more than|covered|get|gets|receive|see|sees|enjoy|good|"
                          r"or more|stay above|free (?:of|from)|(?:are |is |be )?(?:not|never) (?:be )?(?:subject|affected|"
                          r"suffer\w*|experienc\w*|in|under|stuck|facing|hit))\b", re.I)
SHARE_SERVED_BEFORE = re.compile(r"(?<!weak )(?<!poor )(?<!bad )(?<!low )(?<!no )(?:coverage|covered|good \w+|service)\s+"
                                 r"(?:(?:\w+\s+){0,2}?(?:reach\w*|serv\w*)|(?:(?:is |are |be )?(?:kept|maintained|guaranteed|ensured|held|preserved|provided|"
                                 r"available|assured|delivered)\s+)?(?:for|to|of))\s+"
                                 r"(?:at least\s+)?$", re.I)  # 'coverage for 98% of users', 'coverage should reach 99% of ...'
COVERAGE_SHARE = re.compile(r"(?<!weak[ -])(?<!poor[ -])(?<!bad[ -])(?<!low[ -])(?<!without )(?<!no )(?<!lack of )(?<!out of )"
                            r"\bcoverage\s+(?!holes?|gaps?|loss|problems?|issues?)(?:\w+\s+){0,5}?"
                            r"(?:above|over|at least|of|at|to|>=?|reach\w*|be|is|are)\s*" + NUMBER + r"\s*%", re.I)
SHARE_LOW = re.compile(r"(?:\b(?:below|under|beneath|less than|lower than|worse than)|<)\s*-?[\d.]+\s*(?:mbit/s|dbm|db)\b", re.I)
SHARE_COVERAGE = re.compile(NUMBER + r"\s*%\s+(?:(?!weak|poor|bad|low|no\b)\w+\s+)?coverage\b(?!\s+(?:holes?|gaps?|loss|problems?))", re.I)
SHARE_WORST = re.compile(r"(?:bottom|worst|lowest|weakest|poorest|slowest)\s+$", re.I)


def user_share(text: str) -> tuple[float, bool] | None:
    """'95% of users above 10 Mbps' -> (95, True): the share of users and whether it names the
    well-served ones (above, covered) rather than the poorly served (below, weak), or None."""
    m = USER_SHARE_RE.search(text)
    if m is None:
        return _share_of_users(text)
    before = text[:m.start()]
    if SHARE_WORST.search(before):
        return float(m.group(1)), False  # 'the worst 5% of users': the poorly served themselves
    after = text[m.start(2):m.start(2) + 60]
    if not after.strip(" .!,;"):  # 'users should see at least 10 Mbps, 95% of them': what they get was said before
        after = before
    low = SHARE_LOW.search(after)
    if low and not re.search(r"\b(?:not|never|free|without)\b|n't", after[:low.start()], re.I):
        return float(m.group(1)), False  # '5% of users see throughput under 6 Mbps': whatever the verb, below the level
    served = SHARE_SERVED.search(m.group(2)) or SERVED_LEVEL.search(after) or SHARE_SERVED_BEFORE.search(before)
    return float(m.group(1)), served is not None


def _coverage_share(text: str) -> tuple[float, bool] | None:
    """'keep coverage above 95%', '97% coverage or more' -> (95, True): coverage said as a percentage is
    the share of users covered."""
    m = COVERAGE_SHARE.search(text) or SHARE_COVERAGE.search(text)
    return (float(m.group(1)), True) if m else None


def _share_of_users(text: str) -> tuple[float, bool] | None:
    """'raise the share of users above 5 Mbps to 97%' -> (97, True): the share named as a noun, its
    value the first percentage after it that is not a relative change, the users it counts
    described between the two."""
    m = SHARE_OF_USERS.search(text)
    if m is None:
        return _coverage_share(text)
    changes = [c.span() for c in BY_PERCENT_RE.finditer(text)]
    values = [q for q in quantities(text) if q.unit == "%" and q.start > m.end()
              and not any(a <= q.start < b for a, b in changes)]
    if not values:
        return None
    return values[0].value, SERVED_LEVEL.search(text[m.end():values[0].start]) is not None
