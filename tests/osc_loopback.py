"""Run the ranpilot agent xApp inside ricxappframe's RMRXapp against a simulated E2 node in this
process, and print one JSON summary. Two ways to carry the messages:
- stub (default): RMR's C binding replaced by a stub, messages looped back in Python;
- --real-rmr: RMR's C library (librmr_si.so) with a static route table, the node on its own
  RMR port: a true RMR loopback.

Run by tests/test_oran_osc.py in its own process: the framework's generated protobuf modules
need protobuf's pure-Python implementation chosen before protobuf is first imported.

Usage: python tests/osc_loopback.py DATA_DIR [--real-rmr]
"""

import json
import os
import queue
import sys
import threading
import time
import types
from pathlib import Path

import pytest


def stub_rmr_c_binding() -> None:
    """Stand in for ricxappframe.rmr.rmrclib.rmrclib, which loads librmr_si.so with ctypes."""

    class Function:
        argtypes = restype = None

        def __call__(self, *args):
            raise RuntimeError("the RMR C library is stubbed; this call should have been patched")

    class Library:
        def __getattr__(self, name):
            setattr(self, name, Function())
            return getattr(self, name)

    binding = types.ModuleType("ricxappframe.rmr.rmrclib.rmrclib")
    binding.rmr_c_lib = Library()
    binding.get_constants = lambda cache={}: {"RMR_MAX_RCV_BYTES": 65536, "RMR_OK": 0, "RMR_ERR_TIMEOUT": 12,
                                              "RMR_ERR_RETRY": 10, "RMR_ERR_NOENDPT": 2, "RMR_MAX_XID": 32}
    binding.state_to_status = lambda state: "RMR_OK" if state == 0 else "RMR_ERR_TIMEOUT"
    sys.modules["ricxappframe.rmr.rmrclib.rmrclib"] = binding


class Loopback:
    """RMR's routing, reduced to: requests go to the node service, replies and indications come back."""

    def __init__(self, service):
        self.service, self.inbox, self.a1_replies = service, queue.Queue(), []

    def inject(self, message):  # as the A1 mediator would send it
        self.send(message, "a1-mediator-1")

    def send(self, message, xid=""):  # the node service's peer: indications and replies to the xApp
        from ranpilot.oran.messages import encode

        wire = encode(message)
        self.inbox.put((wire["mtype"], json.dumps(wire["payload"]).encode(), xid.encode()))

    def rmr_send_msg(self, _mrc, sbuf):
        from ranpilot.oran.messages import A1PolicyResponse, decode

        c = sbuf.contents
        message = decode({"mtype": c.mtype, "payload": json.loads(c.payload)})
        if isinstance(message, A1PolicyResponse):
            self.a1_replies.append(message.model_dump())
        elif (reply := self.service.handle(self, message)) is not None:
            self.send(reply, c.xaction.decode())
        c.state = 0
        return sbuf

    def rmr_torcv_msg(self, _mrc, sbuf, timeout_ms=0):
        c = sbuf.contents
        try:
            c.mtype, c.payload, c.xaction = self.inbox.get(timeout=min(timeout_ms, 50) / 1000)
            c.len, c.state = len(c.payload), 0
        except queue.Empty:
            c.state = 12
        return sbuf


class RmrNode:
    """The node side of a real RMR loopback: its own RMR context and port, the node service behind it."""

    def __init__(self, service, port: int):
        from ricxappframe.rmr import rmr

        self.rmr, self.service, self.a1_replies = rmr, service, []
        self.mrc = rmr.rmr_init(str(port).encode(), rmr.RMR_MAX_RCV_BYTES, rmr.RMRFL_MTCALL)
        while rmr.rmr_ready(self.mrc) == 0:
            time.sleep(0.1)
        threading.Thread(target=self._serve, daemon=True).start()

    def send(self, message, xid=""):
        from ranpilot.oran.messages import encode

        wire = encode(message)
        payload = json.dumps(wire["payload"]).encode()
        sbuf = self.rmr.rmr_alloc_msg(self.mrc, len(payload), payload=payload, mtype=wire["mtype"],
                                      fixed_transaction_id=xid.encode() or None, gen_transaction_id=not xid)
        self.rmr.rmr_free_msg(self.rmr.rmr_send_msg(self.mrc, sbuf))

    inject = send

    def _serve(self):
        from ricxappframe.rmr import helpers

        from ranpilot.oran.messages import A1PolicyResponse, decode

        while True:
            for summary, sbuf in helpers.rmr_rcvall_msgs_raw(self.mrc, timeout=100):
                message = decode({"mtype": summary[self.rmr.RMR_MS_MSG_TYPE],
                                  "payload": json.loads(summary[self.rmr.RMR_MS_PAYLOAD])})
                self.rmr.rmr_free_msg(sbuf)
                if isinstance(message, A1PolicyResponse):
                    self.a1_replies.append(message.model_dump())
                elif (reply := self.service.handle(self, message)) is not None:
                    self.send(reply, summary[self.rmr.RMR_MS_TRN_ID].decode().rstrip("\0"))


def route_table(path: Path, xapp_port: int, node_port: int) -> None:
    """Static RMR routes: requests to the node, replies and indications (and A1) to the xApp."""
    to_node = (12010, 12040, 40010, 40020, 20011)
    to_xapp = (12011, 12012, 12041, 12042, 12050, 40011, 40021, 20010)
    rows = [f"rte|{m}|127.0.0.1:{node_port}" for m in to_node] + [f"rte|{m}|127.0.0.1:{xapp_port}" for m in to_xapp]
    path.write_text("newrt|start\n" + "\n".join(rows) + "\nnewrt|end\n")


def main(data_dir: str, real_rmr: bool) -> None:
    if real_rmr:
        route_table(Path(data_dir) / "routes.rt", 4560, 4561)
        os.environ.update(RMR_SEED_RT=str(Path(data_dir) / "routes.rt"), RMR_RTG_SVC="-1")
    else:
        stub_rmr_c_binding()
    from ranpilot.planning.embedded import EmbeddedPlanner
    from ranpilot.agents.runner import AgentRunner
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.oran.agent_xapp import RanpilotXApp
    from ranpilot.oran.e2.node import SimulatedE2Node
    from ranpilot.oran.e2.service import NodeService
    from ranpilot.oran.messages import A1PolicyRequest, RcControlRequest, TxPower
    from ranpilot.oran.osc import RmrTransport
    from ranpilot.oran.remote import RemoteRuntime
    from ranpilot.settings import Settings

    node = SimulatedE2Node(Network(NetworkConfig(num_ues=210), seed=1))
    patch = pytest.MonkeyPatch()
    if real_rmr:
        loop = RmrNode(NodeService(node), 4561)
    else:
        from ricxappframe.rmr.rmr_mocks import rmr_mocks

        loop = Loopback(NodeService(node))
        rmr_mocks.patch_rmr(patch)  # the framework's own buffer mocks
        for name, value in {"rmr_init": lambda *a: object(), "rmr_ready": lambda _: 1, "rmr_close": lambda _: None,
                            "get_xaction": lambda sbuf: sbuf.contents.xaction, "rmr_send_msg": loop.rmr_send_msg,
                            "rmr_torcv_msg": loop.rmr_torcv_msg}.items():
            patch.setattr(f"ricxappframe.rmr.rmr.{name}", value)

    xapp = RanpilotXApp(AgentRunner(Settings(data_dir=data_dir), EmbeddedPlanner(), with_knowledge=False))
    runtime = RemoteRuntime(RmrTransport(rmr_port=4560, wait_for_ready=real_rmr), [xapp])
    runtime.step(2)
    before = node.network.configuration()
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="bad", actions=[TxPower(cell=99, txPowerDbm=40)]))
    policy = A1PolicyRequest(operation="CREATE", policy_type_id="ORAN_SliceSLATarget_1.0.0", policy_instance_id="osc-1",
                             payload={"scope": {"sliceId": {"sst": 2}}, "sliceSlaObjectives": {"maxDlLatency": 10}})
    loop.inject(policy)  # from the A1 mediator
    runtime.poll(timeout_s=10)
    status = xapp.status("osc-1")
    print(json.dumps({"indication_cells": len(xapp.last_indication.measData) if xapp.last_indication else 0,
                      "bad_cause": getattr(bad, "cause", ""), "a1_replies": loop.a1_replies,
                      "fulfilment": status.get("fulfilmentStatus"), "node_changed": not node.network.configuration().equals(before),
                      "twin_matches_node": runtime.network.state.equals(node.network.state)}))
    runtime.close()
    patch.undo()


if __name__ == "__main__":
    main(sys.argv[1], "--real-rmr" in sys.argv[2:])
