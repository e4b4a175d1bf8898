"""The simulated E2 node and the xApp runtimes on either wire (json, asn1 = E2AP in aligned PER), and
the KPM names, units and levels the node reports (TS 28.552 / E2SM-KPM, as srsRAN's gNB does)."""

import importlib.util
import json
import math
import os
import socket
import struct
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.e2.server import E2NodeServer
from ranpilot.oran.messages import CellSleep, E2SetupRequest, RcControlAck, RcControlFailure, RcControlRequest, TxPower
from ranpilot.oran.wire import E2apWire
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.transport import E2ConnectionLost, TcpTransport
from ranpilot.oran.xapp import InProcessRuntime, XApp
from tests.e2_helpers import complete_e2_setup

ROOT = Path(__file__).resolve().parents[1]
MEASUREMENTS = ["DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbTotDl", "DRB.RlcSduDelayDl", "L1M.DL-SS-RSRP", "PEE.AvgPower",
                "L1M.DL-SS-SINR", "CQI"]


class Recorder(XApp):
    def __init__(self):
        self.indications = []

    def start(self, runtime):
        super().start(runtime)
        runtime.subscribe(self, 1000, MEASUREMENTS, per_ue=True)

    def on_indication(self, indication):
        self.indications.append(indication)


def test_the_node_reports_kpm_in_ts_28552_units_at_the_level_a_gnb_does():
    network = Network(NetworkConfig(num_ues=42), seed=1)
    node = SimulatedE2Node(network)
    network.step()
    indication = node.indication(node.subscribe(1000, MEASUREMENTS, per_ue=True))
    obs = network.observe()
    cell = obs.cells[0].measurements
    reported = indication.measData["0"]
    assert reported["DRB.RlcSduDelayDl"] == pytest.approx(10 * cell["DRB.RlcSduDelayDl"])  # 0.1 ms, the network's ms
    assert reported["L1M.DL-SS-RSRP"] == pytest.approx(cell["L1M.SS-RSRP"])  # the mean RSRP, by its 28.552 name
    assert reported["RRU.PrbUsedDl"] == round(cell["RRU.PrbUsedDl"]) and reported["RRU.PrbTotDl"] == round(cell["RRU.PrbTotDl"])
    assert "PEE.AvgPower" not in reported  # measured per managed element, not per cell
    total = sum(c.measurements["PEE.AvgPower"] for c in obs.cells)
    assert indication.measData["gnb-sim-1"] == {"PEE.AvgPower": pytest.approx(total)}
    radio = network.radio()
    ue = indication.ueMeasData[5]
    assert ue.measurements["DRB.UEThpDl"] == pytest.approx(radio.thp_bps[5] / 1e3)  # kbit/s
    assert ue.measurements["L1M.DL-SS-SINR"] == pytest.approx(radio.sinr_db[5])
    assert ue.measurements["CQI"] == radio.cqi[5] and set(ue.measurements) == {"DRB.UEThpDl", "L1M.DL-SS-RSRP",
                                                                             "L1M.DL-SS-SINR", "CQI"}
    with pytest.raises(SubscriptionError, match="L1M.SS-RSRP is now L1M.DL-SS-RSRP"):
        node.subscribe(1000, ["L1M.SS-RSRP"])


def same_values(a: dict, b: dict) -> bool:
    return a.keys() == b.keys() and all(math.isclose(a[k], b[k]) or (math.isnan(a[k]) and math.isnan(b[k])) for k in a)


@pytest.mark.parametrize("wire", ["json", "asn1"])
def test_an_in_process_runtime_delivers_the_same_reports_on_either_wire(wire):
    node = SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=1))
    xapp = Recorder()
    runtime = InProcessRuntime(node, [xapp], wire)
    runtime.step(2)
    assert len(xapp.indications) == 2  # a report's pieces arrive as one indication
    last = xapp.indications[-1]
    expected = node.indication(next(iter(node.subscriptions.values())))  # what the node measures now
    assert last.measData.keys() == expected.measData.keys() == {*map(str, range(21)), "gnb-sim-1"}
    assert all(same_values(last.measData[k], expected.measData[k]) for k in expected.measData)
    assert sorted((u.ueId, u.servingCell) for u in last.ueMeasData) == [(u.ueId, u.servingCell) for u in expected.ueMeasData]
    bad = runtime.send_control(RcControlRequest(meid="gnb-sim-1", request_id="bad", actions=[TxPower(cell=0, txPowerDbm=55.0)]))
    assert isinstance(bad, RcControlFailure) and bad.request_id == "bad" and "txPowerDbm: 55" in bad.cause
    ok = runtime.send_control(RcControlRequest(meid="gnb-sim-1", request_id="ok", actions=[
        TxPower(cell=0, txPowerDbm=40.0), CellSleep(cell=3, asleep=True)]))
    assert ok == RcControlAck(request_id="ok")
    assert node.network.configuration().tx_power_dbm[0] == 40.0 and node.network.configuration().asleep[3]
    with pytest.raises(SubscriptionError):
        runtime.subscribe(xapp, 1000, ["DRB.UEThpUl"])


@pytest.fixture
def asn1_server():
    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=2)), port=0, wire="asn1")
    server.start()
    yield server
    server.close()


def test_an_xapp_over_tcp_speaks_e2ap_to_the_node(asn1_server):
    xapp = Recorder()
    runtime = RemoteRuntime(TcpTransport(*asn1_server.address, wire="asn1"), [xapp])
    runtime.step(3)
    assert len(xapp.indications) == 3 and len(xapp.indications[0].ueMeasData) == 42
    assert set(xapp.indications[-1].measData) == {*map(str, range(21)), "gnb-sim-1"}
    assert xapp.indications[0].subscription_id.startswith("ric-1-")  # named by its RIC request id
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="b", actions=[CellSleep(cell=99, asleep=True)]))
    assert isinstance(bad, RcControlFailure) and "unknown cell 99" in bad.cause
    ok = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="k", actions=[TxPower(cell=1, txPowerDbm=38.0)]))
    assert ok == RcControlAck(request_id="k") and runtime.network.configuration().tx_power_dbm[1] == 38.0
    assert runtime.network.state.equals(asn1_server.node.network.state)  # the twin still syncs (JSON extension)
    runtime.close()


def test_a_control_the_node_cannot_read_is_answered_with_its_ric_request_id(asn1_server):
    from ranpilot.oran.e2.asn1.codec import Ie, Pdu, encode, encode_type
    from ranpilot.oran.wire import E2apWire

    header = encode_type("E2SM-RC-ControlHeader", {"ric-controlHeader-formats": ("controlHeader-Format1", {
        "ueID": ("gNB-DU-UEID", {"gNB-CU-UE-F1AP-ID": 0}), "ric-Style-Type": 1000, "ric-ControlAction-ID": 99})})
    message = encode_type("E2SM-RC-ControlMessage", {"ric-controlMessage-formats": ("controlMessage-Format1", {"ranP-List": []})})
    pdu = encode(Pdu("RICcontrolRequest", [Ie("RICrequestID", {"ricRequestorID": 5, "ricInstanceID": 6}),
                                           Ie("RANfunctionID", 3), Ie("RICcontrolHeader", header),
                                           Ie("RICcontrolMessage", message)]))
    with socket.create_connection(asn1_server.address, timeout=5) as raw:
        complete_e2_setup(raw, E2apWire())
        raw.sendall(struct.pack(">IB", 12040, 1) + b"7" + struct.pack(">I", len(pdu)) + pdu)
        reply = E2apWire().read(raw.makefile("rb"))
    assert reply.xid == "7" and isinstance(reply.message, RcControlFailure)
    assert reply.message.request_id == "ric-5-6" and "style 1000 action 99 is not one ranpilot controls" in reply.message.cause


def test_a_client_on_the_other_wire_is_cut_off_without_effect(asn1_server):
    before = asn1_server.node.network.configuration()
    with pytest.raises(E2ConnectionLost):
        RemoteRuntime(TcpTransport(*asn1_server.address, timeout_s=5), [])  # a JSON client
    with socket.create_connection(asn1_server.address, timeout=5) as raw:
        raw.sendall(b'{"mtype": 12040, "xid": "1", "payload": {}}\n')
        stream = raw.makefile("rb")
        assert isinstance(E2apWire().read(stream).message, E2SetupRequest)  # the node's first frame, E2 Setup
        assert stream.read() == b""  # then closed without an answer
    assert asn1_server.node.network.configuration().equals(before)
    json_server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=21))), port=0)
    json_server.start()
    with pytest.raises(E2ConnectionLost, match="lost"):  # cut off at once, not after the 30 s reply timeout
        RemoteRuntime(TcpTransport(*json_server.address, wire="asn1"), [])
    json_server.close()
    with pytest.raises(ValueError, match="unknown wire 'xml'"):
        E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=21))), port=0, wire="xml")


USER_XAPP = """
from ranpilot.oran.xapp import XApp


class Printer(XApp):
    def start(self, runtime):
        super().start(runtime)
        runtime.subscribe(self, 1000, ["DRB.UEThpDl", "PEE.AvgPower"], per_ue=True)

    def on_indication(self, indication):
        print(f"{indication.subscription_id}: {len(indication.measData)} objects, {len(indication.ueMeasData)} UEs")
"""


def test_the_cli_serves_and_hosts_on_the_asn1_wire(tmp_path):
    config = tmp_path / "net.json"
    config.write_text(json.dumps({"num_ues": 42}))
    (tmp_path / "my_xapps.py").write_text(USER_XAPP)
    serve = subprocess.Popen([sys.executable, "-m", "ranpilot.cli", "xapp", "e2", "serve", "--port", "0", "--wire",
                              "asn1", "--config", str(config), "--seed", "1"], stdout=subprocess.PIPE, text=True)
    try:
        line = serve.stdout.readline()
        assert "listening on" in line, line
        run = subprocess.run([sys.executable, "-m", "ranpilot.cli", "xapp", "run", "--agent", "my_xapps:Printer",
                              "--e2", line.rsplit(" ", 1)[1].strip(), "--wire", "asn1", "--steps", "2"],
                             capture_output=True, text=True, timeout=300,
                             env={**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])})
        assert run.returncode == 0, run.stderr[-2000:]
        assert run.stdout.count("ric-1-1: 22 objects, 42 UEs") == 3 and "t = 3 s" in run.stdout
    finally:
        serve.terminate()
        serve.wait(timeout=10)
    wrong = subprocess.run([sys.executable, "-m", "ranpilot.cli", "xapp", "run", "--wire", "xml"], capture_output=True,
                           text=True, timeout=120)
    assert wrong.returncode == 2 and "xml" in wrong.stderr


def test_kpm_integer_values_are_rounded_and_nan_is_reported_as_no_value():
    from ranpilot.oran.e2 import kpm

    assert kpm.reported("RRU.PrbUsedDl", 12.6) == 13.0 and kpm.reported("DRB.UEThpDl", 12.6) == 12.6
    assert np.isnan(kpm.reported("RRU.PrbTotDl", math.nan))


@pytest.mark.skipif(importlib.util.find_spec("ricxappframe") is None, reason="ricxappframe is not installed "
                    "(pip install 'ranpilot[osc]', then pip install --no-deps ricxappframe==3.2.2 ricsdl==3.1.3)")
def test_the_rmr_transport_carries_e2ap_payloads_as_e2term_does():
    env = {**os.environ, "PROTOCOL_BUFFERS_PYTHON_IMPLEMENTATION": "python"}
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "osc_e2ap_loopback.py")], capture_output=True, text=True,
                          env=env, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-3000:]
    summary = json.loads([line for line in done.stdout.splitlines() if line.startswith('{"to_node"')][-1])
    e2ap_up = [name for name in summary["to_node"] if name != "json"]  # "json": the twin and clock extensions
    assert e2ap_up == ["RICsubscriptionRequest", "RICcontrolRequest", "RICcontrolRequest"]
    e2ap_down = [name for name in summary["to_xapp"] if name != "json"]
    assert e2ap_down[0] == "RICsubscriptionResponse" and e2ap_down[-2:] == ["RICcontrolFailure", "RICcontrolAcknowledge"]
    assert set(e2ap_down[1:-2]) == {"RICindication"} and len(e2ap_down[1:-2]) % 2 == 0  # two reports, per object
    assert (summary["reports"], summary["objects"], summary["ues"]) == (2, 21, 42)
    assert summary["bad"] == ["RcControlFailure", "bad", "actions[0].cell: unknown cell 99; cells are 0..20"]
    assert summary["ok"] == ["RcControlAck", "ok"] and summary["power"] == 40.0
