"""A simulated E2 node served over TCP, so xApps can run in other processes.

Framing (`ranpilot.oran.wire`): one JSON object a line, {"mtype", "xid", "payload"}; what the
node answers is `NodeService`'s. A connection can drop at any moment without leaving the network
half-configured: a request is acted on only once its whole line has arrived, and a control then
applies all of its actions or none. A dropped connection's subscriptions end with it.

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

from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.e2.service import NodeService
from ranpilot.oran.messages import RIC_CONTROL_REQ, RIC_SUB_REQ, RcControlFailure, SubscriptionFailure
from ranpilot.oran.wire import FrameError, StreamPeer, read_frame

log = logging.getLogger(__name__)


class E2NodeServer(socketserver.ThreadingTCPServer):
    """Serves one simulated E2 node; `tick_s` makes its clock run on its own (one step per tick)."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, node: SimulatedE2Node, host: str = "127.0.0.1", port: int = 0, tick_s: float | None = None):
        super().__init__((host, port), _Connection)
        self.service, self.tick_s = NodeService(node), tick_s
        self.connections: set[socket.socket] = set()  # open client sockets, dropped when the server closes
        self._stopped = threading.Event()

    @property
    def node(self) -> SimulatedE2Node:
        return self.service.node

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

    def _tick(self) -> None:
        while not self._stopped.wait(self.tick_s):
            with self.service.lock:
                self.service.advance(1)


class _Connection(socketserver.StreamRequestHandler):
    server: E2NodeServer

    def handle(self) -> None:
        peer = StreamPeer(self.wfile)
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
                reply = self.server.service.handle(peer, frame.message)
                if reply is not None:
                    peer.send(reply, frame.xid)
        except OSError:
            return
        finally:
            self.server.connections.discard(self.connection)
            self.server.service.forget(peer)

    @staticmethod
    def _answer_bad(peer: StreamPeer, exc: FrameError) -> None:
        if exc.mtype == RIC_CONTROL_REQ:
            peer.send(RcControlFailure(request_id=exc.request_id, cause=f"malformed request: {exc}"), exc.xid)
        elif exc.mtype == RIC_SUB_REQ:
            peer.send(SubscriptionFailure(cause=f"malformed request: {exc}"), exc.xid)
