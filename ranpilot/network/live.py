"""Saved networks: `save_network` / `load_network` write and read a network's exact state
(the agent keeps one per thread for approvals); `network_to_text` / `network_from_text` give the
same JSON as text, which is how the CLI keeps its live network in the audit database
(`ranpilot.live`).

Saved networks are plain JSON, never a format whose loading can run code (a file planted in the
data dir must not be able to execute anything); other formats and versions are refused, not migrated."""

from __future__ import annotations

import json
import math
import os
import tempfile
from pathlib import Path

from pydantic import ValidationError

from ranpilot.network.config import NetworkConfig
from ranpilot.network.simulator import Network
from ranpilot.network.state import NetState

SCHEMA = "ranpilot.network/1"
RESET_HINT = "`ranpilot net reset` starts a new network"
_NON_FINITE = ("nan", "inf", "-inf")  # how NetState.to_json writes non-finite floats, used for `extra` too


class SavedNetworkError(ValueError):
    """A saved network file is missing, corrupt or from an incompatible version."""


def network_to_text(network: Network, **extra) -> str:
    """A network (config, seed, exact state) and any JSON-able extra data as JSON text.
    Uses only `config`, `seed` and `snapshot()`, so E2-controlled networks can be saved too.
    Non-finite floats in `extra` (e.g. the NaN KPI of an empty cell) are written as NetState
    writes them, the strings "nan", "inf", "-inf"; those strings themselves are refused in
    `extra`, since they would load as floats."""
    return json.dumps({"schema": SCHEMA, "config": network.config.model_dump(mode="json"), "seed": network.seed,
                       "state": network.snapshot().state.to_json(), "extra": _encode(extra)}, allow_nan=False)


def network_from_text(text: str, source: str) -> tuple[Network, dict]:
    """The network in `text` and its extra data; SavedNetworkError naming `source` for anything
    that is not a network saved in this format (nested too deep for the parser included)."""
    try:
        data = json.loads(text)
        _check_schema(source, data)
        if not isinstance(data["seed"], int) or not isinstance(data["extra"], dict):
            raise TypeError("the seed must be an integer and the extra data an object")
        network = Network.from_state(NetworkConfig.model_validate(data["config"]), data["seed"],
                                     NetState.from_json(data["state"]))
    except SavedNetworkError:
        raise
    except (KeyError, TypeError, ValueError, ValidationError, RecursionError) as exc:  # incl. JSONDecodeError
        raise SavedNetworkError(f"cannot read the saved network {source}: {type(exc).__name__}: {exc}") from exc
    return network, _decode(data["extra"])


def save_network(path: Path, network: Network, **extra) -> None:
    """Write `network_to_text` to `path` atomically."""
    _write_atomic(Path(path), network_to_text(network, **extra))


def load_network(path: Path) -> tuple[Network, dict]:
    """The network saved at `path` and the extra data saved with it (SavedNetworkError naming the file)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SavedNetworkError(f"cannot read the saved network {path}: {type(exc).__name__}: {exc}") from exc
    return network_from_text(text, str(path))


def _check_schema(path: Path | str, data) -> None:
    """Refuse any format but this one (no migrations): its layout or meaning may differ."""
    if not isinstance(data, dict):
        raise TypeError(f"expected a JSON object, found {type(data).__name__}")
    found = data.get("schema")
    if found != SCHEMA:
        raise SavedNetworkError(f"the saved network {path} has format version {found!r}, not {SCHEMA!r}; "
                                f"{RESET_HINT}")


def _write_atomic(path: Path, text: str) -> None:
    """Write via a synced temp file in the same directory and rename it over `path`, so a crash
    leaves the old file or the new one, never half of one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _encode(value):
    """`value` with non-finite floats as strings, so standard JSON can hold it."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(float(value))
    if isinstance(value, str) and value in _NON_FINITE:
        raise ValueError(f"cannot save the string {value!r}: it would load as a float")
    if isinstance(value, dict):
        return {k: _encode(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_encode(v) for v in value]
    return value


def _decode(value):
    """Inverts `_encode` (tuples come back as lists)."""
    if isinstance(value, str) and value in _NON_FINITE:
        return float(value)
    if isinstance(value, dict):
        return {k: _decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_decode(v) for v in value]
    return value
