"""What `ranpilot serve` keeps beside the agent's checkpoints: the TS 28.312 Intent resources it
manages (each with the agent thread that last pursued it) and the runs it started (so it can list
those awaiting approval). One SQLite file in the data dir (`service/registry.sqlite`), so a
restarted service still knows its intents; each change commits alone."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Literal

from pydantic import BaseModel

from ranpilot.errors import sqlite_error
from ranpilot.intents.model import Intent

SCHEMA = """
CREATE TABLE IF NOT EXISTS intents (id TEXT PRIMARY KEY, thread TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS runs (thread TEXT PRIMARY KEY, intent_id TEXT, status TEXT NOT NULL);
"""
RunStatus = Literal["done", "awaiting_approval"]


class IntentRecord(BaseModel):
    """An Intent resource and the agent thread of its latest run."""

    intent: Intent
    thread: str


class Registry:
    """Intents by id and the service's runs by thread; safe to share between request threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.Lock()
        path.parent.mkdir(parents=True, exist_ok=True)
        with self._errors():
            self._db = sqlite3.connect(path, check_same_thread=False)
            self._db.executescript(SCHEMA)

    def intent(self, intent_id: str) -> IntentRecord | None:
        rows = self._query("SELECT body, thread FROM intents WHERE id = ?", (intent_id,))
        return IntentRecord(intent=Intent.model_validate_json(rows[0][0]), thread=rows[0][1]) if rows else None

    def intents(self) -> list[IntentRecord]:
        return [IntentRecord(intent=Intent.model_validate_json(body), thread=thread)
                for body, thread in self._query("SELECT body, thread FROM intents ORDER BY id", ())]

    def put_intent(self, intent: Intent, thread: str) -> None:
        self._change("INSERT OR REPLACE INTO intents (id, thread, body) VALUES (?, ?, ?)",
                     (intent.id, thread, intent.model_dump_json()))

    def delete_intent(self, intent_id: str) -> bool:
        return self._change("DELETE FROM intents WHERE id = ?", (intent_id,)) > 0

    def record_run(self, thread: str, status: RunStatus, intent_id: str | None = None) -> None:
        """Record a run's status; its intent, once known, stays."""
        self._change("INSERT INTO runs (thread, intent_id, status) VALUES (?, ?, ?) ON CONFLICT (thread) DO UPDATE "
                     "SET status = excluded.status, intent_id = COALESCE(excluded.intent_id, runs.intent_id)",
                     (thread, intent_id, status))

    def waiting(self) -> list[tuple[str, str | None]]:
        """(thread, intent id or None) of the service's runs last seen awaiting approval."""
        return self._query("SELECT thread, intent_id FROM runs WHERE status = 'awaiting_approval' ORDER BY thread", ())

    def _query(self, sql: str, args: tuple) -> list[tuple]:
        with self._lock, self._errors():
            return self._db.execute(sql, args).fetchall()

    def _change(self, sql: str, args: tuple) -> int:
        with self._lock, self._errors(), self._db:
            return self._db.execute(sql, args).rowcount

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """SQLite failures as StateError naming the file and how to start anew."""
        try:
            yield
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, "service registry", f"delete {self.path} to start a new one "
                               "(the service forgets its Intent resources)") from exc
