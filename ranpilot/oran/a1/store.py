"""A1 policy instances kept across restarts: type, id, body and last known status, in one JSON file
in the data dir (`a1/policies.json`), rewritten atomically (temporary file, fsync, rename) on
every change, so a crash leaves either the old file or the new one, never half of one.

A policy id names one policy whatever its type: a PUT of an id that another type holds is a
`PolicyIdTaken` (the service answers 409), so two policies never share a status.

Example:
    >>> store = PolicyStore(Path("/tmp/a1/policies.json"))
    >>> store.put("ranpilot_Intent_1.0.0", "p-1", {"text": "cut energy consumption by 10%"})
    True
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

from ranpilot.oran.a1.status import not_acted_on
from ranpilot.oran.a1.types import POLICY_TYPES

VERSION = 2  # 1: ranpilot's own shapes of the ORAN_* types and free-text status reasons


class PolicyStoreError(RuntimeError):
    """The policy file cannot be read: the service does not start rather than forget policies."""


class PolicyIdTaken(ValueError):
    """The policy id belongs to a policy of another type."""


class PolicyStore:
    """Policies by type and id; `path` None keeps them in memory only."""

    def __init__(self, path: Path | None):
        self.path = path
        self._lock = threading.Lock()
        self._records: dict[str, dict[str, dict]] = {t: {} for t in POLICY_TYPES}
        if path is not None and path.exists():
            self._load(path)

    def ids(self, type_id: str) -> list[str]:
        with self._lock:
            return sorted(self._records[type_id])

    def body(self, type_id: str, policy_id: str) -> dict | None:
        return self._field(type_id, policy_id, "body")

    def status(self, type_id: str, policy_id: str) -> dict | None:
        return self._field(type_id, policy_id, "status")

    def type_of(self, policy_id: str) -> str | None:
        with self._lock:
            return next((t for t, records in self._records.items() if policy_id in records), None)

    def items(self) -> list[tuple[str, str, dict]]:
        """(type, id, body) of every stored policy."""
        with self._lock:
            return [(t, pid, r["body"]) for t, records in self._records.items() for pid, r in sorted(records.items())]

    def put(self, type_id: str, policy_id: str, body: dict) -> bool:
        """Store a policy (its status back to not yet acted on); True if it is new. PolicyIdTaken if
        a policy of another type has the id."""
        with self._lock:
            owner = next((t for t, records in self._records.items() if policy_id in records), type_id)
            if owner != type_id:
                raise PolicyIdTaken(f"policy {policy_id} exists already, of type {owner}")
            created = policy_id not in self._records[type_id]
            self._records[type_id][policy_id] = {"body": body, "status": not_acted_on(policy_id).status().body()}
            self._save()
        return created

    def set_status(self, type_id: str, policy_id: str, status: dict) -> None:
        """Record a policy's status (ignored if it was deleted meanwhile)."""
        with self._lock:
            if policy_id in self._records[type_id]:
                self._records[type_id][policy_id]["status"] = status
                self._save()

    def delete(self, type_id: str, policy_id: str) -> bool:
        with self._lock:
            found = self._records[type_id].pop(policy_id, None) is not None
            if found:
                self._save()
        return found

    def _field(self, type_id: str, policy_id: str, name: str) -> dict | None:
        with self._lock:
            record = self._records[type_id].get(policy_id)
            return None if record is None else record[name]

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data["version"] != VERSION:
                raise ValueError(f"version {data['version']} (this ranpilot reads version {VERSION}); "
                                 "PUT the policies again in the standard types")
            for entry in data["policies"]:
                if entry["type"] not in POLICY_TYPES:
                    raise KeyError(f"unknown policy type {entry['type']!r}")
                self._records[entry["type"]][entry["id"]] = {"body": entry["body"], "status": entry["status"]}
        except (OSError, ValueError, KeyError, TypeError) as exc:
            raise PolicyStoreError(f"cannot read the A1 policies in {path}: {exc}") from exc

    def _save(self) -> None:
        """Write every policy to a temporary file beside the target, then rename it over the target."""
        if self.path is None:
            return
        entries = [{"type": t, "id": pid, **record} for t, records in self._records.items()
                   for pid, record in sorted(records.items())]
        text = json.dumps({"version": VERSION, "policies": entries}, indent=1, allow_nan=False)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".policies-", suffix=".tmp")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, self.path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
