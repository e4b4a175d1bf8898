"""The ranpilot agent as an xApp: intents arrive through A1, KPIs through E2 (KPM), and the
verified actions leave as E2SM-RC control requests."""

from __future__ import annotations

import json
import threading

from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.oran.a1.policies import intent_text
from ranpilot.oran.messages import A1PolicyRequest, A1PolicyResponse, KpmIndication
from ranpilot.oran.xapp import E2ControlledNetwork, InProcessRuntime, XApp


class RanpilotXApp(XApp):
    name = "ranpilot"

    def __init__(self, runner: AgentRunner, report_period_ms: int = 1000):
        self.runner, self.report_period_ms = runner, report_period_ms
        self.results: dict[str, RunResult] = {}
        self.last_indication: KpmIndication | None = None
        self._lock = threading.Lock()

    def start(self, runtime: InProcessRuntime) -> None:
        super().start(runtime)
        runtime.subscribe(self, self.report_period_ms, ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbAvailDl", "DRB.RlcSduDelayDl"])

    def on_indication(self, indication: KpmIndication) -> None:
        self.last_indication = indication

    def on_a1_policy(self, request: A1PolicyRequest) -> A1PolicyResponse:
        reply = dict(policy_type_id=request.policy_type_id, policy_instance_id=request.policy_instance_id,
                     handler_id=self.name)
        if request.operation == "DELETE":
            self.results.pop(request.policy_instance_id, None)
            return A1PolicyResponse(**reply, status="DELETED")
        if request.operation == "QUERY":
            return A1PolicyResponse(**reply, status="OK")
        try:
            text = intent_text(request.policy_type_id, request.payload)
        except ValueError as exc:
            return A1PolicyResponse(**reply, status="ERROR", reason=str(exc))
        with self._lock:  # one intent at a time acts on the network
            thread = f"a1-{request.policy_instance_id}-{len(self.results)}-{request.operation.lower()}"
            network = E2ControlledNetwork(self.runtime, intent_id=request.policy_instance_id)
            result = self.runner.run(text, network, thread_id=thread)
            self.results[request.policy_instance_id] = result
        ok = result.intent is not None
        return A1PolicyResponse(**reply, status="OK" if ok else "ERROR", reason=result.outcome)

    def status(self, policy_instance_id: str) -> dict:
        """A1-P status of a policy instance: enforceStatus and reason, from the IntentReport."""
        result = self.results.get(policy_instance_id)
        if result is None:
            return {"enforceStatus": "NOT_ENFORCED", "enforceReason": "not yet acted on"}
        fulfilled = result.report is not None and result.report.fulfilmentStatus.value == "FULFILLED"
        return {"enforceStatus": "ENFORCED" if fulfilled else "NOT_ENFORCED", "enforceReason": result.outcome,
                "fulfilmentStatus": result.report.fulfilmentStatus.value if result.report else "NOT_FULFILLED",
                "intentReport": json.loads(result.report.model_dump_json()) if result.report else None}
