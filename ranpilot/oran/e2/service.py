"""What a simulated E2 node answers, whatever carries the messages (TCP, RMR, a test loopback).

`NodeService.handle(peer, message)` returns the reply to RIC_SUB_REQ, RIC_CONTROL_REQ and the
ranpilot simulation extensions SIM_STEP and TWIN; indications go to the peer that subscribed
(`peer.send(message)`). One operation at a time touches the network, and a control applies all
of its actions or none (`SimulatedE2Node.control`).
"""

from __future__ import annotations

import logging
import threading
from typing import Protocol

from pydantic import BaseModel

from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.messages import (
    KpmIndication, RcControlRequest, SimStepRequest, SimStepResponse, SubscriptionFailure, SubscriptionRequest,
    SubscriptionResponse, TwinRequest, TwinState,
)

log = logging.getLogger(__name__)


class Peer(Protocol):
    def send(self, message: BaseModel, xid: str = "") -> None: ...


class NodeService:
    def __init__(self, node: SimulatedE2Node):
        self.node = node
        self.lock = threading.Lock()
        self.owners: dict[str, Peer] = {}  # subscription id -> the peer that receives it

    def handle(self, peer: Peer, message: BaseModel) -> BaseModel | None:
        """The reply to one request (None: nothing to answer)."""
        with self.lock:
            if isinstance(message, RcControlRequest):
                return self.node.control(message)
            if isinstance(message, SubscriptionRequest):
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
        """A peer went away: its subscriptions end with it."""
        with self.lock:
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
