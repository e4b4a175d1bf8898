"""Run the ranpilot agent xApp inside ricxappframe's RMRXapp against a simulated E2 node in this
process, with a stand-in for the O-RAN SC A1 mediator that writes and reads A1 messages exactly as
ric-plt-a1's Go code does (`a1_helpers`), and print one JSON summary. Two ways to carry them:
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


class Mediator:
    """The A1 mediator's side of RMR: the policies it stores, A1_POLICY_REQ bytes built as its Go
    code builds them, A1_POLICY_RESP and A1_POLICY_QUERY read as its Go code reads them (a query
    is answered with a CREATE per stored instance of the type, as rmr.go does)."""

    def __init__(self, send_raw):
        self.send_raw, self.policies, self.replies, self.queries = send_raw, {}, [], []

    def send_policy(self, type_id, instance_id, body, operation):
        from a1_helpers import mediator_policy_message

        self.send_raw(20010, mediator_policy_message(type_id, instance_id, body, operation))

    def receive(self, mtype, payload) -> bool:
        """Handle an A1 message from the xApp; False for anything else."""
        from a1_helpers import mediator_reads_query, mediator_reads_response

        if mtype == 20011:
            type_id, instance_id, handler, status = mediator_reads_response(payload)
            self.replies.append({"policy_type_id": type_id, "policy_instance_id": instance_id, "status": status})
        elif mtype == 20012:
            type_id = mediator_reads_query(payload)
            self.queries.append(type_id)
            for instance_id, body in self.policies.get(type_id, {}).items():
                self.send_policy(type_id, instance_id, body, "CREATE")
        return mtype in (20011, 20012)


class Loopback:
    """RMR's routing, reduced to: requests go to the node service (A1 ones to the mediator),
    replies and indications come back."""

    def __init__(self, service):
        self.service, self.inbox = service, queue.Queue()
        self.mediator = Mediator(lambda mtype, payload: self.inbox.put((mtype, payload, b"")))

    def send(self, message, xid=""):  # the node service's peer: indications and replies to the xApp
        from ranpilot.oran.messages import encode

        wire = encode(message)
        self.inbox.put((wire["mtype"], json.dumps(wire["payload"]).encode(), xid.encode()))

    def rmr_send_msg(self, _mrc, sbuf):
        from ranpilot.oran.messages import decode

        c = sbuf.contents
        if not self.mediator.receive(c.mtype, c.payload):
            message = decode({"mtype": c.mtype, "payload": json.loads(c.payload)})
            if (reply := self.service.handle(self, message)) is not None:
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

        self.rmr, self.service = rmr, service
        self.mediator = Mediator(self._send_raw)
        self.mrc = rmr.rmr_init(str(port).encode(), rmr.RMR_MAX_RCV_BYTES, rmr.RMRFL_MTCALL)
        while rmr.rmr_ready(self.mrc) == 0:
            time.sleep(0.1)
        threading.Thread(target=self._serve, daemon=True).start()

    def send(self, message, xid=""):
        from ranpilot.oran.messages import encode

        wire = encode(message)
        self._send_raw(wire["mtype"], json.dumps(wire["payload"]).encode(), xid)

    def _send_raw(self, mtype, payload, xid=""):
        sbuf = self.rmr.rmr_alloc_msg(self.mrc, len(payload), payload=payload, mtype=mtype,
                                      fixed_transaction_id=xid.encode() or None, gen_transaction_id=not xid)
        self.rmr.rmr_free_msg(self.rmr.rmr_send_msg(self.mrc, sbuf))

    def _serve(self):
        from ricxappframe.rmr import helpers

        from ranpilot.oran.messages import decode

        while True:
            for summary, sbuf in helpers.rmr_rcvall_msgs_raw(self.mrc, timeout=100):
                mtype, payload = summary[self.rmr.RMR_MS_MSG_TYPE], summary[self.rmr.RMR_MS_PAYLOAD]
                self.rmr.rmr_free_msg(sbuf)
                if self.mediator.receive(mtype, payload):
                    continue
                message = decode({"mtype": mtype, "payload": json.loads(payload)})
                if (reply := self.service.handle(self, message)) is not None:
                    self.send(reply, summary[self.rmr.RMR_MS_TRN_ID].decode().rstrip("\0"))


def route_table(path: Path, xapp_port: int, node_port: int) -> None:
    """Static RMR routes: requests to the node, replies and indications (and A1) to the xApp."""
    to_node = (12010, 12040, 34010, 34020, 20011, 20012)
    to_xapp = (12011, 12012, 12041, 12042, 12050, 34011, 34021, 20010)
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
    from ranpilot.oran.messages import RcControlRequest, TxPower
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

    from a1_helpers import URLLC_SLA

    # created at the mediator while the xApp was down: the xApp's start-up A1_POLICY_QUERY brings it
    loop.mediator.policies[21101] = {"osc-1": URLLC_SLA}
    xapp = RanpilotXApp(AgentRunner(Settings(data_dir=data_dir), EmbeddedPlanner(), with_knowledge=False))
    before = node.network.configuration()
    runtime = RemoteRuntime(RmrTransport(rmr_port=4560, wait_for_ready=real_rmr), [xapp])
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="bad", actions=[TxPower(cell=99, txPowerDbm=40)]))
    deadline = time.time() + 30
    while not xapp.results and time.time() < deadline:
        runtime.step(1)  # delivers the mediator's answers to the query
        time.sleep(0.05)
    status = xapp.status("osc-1")
    changed = not node.network.configuration().equals(before)
    loop.mediator.send_policy(21101, "osc-1", None, "DELETE")  # as the mediator sends a DELETE: payload ""
    runtime.poll(timeout_s=10)
    print(json.dumps({"indication_cells": len(xapp.last_indication.measData) if xapp.last_indication else 0,
                      "bad_cause": getattr(bad, "cause", ""), "a1_replies": loop.mediator.replies,
                      "a1_queries": loop.mediator.queries, "fulfilment": status.fulfilmentStatus,
                      "node_changed": changed, "twin_matches_node": runtime.network.state.equals(node.network.state)}))
    runtime.close()
    patch.undo()


if __name__ == "__main__":
    main(sys.argv[1], "--real-rmr" in sys.argv[2:])
