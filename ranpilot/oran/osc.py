"""ranpilot xApps inside the O-RAN SC Python xApp framework (`ricxappframe`, extra `ranpilot[osc]`).

`RmrTransport` carries the message layer over RMR with the framework's `RMRXapp`: callbacks
registered for what nodes and the A1 mediator send (RIC_INDICATION 12050, A1_POLICY_REQ 20010,
and the replies 12041/12042, 12011/12012, 40011, 40021), and requests sent as RMR messages whose
transaction id pairs them with their reply. `RemoteRuntime(RmrTransport(), xapps)` then hosts
xApps, the ranpilot agent among them, exactly as over TCP. The agent's digital twin needs a node
that answers the ranpilot TWIN extension (the simulated node does); other xApps need only KPM/RC.

Install: `pip install "ranpilot[osc]"`, then `pip install --no-deps ricxappframe==3.2.2
ricsdl==3.1.3` (their protobuf<3.21 pin conflicts with chromadb's protobuf; the framework's
generated protobuf modules load under protobuf's pure-Python implementation, which
`load_framework` selects). RMR's C library, librmr_si.so, must be on the library path.
"""

from __future__ import annotations

import json
import logging
import os
import sys

from pydantic import BaseModel, ValidationError

from ranpilot.oran.messages import (
    A1_POLICY_REQ, RIC_CONTROL_ACK, RIC_CONTROL_FAILURE, RIC_INDICATION, RIC_SUB_FAILURE, RIC_SUB_RESP, SIM_STEP_RESP,
    TWIN_RESP, decode, encode,
)
from ranpilot.oran.transport import Transport

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
    """The message layer over RMR, through ricxappframe's RMRXapp listening on `rmr_port`."""

    def __init__(self, rmr_port: int = 4560, timeout_s: float = 30.0, wait_for_ready: bool = True):
        rmr_xapp_class, self._rmr = load_framework()
        super().__init__(f"rmr:{rmr_port}", timeout_s)
        self.xapp = rmr_xapp_class(self._unexpected, rmr_port=rmr_port, rmr_wait_for_ready=wait_for_ready,
                                   use_fake_sdl=True)
        for mtype in RECEIVED:
            self.xapp.register_callback(self._on_message, mtype)
        self.xapp.run(thread=True, rmr_timeout=1)  # the dispatch loop notices stop() within a second

    def close(self) -> None:
        super().close()
        self.xapp.stop()

    def _send(self, message: BaseModel, xid: str) -> None:
        """rmr_send with a transaction id we choose (RMRXapp.rmr_send draws its own)."""
        wire = encode(message)
        payload = json.dumps(wire["payload"], separators=(",", ":")).encode()
        sbuf = self._rmr.rmr_alloc_msg(self.xapp._mrc, len(payload), payload=payload, mtype=wire["mtype"],
                                       gen_transaction_id=not xid, fixed_transaction_id=xid.encode() or None)
        try:
            for _ in range(SEND_RETRIES):
                sbuf = self._rmr.rmr_send_msg(self.xapp._mrc, sbuf)
                if sbuf.contents.state == self._rmr.RMR_OK:
                    return
            raise OSError(f"RMR could not send mtype {wire['mtype']} (state {sbuf.contents.state})")
        finally:
            self.xapp.rmr_free(sbuf)

    def _on_message(self, xapp, summary: dict, sbuf) -> None:
        rmr = self._rmr
        try:
            message = decode({"mtype": summary[rmr.RMR_MS_MSG_TYPE], "payload": json.loads(summary[rmr.RMR_MS_PAYLOAD])})
            xid = summary[rmr.RMR_MS_TRN_ID]
            self._received(message, xid.decode(errors="replace").rstrip("\0") if isinstance(xid, bytes) else str(xid))
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            log.warning("RMR message of type %s dropped: %s", summary.get(rmr.RMR_MS_MSG_TYPE), exc)
        finally:
            xapp.rmr_free(sbuf)

    def _unexpected(self, xapp, summary: dict, sbuf) -> None:
        log.warning("RMR message of type %s has no handler; dropped", summary.get(self._rmr.RMR_MS_MSG_TYPE))
        xapp.rmr_free(sbuf)
