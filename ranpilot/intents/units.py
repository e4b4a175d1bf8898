"""Quantities in the targets' own units, part of the canonical form (`normalize.py`).

Operators name units many ways ("2 kilowatts", "0.002 s", "60 kWh a day", "500 kbps") and also
say a fraction of one unit ("half a percent", "a tenth of a millisecond", "half a degree"). Each
quantity is rewritten with digits in its target's unit (Mbit/s, ms, kW, bit/J), with the
conversion factor from `pint`.
"""

from __future__ import annotations

import re
from functools import lru_cache

from text_to_num import text2num

N = r"(?<![\w.#])(\d+(?:\.\d+)?)"  # an unsigned number, not part of a word or a cell token
DENOMINATORS = {"half": 2, "halves": 2, "third": 3, "quarter": 4, "fifth": 5, "sixth": 6, "eighth": 8, "tenth": 10,
                "twentieth": 20, "hundredth": 100}
FRACTION_WORDS = r"halves|half|thirds?|quarters?|fifths?|sixths?|eighths?|tenths?|twentieths?|hundredths?|(\d+)(?:st|nd|rd|th)s?"

# Units, by the text that names them, as pint understands them; each is converted to its target's unit.
UNIT_ALIASES = (
    (r"gbps|gbit/s|gbits?/s|gb/s|gigabits?/s|gigabits?(?: per second)?", "Gbit/s"),
    (r"mbps|mbit/s|mbits?/s|mb/s|megabits?/s|megabits?(?: per second)?(?!\s*per\s+joule)|mbits?(?!\s*/\s*j|\s*per\s+joule)",
     "Mbit/s"),
    (r"kbps|kbit/s|kbits?/s|kb/s|kilobits?/s|kilobits?(?: per second)?(?!\s*per\s+joule)", "kbit/s"),
    (r"gbits?/j|gigabits? per joule", "Gbit/J"),
    (r"mbits?/j|mb/j|megabits? per joule|mbits? per joule", "Mbit/J"),
    (r"kbits?/j|kb/j|kilobits? per joule|kbits? per joule", "kbit/J"),
    (r"bits?/j|b/j|bits? per joule", "bit/J"),
    (r"kwh (?:per|a|each|every) day|kwh/day|kwh/d|kwh daily", "kWh/day"),
    (r"kwh (?:per|an|each|every) hour|kwh/h", "kW"),
    (r"megawatts?|(?-i:MW)", "MW"),
    (r"kilowatts?|kw", "kW"),
    (r"watts?|w", "W"),
    (r"milliseconds?|msecs?|millis|ms", "ms"),
    (r"microseconds?|microsecs?|µs|μs|usecs?|us", "us"),
    (r"seconds?|secs?|s", "s"),
)
UNIT_WORDS = "|".join(f"(?:{alias})" for alias, _ in UNIT_ALIASES)
UNIT_RE = re.compile(N + r"\s*(" + UNIT_WORDS + r")(?![\w/])", re.I)
TARGET_UNITS = ("Mbit/s", "ms", "kW", "bit/J")
# 'half a percent', 'a tenth of a millisecond', 'half a degree', 'a quarter of a dB': a fraction of one unit
FRACTION_OF_UNIT = re.compile(rf"\b(?:(a|an|\d+|one|two|three|four|five|six|seven|eight|nine)\s+({FRACTION_WORDS})|half)\s+"
                              r"(?:of\s+)?(?:a|an|one|1)"
                              rf"(\s*%|\s+(?:degrees?|°|dbm|db|{UNIT_WORDS}))(?![\w/])", re.I)


def fraction_value(numerator: str, word: str, digits: str | None) -> float:
    """'a', 'quarter' -> 0.25; '2' or 'two', 'thirds' -> 0.667; 'a', '10th' -> 0.1."""
    low = numerator.lower()
    top = 1 if low in ("a", "an") else int(low) if low.isdigit() else text2num(low, "en")
    word = word.lower()
    bottom = int(digits) if digits else DENOMINATORS[word.rstrip("s") if word != "halves" else word]
    return top / bottom


def unit_fractions(t: str) -> str:
    """'half a percent' -> '0.5%', 'a tenth of a millisecond' -> '0.1 ms', 'a fifth of a second' -> '0.2 s'."""
    def value(m: re.Match) -> str:
        amount = fraction_value(m.group(1), m.group(2), m.group(3)) if m.group(2) else 0.5  # 'half a degree'
        written = m.group(4).strip()
        unit = next((u for alias, u in UNIT_ALIASES if re.fullmatch(alias, written, re.I)), written)  # 'second' -> 's'
        return f"{round(amount, 4):g}{'' if unit == '%' else ' '}{unit}"

    return FRACTION_OF_UNIT.sub(value, t)


# '0.02 and 0.05 Gbps', 'a 17000-47000 kbps range', 'from 0.002 to 0.007 s': a unit said once after a range is both ends'
SHARED_UNIT = re.compile(rf"(\b(?:between|within|from)\s+|\b(?:in|within)\s+(?:a|the)\s+|){N}(\s+(?:and|to)\s+|\s*-\s*){N}\s*"
                         rf"({UNIT_WORDS})(?![\w/])", re.I)


def _shared_unit(m: re.Match) -> str:
    if not m.group(1) and (m.group(3).strip() != "-" or re.search(r"\bcells?\s*$", m.string[:m.start()], re.I)):
        return m.group(0)  # 'cells 17 and 18 to 12 ms', 'cell 4 - 20 Mbps': a cell, then a quantity
    return f"{m.group(1)}{m.group(2)} {m.group(5)}{m.group(3)}{m.group(4)} {m.group(5)}"


@lru_cache(maxsize=1)
def _registry():
    import pint

    return pint.UnitRegistry()


def units(t: str) -> str:
    """Every quantity in its target's unit: '0.002 s' -> '2 ms', '60 kWh a day' -> '2.5 kW'."""
    def convert(m: re.Match) -> str:
        written = m.group(2)
        unit = next(u for alias, u in UNIT_ALIASES if re.fullmatch(alias, written, re.I))
        value = float(m.group(1))
        if unit in TARGET_UNITS:
            return f"{value:.10g} {unit}"
        quantity = _registry().Quantity(value, unit)
        for target in TARGET_UNITS:
            if quantity.is_compatible_with(target):
                return f"{round(quantity.to(target).magnitude, 9):.10g} {target}"
        return m.group(0)

    return UNIT_RE.sub(convert, SHARED_UNIT.sub(_shared_unit, t))
