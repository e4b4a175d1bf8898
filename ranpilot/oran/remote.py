"""xApps hosted against an E2 node in another process, over a transport (`ranpilot.oran.transport`:
TCP to `ranpilot xapp e2 serve`, or RMR inside the O-RAN SC framework, `ranpilot.oran.osc`).

The transport runs E2 Setup on each connection (the node's RAN functions: `transport.node_functions`);
a subscription or control to a RAN function the node did not advertise is refused before it is sent.
`RemoteRuntime` keeps a digital twin of the node's network for its xApps (`runtime.network`):
built from the node's TWIN state at connect, and synced again on the first read after an
acknowledged control or a clock step, so the agent's reads, dry runs and verifier see what the
node has (and an xApp that never reads the network never pays for the sync).

If the connection drops, every pending and later request fails with `E2ConnectionLost`;
`send_control` turns that into a control failure with the cause, so an agent's change is
reported failed (the node applied it whole or not at all). `reconnect` dials again, renews the
subscriptions and syncs the twin, which shows whether a control in flight landed.

Example:
    >>> from ranpilot.oran.transport import TcpTransport
    >>> runtime = RemoteRuntime(TcpTransport("127.0.0.1", 36421), [MyXApp()])
    >>> runtime.step(10)
"""

from __future__ import annotations

import queue

from pydantic import BaseModel

from ranpilot.network import Network, NetworkConfig
from ranpilot.network.simulator import Snapshot
from ranpilot.network.state import NetState
from ranpilot.oran.e2.asn1.e2sm_kpm import merge
from ranpilot.oran.e2.node import SubscriptionError
from ranpilot.oran.messages import (
    KPM_RAN_FUNCTION, RC_RAN_FUNCTION, A1PolicyRequest, RcControlAck, RcControlFailure, RcControlRequest, SimStepRequest,
    SubscriptionRequest, SubscriptionResponse, TwinRequest, TwinState,
)
from ranpilot.oran.setup_messages import RanFunction
from ranpilot.oran.transport import E2ConnectionLost, Transport
from ranpilot.oran.xapp import Runtime, XApp


class RemoteRuntime(Runtime):
    """Hosts xApps against the E2 node at the other end of `transport`."""

    def __init__(self, transport: Transport, xapps: list[XApp]):
        super().__init__(xapps)
        self.transport = transport
        self._subscriptions: list[tuple[XApp, int, list[str], bool]] = []  # to renew after a reconnect
        self.meid = ""
        state = self._twin_state()
        self.meid = state.meid
        self._twin = Network.from_state(NetworkConfig.model_validate(state.config), state.seed,
                                        NetState.from_json(state.state))
        self._stale = False
        self.start_xapps()

    @property
    def network(self) -> Network:
        if self._stale:
            self.sync()
        return self._twin

    def sync(self) -> None:
        """Bring the twin to the node's exact state."""
        self._twin.restore(Snapshot(NetState.from_json(self._twin_state().state)))
        self._stale = False

    @property
    def ran_functions(self) -> dict[int, RanFunction] | None:
        return self.transport.node_functions

    def subscribe(self, xapp: XApp, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> str:
        if (why := self.unusable(KPM_RAN_FUNCTION)) is not None:
            raise SubscriptionError(why)
        reply = self._request(SubscriptionRequest(meid=self.meid, report_period_ms=report_period_ms,
                                                  measurements=measurements, per_ue=per_ue))
        if not isinstance(reply, SubscriptionResponse):
            raise SubscriptionError(reply.cause)
        self._subscribers[reply.subscription_id] = xapp
        self._subscriptions.append((xapp, report_period_ms, measurements, per_ue))
        return reply.subscription_id

    def reconnect(self) -> None:
        """After a lost connection: connect again, renew every subscription (the node ended them
        with the old connection) and sync the twin, which shows whether a control in flight landed."""
        self.transport.reopen()
        renewals, self._subscriptions = self._subscriptions, []
        self._subscribers.clear()
        for xapp, period, measurements, per_ue in renewals:
            self.subscribe(xapp, period, measurements, per_ue)
        self.sync()

    def send_control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        if (why := self.unusable(RC_RAN_FUNCTION)) is not None:
            return RcControlFailure(request_id=request.request_id, cause=why)
        try:
            reply = self._request(request)
        except E2ConnectionLost as exc:
            return RcControlFailure(request_id=request.request_id, cause=f"{exc}; the node applies a control whole "
                                    "or not at all, so reconnect and sync to see which")
        self._stale = self._stale or isinstance(reply, RcControlAck)
        return reply

    def step(self, n: int = 1) -> None:
        self._request(SimStepRequest(steps=n))
        self._stale = True
        self.poll()

    def advance(self, n: int) -> None:
        self._request(SimStepRequest(steps=n, indicate=False))
        self._stale = True

    def poll(self, timeout_s: float = 0.0) -> int:
        """Deliver what has arrived (waiting up to timeout_s for the first): indications to their
        subscribers, A1 policy requests to the xApps (the answer goes back over the transport).
        On the asn1 wire a report arrives as one indication per measured object; the pieces of a
        report that have arrived are delivered as one indication (`e2sm_kpm.merge`)."""
        arrived: list[BaseModel] = []
        try:
            arrived.append(self.transport.incoming.get(timeout=timeout_s) if timeout_s else
                           self.transport.incoming.get_nowait())
            while True:
                arrived.append(self.transport.incoming.get_nowait())
        except queue.Empty:
            pass
        messages = merge(arrived)
        for message in messages:
            if isinstance(message, A1PolicyRequest):
                self.transport.send(self.a1(message))
            else:
                self._stale = True  # the node measured a later state (a free-running node steps itself)
                self.deliver(message)
        return len(messages)

    def close(self) -> None:
        self.transport.close()

    def _request(self, message: BaseModel) -> BaseModel:
        self.messages += 2
        return self.transport.request(message)

    def _twin_state(self) -> TwinState:
        reply = self._request(TwinRequest(meid=self.meid))
        if not isinstance(reply, TwinState):
            raise E2ConnectionLost(f"the E2 node at {self.transport.address} does not serve twin state")
        return reply
