"""xApps and their runtime, in the spirit of the O-RAN SC Python framework's handlers.

Write an xApp by subclassing `XApp` and overriding the callbacks; the runtime delivers
RIC_INDICATION (12050) to `on_indication` and A1_POLICY_REQ (20010) to `on_a1_policy`, and
gives the xApp `send_control` for RIC_CONTROL_REQ (12040), answered by 12041 / 12042.
Two runtimes share `Runtime`: `InProcessRuntime` (the node in this process; E2 messages still
cross in their wire form, JSON or E2AP: `ranpilot.oran.wire`) and `RemoteRuntime` (`ranpilot.oran.remote`: the node elsewhere, over
a transport: TCP, or RMR inside the O-RAN SC framework). xApps see the same callbacks and
`runtime.network`, the network as the xApp may read it (the node's own, or a digital twin
synced from the node). Both run E2 Setup with the node first (`ranpilot.oran.e2.ran_functions`)
and refuse a subscription or control to a RAN function the node did not advertise.
"""

from __future__ import annotations

import time

import numpy as np

from ranpilot.network import (
    Action, ActionError, Network, NetworkConfig, Observation, RanConfiguration, SetCellSleep, Snapshot,
    action_for_change,
)
from ranpilot.network.evaluate import RadioResult
from ranpilot.network.state import Topology
from ranpilot.oran.e2.asn1.e2sm_kpm import merge
from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError, control_actions
from ranpilot.oran.e2.ran_functions import accepted_functions, answer_setup, not_offered, setup_request
from ranpilot.oran.messages import (
    KPM_RAN_FUNCTION, RC_RAN_FUNCTION, A1PolicyRequest, A1PolicyResponse, KpmIndication, RcControlAck, RcControlFailure,
    RcControlRequest, SubscriptionFailure, SubscriptionRequest, SubscriptionResponse, decode, encode,
)
from ranpilot.oran.setup_messages import RanFunction
from ranpilot.oran.wire import cross, make_wire


class XApp:
    """Base class. `start` is called once with the runtime; subscribe there."""

    name = "xapp"

    def start(self, runtime: Runtime) -> None:
        self.runtime = runtime

    def on_indication(self, indication: KpmIndication) -> None:
        """Called for every KPM indication of this xApp's subscriptions."""

    def on_a1_policy(self, request: A1PolicyRequest) -> A1PolicyResponse:
        """Called for every A1 policy operation; answer OK, ERROR or DELETED."""
        return A1PolicyResponse(policy_type_id=request.policy_type_id, policy_instance_id=request.policy_instance_id,
                                handler_id=self.name, status="ERROR")  # this xApp handles no A1 policies

    def send_control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        return self.runtime.send_control(request)


class Runtime:
    """What every runtime does the same way: A1 routing and indication delivery.
    Subclasses provide subscribe, send_control, step, advance, meid and network."""

    meid: str

    def __init__(self, xapps: list[XApp]):
        self.xapps = xapps
        self._subscribers: dict[str, XApp] = {}
        self.messages = 0

    def start_xapps(self) -> None:
        for xapp in self.xapps:
            xapp.start(self)

    @property
    def network(self) -> Network:
        raise NotImplementedError

    @property
    def ran_functions(self) -> dict[int, RanFunction] | None:
        """The node's RAN functions the RIC accepted in E2 Setup, by id (None: E2 Setup is not
        seen by this runtime, as over RMR, where e2term terminates it)."""
        return None

    def unusable(self, ran_function_id: int) -> str | None:
        """Why the xApps cannot use `ran_function_id` on the node (None: they can)."""
        return not_offered(self.ran_functions, ran_function_id, self.meid)

    def subscribe(self, xapp: XApp, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> str:
        raise NotImplementedError

    def send_control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        raise NotImplementedError

    def step(self, n: int = 1) -> None:
        """Advance the network and deliver due indications."""
        raise NotImplementedError

    def advance(self, n: int) -> None:
        """Advance the network without delivering indications (an agent waiting to observe)."""
        raise NotImplementedError

    def a1(self, request: A1PolicyRequest) -> A1PolicyResponse:
        """Route an A1 policy operation to the xApps; the first that answers OK (or DELETED) wins."""
        replies = [x.on_a1_policy(decode(encode(request))) for x in self.xapps]
        self.messages += 1 + len(replies)
        return next((r for r in replies if r.status != "ERROR"), replies[0])

    def deliver(self, indication: KpmIndication) -> None:
        self.messages += 1
        if (xapp := self._subscribers.get(indication.subscription_id)) is not None:
            xapp.on_indication(indication)


class InProcessRuntime(Runtime):
    """Hosts xApps against a simulated E2 node in one process; E2 messages cross `wire` (`json`
    or `asn1`) between the xApps' end and the node's."""

    def __init__(self, node: SimulatedE2Node, xapps: list[XApp], wire: str = "json"):
        super().__init__(xapps)
        self.node, self.meid = node, node.meid
        self._ric, self._node_end = make_wire(wire), make_wire(wire, node.meid)
        self._functions = self._e2_setup()
        self.start_xapps()

    @property
    def network(self) -> Network:
        return self.node.network

    @property
    def ran_functions(self) -> dict[int, RanFunction]:
        return self._functions

    def _e2_setup(self) -> dict[int, RanFunction]:
        """The node's E2SetupRequest and the RIC's answer, each across the wire; E2SetupFailed if refused."""
        [request] = cross(setup_request(self.node), self._node_end, self._ric, "e2setup")
        [answer] = cross(answer_setup(request), self._ric, self._node_end, "e2setup")
        self.messages += 2
        return accepted_functions(request, answer, f"{self.meid} (in process)")

    def subscribe(self, xapp: XApp, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> str:
        if (why := self.unusable(KPM_RAN_FUNCTION)) is not None:
            raise SubscriptionError(why)
        [request] = cross(SubscriptionRequest(meid=self.meid, report_period_ms=report_period_ms,
                                              measurements=measurements, per_ue=per_ue), self._ric, self._node_end, "s")
        try:
            sub = self.node.subscribe(request.report_period_ms, request.measurements, request.per_ue)
            reply = SubscriptionResponse(subscription_id=sub.subscription_id)
        except SubscriptionError as exc:
            reply = SubscriptionFailure(cause=str(exc))
        [reply] = cross(reply, self._node_end, self._ric, "s")
        if isinstance(reply, SubscriptionFailure):
            raise SubscriptionError(reply.cause)
        self._subscribers[reply.subscription_id] = xapp
        return reply.subscription_id

    def send_control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        if (why := self.unusable(RC_RAN_FUNCTION)) is not None:
            return RcControlFailure(request_id=request.request_id, cause=why)
        [received] = cross(request, self._ric, self._node_end, "c")
        [reply] = cross(self.node.control(received), self._node_end, self._ric, "c")
        self.messages += 2
        return reply

    def step(self, n: int = 1) -> None:
        for _ in range(n):
            self.node.network.step()
            for indication in self.node.due_indications():
                for message in merge(cross(indication, self._node_end, self._ric)):
                    self.deliver(message)

    def advance(self, n: int) -> None:
        self.node.network.step(n)


class E2ControlledNetwork:
    """The network as an xApp's agent sees it (a `NetworkView`): everything is read from
    `runtime.network` (the node's network, or the runtime's twin of it), but `apply` sends one
    atomic RC control request and raises ActionError with the node's cause on failure, `step`
    lets the node's clock run, and `set_configuration` is a rollback sent as RC controls.
    Twins (`clone`) are plain networks."""

    def __init__(self, runtime: Runtime, intent_id: str = ""):
        self._runtime, self._intent_id, self._count = runtime, intent_id, 0
        self.first_ack_at: float | None = None  # perf_counter() of the first acknowledged control

    @property
    def network(self) -> Network:
        return self._runtime.network

    # -- reads: the runtime's network ------------------------------------------------------
    @property
    def config(self) -> NetworkConfig:
        return self.network.config

    @property
    def topology(self) -> Topology:
        return self.network.topology

    @property
    def seed(self) -> int:
        return self.network.seed

    @property
    def num_cells(self) -> int:
        return self.network.num_cells

    @property
    def time_s(self) -> float:
        return self.network.time_s

    @property
    def time_of_day_h(self) -> float:
        return self.network.time_of_day_h

    @property
    def network_id(self) -> str:
        return self.network.network_id

    def configuration(self) -> RanConfiguration:
        return self.network.configuration()

    def observe(self) -> Observation:
        return self.network.observe()

    def radio(self) -> RadioResult:
        return self.network.radio()

    def target_value(self, name: str, cells: list[int] | None = None, slice: str | None = None,
                     threshold: float | None = None) -> float | None:
        return self.network.target_value(name, cells, slice, threshold)

    def link_gains_db(self) -> np.ndarray:
        return self.network.link_gains_db()

    def noise_w(self) -> float:
        return self.network.noise_w()

    def clone(self) -> Network:
        return self.network.clone()

    def snapshot(self) -> Snapshot:
        return self.network.snapshot()

    def cell_load(self) -> np.ndarray:
        return self.network.cell_load()

    def ue_slice(self) -> np.ndarray:
        return self.network.ue_slice()

    # -- changes: over E2 ------------------------------------------------------------------
    def step(self, n: int = 1) -> None:
        self._runtime.advance(n)

    def apply(self, actions: list[Action]) -> None:
        if not actions:
            return
        self._count += 1
        request = RcControlRequest(meid=self._runtime.meid, request_id=f"{self._intent_id or 'ctl'}-{self._count}",
                                   intent_id=self._intent_id, actions=control_actions(actions, self.network))
        reply = self._runtime.send_control(request)
        if not isinstance(reply, RcControlAck):
            raise ActionError("e2", reply.cause)
        if self.first_ack_at is None:
            self.first_ack_at = time.perf_counter()

    def set_configuration(self, conf: RanConfiguration) -> None:
        """A rollback, sent as RC controls like any other change; wake-ups go first, so the batch
        never puts every cell to sleep on the way."""
        slices = [s.name for s in self.config.slices]
        actions = [action_for_change(c) for c in self.configuration().changes(conf, slices)]
        self.apply(sorted(actions, key=lambda a: not (isinstance(a, SetCellSleep) and not a.asleep)))
