"""xApps and their runtime, in the spirit of the O-RAN SC Python framework's handlers.

Write an xApp by subclassing `XApp` and overriding the callbacks; the runtime delivers
RIC_INDICATION (12050) to `on_indication` and A1_POLICY_REQ (20010) to `on_a1_policy`, and
gives the xApp `send_control` for RIC_CONTROL_REQ (12040), answered by 12041 / 12042.
Messages cross the runtime in their wire form (`messages.encode`), so a network transport can
replace the in-process one without touching xApps.
"""

from __future__ import annotations

import time

from ranpilot.network import (
    Action, ActionError, Network, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
)
from ranpilot.oran.e2.node import SimulatedE2Node, control_actions
from ranpilot.oran.messages import (
    A1PolicyRequest, A1PolicyResponse, KpmIndication, RcControlAck, RcControlRequest, decode, encode,
)


class XApp:
    """Base class. `start` is called once with the runtime; subscribe there."""

    name = "xapp"

    def start(self, runtime: InProcessRuntime) -> None:
        self.runtime = runtime

    def on_indication(self, indication: KpmIndication) -> None:
        """Called for every KPM indication of this xApp's subscriptions."""

    def on_a1_policy(self, request: A1PolicyRequest) -> A1PolicyResponse:
        """Called for every A1 policy operation; answer OK, ERROR or DELETED."""
        return A1PolicyResponse(policy_type_id=request.policy_type_id, policy_instance_id=request.policy_instance_id,
                                handler_id=self.name, status="ERROR", reason="this xApp handles no A1 policies")

    def send_control(self, request: RcControlRequest):
        return self.runtime.send_control(request)


class InProcessRuntime:
    """Hosts xApps against a simulated E2 node in one process."""

    def __init__(self, node: SimulatedE2Node, xapps: list[XApp]):
        self.node, self.xapps = node, xapps
        self._subscribers: dict[str, XApp] = {}
        self.messages = 0
        for xapp in xapps:
            xapp.start(self)

    def subscribe(self, xapp: XApp, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> str:
        sub = self.node.subscribe(report_period_ms, measurements, per_ue)
        self._subscribers[sub.subscription_id] = xapp
        return sub.subscription_id

    def send_control(self, request: RcControlRequest):
        reply = decode(encode(self.node.control(decode(encode(request)))))
        self.messages += 2
        return reply

    def a1(self, request: A1PolicyRequest) -> A1PolicyResponse:
        """Route an A1 policy operation to the xApps; the first that answers OK (or DELETED) wins."""
        replies = [x.on_a1_policy(decode(encode(request))) for x in self.xapps]
        self.messages += 1 + len(replies)
        return next((r for r in replies if r.status != "ERROR"), replies[0])

    def step(self, n: int = 1) -> None:
        """Advance the network and deliver due indications."""
        for _ in range(n):
            self.node.network.step()
            for indication in self.node.due_indications():
                self._subscribers[indication.subscription_id].on_indication(decode(encode(indication)))
                self.messages += 1


class E2ControlledNetwork:
    """The network as an xApp sees it: everything is read from the simulated network, but
    `apply` sends one atomic RC control request and raises ActionError with the node's cause
    on failure. Twins (`clone`) are plain networks."""

    def __init__(self, runtime: InProcessRuntime, intent_id: str = ""):
        self._runtime, self._intent_id, self._count = runtime, intent_id, 0
        self.first_ack_at: float | None = None  # perf_counter() of the first acknowledged control

    def __getattr__(self, name: str):
        return getattr(self._runtime.node.network, name)

    @property
    def network(self) -> Network:
        return self._runtime.node.network

    def apply(self, actions: list[Action]) -> None:
        if not actions:
            return
        self._count += 1
        request = RcControlRequest(meid=self._runtime.node.meid, request_id=f"{self._intent_id or 'ctl'}-{self._count}",
                                   intent_id=self._intent_id, actions=control_actions(actions, self.network))
        reply = self._runtime.send_control(request)
        if not isinstance(reply, RcControlAck):
            raise ActionError("e2", reply.cause)
        if self.first_ack_at is None:
            self.first_ack_at = time.perf_counter()

    def set_configuration(self, conf) -> None:
        """A rollback, sent as RC controls like any other change."""
        before = self.network.configuration()
        slices = [s.name for s in self.network.config.slices]
        actions: list[Action] = []
        for c in before.changes(conf, slices):
            if c.parameter == "tx_power_dbm":
                actions.append(SetTxPower(cell=c.cell, tx_power_dbm=c.after))
            elif c.parameter == "tilt_deg":
                actions.append(SetTilt(cell=c.cell, tilt_deg=c.after))
            elif c.parameter == "cio_db":
                actions.append(SetCio(cell=c.cell, cio_db=c.after))
            elif c.parameter == "asleep":
                actions.append(SetCellSleep(cell=c.cell, asleep=bool(c.after)))
            elif c.parameter == "ue_p_max_dbm":
                actions.append(SetUePMax(cell=c.cell, p_max_dbm=c.after))
            else:
                actions.append(SetSliceQuota(cell=c.cell, slice=c.slice, min_prb_ratio=c.after))
        wakes_first = sorted(actions, key=lambda a: not (isinstance(a, SetCellSleep) and not a.asleep))
        self.apply(wakes_first)
