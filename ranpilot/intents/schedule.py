"""When a request holds (a daily time window) and how much it matters (a priority), read from the
text and cut out of it, so that the clock times and the priority number are not read again as
quantities, ranges or comparisons ("between 8 am and 5 pm", "top priority")."""

from __future__ import annotations

import re

MARKED = r"(?:am|pm|a\.m\.|p\.m\.|h\b|hrs?\b|o'clock|in (?:the )?(?:morning|evening|afternoon)|at night|tonight)"
CLOCK = rf"(midnight|noon|midday|\d{{1,2}}(?::\d{{2}})?(?:\s*{MARKED})?|\d{{1,2}}\.[0-5]\d\s*(?:am|pm|a\.m\.|p\.m\.))"
WINDOW_RES = (
    re.compile(rf"\b(?:between|from|after)\s+{CLOCK}\s*(?:and|to|until|till|through|-)\s+{CLOCK}", re.I),
    re.compile(rf"(?<![\w.#:]){CLOCK}\s*(?:-|to|until|till)\s*{CLOCK}(?![\w%]|:\d)", re.I),
)
NAMED_WINDOWS = (
    (re.compile(r"\b(?:at night(?:[- ]?time)?|overnight|nightly|night[- ]?time|(?:during|in|over|through) the nights?|nights?\b(?: only)?|"
                r"every night|(?:for |just |only )*tonight(?:'s)?\b)", re.I),  # 'tonight' with no times: the night window
     ("22:00", "06:00")),
    (re.compile(r"(?<![\d:.])\b9\s*(?:-|to)\s*5\b(?![\d:.%])(?!\s*(?:ms|mbit|kw|dbm?|bit|percent|degrees?)\b)", re.I), ("09:00", "17:00")),  # 'nine to five'
    (re.compile(r"\b(?:outside(?: of)?|out of|beyond|after) (?:the )?(?:business|working|office) hours\b|\bout of hours\b|"
                r"\bafter[- ]hours\b", re.I), ("20:00", "08:00")),  # the rest of the day: the day window's complement
    (re.compile(r"\b(?:during the day|daytime|day[- ]?time|business hours|working hours|office hours)\b", re.I),
     ("08:00", "20:00")),
)
MILITARY = re.compile(r"\b(between|from)\s+([01]\d|2[0-3])([0-5]\d)\s*(?:h|hrs?)?\s+(and|to|until|till|-)\s+([01]\d|2[0-3])([0-5]\d)\b",
                      re.I)
# 'c12 sleep 0100-0500': two four-digit clock times joined by a dash, no unit after them
MILITARY_DASH = re.compile(r"(?<![\w.#-])([01]\d|2[0-3])([0-5]\d)\s*-\s*([01]\d|2[0-3])([0-5]\d)(?:\s*(?:h|hrs)\b)?(?![\d.]|\s*(?:%|[a-z]))",
                           re.I)
PAST_HOUR = re.compile(r"\b(half|quarter)\s+past\s+(\d{1,2})\b|\bquarter\s+to\s+(\d{1,2})\b", re.I)


def clock_words(text: str) -> str:
    """'half past 10' -> '10:30', 'quarter past 6' -> '6:15', 'quarter to 7' -> '6:45' (read before
    'half' and 'a quarter' become percentages)."""
    return PAST_HOUR.sub(_past_hour, text)


def _past_hour(m: re.Match) -> str:
    if m.group(3):
        return f"{(int(m.group(3)) - 1) % 12 or 12}:45"
    return f"{m.group(2)}:{'30' if m.group(1).lower() == 'half' else '15'}"


AS_PRIORITY = r"(?:\b(?:treat|mark|flag|handle|consider|run|give)\s+(?:it|this|them)\s+(?:as\s+|at\s+)?|\bwith\s+|\bat\s+)?(?:a\s+)?"
PRIORITY_RE = re.compile(AS_PRIORITY + r"\bpriority\s*(?:level\s*|of\s*|:\s*|=\s*)?(\d{1,3})\b|" + AS_PRIORITY +
                         r"\b(urgent|critical|top priority|high[- ]priority|low[- ]priority)\b|"
                         r"\bprio(?:rity)?\s*(?:level\s*)?(?:is\s+|:\s*|=\s*|-\s*)(high|low|top|urgent|critical)\b", re.I)  # 'Priority: high'
KPI_BEFORE = "".join(rf"(?<!{w} )" for w in ("latency", "delay", "throughput", "speed", "rsrp", "sinr", "rate", "load"))
# 'p70' when no priority is said otherwise; not a percentile ('p95 latency', 'DL latency p50')
P_NUMBER = re.compile(rf"{KPI_BEFORE}(?<![\w.-])p([1-9]\d|100)\b(?!\s*(?:latency|delay|throughput|thpt|tput|speed|rsrp|sinr|of\b|"
                      r"percentile|users?\b|ues?\b|%))", re.I)
NAMED_PRIORITY = {"urgent": 90, "critical": 90, "top priority": 90, "high priority": 80, "low priority": 20,
                  "top": 90, "high": 80, "low": 20}


def _clock(token: str, other: str) -> tuple[int, int, bool]:
    """(hour, minute, explicit) of one end of a window; 'explicit' when it has a time marker."""
    t = token.lower().strip()
    if t == "midnight":
        return 0, 0, True
    if t in ("noon", "midday"):
        return 12, 0, True
    m = re.match(r"(\d{1,2})(?:[:.](\d{2}))?\s*(.*)", t)
    hour, minute, suffix = int(m.group(1)), int(m.group(2) or 0), m.group(3)
    explicit = bool(suffix) or m.group(2) is not None
    pm = re.search(r"pm|p\.m\.|evening|afternoon|night", suffix)
    am = re.search(r"am|a\.m\.|morning", suffix)
    if not suffix and m.group(2) is None:  # '1 and 5 am': the other end's half of the day, if it fits
        other_pm = re.search(r"pm|p\.m\.|evening|afternoon", other.lower())
        other_hour = int(re.match(r"\d+", other).group(0)) if re.match(r"\d+", other) else 0
        pm = other_pm and hour <= other_hour % 12
    if pm and hour < 12:
        hour += 12
    if am and hour == 12:
        hour = 0
    return hour % 24, minute, explicit


def time_window(text: str) -> tuple[tuple[str, str] | None, str]:
    """(window, text without it): a pair of clock times needs a time marker (':', am/pm, h,
    midnight, noon, 'in the morning') on one side at least, so 'between 50 and 60%' is no window.
    Military times ('between 0100 and 0500') are clock times too."""
    text = MILITARY.sub(lambda m: f"{m.group(1)} {m.group(2)}:{m.group(3)} {m.group(4)} {m.group(5)}:{m.group(6)}", text)
    text = MILITARY_DASH.sub(lambda m: f"{m.group(1)}:{m.group(2)}-{m.group(3)}:{m.group(4)}", text)
    for pattern in WINDOW_RES:
        for m in pattern.finditer(text):
            start, end = _clock(m.group(1), m.group(2)), _clock(m.group(2), m.group(1))
            if start[2] or end[2]:
                window = (f"{start[0]:02d}:{start[1]:02d}", f"{end[0]:02d}:{end[1]:02d}")
                return window, f"{text[:m.start()]} {text[m.end():]}"
    for pattern, window in NAMED_WINDOWS:
        m = pattern.search(text)
        if m:
            return window, f"{text[:m.start()]} {text[m.end():]}"
    return None, text


def priority(text: str) -> tuple[int | None, str]:
    """(priority 1-100, text without it): 'priority 70' = 70, urgent / critical / top priority = 90,
    high priority = 80, low priority = 20; 'p70' = 70."""
    m = next((m for m in PRIORITY_RE.finditer(text) if not re.search(r"\b(?:not|isn't|no|never)\s+$", text[:m.start()], re.I)), None)
    if m is None and (m := P_NUMBER.search(text)) is None:
        return None, text
    rest = f"{text[:m.start()]} {text[m.end():]}"
    if m.re is P_NUMBER or m.group(1):
        return max(1, min(100, int(m.group(1)))), rest
    return NAMED_PRIORITY[(m.group(2) or m.group(3)).lower().replace("-", " ")], rest
