"""A1 policy instances kept across restarts: type, id, body and last known status, in one JSON file
in the data dir (`a1/policies.json`), rewritten atomically (temporary file, fsync, rename) on
every change, so a crash leaves either the old file or the new one, never half of one.

Example:
    >>> store = PolicyStore(Path("/tmp/a1/policies.json"))
    >>> store.put("ORAN_LoadBalancing_1.0.0", "lb-1", {"cellIdList": [1], "maxPrbLoadPct": 70})
    True
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from pathlib import Path

from ranpilot.oran.a1.policies import NOT_ACTED_ON, POLICY_TYPES

VERSION = 1


class PolicyStoreError(RuntimeError):
    """The policy file cannot be read: the service does not start rather than forget policies."""


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
        """Store a policy (its status back to not yet acted on); True if it is new."""
        with self._lock:
            created = policy_id not in self._records[type_id]
            self._records[type_id][policy_id] = {"body": body, "status": dict(NOT_ACTED_ON)}
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
