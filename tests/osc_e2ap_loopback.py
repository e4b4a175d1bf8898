"""An xApp inside ricxappframe's RMRXapp on the asn1 wire, against a stand-in for e2term and the
simulated E2 node behind it, with RMR's C binding stubbed (osc_loopback's stub); prints one JSON
summary of what crossed RMR. The E2 messages' RMR payloads must be E2AP PDUs both ways, as e2term
forwards them; ranpilot's simulation extensions (twin, clock) keep their JSON.

Run by tests/test_oran_e2_wire.py in its own process (the framework's protobuf modules need the
pure-Python implementation chosen before protobuf is first imported).

Usage: python tests/osc_e2ap_loopback.py
"""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))
from osc_loopback import Loopback, stub_rmr_c_binding  # noqa: E402  (a test helper beside this one)


class E2term(Loopback):
    """RMR's routing with e2term's payloads: E2 messages cross as E2AP, each recorded by its E2AP name."""

    def __init__(self, service, meid: str):
        from ranpilot.oran.wire import E2apWire

        super().__init__(service)
        self.wire, self.to_node, self.to_xapp = E2apWire(meid), [], []

    def send(self, message, xid=""):  # the node's peer: replies and indications to the xApp
        for mtype, payload in self.wire.payloads(message, xid):
            self.to_xapp.append(describe(mtype, payload))
            self.inbox.put((mtype, payload, xid.encode()))

    def rmr_send_msg(self, _mrc, sbuf):
        c = sbuf.contents
        payload, xid = bytes(c.payload), c.xaction.decode()
        self.to_node.append(describe(c.mtype, payload))
        if not self.mediator.receive(c.mtype, payload):
            if (reply := self.service.handle(self, self.wire.message(c.mtype, payload, xid))) is not None:
                self.send(reply, xid)
        c.state = 0
        return sbuf


def describe(mtype: int, payload: bytes) -> str:
    """The E2AP message a payload holds, or `json` for a JSON payload."""
    from ranpilot.oran.e2.asn1.codec import decode
    from ranpilot.oran.wire import E2_MTYPES

    return decode(payload).message if mtype in E2_MTYPES else "json"


def main() -> None:
    stub_rmr_c_binding()
    from ricxappframe.rmr.rmr_mocks import rmr_mocks

    from ranpilot.network import Network, NetworkConfig
    from ranpilot.oran.e2.node import SimulatedE2Node
    from ranpilot.oran.e2.service import NodeService
    from ranpilot.oran.messages import RcControlRequest, TxPower
    from ranpilot.oran.osc import RmrTransport
    from ranpilot.oran.remote import RemoteRuntime
    from ranpilot.oran.xapp import XApp

    class Recorder(XApp):
        def start(self, runtime):
            super().start(runtime)
            self.indications = []
            runtime.subscribe(self, 1000, ["DRB.UEThpDl", "RRU.PrbUsedDl"], per_ue=True)

        def on_indication(self, indication):
            self.indications.append(indication)

    node = SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=1))
    loop, patch = E2term(NodeService(node), node.meid), pytest.MonkeyPatch()
    rmr_mocks.patch_rmr(patch)
    for name, value in {"rmr_init": lambda *a: object(), "rmr_ready": lambda _: 1, "rmr_close": lambda _: None,
                        "get_xaction": lambda sbuf: sbuf.contents.xaction, "rmr_send_msg": loop.rmr_send_msg,
                        "rmr_torcv_msg": loop.rmr_torcv_msg}.items():
        patch.setattr(f"ricxappframe.rmr.rmr.{name}", value)
    xapp = Recorder()
    runtime = RemoteRuntime(RmrTransport(rmr_port=4560, wait_for_ready=False, policy_types=(), wire="asn1"), [xapp])
    runtime.step(2)
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="bad", actions=[TxPower(cell=99, txPowerDbm=40)]))
    ok = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="ok", actions=[TxPower(cell=0, txPowerDbm=40)]))
    print(json.dumps({"to_node": loop.to_node, "to_xapp": loop.to_xapp, "reports": len(xapp.indications),
                      "objects": len(xapp.indications[-1].measData), "ues": len(xapp.indications[-1].ueMeasData),
                      "bad": [type(bad).__name__, bad.request_id, getattr(bad, "cause", "")],
                      "ok": [type(ok).__name__, ok.request_id], "power": float(node.network.configuration().tx_power_dbm[0])}))
    runtime.close()
    patch.undo()


if __name__ == "__main__":
    main()
