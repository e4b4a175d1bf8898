"""Bounds and checks on what an operator hands ranpilot: files, JSON, intent text, cell lists,
thread ids. Each check raises InputError naming the input, before anything is loaded or changed.

The bounds keep a mistaken or hostile input from exhausting memory or a parser's recursion
(Python's json module dies with RecursionError on a 100,000-deep array), and the thread-id
pattern keeps a thread's files inside the data dir (`--thread ../../x` would write outside it).
Ground floor: imports nothing from ranpilot but its errors."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from pydantic import ValidationError

from ranpilot.errors import InputError

MAX_FILE_BYTES = 1_000_000
"""An input file (actions, tool input, network config, intents): at most 1 MB."""
MAX_JSON_DEPTH = 32
"""JSON nesting: a TS 28.312 intent needs about 8 levels, a proposal 4."""
MAX_PROPOSAL_ACTIONS = 200
"""Actions in one proposal given to `ranpilot verify`."""
THREAD_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
_JSON_TOKENS = re.compile(r'"(?:[^"\\]+|\\.)*"|[\[\]{}]')
_CELL = re.compile(r"\s*[0-9]+\s*", re.ASCII)


def read_text(path: Path | None, what: str) -> str:
    """A file's text (standard input's, for None): UTF-8, at most MAX_FILE_BYTES (read no further)."""
    source = f"{what} {path}" if path is not None else f"{what} (standard input)"
    try:
        if path is None:
            data = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with open(path, "rb") as f:
                data = f.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise InputError(f"{source}: {exc.strerror or exc}") from exc
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"{source}: larger than {MAX_FILE_BYTES:,} bytes")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InputError(f"{source}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc


def summary(exc: ValidationError) -> str:
    """A pydantic ValidationError on one line: 'field.path: message; ...'."""
    return "; ".join(f"{'.'.join(map(str, e['loc'])) or 'value'}: {e['msg']}" for e in exc.errors())


def check_json_depth(text: str, what: str) -> None:
    """Refuse JSON nested deeper than MAX_JSON_DEPTH before any parser recurses into it.
    Brackets inside strings do not count."""
    depth = 0
    for token in _JSON_TOKENS.finditer(text):
        bracket = token.group()
        if bracket in ("[", "{"):
            depth += 1
            if depth > MAX_JSON_DEPTH:
                raise InputError(f"{what}: JSON nested deeper than {MAX_JSON_DEPTH} levels")
        elif bracket in ("]", "}"):
            depth -= 1


def load_json(text: str, what: str):
    """Parse JSON text after the depth check; InputError for anything that is not JSON."""
    check_json_depth(text, what)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"{what}: not valid JSON: {exc}") from exc


def read_json(path: Path | None, what: str):
    """A JSON file (standard input, for None) within the bounds: size, UTF-8, depth."""
    return load_json(read_text(path, what), what if path is None else f"{what} {path}")


def check_text(text: str, what: str, max_chars: int) -> str:
    """Text from the command line: valid Unicode (an argument that was not UTF-8 arrives with
    surrogate escapes, which no store or parser can take) and at most `max_chars` characters."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise InputError(f"{what} is not valid UTF-8 text (byte {exc.start})") from exc
    if len(text) > max_chars:
        raise InputError(f"{what} is {len(text):,} characters; the limit is {max_chars:,}")
    return text


def parse_cells(text: str, what: str = "--cells") -> list[int]:
    """'0,1,2' -> [0, 1, 2] (sorted, once each). An empty list is an error, never 'every cell':
    a scope given to narrow the agent must not widen it."""
    parts = text.split(",")
    bad = [p for p in parts if not _CELL.fullmatch(p)]
    if bad:
        raise InputError(f"{what} {text!r}: expected cell numbers separated by commas, e.g. 0,1,2 "
                         f"(found {bad[0].strip()!r})")
    return sorted({int(p) for p in parts})


def check_cells(cells: list[int], num_cells: int, what: str = "--cells") -> list[int]:
    """`cells` if every one is in a network of `num_cells` cells."""
    outside = [c for c in cells if c >= num_cells]
    if outside:
        raise InputError(f"{what}: cells {outside} are not in the network (cells 0-{num_cells - 1})")
    return cells


def check_thread_id(thread_id: str) -> str:
    """A thread id names files in the data dir: letters, digits, '.', '_', '-', at most 64
    characters, starting with a letter or digit, never '..'."""
    if not THREAD_ID.fullmatch(thread_id) or ".." in thread_id:
        raise InputError(f"thread id {thread_id!r}: use 1-64 letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit, without '..'")
    return thread_id
