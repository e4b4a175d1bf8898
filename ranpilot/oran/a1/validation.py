"""What the A1-P service checks before it stores anything: the policy id, the body (JSON with
finite numbers only, the type's schema, cells that exist on the network the service acts on, an
intent the xApp can read) and the notification destination (on the operator's allow-list, so
the service cannot be made to POST to arbitrary hosts). Each failure is a `PolicyError` naming
the field, answered 400 with nothing stored."""

from __future__ import annotations

import json
import re
from typing import Iterator
import httpx
import jsonschema

from ranpilot.oran.a1.policies import ENFORCED_TYPES, POLICY_TYPES, intent_request

POLICY_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")
_MAX_INT = 2**53  # beyond this an integer no longer survives the float arithmetic behind it
_DEFAULT_PORTS = {"http": 80, "https": 443}


class PolicyError(ValueError):
    """A request the service refuses; `field` names what is wrong (`policyId`, a body path, ...)."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


def check_policy_id(policy_id: str) -> None:
    if not POLICY_ID.fullmatch(policy_id):
        raise PolicyError("policyId", "1 to 64 characters of A-Z a-z 0-9 . _ -")


def read_body(raw: bytes) -> object:
    """The JSON body; PolicyError for invalid JSON or a number that is not finite (Python's json
    reads NaN, Infinity and 1e999 as floats, which would poison the intent and the stored copy)."""
    try:
        return json.loads(raw, parse_constant=_not_finite, parse_float=_finite_float, parse_int=_bounded_int)
    except (ValueError, RecursionError) as exc:  # JSONDecodeError and ours are ValueErrors
        raise PolicyError("body", str(exc) if isinstance(exc, PolicyError) else f"not JSON: {exc}") from None


def _not_finite(token: str) -> float:
    raise PolicyError("body", f"{token} is not a finite number")


def _finite_float(token: str) -> float:
    value = float(token)
    if value in (float("inf"), float("-inf")):
        _not_finite(token)
    return value


def _bounded_int(token: str) -> int:
    value = int(token)
    if abs(value) > _MAX_INT:
        raise PolicyError("body", f"{token} is out of range")
    return value


def check_body(type_id: str, body: object, num_cells: int) -> None:
    """The type's JSON Schema, then every `cellIdList` against the network's cells, then (for the
    types the xApp enforces) that the body reads as an intent (e.g. a known slice, a valid
    TS 28.312 intent)."""
    try:
        jsonschema.validate(body, POLICY_TYPES[type_id])
    except jsonschema.ValidationError as exc:
        where = "/".join(map(str, exc.absolute_path)) or "(root)"
        raise PolicyError(where, f"does not match {type_id}: {exc.message}") from None
    for where, cells in _cell_lists(body, ""):
        unknown = [c for c in cells if c >= num_cells]
        if unknown:
            raise PolicyError(where, f"no cell {unknown[0]} on this network; cells are 0..{num_cells - 1}")
    if type_id in ENFORCED_TYPES:
        try:
            intent_request(type_id, body)
        except ValueError as exc:
            raise PolicyError("(root)", str(exc)) from None


def _cell_lists(value: object, path: str) -> Iterator[tuple[str, list[int]]]:
    """(path, list) of every `cellIdList` in a body, however deep."""
    if isinstance(value, dict):
        for key, item in value.items():
            where = f"{path}/{key}" if path else key
            if key == "cellIdList" and isinstance(item, list):
                yield where, item
            else:
                yield from _cell_lists(item, where)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _cell_lists(item, f"{path}/{index}")


def check_destination(url: str, allowlist: list[str]) -> None:
    """A `notificationDestination` must be an http(s) URL with the scheme, host and port of an
    allow-list entry (and under its path, if the entry has one); an empty allow-list allows none."""
    if not allowlist:
        raise PolicyError("notificationDestination", "status callbacks are disabled: the allow-list "
                          "(RANPILOT_A1_NOTIFICATION_ALLOWLIST) is empty")
    target = origin(url)
    if target is None or not any(_under(target, origin(entry)) for entry in allowlist):
        raise PolicyError("notificationDestination", f"{url[:200]!r} is not on the allow-list")


def checked_allowlist(entries: list[str]) -> list[str]:
    """The allow-list, if every entry is an http(s)://host[:port][/path] URL (ValueError otherwise)."""
    if bad := [entry for entry in entries if origin(entry) is None]:
        raise ValueError(f"a1_notification_allowlist: not http(s)://host[:port][/path] URLs: {bad}")
    return list(entries)


def origin(url: str) -> tuple[str, str, int, str] | None:
    """(scheme, host, port, path) of an http(s) URL without credentials, as the HTTP client that
    will POST to it reads the URL (so no parser difference can smuggle in another host); None for
    anything else."""
    try:
        parts = httpx.URL(url)
    except (httpx.InvalidURL, TypeError):
        return None
    if parts.scheme not in _DEFAULT_PORTS or not parts.host or parts.userinfo:
        return None
    if {".", ".."} & set(parts.path.split("/")):  # an encoded dot segment could climb out of an allowed path
        return None
    return parts.scheme, parts.host.lower(), parts.port or _DEFAULT_PORTS[parts.scheme], parts.path or "/"


def _under(target: tuple[str, str, int, str], entry: tuple[str, str, int, str] | None) -> bool:
    if entry is None or target[:3] != entry[:3]:
        return False
    base = entry[3].rstrip("/")
    return not base or target[3] == base or target[3].startswith(base + "/")
