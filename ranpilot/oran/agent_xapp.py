"""The ranpilot agent as an xApp: intents arrive through A1, KPIs through E2 (KPM), and the
verified actions leave as E2SM-RC control requests. Between A1 operations the xApp assures its
intents: on each KPM indication it re-checks them on the network and re-plans one that slipped
(at most once every `reassure_every` indications per intent).

A1 policies arrive by integer type id (`a1.types`), are checked against their type's schema and
the network's cells and slices, and are read into goals (`a1.policies`); a policy it cannot
enforce is answered ERROR and reported NOT_ENFORCED with the standard reason (`status`). A change
the verifier sends for approval waits in `pending` (thread id -> policy id) until an operator
answers it with `answer`, which resumes the agent's thread on this xApp's network (the A1 service
exposes both under /ranpilot/approvals). A policy awaiting approval is not re-planned.

A traffic steering policy (on a slice or one UE) and a UE level target are not pursued as goals:
their settings (steering preferences, a UE's guaranteed rate) are verified and applied as they are,
sent as RC controls with the UE id (`a1.steering`), and given back when the policy is updated away
from them or deleted."""

from __future__ import annotations

import json
import threading
import time
import uuid

from ranpilot.intents import fulfilment as ff
from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.intents.model import Intent
from ranpilot.network.actions import Action
from ranpilot.oran.a1.approvals import APPROVALS_PATH
from ranpilot.oran.a1 import steering
from ranpilot.oran.a1.policies import (
    Configuration, Enforcement, IdentifierError, NotApplicable, check_identifiers, enforcement,
)
from ranpilot.oran.a1.status import PolicyReport, not_acted_on, not_enforced
from ranpilot.oran.a1.types import TYPE_NAMES
from ranpilot.oran.a1.validation import schema_problem
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
        self.refused: dict[str, PolicyReport] = {}  # policy instance id -> why it is not enforced
        self._scopes: dict[str, list[int] | None] = {}  # policy instance id -> cells its runs may change
        self.configured: dict[str, PolicyReport] = {}  # steering policy instance id -> its report
        self._steered: dict[str, list[Action]] = {}  # policy instance id -> the settings it holds
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
                network = self._act(pid, result.intent, "reassure", self._scopes.get(pid))
                self.run_ms.append((time.perf_counter() - start) * 1e3)
                if network.first_ack_at is not None:
                    self.loop_ms.append((network.first_ack_at - start) * 1e3)
            self._since[pid] = 0

    def on_a1_policy(self, request: A1PolicyRequest) -> A1PolicyResponse:
        pid = request.policy_instance_id
        reply = dict(policy_type_id=request.policy_type_id, policy_instance_id=pid, handler_id=self.name)
        if request.operation == "DELETE":
            with self._lock:
                self.results.pop(pid, None)
                self.refused.pop(pid, None)
                self._scopes.pop(pid, None)
                self.configured.pop(pid, None)
                self._drop_pending(pid)
            self._configure(pid, Configuration([], f"A1 policy {pid} deleted: its steering given back"))
            return A1PolicyResponse(**reply, status="DELETED")
        plan = self._plan(request)
        if isinstance(plan, Configuration) or pid in self._steered:  # gives back what it no longer asks for
            report = self._configure(pid, plan if isinstance(plan, Configuration) else Configuration([], "given back"))
            if isinstance(plan, Configuration):
                with self._lock:
                    self.results.pop(pid, None)
                    self.refused.pop(pid, None)
                    self._drop_pending(pid)
                    self.configured[pid] = report
                return A1PolicyResponse(**reply, status="OK" if report.enforceStatus == "ENFORCED" else "ERROR")
        with self._lock:
            self.configured.pop(pid, None)
            self.results.pop(pid, None)
            self.refused.pop(pid, None)
            if isinstance(plan, NotApplicable):  # supersedes what an earlier version of the policy awaited
                self._drop_pending(pid)
                self.refused[pid] = not_enforced(pid, plan.reason, plan.detail)
                return A1PolicyResponse(**reply, status="ERROR")
            self._scopes[pid] = plan.scope_cells
        self._act(pid, plan.request, request.operation.lower(), plan.scope_cells)
        return A1PolicyResponse(**reply, status="OK" if self.results[pid].intent is not None else "ERROR")

    def _plan(self, request: A1PolicyRequest) -> Enforcement | NotApplicable:
        """What to do with a policy: its type (by integer id), its body against the type's schema and
        the network's cells and slices, then the goals it asks for."""
        type_name = TYPE_NAMES.get(request.policy_type_id)
        if type_name is None:
            return NotApplicable("STATEMENT_NOT_APPLICABLE", f"unknown policy type id {request.policy_type_id}")
        if (problem := schema_problem(type_name, request.payload)) is not None:
            return NotApplicable("STATEMENT_NOT_APPLICABLE", ": ".join(problem))
        network = self.runtime.network
        try:
            check_identifiers(request.payload, network.num_cells, network.config.slices)
            return enforcement(type_name, request.payload, network)
        except IdentifierError as exc:
            return NotApplicable("SCOPE_NOT_APPLICABLE", str(exc))
        except ValueError as exc:  # a ranpilot_Intent body that is not a valid TS 28.312 intent
            return NotApplicable("STATEMENT_NOT_APPLICABLE", str(exc))

    def _act(self, pid: str, request: str | Intent, why: str, scope_cells: list[int] | None) -> E2ControlledNetwork:
        """Run the agent for one intent over E2, changing only `scope_cells` (None: any cell); the
        result lands in self.results[pid]."""
        with self._lock:  # one intent at a time acts on the network
            network = E2ControlledNetwork(self.runtime, intent_id=pid)
            thread_id = f"a1-{pid}-{uuid.uuid4().hex[:8]}-{why}"  # unique across restarts (checkpoints persist)
            try:
                self._record(pid, self.runner.run(request, network, thread_id=thread_id, scope_cells=scope_cells,
                                                  owner=f"a1:{pid}"))
            except ConnectionError as exc:  # the E2 node went away mid-run; each control was atomic
                self._record(pid, RunResult(thread_id=thread_id, status="done", outcome=f"stopped: {exc}", planner=""))
            return network

    def _configure(self, pid: str, plan: Configuration) -> PolicyReport:
        """Verify and apply a steering policy's settings (and NONE where it steered before and no
        longer does); what the policy steers is updated only once that is applied."""
        with self._lock:  # one change at a time on the network
            held = self._steered.get(pid, [])
            actions = steering.released(held, plan.actions) + plan.actions
            network = E2ControlledNetwork(self.runtime, intent_id=pid)
            try:
                report = steering.apply(self.runner.verifier, network, pid, actions, plan.label)
            except ConnectionError as exc:  # the E2 node went away; each control was atomic
                report = not_enforced(pid, "OTHER_REASON", f"stopped: {exc}")
            if report.enforceStatus == "ENFORCED":
                self._steered[pid] = steering.held(plan.actions)
                if not self._steered[pid]:
                    del self._steered[pid]
            return report

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
        return {"thread": thread_id, "answer": answer, **self.status(pid).model_dump(exclude_none=True)}

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

    def status(self, policy_instance_id: str) -> PolicyReport:
        """The policy's standard status (ENFORCED when its IntentReport is fulfilled) and why."""
        pid = policy_instance_id
        if pid in self.refused:
            return self.refused[pid]
        if pid in self.configured:
            return self.configured[pid]
        result = self.results.get(pid)
        if result is None:
            return not_acted_on(pid)
        if result.status == "awaiting_approval":
            report = not_enforced(pid, "OTHER_REASON", f"awaiting approval: POST {APPROVALS_PATH}/{result.thread_id}")
            return report.model_copy(update={"approvalThread": result.thread_id})
        fulfilled = result.report is not None and result.report.fulfilled
        return PolicyReport(policyId=pid, enforceStatus="ENFORCED" if fulfilled else "NOT_ENFORCED",
                            enforceReason=None if fulfilled else "OTHER_REASON", detail=result.outcome,
                            fulfilmentStatus="FULFILLED" if fulfilled else "NOT_FULFILLED",
                            intentReport=json.loads(result.report.model_dump_json()) if result.report else None)
