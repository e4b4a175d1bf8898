"""xApps hosted against an E2 node in another process, over TCP (`ranpilot.oran.e2.server`).

`E2Connection` is the transport: requests wait for the reply with their transaction id;
indications are queued by the reading thread and delivered by the runtime on the caller's
thread, so an xApp may send controls from inside `on_indication`.

`RemoteRuntime` keeps a digital twin of the node's network for its xApps (`runtime.network`):
built from the node's TWIN state at connect, and synced again after every acknowledged
control and every clock step, so the agent's reads, dry runs and verifier see what the node
has. If the connection drops, every pending and later request fails with `E2ConnectionLost`;
`send_control` turns that into a control failure with the cause, so an agent's change is
reported failed (the node applied it whole or not at all; the next sync shows which).

Example:
    >>> runtime = RemoteRuntime("127.0.0.1", 36421, [MyXApp()])
    >>> runtime.step(10)
"""

from __future__ import annotations

import itertools
import queue
import socket
import threading
from concurrent.futures import Future, TimeoutError as FutureTimeout

from pydantic import BaseModel

from ranpilot.network import Network, NetworkConfig
from ranpilot.network.simulator import Snapshot
from ranpilot.network.state import NetState
from ranpilot.oran.e2.node import SubscriptionError
from ranpilot.oran.messages import (
    KpmIndication, RcControlAck, RcControlFailure, RcControlRequest, SimStepRequest, SubscriptionRequest,
    SubscriptionResponse, TwinRequest, TwinState,
)
from ranpilot.oran.wire import FrameError, Peer, read_frame
from ranpilot.oran.xapp import Runtime, XApp


class E2ConnectionLost(ConnectionError):
    """The connection to the E2 node is gone (or never answered in time)."""


class E2Connection:
    def __init__(self, host: str, port: int, timeout_s: float = 30.0):
        self.address, self.timeout_s = f"{host}:{port}", timeout_s
        try:
            self._sock = socket.create_connection((host, port), timeout=timeout_s)
        except OSError as exc:
            raise E2ConnectionLost(f"cannot reach the E2 node at {self.address}: {exc}") from exc
        self._sock.settimeout(None)
        self._peer = Peer(self._sock.makefile("wb"))
        self._pending: dict[str, Future] = {}
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self.indications: queue.Queue[KpmIndication] = queue.Queue()
        self.lost: str | None = None
        threading.Thread(target=self._read, name=f"e2-client-{self.address}", daemon=True).start()

    def request(self, message: BaseModel) -> BaseModel:
        """Send and wait for the reply (raises E2ConnectionLost)."""
        future: Future = Future()
        with self._lock:
            if self.lost:
                raise E2ConnectionLost(self.lost)
            xid = f"x{next(self._ids)}"
            self._pending[xid] = future
        try:
            self._peer.send(message, xid)
            return future.result(self.timeout_s)
        except OSError as exc:
            self._fail(f"E2 connection to {self.address} lost: {exc}")
            raise E2ConnectionLost(self.lost) from exc
        except FutureTimeout:
            raise E2ConnectionLost(f"no reply from the E2 node at {self.address} in {self.timeout_s:g} s") from None
        finally:
            with self._lock:
                self._pending.pop(xid, None)

    def close(self) -> None:
        self._fail(f"E2 connection to {self.address} closed")
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()

    def _read(self) -> None:
        stream = self._sock.makefile("rb")
        try:
            while (frame := self._next(stream)) is not None:
                if isinstance(frame.message, KpmIndication):
                    self.indications.put(frame.message)
                elif (future := self._pending.get(frame.xid)) is not None:
                    future.set_result(frame.message)
        except OSError:
            pass
        self._fail(f"E2 connection to {self.address} lost")

    @staticmethod
    def _next(stream):
        while True:
            try:
                return read_frame(stream)
            except FrameError:  # a line we cannot read is dropped, as RMR drops an unroutable message
                continue

    def _fail(self, reason: str) -> None:
        with self._lock:
            self.lost = self.lost or reason
            pending, self._pending = list(self._pending.values()), {}
        for future in pending:
            if not future.done():
                future.set_exception(E2ConnectionLost(self.lost))


class RemoteRuntime(Runtime):
    """Hosts xApps against the E2 node served at host:port."""

    def __init__(self, host: str, port: int, xapps: list[XApp], timeout_s: float = 30.0):
        super().__init__(xapps)
        self.connection = E2Connection(host, port, timeout_s)
        self.meid = ""
        state = self._twin_state()
        self.meid = state.meid
        self._twin = Network.from_state(NetworkConfig.model_validate(state.config), state.seed,
                                        NetState.from_json(state.state))
        self.start_xapps()

    @property
    def network(self) -> Network:
        return self._twin

    def sync(self) -> None:
        """Bring the twin to the node's exact state."""
        self._twin.restore(Snapshot(NetState.from_json(self._twin_state().state)))

    def subscribe(self, xapp: XApp, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> str:
        reply = self._request(SubscriptionRequest(meid=self.meid, report_period_ms=report_period_ms,
                                                  measurements=measurements, per_ue=per_ue))
        if not isinstance(reply, SubscriptionResponse):
            raise SubscriptionError(reply.cause)
        self._subscribers[reply.subscription_id] = xapp
        return reply.subscription_id

    def send_control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        try:
            reply = self._request(request)
        except E2ConnectionLost as exc:
            return RcControlFailure(request_id=request.request_id, cause=f"{exc}; the node applies a control whole "
                                    "or not at all, so reconnect and sync to see which")
        if isinstance(reply, RcControlAck):
            self.sync()
        return reply

    def step(self, n: int = 1) -> None:
        self._request(SimStepRequest(steps=n))
        self.sync()
        self.poll()

    def advance(self, n: int) -> None:
        self._request(SimStepRequest(steps=n, indicate=False))
        self.sync()

    def poll(self, timeout_s: float = 0.0) -> int:
        """Deliver the indications that have arrived (waiting up to timeout_s for the first)."""
        delivered = 0
        try:
            indication = self.connection.indications.get(timeout=timeout_s) if timeout_s else \
                self.connection.indications.get_nowait()
            while True:
                self.deliver(indication)
                delivered += 1
                indication = self.connection.indications.get_nowait()
        except queue.Empty:
            return delivered

    def close(self) -> None:
        self.connection.close()

    def _request(self, message: BaseModel) -> BaseModel:
        self.messages += 2
        return self.connection.request(message)

    def _twin_state(self) -> TwinState:
        reply = self._request(TwinRequest(meid=self.meid))
        if not isinstance(reply, TwinState):
            raise E2ConnectionLost(f"the E2 node at {self.connection.address} does not serve twin state")
        return reply
