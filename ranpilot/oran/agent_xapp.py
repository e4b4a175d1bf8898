"""The ranpilot agent as an xApp: intents arrive through A1, KPIs through E2 (KPM), and the
verified actions leave as E2SM-RC control requests. Between A1 operations the xApp assures its
intents: on each KPM indication it re-checks them on the network and re-plans one that slipped
(at most once every `reassure_every` indications per intent)."""

from __future__ import annotations

import json
import threading
import time

from ranpilot.intents import fulfilment as ff
from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.intents.model import Intent
from ranpilot.oran.a1.policies import intent_request
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
        self._since: dict[str, int] = {}
        self._runs = 0
        self._lock = threading.Lock()

    def start(self, runtime: Runtime) -> None:
        super().start(runtime)
        runtime.subscribe(self, self.report_period_ms, ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbAvailDl", "DRB.RlcSduDelayDl"])

    def on_indication(self, indication: KpmIndication) -> None:
        self.last_indication = indication
        for pid, result in list(self.results.items()):
            self._since[pid] = self._since.get(pid, 0) + 1
            if result.intent is None or self._since[pid] < self.reassure_every:
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
            self.results.pop(request.policy_instance_id, None)
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
            self._runs += 1
            network = E2ControlledNetwork(self.runtime, intent_id=pid)
            thread_id = f"a1-{pid}-{self._runs}-{why}"
            try:
                self.results[pid] = self.runner.run(request, network, thread_id=thread_id)
            except ConnectionError as exc:  # the E2 node went away mid-run; each control was atomic
                self.results[pid] = RunResult(thread_id=thread_id, status="done", outcome=f"stopped: {exc}", planner="")
            self._since[pid] = 0
            return network

    def status(self, policy_instance_id: str) -> dict:
        """A1-P status of a policy instance: enforceStatus and reason, from the IntentReport."""
        result = self.results.get(policy_instance_id)
        if result is None:
            return {"enforceStatus": "NOT_ENFORCED", "enforceReason": "not yet acted on"}
        fulfilled = result.report is not None and result.report.fulfilmentStatus.value == "FULFILLED"
        return {"enforceStatus": "ENFORCED" if fulfilled else "NOT_ENFORCED", "enforceReason": result.outcome,
                "fulfilmentStatus": result.report.fulfilmentStatus.value if result.report else "NOT_FULFILLED",
                "intentReport": json.loads(result.report.model_dump_json()) if result.report else None}
