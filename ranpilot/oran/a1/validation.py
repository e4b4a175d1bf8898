"""What the A1-P service checks before it stores anything: the policy id, the body (JSON with
finite numbers only, the type's schema, cells, slices and PLMNs of the network the service acts
on, a TS 28.312 intent the xApp can read) and the notification destination (on the operator's allow-list, so
the service cannot be made to POST to arbitrary hosts). Each failure is a `PolicyError` naming
the field, answered 400 with nothing stored."""

from __future__ import annotations

import json
import re

import httpx
import jsonschema

from ranpilot.intents.model import IntentInputError
from ranpilot.intents.ts28312 import read_request
from ranpilot.network.config import SliceSpec
from ranpilot.oran.a1.policies import IdentifierError, check_identifiers
from ranpilot.oran.a1.types import INTENT_TYPE, POLICY_TYPES

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


def check_body(type_id: str, body: object, num_cells: int, slices: tuple[SliceSpec, ...]) -> None:
    """The type's JSON Schema, then every cell, slice and PLMN against the network's, then (for
    ranpilot_Intent) that the body reads as an intent (plain text, or a valid TS 28.312 intent)."""
    problem = schema_problem(type_id, body)
    if problem is not None:
        raise PolicyError(*problem)
    try:
        check_identifiers(body, num_cells, slices)
        if type_id == INTENT_TYPE:
            read_request(body["text"] if "text" in body else body["intent"])
    except IdentifierError as exc:
        raise PolicyError(exc.field, exc.reason) from None
    except IntentInputError as exc:
        raise PolicyError("(root)", str(exc)) from None


def schema_problem(type_id: str, body: object) -> tuple[str, str] | None:
    """(JSON path, reason) of the first way `body` breaks the type's schema; None if it is valid."""
    schema = POLICY_TYPES[type_id]
    error = jsonschema.exceptions.best_match(jsonschema.Draft202012Validator(schema).iter_errors(body))
    if error is None:
        return None
    while error.context:  # an anyOf / oneOf: name the branch's own problem (a bound, a missing field)
        error = max(error.context, key=lambda e: len(e.absolute_path))
    return "/".join(map(str, error.absolute_path)) or "(root)", f"does not match {type_id}: {error.message}"


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
