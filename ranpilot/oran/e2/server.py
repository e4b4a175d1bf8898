"""A simulated E2 node served over TCP, so xApps can run in other processes.

Framing (`ranpilot.oran.wire`): on the `json` wire (the default) one JSON object a line,
{"mtype", "xid", "payload"}; on the `asn1` wire binary frames whose E2 messages are E2AP PDUs
(each connection its own E2AP session). Once a connection is up (after the token, when there is
one) the node sends its E2SetupRequest, as an E2 node does, and serves the connection's
subscriptions and controls once the RIC's answer has come. What the node answers is `NodeService`'s. A connection can drop at any moment without leaving the network
half-configured: a request is acted on only once its whole line has arrived, and a control then
applies all of its actions or none. A dropped connection's subscriptions end with it.

With a token (`RANPILOT_E2_TOKEN`), the first line a client sends must be an AuthRequest
(mtype 34030) carrying it; the node answers an AuthResponse (34031), and on anything else (another
message, a wrong token, a malformed line, nothing within `AUTH_TIMEOUT_S`) answers why and closes
the connection without acting. Without a token the server listens on loopback only (`ranpilot.oran.auth`).

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

from pydantic import SecretStr

from ranpilot.oran.auth import check_bind, token_matches
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.e2.service import NodeService
from ranpilot.oran.messages import (
    AUTH_REQ, RIC_CONTROL_REQ, RIC_SUB_REQ, AuthRequest, AuthResponse, RcControlFailure, SubscriptionFailure,
)
from ranpilot.oran.wire import Frame, FrameError, StreamPeer, WireMismatch, make_wire

log = logging.getLogger(__name__)
AUTH_TIMEOUT_S = 10.0  # how long a connection may stay open before it authenticates


class E2NodeServer(socketserver.ThreadingTCPServer):
    """Serves one simulated E2 node; `tick_s` makes its clock run on its own (one step per tick);
    with `token`, clients must authenticate first; `wire` is `json` or `asn1` (clients must speak
    the same). Raises InsecureBind for a non-loopback host without a token, ValueError for another wire."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, node: SimulatedE2Node, host: str = "127.0.0.1", port: int = 0, tick_s: float | None = None,
                 token: SecretStr | None = None, wire: str = "json"):
        check_bind(host, token, "E2 node server", "RANPILOT_E2_TOKEN")
        make_wire(wire)  # refuse an unknown wire before listening
        self.wire = wire
        super().__init__((host, port), _Connection)
        self.service, self.tick_s, self.token = NodeService(node), tick_s, token
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
        peer = StreamPeer(self.wfile, make_wire(self.server.wire, self.server.node.meid))
        self.server.connections.add(self.connection)
        try:
            if self._first_line_authenticates(peer):
                peer.send(self.server.service.start_setup(peer), "e2setup")
                self._serve(peer)
        except WireMismatch as exc:
            log.warning("E2 node: connection from %s closed: %s", self.client_address[0], exc)
        except OSError:  # dropped, or silent past AUTH_TIMEOUT_S (socket.timeout is an OSError)
            return
        finally:
            self.server.connections.discard(self.connection)
            self.server.service.forget(peer)

    def _first_line_authenticates(self, peer: StreamPeer) -> bool:
        """Without a token, True; with one, whether the first line is an AuthRequest carrying it."""
        if self.server.token is None:
            return True
        self.connection.settimeout(AUTH_TIMEOUT_S)
        try:
            frame = peer.wire.read(self.rfile)
        except FrameError as exc:
            return self._refuse(peer, exc.xid, f"authentication required; the first line is malformed: {exc}")
        except TimeoutError:  # a client waiting for the node to speak first (E2 Setup) learns why it does not
            return self._refuse(peer, "", f"authentication required: no AuthRequest (mtype {AUTH_REQ}) within "
                                f"{AUTH_TIMEOUT_S:g} s")
        if frame is None:
            return False
        self.connection.settimeout(None)
        return self._authenticate(peer, frame)

    def _serve(self, peer: StreamPeer) -> None:
        """Answer requests until the connection ends."""
        while True:
            try:
                frame = peer.wire.read(self.rfile)
            except FrameError as exc:  # a malformed line: say so, keep the connection
                log.warning("E2 node: %s", exc)
                self._answer_bad(peer, exc)
                continue
            if frame is None:  # closed, or cut mid-line: a partial request is never acted on
                return
            if isinstance(frame.message, AuthRequest):  # answered even by a node without a token
                if not self._authenticate(peer, frame):
                    return
                continue
            reply = self.server.service.handle(peer, frame.message)
            if reply is not None:
                peer.send(reply, frame.xid)

    def _authenticate(self, peer: StreamPeer, frame: Frame) -> bool:
        """Answer a frame that must authenticate the connection; False: the connection closes."""
        if not isinstance(frame.message, AuthRequest):
            return self._refuse(peer, frame.xid, f"authentication required: send an AuthRequest (mtype {AUTH_REQ}) "
                                "with the token first")
        if not token_matches(self.server.token, frame.message.token):
            return self._refuse(peer, frame.xid, "wrong token")
        peer.send(AuthResponse(accepted=True), frame.xid)
        return True

    def _refuse(self, peer: StreamPeer, xid: str, cause: str) -> bool:
        """Tell the client why (paired with its request) and close; False. What the client sent
        after is read and dropped unacted (briefly), since closing with unread input would reset
        the connection and could discard the answer before the client reads it."""
        log.warning("E2 node: refused a connection from %s: %s", self.client_address[0], cause)
        peer.send(AuthResponse(accepted=False, cause=cause), xid)
        self.connection.shutdown(socket.SHUT_WR)
        self.connection.settimeout(1.0)
        for _ in range(64):
            if not self.connection.recv(4096):
                break
        return False

    @staticmethod
    def _answer_bad(peer: StreamPeer, exc: FrameError) -> None:
        if exc.mtype == RIC_CONTROL_REQ:
            peer.send(RcControlFailure(request_id=exc.request_id, cause=f"malformed request: {exc}"), exc.xid)
        elif exc.mtype == RIC_SUB_REQ:
            peer.send(SubscriptionFailure(cause=f"malformed request: {exc}"), exc.xid)
