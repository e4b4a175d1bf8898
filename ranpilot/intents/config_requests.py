"""Direct configuration requests ("raise tx power on cell 2 by 3 dB", "put cell 7 to sleep", "set the
CIO of cell 1 to 3 dB", "tilt cell 4 down 2 degrees", "give URLLC 30% of the PRBs in cell 5"): their
own kind of request, never a KPI target. Each names a parameter, the cells, and a value or a move."""

from __future__ import annotations

import re

from ranpilot.intents import extraction as ex
from ranpilot.intents.goals import ConfigChange

NUM = ex.NUMBER
DOWN = r"lower(?:ed|s|ing)?|reduc\w*|decreas\w*|cut(?:s|ting)?|dropp?(?:ed|s|ing)?|down|turn\w* down|bring down|dial\w* down|back\w* off"
UP = r"rais(?:e|ed|es|ing)|increas\w*|boost\w*|lift\w*|turn\w* up|bring up|push\w* up|bump\w*|crank\w* up|up"
SLEEP = re.compile(r"\b(?:to sleep|asleep|into sleep|sleep mode|off|down(?!\s+(?:by\s+)?-?\d)|deactivat\w*|disabl\w*|offline|out of service)\b|\bsleep\b",
                   re.I)
# 'keep cell 6 serving users', 'keep them on': a cell to stay in service is awake
KEEP_ON = (r"\bkeep\w*\s+(?:cells?#[\d_]+|it|them|the cells?|th(?:ese|ose|at|is) cells?)\s+"
           r"(?:on|serving|active|awake|running|in service|on ?air|up|switched on|powered on|alive)\b")
WAKE = re.compile(r"\b(?:wake\w*(?: up)?|awake|switch(?:ed)? (?:\w+ )?on|turn(?:ed)? (?:\w+ )?on|re-?activat\w*|activate|"
                  r"bring (?:\w+ )?back|out of sleep|power(?:ed)? (?:\w+ )?up(?!\s+(?:by\s+)?[+-]?\d)|back on|re-?enabl\w*|"
                  r"back (?:online|on ?air|in(?:to)? service)|(?:put|bring|get|take)\w* (?:\S+ ){0,3}?(?:online|on ?air|in(?:to)? service)|"
                  r"return\w* (?:\S+ ){0,3}?to service)\b|" + KEEP_ON, re.I)  # 'bring cell 19 back online'
SLEEP_VERB = re.compile(r"\b(?:put|send|switch|turn|shut|power|sleep|deactivate|disable|take|let|keep)(?:s|ed|ing|ting)?\b", re.I)
# 'the stadium cells were put to sleep after the match': what was done, not what to do
PAST_REPORT = re.compile(r"\b(?:was|were|has been|have been|had been|got)\s+(?:\w+\s+){0,2}?(?:put|switched|turned|sent|powered|shut|"
                         r"set|changed|raised|lowered|increased|reduced|tilted|woken|moved)\b|"
                         r"\b(?:went|fell|dropped|came|has gone|have gone|had gone)\s+(?:back\s+)?(?:to sleep|asleep|offline|online|"
                         r"down|off|dark|quiet)\b", re.I)  # 'cell 7 went to sleep at 2am as planned'
DEVICES = r"(?:ue|device|handset|terminal|phone|user)s?\b"
PARAMETERS = (
    ("ue_p_max_dbm", re.compile(rf"\bp[- ]?max\b|\b{DEVICES}'?\s+(?:max(?:imum)?\s+)?(?:uplink\s+|transmit\s+|tx\s+)?power\b|"
                                rf"\bmax(?:imum)?\s+(?:uplink\s+|transmit\s+|tx\s+)?power\s+(?:of|for)\s+(?:the\s+|all\s+)?{DEVICES}",
                                re.I)),  # 'the phones' maximum power', 'the maximum transmit power for phones'
    ("cio_db", re.compile(r"\bcio\b|\bcell individual offset\b|\bhandover offset\b", re.I)),
    ("tilt_deg", re.compile(r"\b(?:down|up)?-?tilt\w*\b|\bantenna\b", re.I)),
    ("tx_power_dbm", re.compile(r"\b(?:tx|transmit\w*|transmission|output|cell|dl|downlink)? ?power\b|\btransmit\b|\btx\b|"
                                r"\b(?:turn|crank|dial)\w*\s+(?:\S+\s+){0,3}?(?:up|down)\b", re.I)),  # 'turn cell 0 up to 46 dBm'
)
PRB_WORDS = re.compile(r"\b(?:prbs?|resource blocks?|(?:radio )?resources?|capacity|bandwidth)\b", re.I)
PRB_SETTING = re.compile(r"\b(?:min(?:imum)?\.?|reserve\w*|give|gets?|receives?|ha(?:ve|s)|guarantee\w*|set|shares?|ratios?|allocat\w*|dedicate\w*|"
                         r"earmark\w*|assign\w*|allot\w*|"
                         r"raise|increase|lower|decrease|reduce|cut)\b", re.I)


def config_changes(clause: str, cells: list[int] | None, slices: list[str] = ()) -> list[ConfigChange]:
    """The configuration changes a clause asks for on `cells` and `slices` (its scope), or [] when
    it asks for none."""
    if not cells or PAST_REPORT.search(clause):
        return []
    each = _per_cell(clause)
    if each and set(cells) == {c for part_cells, _ in each for c in part_cells}:
        return [change for part_cells, part in each for change in _cell_changes(part, part_cells, slices)]
    return _cell_changes(clause, cells, slices)


def _per_cell(clause: str) -> list[tuple[list[int], str]] | None:
    """'tilt c0 down 2 and c1 down 1': cells each followed by an amount of their own, as (cells, the
    clause's head with that cell's part) pairs; None when the cells share one amount."""
    marks = list(ex.CELLS_RE.finditer(clause))
    if len(marks) < 2:
        return None
    parts = [clause[m.start():end] for m, end in zip(marks, [m.start() for m in marks[1:]] + [len(clause)])]
    if not all(re.search(r"\d", part[len(m.group(0)):]) for m, part in zip(marks, parts)):
        return None
    joint = re.compile(r"(?:[\s,;]+(?:and|or|then|plus|&)?)+$", re.I)  # the word that joins it to the next cell's part
    return [(ex.cells(m.group(0)), clause[:marks[0].start()] + joint.sub("", part)) for m, part in zip(marks, parts)]


def _cell_changes(clause: str, cells: list[int], slices: list[str]) -> list[ConfigChange]:
    """The changes one clause (or one cell's part of it) asks for on `cells`."""
    share = _prb_share(clause, list(slices))
    if share is not None:
        slice_, kind, number = share
        return [ConfigChange(parameter="min_prb_ratio", cell=c, slice=slice_, **{kind: number}) for c in cells]
    sleep = _sleep(clause)
    if sleep is not None:
        return [ConfigChange(parameter="asleep", cell=c, value=sleep) for c in cells]
    named = [parameter for parameter, words in PARAMETERS if words.search(clause)]
    # 'cell 3 back to 43 dBm', 'cell 5 at 6°': without a parameter word, the unit names it
    for parameter in named or [p for p, unit in UNIT_NAMES if re.search(rf"{CELL_VALUE}{NUM}\s*(?:{unit})", clause, re.I)]:
        move = _move(clause, parameter)
        if move is not None:
            kind, number = move
            return [ConfigChange(parameter=parameter, cell=c, **{kind: number}) for c in cells]
    return []


SETTING_MOVE = re.compile(r"^\W*(?:(?:please|pls|kindly|could you|can you|would you|we need to|i want to)\s+)*(?:raise|lower|increase|"
                          r"decrease|reduce|cut|boost|bump|drop|adjust|change|tweak|optimi[sz]e|tune|modify|move|re-?tilt|tilt|uptilt|"
                          r"downtilt)\b", re.I)
EXPLICIT_SETTING = re.compile(r"\b(?:tx|transmit\w*|transmission|output)\s+power\b|\bcio\b|\bcell individual offset\b|"
                              r"\bhandover offset\b|\b(?:down|up)?-?tilt\w*\b|\bantennas?\b|\bp[- ]?max\b", re.I)
# 'tilt cell 4 to improve coverage', '... so coverage improves': what the change is for adds no goal
PURPOSE = re.compile(r"\s+(?:so(?:\s+that)?|in order to|to)\s+(?:\w+\s+)?(?:improv|boost|cut|reduc|lower|rais|increas|fix|help|get|"
                     r"sav|eas|reliev|better|strengthen|extend|reach)\w*\b.*$", re.I)


def unvalued_setting(clause: str, cells: list[int] | None) -> str | None:
    """The parameter a clause asks to move on its cells without saying to what or by how much ('lower the
    transmit power on cell 9', 'increase the CIO on cell 1', 'tilt cell 4 to improve coverage'): a
    configuration request that needs its value, not a KPI goal."""
    asked = PURPOSE.sub("", clause)
    if cells and SETTING_MOVE.match(asked) and EXPLICIT_SETTING.search(asked) and not re.search(r"\d", ex.CELLS_RE.sub("", asked)):
        return named_parameter(asked)
    return None


def named_parameter(clause: str) -> str | None:
    """The parameter a clause names ('adjust the tilt on cell 4'), whether or not it gives a value."""
    return next((parameter for parameter, words in PARAMETERS if words.search(clause)), None)


def _prb_share(clause: str, scope_slices: list[str]) -> tuple[str, str, float] | None:
    """(slice, 'value' | 'delta', ratio 0-1) for a slice's PRB share: 'reserve 20% of PRBs for URLLC',
    'min PRB ratio 0.1 for eMBB', 'raise the PRB share of mMTC by 5 percentage points'."""
    slices = ex.slices(clause) or scope_slices
    bare_share = re.search(r"\d\s*%\s+(?:of\s+(?:the\s+)?)?(?:prbs?|resources?)\b", clause, re.I) and not re.search(
        r"\bload|\butili", clause, re.I)  # 'urllc 20% prbs on cell 12'
    if len(slices) != 1 or not PRB_WORDS.search(clause) or not (PRB_SETTING.search(clause) or bare_share):
        return None
    t = clause.lower()
    points = re.search(NUM + r"\s*(?:percentage points?|pp\b|points?)", t)
    pct = re.search(NUM + r"\s*%", t)
    bare = (re.search(r"(?:\b(?:ratios?|shares?|to|by|of)\b|=)\s*(?:[\w#]+\s+|=\s*){0,6}?" + NUM + r"(?![\d.]|\s*(?:%|[a-z]+/|db|ms\b|kw\b))", t)
            or re.search(NUM + r"\s+(?:of\s+(?:the\s+|its\s+|all\s+)?" + PRB_WORDS.pattern + r"|(?:prbs?\s+)?(?:share|ratio)\b)",
                         t))  # '0.6 of the PRBs', 'a 0.2 PRB share'
    number = float(points.group(1)) / 100 if points else float(pct.group(1)) / 100 if pct else (
        float(bare.group(1)) if bare and float(bare.group(1)) <= 1 else None)
    if number is None:
        return None
    if re.search(r"\bby\s+[+-]?\d", t) or points:
        sign = -1 if re.search(rf"\b(?:{DOWN})\b", t) else 1
        return slices[0], "delta", sign * abs(number)
    return slices[0], "value", number


def _sleep(clause: str) -> float | None:
    """1 for 'put cell 7 to sleep' / 'switch cell 7 off', 0 for 'wake cell 7 up', else None."""
    if any(words.search(clause) for _, words in PARAMETERS) and re.search(r"\d\s*(?:dbm?|deg|degrees?|°)", clause, re.I):
        return None
    if re.search(r"\b(?:activat|enabl|engag|turn\w* on|switch\w* on)\w*\s+(?:the\s+)?(?:deep\s+|micro\s+)?sleep", clause, re.I):
        return 1.0  # 'activate sleep mode on cell 19'
    if WAKE.search(clause):
        return 0.0
    if re.search(r"\bdown\s+to\s+-?\d", clause, re.I) and not re.search(r"\b(?:sleep|asleep|off)\b", clause, re.I):
        return None  # 'power draw brought down to 8 kW' is a target, not a switch-off
    if SLEEP_VERB.search(clause) and SLEEP.search(clause):
        return 1.0
    return None


TILT_NOUN = r"(?:electrical\s+|mechanical\s+)?(?:down-?)?tilt(?:\s+angle)?"


def _tilt(t: str, x: float, by: bool) -> tuple[str, float]:
    """A downtilt change in degrees: + points the antenna further down ('tilt down', 'lower the
    antenna', 'increase the downtilt'), - points it up ('uptilt', 'reduce the downtilt');
    '4° downtilt', 'downtilt 8 degrees', 'tilt to 6°' set the angle itself."""
    amount = r"(?:the\s+|its\s+|[\d.]+\s*(?:deg\w*|°)\s+(?:of\s+|more\s+|less\s+)?(?:extra\s+)?)?"
    if re.search(rf"\b(?:reduc|lower|decreas|cut|less|remov|take|drop)\w*\s+{amount}{TILT_NOUN}", t):
        return "delta", -abs(x)
    if re.search(rf"\b(?:increas|rais|add|more|extra)\w*\s+{amount}{TILT_NOUN}", t):
        return "delta", abs(x)
    if re.search(r"\b(?:lower|drop)\w*\s+(?:\w+\s+)?antenna|\bantenna\w*\s+(?:\w+\s+){0,3}?lower", t):
        return "delta", abs(x)
    if re.search(r"\bup-?tilt", t):
        return "delta", -abs(x)  # the angle is a downtilt: an uptilt only ever moves it
    setting = (re.search(NUM + rf"\s*(?:deg\w*|°)\s+(?:of\s+)?{TILT_NOUN}", t)
               or re.search(rf"\b{TILT_NOUN}\s+(?:of\s+|at\s+|=\s*|:\s*)?" + NUM + r"\s*(?:deg|°)", t))
    if setting or (not by and re.search(r"\bto\s+" + NUM, t)):
        return "value", x
    if re.search(r"\bup(?:wards?)?\b|\buptilt", t):
        return "delta", -abs(x)
    if re.search(r"\bdown(?:wards?)?\b|\bdowntilt", t):
        return "delta", abs(x)
    return ("delta", x) if by else ("value", x)


# the units a parameter's value is written in: '43 dBm' is no tilt, even beside 'antenna'
UNIT_WORDS = {"tilt_deg": r"deg\w*|°", "cio_db": r"db\b", "tx_power_dbm": r"dbm|db\b", "ue_p_max_dbm": r"dbm|db\b"}
CELL_VALUE = r"cells?#[\d_]+'?s?\W+(?:(?:back|again|now|then|to|at|set|up|down)\W+){0,3}"  # 'cell 3 back to ...', 'c5: ...'
NAMED_SETTING = r"\bcio|\bp[- ]?max|\b(?:tx|transmit|output) power|\btilt|(?<![\w.])\+(?=\d)"  # a setting's name, or a plus: '+1'
BARE_END = r"(?![\d.]|\s*(?:%|[a-z]+/|mbit|ms\b|kw\b|x\b|times\b|cells?\b|h\b|hours?\b|am\b|pm\b|users?\b))"
UNIT_NAMES = (("tx_power_dbm", r"dbm\b"), ("tilt_deg", r"°|deg(?:ree)?s?\b"))  # the parameter a cell's value is in, by its unit


def _move(clause: str, parameter: str) -> tuple[str, float] | None:
    """('value', x) for 'set ... to x', ('delta', +-x) for 'raise/lower ... by x', in the parameter's unit."""
    t = clause.lower()
    number = re.search(NUM + rf"\s*(?:{UNIT_WORDS[parameter]})", t)
    if number is None:  # 'tilt c0 down 2', 'c2 cio +1', 'c7 p-max 20': a setting's number is in its unit without saying so
        number = re.search(rf"(?:\b(?:down|up|by|to|at)\s+(?:by\s+)?|(?:{NAMED_SETTING})\s*(?:=|:|of|to|at)?\s*)" + NUM + BARE_END, t)
    if number is None:
        return None
    x = float(number.group(1))
    by = re.search(r"\bby\s+" + NUM, t) or re.search(r"(?:^|\s)[+-]\s*\d", t)
    if parameter == "tilt_deg":
        return _tilt(t, x, by is not None)
    if by is None and re.search(r"\bto\s+[+-]?\d", t):
        return "value", x  # 'increase the CIO to 2 dB': the value it ends at
    if re.search(rf"\b(?:{DOWN})\b", t) and (by or "dbm" not in t):
        return "delta", -abs(x)
    if re.search(rf"\b(?:{UP})\b", t) and (by or "dbm" not in t):
        return "delta", abs(x)
    if re.search(r"(?:^|\s)\+\s*" + NUM.replace("-?", ""), t) or re.search(r"\bby\s+" + NUM, t):
        return "delta", x  # 'tx power +2 dB', 'cio by -1.5 dB': a signed move
    if parameter == "tx_power_dbm" and not number.group(0).endswith("dbm"):
        return "delta", x  # 'cell 4 power -2 dB': a power in dB (not dBm) is a move
    return "value", x
