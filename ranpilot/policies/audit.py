"""Append-only audit log in SQLite: every proposal, verdict, apply, refusal, confirm and rollback.

Rows can be added and read, never changed: triggers abort UPDATE and DELETE.
"""

from __future__ import annotations

import json
import sqlite3
import time
from pathlib import Path

from pydantic import BaseModel

SCHEMA = """
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    wall_time REAL NOT NULL,
    sim_time_s REAL NOT NULL,
    intent_id TEXT NOT NULL,
    proposal_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('proposal', 'verdict', 'apply', 'refused', 'confirm', 'rollback')),
    payload TEXT NOT NULL
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
"""


def audit_path(data_dir: Path) -> Path:
    """Where the CLI, the agent and the xApp keep the audit log."""
    return Path(data_dir) / "agent" / "audit.sqlite"


class AuditEvent(BaseModel):
    id: int
    wall_time: float
    sim_time_s: float
    intent_id: str
    proposal_id: str
    kind: str
    payload: dict


class AuditLog:
    """`AuditLog(path)` opens or creates the log; `AuditLog(":memory:")` keeps it in memory."""

    def __init__(self, path: str | Path):
        if str(path) != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path), check_same_thread=False)
        self._db.executescript(SCHEMA)

    def append(self, kind: str, intent_id: str, proposal_id: str, sim_time_s: float, payload: dict) -> None:
        with self._db:
            self._db.execute(
                "INSERT INTO events (wall_time, sim_time_s, intent_id, proposal_id, kind, payload) VALUES (?, ?, ?, ?, ?, ?)",
                (time.time(), sim_time_s, intent_id, proposal_id, kind, json.dumps(payload, default=str)),
            )

    def events(self, intent_id: str | None = None, kind: str | None = None) -> list[AuditEvent]:
        query, args = "SELECT id, wall_time, sim_time_s, intent_id, proposal_id, kind, payload FROM events WHERE 1=1", []
        if intent_id is not None:
            query, args = query + " AND intent_id = ?", args + [intent_id]
        if kind is not None:
            query, args = query + " AND kind = ?", args + [kind]
        rows = self._db.execute(query + " ORDER BY id", args).fetchall()
        return [AuditEvent(id=r[0], wall_time=r[1], sim_time_s=r[2], intent_id=r[3], proposal_id=r[4], kind=r[5],
                           payload=json.loads(r[6])) for r in rows]

    def close(self) -> None:
        self._db.close()
