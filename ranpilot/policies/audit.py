"""Append-only audit log in SQLite: every proposal, verdict, apply, refusal, confirm and rollback.

Rows can be added and read, never changed: triggers abort UPDATE and DELETE.

The same database keeps the CLI's live network (table `live_network`, one row of JSON; see
`ranpilot.live`), so that a run's audit entries and the network it changed commit together:
inside `transaction()` appends and `write_network` are held back and committed in one SQLite
transaction when the block ends. A block that raises, or a process killed inside it, leaves
none of them, so the log never records an apply that the saved network lacks.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pydantic import BaseModel

from ranpilot.errors import sqlite_error

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
CREATE TABLE IF NOT EXISTS live_network (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    saved_at REAL NOT NULL,
    network TEXT NOT NULL
);
"""
_INSERT = "INSERT INTO events (wall_time, sim_time_s, intent_id, proposal_id, kind, payload) VALUES (?, ?, ?, ?, ?, ?)"
_COLUMNS = "id, wall_time, sim_time_s, intent_id, proposal_id, kind, payload"
BUSY_TIMEOUT_S = 30.0


def audit_path(data_dir: Path) -> Path:
    """Where the CLI, the agent and the xApp keep the audit log (and the CLI its live network)."""
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
    """`AuditLog(path)` opens or creates the log; `AuditLog(":memory:")` keeps it in memory.
    A corrupt or unusable file raises StateError naming it and how to start anew."""

    def __init__(self, path: str | Path):
        self.path = str(path)
        self._pending: list[tuple] | None = None  # rows held back by transaction()
        self._staged_network: str | None = None
        with self._errors():
            if self.path != ":memory:":
                Path(path).parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.path, check_same_thread=False, timeout=BUSY_TIMEOUT_S)
            self._db.executescript(SCHEMA)

    def append(self, kind: str, intent_id: str, proposal_id: str, sim_time_s: float, payload: dict) -> None:
        row = (time.time(), sim_time_s, intent_id, proposal_id, kind, json.dumps(payload, default=str))
        if self._pending is not None:
            self._pending.append(row)
            return
        with self._errors(), self._db:
            self._db.execute(_INSERT, row)

    def events(self, intent_id: str | None = None, kind: str | None = None) -> list[AuditEvent]:
        """Events in order, with those held back by an open transaction() last (their ids provisional)."""
        query, args = f"SELECT {_COLUMNS} FROM events WHERE 1=1", []
        if intent_id is not None:
            query, args = query + " AND intent_id = ?", args + [intent_id]
        if kind is not None:
            query, args = query + " AND kind = ?", args + [kind]
        with self._errors():
            rows = self._db.execute(query + " ORDER BY id", args).fetchall()
            next_id = self._db.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM events").fetchone()[0]
        held = [(next_id + i, *row) for i, row in enumerate(self._pending or [])
                if (intent_id is None or row[2] == intent_id) and (kind is None or row[4] == kind)]
        return [AuditEvent(id=r[0], wall_time=r[1], sim_time_s=r[2], intent_id=r[3], proposal_id=r[4], kind=r[5],
                           payload=json.loads(r[6])) for r in [*rows, *held]]

    def read_network(self) -> str | None:
        """The saved live network's JSON (as `write_network` staged it, inside a transaction), or None."""
        if self._staged_network is not None:
            return self._staged_network
        with self._errors():
            row = self._db.execute("SELECT network FROM live_network WHERE id = 1").fetchone()
        return row[0] if row else None

    def write_network(self, text: str) -> None:
        """Save the live network's JSON: at once, or with the transaction() it is written in."""
        if self._pending is not None:
            self._staged_network = text
            return
        with self._errors(), self._db:
            self._save_network(text)

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Hold back appends and `write_network` until the block ends, then commit them in one
        SQLite transaction; if the block raises (or the process dies) none of them is kept."""
        if self._pending is not None:
            raise RuntimeError("audit transactions do not nest")
        self._pending = []
        try:
            yield
            with self._errors(), self._db:
                self._db.executemany(_INSERT, self._pending)
                if self._staged_network is not None:
                    self._save_network(self._staged_network)
        finally:
            self._pending, self._staged_network = None, None

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Reads inside the block see one committed state of the log and the live network, even
        while another process commits a run (an SQLite read transaction)."""
        with self._errors():
            self._db.execute("BEGIN")
        try:
            yield
        finally:
            self._db.rollback()

    def close(self) -> None:
        self._db.close()

    def _save_network(self, text: str) -> None:
        self._db.execute("INSERT OR REPLACE INTO live_network (id, saved_at, network) VALUES (1, ?, ?)",
                         (time.time(), text))

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite failures as StateError naming this file (a corrupt one: how to start anew)."""
        try:
            yield
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, "audit log", f"delete {self.path} to start a new audit log "
                               "(the live network kept in it starts anew too)") from exc
