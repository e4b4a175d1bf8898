"""The ranpilot agent as an xApp: intents arrive through A1, KPIs through E2 (KPM), and the
verified actions leave as E2SM-RC control requests. Between A1 operations the xApp assures its
intents: on each KPM indication it re-checks them on the network and re-plans one that slipped
(at most once every `reassure_every` indications per intent).

A change the verifier sends for approval waits in `pending` (thread id -> policy id) until an
operator answers it with `answer`, which resumes the agent's thread on this xApp's network (the
A1 service exposes both under /ranpilot/approvals). A policy awaiting approval is not re-planned."""

from __future__ import annotations

import json
import threading
import time
import uuid

from ranpilot.intents import fulfilment as ff
from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.intents.model import Intent
from ranpilot.oran.a1.approvals import APPROVALS_PATH
from ranpilot.oran.a1.policies import NOT_ACTED_ON, intent_request
from ranpilot.oran.messages import A1PolicyRequest, A1PolicyResponse, KpmIndication
from ranpilot.oran.xapp import E2ControlledNetwork, Runtime, XApp


class RanpilotXApp(XApp):
    name = "ranpilot"

    def __init__(self, runner: AgentRunner, report_period_ms: int = 1000, reassure_every: int = 5):
        self.runner, self.report_period_ms, self.reassure_every = runner, report_period_ms, reassure_every
        self.results: dict[str, RunResult] = {}
        self.last_indication: KpmIndication | None = None
        self.loop_ms: list[float] = []  # indication -> re-plan -> first RC control acknowledged
        self.run_ms: list[float] = []  # indication -> the whole re-run (rounds, confirm, observe)
        self.pending: dict[str, str] = {}  # thread id -> policy instance id, awaiting an operator's answer
        self._since: dict[str, int] = {}
        self._lock = threading.Lock()

    def start(self, runtime: Runtime) -> None:
        super().start(runtime)
        runtime.subscribe(self, self.report_period_ms, ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbAvailDl", "DRB.RlcSduDelayDl"])

    def on_indication(self, indication: KpmIndication) -> None:
        self.last_indication = indication
        for pid, result in list(self.results.items()):
            self._since[pid] = self._since.get(pid, 0) + 1
            if result.intent is None or result.status == "awaiting_approval" or self._since[pid] < self.reassure_every:
                continue
            if ff.unmet(result.intent, self.runtime.network, result.baselines):
                start = time.perf_counter()
                network = self._act(pid, result.intent, "reassure")
                self.run_ms.append((time.perf_counter() - start) * 1e3)
                if network.first_ack_at is not None:
                    self.loop_ms.append((network.first_ack_at - start) * 1e3)
            self._since[pid] = 0

    def on_a1_policy(self, request: A1PolicyRequest) -> A1PolicyResponse:
        reply = dict(policy_type_id=request.policy_type_id, policy_instance_id=request.policy_instance_id,
                     handler_id=self.name)
        if request.operation == "DELETE":
            with self._lock:
                self.results.pop(request.policy_instance_id, None)
                self._drop_pending(request.policy_instance_id)
            return A1PolicyResponse(**reply, status="DELETED")
        if request.operation == "QUERY":
            return A1PolicyResponse(**reply, status="OK")
        try:
            intent = intent_request(request.policy_type_id, request.payload)
        except ValueError as exc:
            return A1PolicyResponse(**reply, status="ERROR", reason=str(exc))
        self._act(request.policy_instance_id, intent, request.operation.lower())
        result = self.results[request.policy_instance_id]
        ok = result.intent is not None
        return A1PolicyResponse(**reply, status="OK" if ok else "ERROR", reason=result.outcome)

    def _act(self, pid: str, request: str | Intent, why: str) -> E2ControlledNetwork:
        """Run the agent for one intent over E2; the result lands in self.results[pid]."""
        with self._lock:  # one intent at a time acts on the network
            network = E2ControlledNetwork(self.runtime, intent_id=pid)
            thread_id = f"a1-{pid}-{uuid.uuid4().hex[:8]}-{why}"  # unique across restarts (checkpoints persist)
            try:
                self._record(pid, self.runner.run(request, network, thread_id=thread_id, owner=f"a1:{pid}"))
            except ConnectionError as exc:  # the E2 node went away mid-run; each control was atomic
                self._record(pid, RunResult(thread_id=thread_id, status="done", outcome=f"stopped: {exc}", planner=""))
            return network

    def approvals(self) -> list[dict]:
        """The changes awaiting an operator's answer: thread, policy, and the rules the verdict names
        (read without the lock, which a run holds for its whole length)."""
        pending = [(thread, pid, self.results.get(pid)) for thread, pid in dict(self.pending).items()]
        return [{"thread": thread, "policyId": pid, "rules": [v.rule_id for v in result.verdict.violations],
                 "reasons": [v.message for v in result.verdict.violations]}
                for thread, pid, result in pending if result is not None and result.verdict is not None]

    def answer(self, thread_id: str, answer: str) -> dict:
        """Resume a pending thread with the operator's answer on this xApp's network (its changes go
        out as RC controls); the policy's status after. LookupError if nothing waits on that thread;
        StaleVerdict (nothing applied) if the network changed since the verdict."""
        with self._lock:
            pid = self.pending.get(thread_id)
            if pid is None:
                raise LookupError(f"no approval pending on thread {thread_id}")
            network = E2ControlledNetwork(self.runtime, intent_id=pid)
            try:
                self._record(pid, self.runner.resume(thread_id, answer, network))
            finally:
                self.pending.pop(thread_id, None)  # answered, or stale: either way no longer answerable
        return {"thread": thread_id, "policyId": pid, "answer": answer, **self.status(pid)}

    def _record(self, pid: str, result: RunResult) -> None:
        """A policy's latest run (the caller holds the lock): it supersedes any approval pending for it."""
        self._drop_pending(pid)
        self.results[pid] = result
        if result.status == "awaiting_approval":
            self.pending[result.thread_id] = pid
        self._since[pid] = 0

    def _drop_pending(self, pid: str) -> None:
        for thread in [t for t, p in self.pending.items() if p == pid]:
            del self.pending[thread]

    def status(self, policy_instance_id: str) -> dict:
        """A1-P status of a policy instance: enforceStatus and reason, from the IntentReport."""
        result = self.results.get(policy_instance_id)
        if result is None:
            return dict(NOT_ACTED_ON)
        if result.status == "awaiting_approval":
            return {"enforceStatus": "NOT_ENFORCED", "approvalThread": result.thread_id,
                    "enforceReason": f"awaiting approval: POST {APPROVALS_PATH}/{result.thread_id}"}
        fulfilled = result.report is not None and result.report.fulfilled
        return {"enforceStatus": "ENFORCED" if fulfilled else "NOT_ENFORCED", "enforceReason": result.outcome,
                "fulfilmentStatus": "FULFILLED" if fulfilled else "NOT_FULFILLED",
                "intentReport": json.loads(result.report.model_dump_json()) if result.report else None}
