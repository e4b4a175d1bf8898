"""A simulated E2 node served over TCP, so xApps can run in other processes.

Framing (`ranpilot.oran.wire`): one JSON object a line, {"mtype", "xid", "payload"}; the
payload is the message layer's (`messages.encode`), the transaction id pairs a reply with its
request. The node answers RIC_SUB_REQ, RIC_CONTROL_REQ, and the ranpilot simulation extensions
(SIM_STEP, TWIN); it pushes RIC_INDICATION to the connection that subscribed.

A connection can drop at any moment without leaving the network half-configured: a control is
applied only once its whole line has arrived, and then all of its actions or none (the node's
`control`). A dropped connection's subscriptions end with it.

Example:
    >>> from ranpilot.network import Network, NetworkConfig
    >>> server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=21))), port=0)
    >>> server.start(); host, port = server.address; server.close()
"""

from __future__ import annotations

import logging
import socket
import socketserver
import threading

from pydantic import BaseModel

from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.messages import (
    RIC_CONTROL_REQ, RIC_SUB_REQ, RcControlFailure, RcControlRequest, SimStepRequest, SimStepResponse, SubscriptionFailure, SubscriptionRequest,
    SubscriptionResponse, TwinRequest, TwinState,
)
from ranpilot.oran.wire import FrameError, Peer, read_frame

log = logging.getLogger(__name__)


class E2NodeServer(socketserver.ThreadingTCPServer):
    """Serves one simulated E2 node; `tick_s` makes its clock run on its own (one step per tick)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, node: SimulatedE2Node, host: str = "127.0.0.1", port: int = 0, tick_s: float | None = None):
        super().__init__((host, port), _Connection)
        self.node, self.tick_s = node, tick_s
        self.lock = threading.Lock()  # one operation at a time on the network
        self.owners: dict[str, Peer] = {}  # subscription id -> the connection that receives it
        self.connections: set = set()  # open client sockets, closed with the server
        self._stopped = threading.Event()

    @property
    def address(self) -> tuple[str, int]:
        return self.server_address[0], self.server_address[1]

    def start(self) -> None:
        """Serve (and tick) on background threads."""
        threading.Thread(target=self.serve_forever, name="e2-server", daemon=True).start()
        if self.tick_s:
            threading.Thread(target=self._tick, name="e2-clock", daemon=True).start()

    def close(self) -> None:
        """Stop serving and drop every open connection."""
        self._stopped.set()
        self.shutdown()
        self.server_close()
        for sock in list(self.connections):
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    def handle(self, peer: Peer, mtype: int, message: BaseModel) -> BaseModel | None:
        """The reply to one request (None: nothing to answer)."""
        with self.lock:
            if isinstance(message, RcControlRequest):
                return self.node.control(message)
            if isinstance(message, SubscriptionRequest):
                return self._subscribe(peer, message)
            if isinstance(message, SimStepRequest):
                self._advance(message.steps, message.indicate)
                return SimStepResponse(time_s=self.node.network.time_s)
            if isinstance(message, TwinRequest):
                net = self.node.network
                return TwinState(meid=self.node.meid, config=net.config.model_dump(mode="json"), seed=net.seed,
                                 state=net.state.to_json())
        log.warning("E2 node: no handler for mtype %s; dropped", mtype)
        return None

    def forget(self, peer: Peer) -> None:
        """A connection ended: its subscriptions end with it."""
        with self.lock:
            for sub_id in [s for s, p in self.owners.items() if p is peer]:
                self.owners.pop(sub_id)
                self.node.subscriptions.pop(sub_id, None)

    def _subscribe(self, peer: Peer, request: SubscriptionRequest) -> BaseModel:
        if request.meid != self.node.meid:
            return SubscriptionFailure(cause=f"unknown meid {request.meid!r}")
        try:
            sub = self.node.subscribe(request.report_period_ms, request.measurements, request.per_ue)
        except SubscriptionError as exc:
            return SubscriptionFailure(cause=str(exc))
        self.owners[sub.subscription_id] = peer
        return SubscriptionResponse(subscription_id=sub.subscription_id)

    def _advance(self, steps: int, indicate: bool) -> None:
        for _ in range(steps):
            self.node.network.step()
            if indicate:
                for indication in self.node.due_indications():
                    self._push(indication)

    def _push(self, indication) -> None:
        try:
            self.owners[indication.subscription_id].send(indication)
        except OSError as exc:  # that subscriber's connection is gone; `forget` will end its subscriptions
            log.info("E2 node: indication for %s not delivered: %s", indication.subscription_id, exc)

    def _tick(self) -> None:
        while not self._stopped.wait(self.tick_s):
            with self.lock:
                self._advance(1, True)


class _Connection(socketserver.StreamRequestHandler):
    server: E2NodeServer

    def handle(self) -> None:
        peer = Peer(self.wfile)
        self.server.connections.add(self.connection)
        try:
            while True:
                try:
                    frame = read_frame(self.rfile)
                except FrameError as exc:  # a malformed line: say so, keep the connection
                    log.warning("E2 node: %s", exc)
                    self._answer_bad(peer, exc)
                    continue
                if frame is None:  # closed, or cut mid-line: a partial request is never acted on
                    return
                reply = self.server.handle(peer, frame.mtype, frame.message)
                if reply is not None:
                    peer.send(reply, frame.xid)
        except OSError:
            return
        finally:
            self.server.connections.discard(self.connection)
            self.server.forget(peer)

    @staticmethod
    def _answer_bad(peer: Peer, exc: FrameError) -> None:
        if exc.mtype == RIC_CONTROL_REQ:
            peer.send(RcControlFailure(request_id=exc.request_id, cause=f"malformed request: {exc}"), exc.xid)
        elif exc.mtype == RIC_SUB_REQ:
            peer.send(SubscriptionFailure(cause=f"malformed request: {exc}"), exc.xid)

