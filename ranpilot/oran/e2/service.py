"""What a simulated E2 node answers, whatever carries the messages (TCP, RMR, a test loopback).

`NodeService.handle(peer, message)` returns the reply to RIC_SUB_REQ, RIC_CONTROL_REQ and the
ranpilot simulation extensions SIM_STEP and TWIN; indications go to the peer that subscribed
(`peer.send(message)`). One operation at a time touches the network, and a control applies all
of its actions or none (`SimulatedE2Node.control`).

E2 Setup: `start_setup(peer)` gives the E2SetupRequest to send to a new RIC peer; until its answer
(E2SetupResponse, or E2SetupFailure) arrives, that peer's subscriptions and controls are refused,
and after it only the RAN functions the RIC accepted are served. A peer E2 Setup was never started
with (e2term in front of the node, which holds the node's E2 Setup itself) is served as it asks.
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from pydantic import BaseModel

from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.e2.ran_functions import setup_request
from ranpilot.oran.messages import (
    KPM_RAN_FUNCTION, RC_RAN_FUNCTION, KpmIndication, RcControlFailure, RcControlRequest, SimStepRequest,
    SimStepResponse, SubscriptionFailure, SubscriptionRequest, SubscriptionResponse, TwinRequest, TwinState,
)
from ranpilot.oran.setup_messages import E2SetupFailure, E2SetupRequest, E2SetupResponse

log = logging.getLogger(__name__)


class Peer(Protocol):
    def send(self, message: BaseModel, xid: str = "") -> None: ...


class NodeService:
    def __init__(self, node: SimulatedE2Node):
        self.node = node
        self.lock = threading.Lock()
        self.owners: dict[str, Peer] = {}  # subscription id -> the peer that receives it
        self.setups: dict[Peer, set[int] | None] = {}  # peer -> RAN functions the RIC accepted (None: pending)
        self._transactions = 0

    def start_setup(self, peer: Peer) -> E2SetupRequest:
        """The E2SetupRequest to send `peer`, whose requests wait for its answer."""
        with self.lock:
            self.setups[peer] = None
            self._transactions += 1
            return setup_request(self.node, self._transactions)

    def handle(self, peer: Peer, message: BaseModel) -> BaseModel | None:
        """The reply to one request (None: nothing to answer)."""
        with self.lock:
            if isinstance(message, (E2SetupResponse, E2SetupFailure)):
                accepted = set(message.accepted) if isinstance(message, E2SetupResponse) else set()
                self.setups[peer] = accepted & set(self.node.ran_function_ids)
                return None
            if isinstance(message, RcControlRequest):
                if (why := self._not_set_up(peer, RC_RAN_FUNCTION)) is not None:
                    return RcControlFailure(request_id=message.request_id, cause=why)
                return self.node.control(message)
            if isinstance(message, SubscriptionRequest):
                if (why := self._not_set_up(peer, KPM_RAN_FUNCTION)) is not None:
                    return SubscriptionFailure(cause=why)
                return self._subscribe(peer, message)
            if isinstance(message, SimStepRequest):
                self.advance(message.steps, message.indicate)
                return SimStepResponse(time_s=self.node.network.time_s)
            if isinstance(message, TwinRequest):
                net = self.node.network
                return TwinState(meid=self.node.meid, config=net.config.model_dump(mode="json"), seed=net.seed,
                                 state=net.state.to_json())
        log.warning("E2 node: no handler for %s; dropped", type(message).__name__)
        return None

    def forget(self, peer: Peer) -> None:
        """A peer went away: its subscriptions (and its E2 Setup) end with it."""
        with self.lock:
            self.setups.pop(peer, None)
            for sub_id in [s for s, p in self.owners.items() if p is peer]:
                self.owners.pop(sub_id)
                self.node.subscriptions.pop(sub_id, None)

    def advance(self, steps: int, indicate: bool = True) -> None:
        """Step the network (the caller holds `lock`), sending due indications after each step."""
        for _ in range(steps):
            self.node.network.step()
            if indicate:
                for indication in self.node.due_indications():
                    self._push(indication)

    def _not_set_up(self, peer: Peer, ran_function_id: int) -> str | None:
        if peer not in self.setups:
            return None
        accepted = self.setups[peer]
        if accepted is None:
            return f"{self.node.meid}: E2 Setup on this connection is not complete; answer the E2SetupRequest first"
        if ran_function_id not in accepted:
            return f"{self.node.meid}: RAN function {ran_function_id} was not accepted in this connection's E2 Setup"
        return None

    def _subscribe(self, peer: Peer, request: SubscriptionRequest) -> BaseModel:
        if request.meid != self.node.meid:
            return SubscriptionFailure(cause=f"unknown meid {request.meid!r}")
        try:
            sub = self.node.subscribe(request.report_period_ms, request.measurements, request.per_ue)
        except SubscriptionError as exc:
            return SubscriptionFailure(cause=str(exc))
        self.owners[sub.subscription_id] = peer
        return SubscriptionResponse(subscription_id=sub.subscription_id)

    def _push(self, indication: KpmIndication) -> None:
        try:
            self.owners[indication.subscription_id].send(indication)
        except OSError as exc:  # that subscriber is gone; `forget` ends its subscriptions
            log.info("E2 node: indication for %s not delivered: %s", indication.subscription_id, exc)
