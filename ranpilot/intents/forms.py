"""Form-like requests read as prose, the first step of the canonical form (`normalize.py`).

Operators paste records as well as sentences: JSON payloads ('{"kpi": "prb_load", "lo": 40, "hi":
75}'), key=value lists ('kpi=latency slice=gold max=10ms', 'lo=20; hi=60 Mbps'), keys that carry
their unit ('max_us=900', 'cio_db=3'), and operators' shorthand ('delta=-1.5dB', 'asleep=0', '@ cell
10'). Each is rewritten as the words a sentence would use ('between 40 and 75', 'the gold slice',
'max 900 us', 'cio 3 dB', 'by -1.5dB', 'wake up', 'on cell 10'), so that one reader understands both.
The keys that only label a value ('kpi=', 'metric:') are dropped later, with the other symbols.
"""

from __future__ import annotations

import json
import re

from ranpilot.intents.units import UNIT_WORDS

JSON_OBJECT = re.compile(r"\{[^{}]*\}")
VALUE = rf"(-?\d+(?:\.\d+)?)\s*(%|(?:{UNIT_WORDS})(?![\w/]))?"
SEP = r"\s*[,;|]?\s*"
# 'lo=20; hi=60 Mbps', 'min: 10, max: 30 ms': both ends of a range given as fields
RANGE_FIELDS = re.compile(rf"\b(?:lo|low|min)\s*[=:]\s*{VALUE}{SEP}(?:hi|high|max)\s*[=:]\s*{VALUE}", re.I)
# 'max_us=900', 'cio_db=3', 'min_mbps: 25': the unit said in the key
UNIT_KEY = re.compile(r"\b([a-z]+(?:_[a-z]+)*?)_(us|ms|s|mbps|kbps|gbps|kw|w|db|dbm|deg|pct|share|percent)\s*[=:]\s*(-?\d+(?:\.\d+)?)\b", re.I)
UNIT_OF_KEY = {"pct": "%", "share": "%", "percent": "%"}
SLICE_FIELD = re.compile(r"\bslice\s*(?:=\s*|:\s*(?=\S+\s*(?:[,;|]|$)))['\"]?([a-z][\w-]*)['\"]?", re.I)
SLEEP_FIELD = re.compile(r"\b(?:asleep|sleep)\s*[=:]\s*(0|1|true|false|on|off|yes|no)\b", re.I)
TABLE_KEYS = (r"kpi|metric|target|bound|op|value|min|max|lo|hi|cells?|scope|area|slice|threshold|thr|window|when|priority|"
              r"param(?:eter)?|delta|unit")
FIELD = re.compile(r"\b[a-z_]+\s*[=:]\s*\S", re.I)
# 'cells=3,4', 'scope: stadium', 'cells: 16|17|18' as one field of a record
SCOPE_FIELD = re.compile(r"(?:^|(?<=[|;,]))\s*\b(?:cells?|scope|area|where|sites?)\s*[=:]\s*(\d+(?:\s*(?:[|/,&]|\.\.|-|to|and)\s*\d+)*|"
                         r"[a-z][\w# -]*?)\s*(?=[|;,]|$)", re.I)
# 'objective: cut energy 20% | guard: keep latency': a guard field is a condition on the rest
GUARD_FIELD = re.compile(r"(?:^|\s*[|;,])\s*\b(?:guard|guardrail|constraint|condition)s?\s*[=:]\s*", re.I)
OP_FIELD = re.compile(r"\b(?:op|action|operation|cmd|command)\s*[=:]\s*['\"]?(sleep|wake|wake ?up|between|range)['\"]?", re.I)


def prose(text: str) -> str:
    """The text with its records and fields in words."""
    t = JSON_OBJECT.sub(_json_fields, table_rows(text))
    t = re.sub(r"\b(cells?)\s*[(\[]\s*(\d+(?:\s*[,;|/]\s*\d+)*)\s*[)\]]", r"\1 \2", t, flags=re.I)  # 'cells(1,2).asleep'
    t = re.sub(r"(?<=\d)\.(?=[a-z_])", " ", t, flags=re.I)  # 'cell7.tx_power = 43 dBm': an attribute of the cell
    t = RANGE_FIELDS.sub(_range, t)
    t = UNIT_KEY.sub(lambda m: f"{m.group(1).replace('_', ' ')} {m.group(3)} {UNIT_OF_KEY.get(m.group(2).lower(), m.group(2))}", t)
    t = SLICE_FIELD.sub(r"the \1 slice", t)
    t = SLEEP_FIELD.sub(lambda m: " sleep " if m.group(1).lower() in ("1", "true", "on", "yes") else " wake up ", t)
    t = OP_FIELD.sub(lambda m: "" if m.group(1).lower() in ("between", "range") else f" {m.group(1)} ", t)
    t = GUARD_FIELD.sub(", while keeping ", scope_first(t))
    t = re.sub(r"\bdelta\s*[=:]?\s*(?=[+-]?\d)", "by ", t, flags=re.I)  # 'delta=-1.5dB', 'delta -3 dB'
    t = re.sub(r"\btx_?pwr\b", "tx power", t, flags=re.I)
    t = re.sub(r"\b(value|val)\s*[=:]\s*(?=[+-]?\d)", "value of ", t, flags=re.I)  # 'value=6': in the target's own unit
    t = re.sub(r"\b(cells?)\s*[=:]\s*(?=\d)", r"\1 ", t, flags=re.I)  # 'cells: 16|17|18', 'cell=7'
    return re.sub(r"@\s*(?=cells?\b|c\d)", "on ", t, flags=re.I)  # 'ue_p_max -> 20 dBm @ cell 10'


def table_rows(text: str) -> str:
    """'target,bound,value,cells' over 'DlLatency,max,6,12;13': a header of field names and rows of as many
    values are records ('target=DlLatency, bound=max, value=6, cells=12|13'); other text stays."""
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    if len(lines) < 2:
        return text
    sep = next((s for s in (",", "|", "\t", ";") if s in lines[0]), None)
    header = [h.strip().lower() for h in lines[0].split(sep)] if sep else []
    if len(header) < 2 or not all(re.fullmatch(TABLE_KEYS, h) for h in header):
        return text
    rows = [[v.strip() for v in line.split(sep)] for line in lines[1:]]
    if any(len(row) != len(header) for row in rows):
        return text
    return "; ".join(", ".join(f"{k}={re.sub(r'[;,]', '|', v) if k.startswith('cell') else v}" for k, v in zip(header, row))
                     for row in rows)


def scope_first(t: str) -> str:
    """'objective=maximize efficiency | cells=3,4 | constraint=...': in a record of fields, the scope
    field is said for the whole record, so it ends it ('objective=... | constraint=..., cells 3,4')."""
    m = SCOPE_FIELD.search(t)
    if m is None or len(FIELD.findall(t)) < 2:
        return t
    value = m.group(1).strip()
    scope = ("network-wide" if re.fullmatch(r"(?:the\s+)?(?:whole\s+)?(?:network|all|global|everywhere)", value, re.I)
             else f"cells {value}" if value[0].isdigit() else value)
    rest = f"{t[:m.start()]} {t[m.end():]}".strip(" |;,")
    return f"{rest}, {scope}"


def _json_fields(m: re.Match) -> str:
    """'{"op": "sleep", "cells": [18, 19]}' -> 'op=sleep, cells=18|19'; text that is no JSON object stays."""
    try:
        record = json.loads(m.group(0))
    except ValueError:
        return m.group(0)
    if not isinstance(record, dict):
        return m.group(0)
    return ", ".join(f"{key}={_json_value(value)}" for key, value in record.items())


def _json_value(value) -> str:
    if isinstance(value, list):
        return "|".join(_json_value(v) for v in value)
    if isinstance(value, bool):
        return str(value).lower()
    return str(value)


def _range(m: re.Match) -> str:
    unit = m.group(2) or m.group(4) or ""
    return f"between {m.group(1)} {unit} and {m.group(3)} {m.group(4) or unit}".replace("  ", " ")
