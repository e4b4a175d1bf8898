"""Running the agent: SQLite checkpoints per thread, the thread's network saved beside them (so
`ranpilot approve THREAD` can resume in another process), per-node timings, and a RunResult."""

from __future__ import annotations

import sqlite3
import time
import typing
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Literal

from langgraph.checkpoint.serde.jsonplus import JsonPlusSerializer
from langgraph.checkpoint.sqlite import SqliteSaver
from langgraph.types import Command
from pydantic import BaseModel

from ranpilot.agents.context import MAX_ROUNDS, AgentContext
from ranpilot.agents.graph import build_graph
from ranpilot.agents.result import RunResult
from ranpilot import progress
from ranpilot.agents.state import AgentOutput, Outcome, RoundRecord
from ranpilot.intents.goals import Understanding
from ranpilot.intents.model import Intent, IntentInputError, IntentReport
from ranpilot.intents.ts28312 import read_request
from ranpilot.network.view import NetworkView
from ranpilot.planning.planner import Planner
from ranpilot.knowledge import KnowledgeStore, Passage, ensure_notes
from ranpilot.network.live import SavedNetworkError, load_network, save_network
from ranpilot.policies import (
    ApplyResult, AuditLog, PolicyPack, Proposal, StaleVerdict, TargetCheck, Verdict, Verifier, load_pack,
)
from ranpilot.policies.verifier import fingerprint
from ranpilot.errors import sqlite_error
from ranpilot.inputs import check_thread_id
from ranpilot.policies.audit import audit_path
from ranpilot.settings import Settings


class Checkpoints(SqliteSaver):
    """LangGraph's SQLite checkpointer, whose SQLite failures (a corrupt file above all) are
    StateErrors naming the file and how to start a new store, not a traceback mid-run."""

    def __init__(self, path: Path, serde: JsonPlusSerializer):
        super().__init__(sqlite3.connect(path, check_same_thread=False), serde=serde)
        self.path = path

    @contextmanager
    def cursor(self, transaction: bool = True) -> Iterator[sqlite3.Cursor]:
        try:
            with super().cursor(transaction) as cur:
                yield cur
        except sqlite3.Error as exc:
            raise sqlite_error(exc, self.path, "checkpoint store", f"delete {self.path} to start a new "
                               "checkpoint store (runs awaiting approval are lost)") from exc


STALE_DETAIL = "run the intent again to plan on the network as it is now"


class RunError(RuntimeError):
    """A thread that does not exist, is not waiting, or whose saved network cannot be read."""


def checkpoint_types(*roots: type) -> list[tuple[str, str]]:
    """(module, class) of every pydantic model and enum reachable from the roots' fields: the
    allow-list LangGraph's msgpack serializer needs to restore them from a checkpoint."""
    seen: dict[type, None] = {}

    def walk(tp) -> None:
        for arg in typing.get_args(tp):
            walk(arg)
        if isinstance(tp, type) and (issubclass(tp, (BaseModel, Enum))) and tp not in seen:
            seen[tp] = None
            if issubclass(tp, BaseModel):
                for field in tp.model_fields.values():
                    walk(field.annotation)

    for root in roots:
        walk(root)
    return [(t.__module__, t.__name__) for t in seen]


CHECKPOINT_TYPES = checkpoint_types(Understanding, Intent, Passage, RoundRecord, Outcome, Proposal, Verdict, ApplyResult,
                                    IntentReport)


class AgentRunner:
    """One per process: opens the checkpoint DB, audit log and knowledge store under data_dir."""

    def __init__(self, settings: Settings, planner: Planner, pack: PolicyPack | None = None,
                 with_knowledge: bool = True, max_rounds: int = MAX_ROUNDS):
        self.root = Path(settings.data_dir) / "agent"
        (self.root / "networks").mkdir(parents=True, exist_ok=True)
        self.checkpoints = Checkpoints(self.root / "checkpoints.sqlite",
                                       JsonPlusSerializer(allowed_msgpack_modules=CHECKPOINT_TYPES))
        self.graph = build_graph(self.checkpointer)
        self.verifier = Verifier(pack or load_pack(), AuditLog(audit_path(settings.data_dir)))
        self.planner = planner
        self.max_rounds = max_rounds
        self._store = KnowledgeStore(settings.data_dir) if with_knowledge else None
        self._notes_ingested = False  # on the first run: bad input is refused before a model loads

    @property
    def checkpointer(self) -> SqliteSaver:
        return self.checkpoints

    @property
    def audit(self) -> AuditLog:
        """The audit log the verifier writes (and the CLI keeps its live network in)."""
        return self.verifier.audit

    def run(self, request: str | Intent, network: NetworkView, thread_id: str | None = None,
            scope_cells: list[int] | None = None, areas: dict[str, list[int]] | None = None,
            owner: str | None = None, active_checks: list[TargetCheck] | None = None,
            baselines: dict[str, float | None] | None = None) -> RunResult:
        """Carry an operator's request through the graph: plain language, or a TS 28.312 intent
        (an `Intent`, or a JSON object as text; an invalid one is a rejected parse).

        `active_checks` are the targets of the operator's other active intents, planned and
        verified with this one's; `baselines` fix the values this intent's relative goals refer to
        (a standing intent re-planned keeps the reference it had when it became active).

        `owner` is who the verifier holds responsible for the run's changes (its conflict rule
        lets an owner reverse only its own): by default the run itself, from its thread, never
        from the request; a caller that re-runs one standing intent passes one owner for all its
        runs (the xApp: `a1:<policy_instance_id>`)."""
        thread_id = thread_id or f"run-{uuid.uuid4().hex[:8]}"
        if self.graph.get_state(self._config(thread_id)).values:
            raise RunError(f"thread {thread_id} exists already; use `ranpilot run --thread {thread_id}` to see it")
        scope = list(range(network.num_cells)) if scope_cells is None else sorted(scope_cells)
        context = self._context(network, areas or {}, active_checks or [])
        text = (request.userLabel or request.id) if isinstance(request, Intent) else request
        payload = {"text": text, "scope_cells": scope, "owner": owner or f"run:{thread_id}:{uuid.uuid4().hex[:8]}"}
        if baselines:
            payload["baselines"] = baselines
        try:
            intent = read_request(request) if isinstance(request, str) else request
            if isinstance(intent, Intent):
                payload["intent"] = intent
        except IntentInputError as exc:
            payload["parse"] = Understanding(text=text[:200], status="rejected", reason="invalid_intent", message=str(exc))
        return self._drive(payload, thread_id, context, network.observe().network)

    def resume(self, thread_id: str, answer: Literal["approved", "rejected"], network: NetworkView | None = None) -> RunResult:
        """Answer a pending approval, on `network` (e.g. the live one) or the thread's saved copy.

        Every answered thread ends in a clear state: approved (and applied), rejected, or expired.
        If the network changed since the verdict, nothing is applied: the thread ends EXPIRED
        (`show` says so) and StaleVerdict is raised. A rejection of a thread that already ended
        expired or rejected is accepted as it stands; any other answer to a thread that is not
        waiting is a RunError saying how it ended."""
        snapshot = self.graph.get_state(self._config(thread_id))
        if not snapshot.values:
            raise RunError(f"no thread {thread_id}")
        if not snapshot.interrupts:
            return self._answered(thread_id, snapshot.values.get("outcome"), answer)
        saved, areas, before = self._load_network(thread_id)
        context = self._context(network or saved, areas)
        if fingerprint(context.network.configuration()) != snapshot.values["verdict"].config_fingerprint:
            expire = Command(resume="rejected", update={"outcome": Outcome.EXPIRED, "outcome_detail": STALE_DETAIL})
            self._drive(expire, thread_id, context, before)
            raise StaleVerdict(f"thread {thread_id} expired: the network changed after its proposal was verified")
        return self._drive(Command(resume=answer), thread_id, context, before)

    def _answered(self, thread_id: str, outcome: Outcome | None, answer: str) -> RunResult:
        """An answer to a thread that no longer waits: a rejection of one that ended without a
        change (expired, or rejected already) is accepted; anything else says how it ended."""
        if answer == "rejected" and outcome in (Outcome.EXPIRED, Outcome.OPERATOR_REJECTED):
            return self.show(thread_id)
        ended = outcome.value if outcome is not None else "it stopped before an outcome"
        raise RunError(f"thread {thread_id} is not waiting for approval: it ended ({ended})")

    def show(self, thread_id: str) -> RunResult:
        snapshot = self.graph.get_state(self._config(thread_id))
        if not snapshot.values:
            raise RunError(f"no thread {thread_id}")
        network, _, before = self._load_network(thread_id)
        return self._result(thread_id, snapshot, network, before, {})

    def _drive(self, payload, thread_id: str, context: AgentContext, before: dict[str, float]) -> RunResult:
        timings: dict[str, float] = {}
        start, rounds = time.perf_counter(), 0
        for update in self.graph.stream(payload, self._config(thread_id), context=context, stream_mode="updates"):
            now = time.perf_counter()
            for node in update:
                timings[node] = timings.get(node, 0.0) + (now - start) * 1e3
                rounds += node == "plan"
                progress.say(f"round {rounds}: {node} done" if rounds else f"{node} done")
            start = now
        self._save_network(thread_id, context.network, context.areas, before)
        snapshot = self.graph.get_state(self._config(thread_id))
        return self._result(thread_id, snapshot, context.network, before, timings)

    def _result(self, thread_id, snapshot, network: NetworkView, before, timings) -> RunResult:
        output = {k: snapshot.values[k] for k in AgentOutput.__annotations__ if snapshot.values.get(k) is not None}
        waiting = bool(snapshot.interrupts)
        kind, detail = output.pop("outcome", None), output.pop("outcome_detail", "")
        line = f"awaiting approval: `ranpilot approve|reject {thread_id}`" if waiting \
            else (f"{kind.value}: {detail}" if kind and detail else (kind.value if kind else ""))
        output.pop("round", None)
        output["kpis_before"] = before
        return RunResult(thread_id=thread_id, status="awaiting_approval" if waiting else "done", outcome=line,
                         outcome_kind=None if waiting else kind, planner=self.planner.name,
                         kpis_after=network.observe().network, node_ms=timings, **output)

    def knowledge(self) -> KnowledgeStore | None:
        """The knowledge store, the shipped notes ingested on first use (not at start: a run with bad
        input is refused before any embedding model loads)."""
        if self._store is not None and not self._notes_ingested:
            ensure_notes(self._store)
            self._notes_ingested = True
        return self._store

    def _context(self, network: NetworkView, areas: dict[str, list[int]],
                 active_checks: list[TargetCheck] | None = None) -> AgentContext:
        return AgentContext(network=network, verifier=self.verifier, planner=self.planner, store=self.knowledge(),
                            areas=areas, max_rounds=self.max_rounds, active_checks=active_checks or [])

    @staticmethod
    def _config(thread_id: str) -> dict:
        """The graph config of a thread; every call with a thread id passes here, so an id that
        could name a file outside the data dir (`../../x`) is refused before any is touched."""
        return {"configurable": {"thread_id": check_thread_id(thread_id)}}

    def _network_path(self, thread_id: str) -> Path:
        return self.root / "networks" / f"{thread_id}.json"

    def _save_network(self, thread_id: str, network: NetworkView, areas: dict, before: dict) -> None:
        save_network(self._network_path(thread_id), network, areas=areas, before=before)

    def _load_network(self, thread_id: str) -> tuple[NetworkView, dict, dict]:
        try:
            network, extra = load_network(self._network_path(thread_id))
            return network, extra["areas"], extra["before"]
        except (SavedNetworkError, KeyError) as exc:
            raise RunError(f"cannot read the saved network of thread {thread_id} ({exc})") from exc
