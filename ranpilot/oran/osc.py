"""ranpilot xApps inside the O-RAN SC Python xApp framework (`ricxappframe`, extra `ranpilot[osc]`).

`RmrTransport` carries the message layer over RMR with the framework's `RMRXapp`: callbacks
registered for what nodes and the A1 mediator send (RIC_INDICATION 12050, A1_POLICY_REQ 20010,
and the replies 12041/12042, 12011/12012, 34011, 34021), and requests sent as RMR messages whose
transaction id pairs them with their reply. With the O-RAN SC A1 mediator it speaks the
ric-plt-a1 contract: it reads A1_POLICY_REQ as the mediator's Go code writes it (`payload` a JSON
string, `policy_type_id` a decimal string), answers A1_POLICY_RESP with the integer type id and
no other field, and at start sends A1_POLICY_QUERY (20012) for each policy type it serves, which
the mediator answers with an A1_POLICY_REQ CREATE per stored instance (so policies created while
the xApp was down are enforced). `RemoteRuntime(RmrTransport(), xapps)` then hosts
xApps, the ranpilot agent among them, exactly as over TCP. The agent's digital twin needs a node
that answers the ranpilot TWIN extension (the simulated node does); other xApps need only KPM/RC.

Install: `pip install "ranpilot[osc]"`, then `pip install --no-deps ricxappframe==3.2.2
ricsdl==3.1.3` (their protobuf<3.21 pin conflicts with chromadb's protobuf; the framework's
generated protobuf modules load under protobuf's pure-Python implementation, which
`load_framework` selects). RMR's C library, librmr_si.so, must be on the library path.
"""

from __future__ import annotations

import logging
import os
import sys

from pydantic import BaseModel, ValidationError

from ranpilot.oran.a1.types import TYPE_NAMES
from ranpilot.oran.messages import (
    A1_POLICY_REQ, A1PolicyQuery, RIC_CONTROL_ACK, RIC_CONTROL_FAILURE, RIC_INDICATION, RIC_SUB_FAILURE, RIC_SUB_RESP, SIM_STEP_RESP,
    TWIN_RESP,
)
from ranpilot.oran.transport import Transport
from ranpilot.oran.wire import make_wire

log = logging.getLogger(__name__)
RECEIVED = (RIC_INDICATION, A1_POLICY_REQ, RIC_CONTROL_ACK, RIC_CONTROL_FAILURE, RIC_SUB_RESP, RIC_SUB_FAILURE,
            SIM_STEP_RESP, TWIN_RESP)
SEND_RETRIES = 100  # as RMRXapp.rmr_send


class OscUnavailable(RuntimeError):
    """The O-RAN SC framework (or RMR's C library) cannot be loaded here; says why and what to install."""


def load_framework():
    """(RMRXapp, rmr module) of ricxappframe; raises OscUnavailable with the reason."""
    if "google.protobuf" in sys.modules and os.environ.get("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION") != "python":
        raise OscUnavailable("protobuf was imported before the O-RAN SC framework, whose generated modules need its "
                             "pure-Python implementation: start the process with PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION"
                             "=python in its environment, or create the RmrTransport before importing chromadb")
    os.environ.setdefault("PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION", "python")
    try:
        from ricxappframe.rmr import rmr
        from ricxappframe.xapp_frame import RMRXapp
    except ImportError as exc:
        raise OscUnavailable(f"{exc}: pip install 'ranpilot[osc]' and then pip install --no-deps "
                             "ricxappframe==3.2.2 ricsdl==3.1.3") from exc
    except OSError as exc:  # the framework loads librmr_si.so when imported
        raise OscUnavailable(f"RMR's C library is not loadable ({exc}); install RMR (librmr_si.so)") from exc
    return RMRXapp, rmr


class RmrTransport(Transport):
    """The message layer over RMR, through ricxappframe's RMRXapp listening on `rmr_port`;
    `policy_types` are the A1 policy type ids queried at start (default: ranpilot's, `a1.types`).
    On `wire` "asn1" the E2 messages' RMR payloads are E2AP PDUs, as e2term forwards them (a KPM
    indication arrives as one RMR message per measured object); A1 keeps its JSON."""

    def __init__(self, rmr_port: int = 4560, timeout_s: float = 30.0, wait_for_ready: bool = True,
                 policy_types: tuple[int, ...] = tuple(TYPE_NAMES), wire: str = "json"):
        rmr_xapp_class, self._rmr = load_framework()
        super().__init__(f"rmr:{rmr_port}", timeout_s)
        self.wire = make_wire(wire)
        self.xapp = rmr_xapp_class(self._unexpected, rmr_port=rmr_port, rmr_wait_for_ready=wait_for_ready,
                                   use_fake_sdl=True)
        for mtype in RECEIVED:
            self.xapp.register_callback(self._on_message, mtype)
        self.xapp.run(thread=True, rmr_timeout=1)  # the dispatch loop notices stop() within a second
        for type_id in policy_types:  # the mediator's answers queue in `incoming` until the runtime polls
            self.send(A1PolicyQuery(policy_type_id=type_id))

    def close(self) -> None:
        super().close()
        self.xapp.stop()

    def _send(self, message: BaseModel, xid: str) -> None:
        """rmr_send with a transaction id we choose (RMRXapp.rmr_send draws its own)."""
        for mtype, payload in self.wire.payloads(message, xid):
            self._send_payload(mtype, payload, xid)

    def _send_payload(self, mtype: int, payload: bytes, xid: str) -> None:
        sbuf = self._rmr.rmr_alloc_msg(self.xapp._mrc, len(payload), payload=payload, mtype=mtype,
                                       gen_transaction_id=not xid, fixed_transaction_id=xid.encode() or None)
        try:
            for _ in range(SEND_RETRIES):
                sbuf = self._rmr.rmr_send_msg(self.xapp._mrc, sbuf)
                if sbuf.contents.state == self._rmr.RMR_OK:
                    return
            raise OSError(f"RMR could not send mtype {mtype} (state {sbuf.contents.state})")
        finally:
            self.xapp.rmr_free(sbuf)

    def _on_message(self, xapp, summary: dict, sbuf) -> None:
        rmr = self._rmr
        try:
            xid = summary[rmr.RMR_MS_TRN_ID]
            xid = xid.decode(errors="replace").rstrip("\0") if isinstance(xid, bytes) else str(xid)
            self._received(self.wire.message(summary[rmr.RMR_MS_MSG_TYPE], summary[rmr.RMR_MS_PAYLOAD], xid), xid)
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("RMR message of type %s dropped: %s", summary.get(rmr.RMR_MS_MSG_TYPE), exc)
        finally:
            xapp.rmr_free(sbuf)

    def _unexpected(self, xapp, summary: dict, sbuf) -> None:
        log.warning("RMR message of type %s has no handler; dropped", summary.get(self._rmr.RMR_MS_MSG_TYPE))
        xapp.rmr_free(sbuf)
