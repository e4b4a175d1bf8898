"""Transports carry the message layer (`messages`) between an xApp runtime and an E2 node.

`Transport` pairs each request with its reply by transaction id, and queues what arrives
unasked (KPM indications, A1 policy requests) in `incoming` for the runtime to deliver on its
own thread, so an xApp may send controls from inside its callbacks. Carriers: `TcpTransport`
(either wire of `ranpilot.oran.wire`: line-framed JSON, or E2AP in binary frames) here, and `RmrTransport` (`ranpilot.oran.osc`, the O-RAN SC
framework's RMR). A lost carrier fails every pending and later request with `E2ConnectionLost`,
and so does a node that refuses the connection (AuthResponse not accepted), with its cause.

E2 Setup: over TCP the node sends its E2SetupRequest once a connection is up (after the token);
`TcpTransport` answers it as the RIC (`ranpilot.oran.e2.ran_functions.answer_setup`) before it
returns from connecting, and keeps the node's accepted RAN functions in `node_functions`. A node
that sends none within the timeout, or whose setup fails, is a lost connection with the reason.
Over RMR e2term terminates E2 Setup, so `node_functions` stays None (not known here).
"""

from __future__ import annotations

import itertools
import queue
import socket
import threading
import time
from concurrent.futures import Future, TimeoutError as FutureTimeout

from pydantic import BaseModel, SecretStr

from ranpilot.oran.e2.ran_functions import E2SetupFailed, accepted_functions, answer_setup
from ranpilot.oran.messages import A1PolicyRequest, AuthRequest, AuthResponse, KpmIndication
from ranpilot.oran.setup_messages import E2SetupRequest, RanFunction
from ranpilot.oran.wire import FrameError, StreamPeer, Wire, WireMismatch, make_wire


class E2ConnectionLost(ConnectionError):
    """The connection to the E2 node is gone (or never answered in time)."""


class Transport:
    """Subclasses implement `_send(message, xid)` and call `_received(message, xid)`."""

    def __init__(self, address: str, timeout_s: float):
        self.address, self.timeout_s = address, timeout_s
        self.incoming: queue.Queue[BaseModel] = queue.Queue()
        self.lost: str | None = None
        self.node_functions: dict[int, RanFunction] | None = None  # from E2 Setup, where this transport sees it
        self._setups: queue.Queue[tuple[E2SetupRequest, str]] = queue.Queue()
        self._pending: dict[str, Future] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()

    def request(self, message: BaseModel) -> BaseModel:
        """Send and wait for the reply (raises E2ConnectionLost)."""
        future: Future = Future()
        with self._lock:
            if self.lost:
                raise E2ConnectionLost(self.lost)
            xid = f"x{next(self._ids)}"
            self._pending[xid] = future
        try:
            self._send(message, xid)
            return future.result(self.timeout_s)
        except OSError as exc:
            self._fail(f"E2 connection to {self.address} lost: {exc}")
            raise E2ConnectionLost(self.lost) from exc
        except FutureTimeout:
            raise E2ConnectionLost(f"no reply from the E2 node at {self.address} in {self.timeout_s:g} s") from None
        finally:
            with self._lock:
                self._pending.pop(xid, None)

    def send(self, message: BaseModel) -> None:
        """Send without waiting (an answer to a request that came in)."""
        self._send(message, "")

    def close(self) -> None:
        self._fail(f"E2 connection to {self.address} closed")

    def reopen(self) -> None:
        """Connect again after a loss (raises E2ConnectionLost when the node cannot be reached)."""
        raise NotImplementedError(f"{type(self).__name__} does not reconnect")

    def _send(self, message: BaseModel, xid: str) -> None:
        raise NotImplementedError

    def _received(self, message: BaseModel, xid: str) -> None:
        if isinstance(message, AuthResponse) and not message.accepted:  # the node closes the connection
            self._fail(f"the E2 node at {self.address} refused the connection: {message.cause}")
        elif isinstance(message, E2SetupRequest):
            self._setups.put((message, xid))
        elif isinstance(message, (KpmIndication, A1PolicyRequest)):
            self.incoming.put(message)
        elif (future := self._pending.get(xid)) is not None:
            future.set_result(message)

    def _fail(self, reason: str) -> None:
        with self._lock:
            self.lost = self.lost or reason
            pending, self._pending = list(self._pending.values()), {}
        for future in pending:
            if not future.done():
                future.set_exception(E2ConnectionLost(self.lost))


class TcpTransport(Transport):
    """To an `E2NodeServer` (`ranpilot xapp e2 serve`) at host:port, speaking `wire` (`json` or
    `asn1`, as the server does). With `token` (the node's `RANPILOT_E2_TOKEN`), every connection
    (and reconnection) first sends an AuthRequest with it; a refusal raises E2ConnectionLost with
    the node's cause."""

    def __init__(self, host: str, port: int, timeout_s: float = 30.0, token: SecretStr | str | None = None,
                 wire: str = "json"):
        super().__init__(f"{host}:{port}", timeout_s)
        self._host, self._port, self.wire = host, port, wire
        self._token = SecretStr(token) if isinstance(token, str) else token
        self._connect()

    def reopen(self) -> None:
        """Close the old socket and wait for its reader to finish (so its report of the loss cannot
        land on the new connection), then connect again."""
        self._close_socket()
        self._reader.join(self.timeout_s)
        with self._lock:
            self.lost, self._pending = None, {}
        self._connect()

    def close(self) -> None:
        super().close()
        self._close_socket()

    def _connect(self) -> None:
        try:
            sock = socket.create_connection((self._host, self._port), timeout=self.timeout_s)
        except OSError as exc:
            self._fail(f"cannot reach the E2 node at {self.address}: {exc}")
            raise E2ConnectionLost(self.lost) from exc
        sock.settimeout(None)
        wire = make_wire(self.wire)  # a new E2AP session with each connection
        self._sock, self._peer = sock, StreamPeer(sock.makefile("wb"), wire)
        self._reader = threading.Thread(target=self._read, args=(sock, wire), name=f"e2-client-{self.address}",
                                        daemon=True)
        self._reader.start()
        if self._token is not None:
            self._authenticate()
        self._e2_setup()

    def _e2_setup(self) -> None:
        """Answer the node's E2SetupRequest as the RIC; E2ConnectionLost if none comes or it fails."""
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                request, xid = self._setups.get(timeout=0.1)
                break
            except queue.Empty:
                if self.lost or time.monotonic() > deadline:
                    why = self.lost or (f"the E2 node at {self.address} sent no E2 Setup Request in {self.timeout_s:g} s"
                                        + ("" if self._token else " (a node with a token waits for RANPILOT_E2_TOKEN)"))
                    self._close_socket()
                    raise E2ConnectionLost(why) from None
        answer = answer_setup(request)
        try:
            self._send(answer, xid)
        except OSError as exc:
            raise E2ConnectionLost(f"E2 connection to {self.address} lost during E2 Setup: {exc}") from exc
        try:
            self.node_functions = accepted_functions(request, answer, self.address)
        except E2SetupFailed as exc:
            self._fail(str(exc))
            self._close_socket()
            raise E2ConnectionLost(str(exc)) from None

    def _authenticate(self) -> None:
        """Send the token as the connection's first line; E2ConnectionLost if the node refuses it."""
        try:
            self.request(AuthRequest(token=self._token.get_secret_value()))
        except E2ConnectionLost:
            self._close_socket()
            raise

    def _close_socket(self) -> None:
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def _send(self, message: BaseModel, xid: str) -> None:
        self._peer.send(message, xid)

    def _read(self, sock: socket.socket, wire: Wire) -> None:
        stream = sock.makefile("rb")
        try:
            while True:
                try:
                    frame = wire.read(stream)
                except FrameError:  # a line we cannot read is dropped, as RMR drops an unroutable message
                    continue
                if frame is None:
                    break
                self._received(frame.message, frame.xid)
            why = ""
        except OSError as exc:
            why = f": {exc}" if isinstance(exc, WireMismatch) else ""
        if sock is self._sock:  # not a connection that reopen() already replaced
            self._fail(f"E2 connection to {self.address} lost{why}")
