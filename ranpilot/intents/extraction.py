"""Deterministic extraction from operator text: quantities with units, comparison words,
cells, slices, named areas, time windows and priority."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ranpilot.targets import Condition

NUMBER = r"(-?\d+(?:\.\d+)?)"
UNIT_RE = re.compile(
    NUMBER + r"\s*(gbps|gbit/s|mbps|mbit/s|mb/s|kbps|kbit/s|ms|milliseconds?|%|percent|per cent|dbm|kw|w\b|watts?|bit/j|degrees?|db\b)",
    re.I,
)
BETWEEN_RE = re.compile(r"between\s+" + NUMBER + r"\s*(?:\w+/?\w*)?\s+and\s+" + NUMBER, re.I)
BY_PERCENT_RE = re.compile(
    r"(?:\bby\s+(?:at least\s+|about\s+|around\s+)?|\b(?:save|cut|reduce|lower|trim|shave|raise|increase|boost)\s+"
    r"(?:about\s+|around\s+|roughly\s+)?)" + NUMBER + r"\s*(?:%|percent|per cent)", re.I)
CELLS_RE = re.compile(r"\bcells?\s+((?:\d+\s*(?:,|and|to|-|–)?\s*)+)", re.I)
SLICE_RE = re.compile(r"\b(urllc|embb|mmtc|miot)\b", re.I)
PRIORITY_RE = re.compile(r"\bpriority\s*(?:of\s*)?(\d{1,3})\b", re.I)
CLOCK_RE = re.compile(r"(?:between|from)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?\s+(?:and|to|until)\s+(\d{1,2})(?::(\d{2}))?\s*(am|pm|h)?", re.I)
USER_SHARE_RE = re.compile(NUMBER + r"\s*(?:%|percent|per cent)\s+of\s+(?:the\s+|all\s+)?(?:\w+\s+)?"
                           r"(?:users|ues|subscribers|devices|customers)\b(.{0,40})", re.I)
SHARE_SERVED = re.compile(r"^\W*(?:\w+\s+){0,3}?(above|over|at least|more than|covered|get|gets|receive|see more|enjoy|with good)\b", re.I)
SLICE_NAMES = {"urllc": "URLLC", "embb": "eMBB", "mmtc": "mMTC", "miot": "mMTC"}
PLACE_WORDS = ("stadium", "station", "airport", "downtown", "mall", "campus", "arena", "harbour", "harbor", "centre", "center")

GE_WORDS = r"at least|no less than|not below|not fall below|never below|minimum of|min\.?|>=|≥|or more|or above"
GT_WORDS = r"above|over|more than|greater than|exceeds?|higher than|beyond|>"
LE_WORDS = r"at most|no more than|not exceed|not to exceed|up to|maximum of|max\.?|<=|≤|not above|or less|or below|within|cap(?:ped)? at"
LT_WORDS = r"below|under|less than|lower than|fewer than|<"
RAISE_VERBS = r"raise|increase|boost|lift|push|bring up|grow"
BETTER_VERBS = r"improve|enhance|better|fix|optimi[sz]e"
CUT_VERBS = r"cut|reduce|lower|decrease|save|drop|shrink|trim|bring down|minimi[sz]e"


@dataclass(frozen=True)
class Quantity:
    value: float
    unit: str  # Mbit/s, ms, %, dBm, kW, bit/J, deg, dB
    start: int


def canonical_unit(raw: str, value: float) -> tuple[float, str]:
    u = raw.lower().strip()
    if u in ("gbps", "gbit/s"):
        return value * 1000.0, "Mbit/s"
    if u in ("mbps", "mbit/s", "mb/s"):
        return value, "Mbit/s"
    if u in ("kbps", "kbit/s"):
        return value / 1000.0, "Mbit/s"
    if u.startswith("ms") or u.startswith("millisecond"):
        return value, "ms"
    if u in ("%", "percent", "per cent"):
        return value, "%"
    if u == "dbm":
        return value, "dBm"
    if u == "kw":
        return value, "kW"
    if u in ("w", "watt", "watts"):
        return value / 1000.0, "kW"
    if u == "bit/j":
        return value, "bit/J"
    if u.startswith("degree"):
        return value, "deg"
    return value, "dB"


def quantities(text: str) -> list[Quantity]:
    out = []
    for m in UNIT_RE.finditer(text):
        value, unit = canonical_unit(m.group(2), float(m.group(1)))
        out.append(Quantity(value, unit, m.start()))
    return out


def user_share(text: str) -> tuple[float, bool] | None:
    """'95% of users above 10 Mbps' -> (95, True): the share of users and whether it names the
    well-served ones (above, covered) rather than the poorly served (below, weak), or None."""
    m = USER_SHARE_RE.search(text)
    if m is None:
        return None
    return float(m.group(1)), SHARE_SERVED.search(m.group(2)) is not None


def comparison(text: str) -> Condition | None:
    """The comparison the text states, from explicit words first, then from verbs."""
    t = text.lower()
    if BETWEEN_RE.search(t):
        return Condition.IS_WITHIN_RANGE
    for words, condition in ((GE_WORDS, Condition.IS_EQUAL_TO_OR_GREATER_THAN), (LE_WORDS, Condition.IS_EQUAL_TO_OR_LESS_THAN),
                             (GT_WORDS, Condition.IS_GREATER_THAN), (LT_WORDS, Condition.IS_LESS_THAN)):
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
    if re.search(rf"\b(?:{CUT_VERBS})\b", t):
        return -1
    if re.search(rf"\b(?:{RAISE_VERBS})\b", t):
        return 1
    return 0


def cells(text: str) -> list[int]:
    """Explicit cell ids: 'cell 3', 'cells 3, 4 and 7', 'cells 2-5' / 'cells 2 to 5'."""
    out: list[int] = []
    text = UNIT_RE.sub(" <quantity> ", text)  # 'cell 3 to 50%' names cell 3, not cells 3..50
    for m in CELLS_RE.finditer(text):
        body = m.group(1)
        for a, b in re.findall(r"(\d+)\s*(?:-|–|to)\s*(\d+)", body):
            out.extend(range(int(a), int(b) + 1))
        body = re.sub(r"\d+\s*(?:-|–|to)\s*\d+", " ", body)
        out.extend(int(n) for n in re.findall(r"\d+", body))
    return sorted(set(out))


def slices(text: str) -> list[str]:
    return sorted({SLICE_NAMES[m.lower()] for m in SLICE_RE.findall(text)})


def areas(text: str, known: dict[str, list[int]]) -> tuple[list[str], list[str]]:
    """(known area names mentioned, unknown place words mentioned)."""
    t = text.lower()
    found = [name for name in known if re.search(rf"\b{re.escape(name.lower())}\b", t)]
    unknown = [w for w in PLACE_WORDS if re.search(rf"\b{w}\b", t) and not any(w in f.lower() for f in found)]
    return found, unknown


def time_window(text: str) -> tuple[str, str] | None:
    t = text.lower()
    m = CLOCK_RE.search(t)
    if m:
        return _clock(m.group(1), m.group(2), m.group(3)), _clock(m.group(4), m.group(5), m.group(6))
    if re.search(r"\b(?:at night|overnight|night[- ]?time|during the night|nights)\b", t):
        return "22:00", "06:00"
    if re.search(r"\b(?:during the day|daytime|day[- ]?time|business hours|working hours)\b", t):
        return "08:00", "20:00"
    return None


def _clock(hour: str, minute: str | None, suffix: str | None) -> str:
    h = int(hour) % 24
    if suffix and suffix.lower() == "pm" and h < 12:
        h += 12
    if suffix and suffix.lower() == "am" and h == 12:
        h = 0
    return f"{h:02d}:{int(minute or 0):02d}"


def priority(text: str) -> int | None:
    t = text.lower()
    m = PRIORITY_RE.search(t)
    if m:
        return max(1, min(100, int(m.group(1))))
    if re.search(r"\b(?:urgent|critical|top priority)\b", t):
        return 90
    if re.search(r"\bhigh[- ]priority\b", t):
        return 80
    if re.search(r"\blow[- ]priority\b", t):
        return 20
    return None
