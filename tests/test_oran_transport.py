"""xApps in one process, the E2 node in another (`ranpilot xapp e2 serve`), over TCP on localhost:
subscriptions and indications, atomic controls, digital-twin sync, dropped connections, and the
A1 -> agent -> verifier -> RC control loop across processes."""

import json
import socket
import subprocess
import sys
import time

import httpx
import pytest

from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import CellSleep, RcControlAck, RcControlFailure, RcControlRequest, TxPower, encode
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.transport import TcpTransport
from ranpilot.oran.xapp import XApp
from ranpilot.settings import Settings
from tests.a1_helpers import BASE, URLLC_SLA, serving, wait_report
from tests.e2_helpers import complete_e2_setup


def start_node(tmp_path) -> tuple[subprocess.Popen, tuple[str, int]]:
    config = tmp_path / "net.json"
    config.write_text(json.dumps({"num_ues": 210}))
    proc = subprocess.Popen([sys.executable, "-m", "ranpilot.cli", "xapp", "e2", "serve", "--port", "0",
                             "--config", str(config), "--seed", "1"], stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline()  # "E2 node gnb-sim-1 listening on HOST:PORT"
    assert "listening on" in line, line
    host, port = line.rsplit(" ", 1)[1].strip().rsplit(":", 1)
    return proc, (host, int(port))


@pytest.fixture(scope="module")
def node(tmp_path_factory):
    proc, address = start_node(tmp_path_factory.mktemp("node"))
    yield address
    proc.terminate()
    proc.wait(timeout=10)


class Recorder(XApp):
    def __init__(self):
        self.indications = []

    def start(self, runtime):
        super().start(runtime)
        runtime.subscribe(self, 1000, ["DRB.UEThpDl", "RRU.PrbUsedDl"], per_ue=True)

    def on_indication(self, indication):
        self.indications.append(indication)


def control(runtime, request_id, *actions):
    return runtime.send_control(RcControlRequest(meid=runtime.meid, request_id=request_id, actions=list(actions)))


def test_an_xapp_in_another_process_subscribes_controls_and_keeps_an_exact_twin(node):
    xapp, observer = Recorder(), RemoteRuntime(TcpTransport(*node), [])
    runtime = RemoteRuntime(TcpTransport(*node), [xapp])
    runtime.step(3)
    assert len(xapp.indications) == 3 and len(xapp.indications[0].ueMeasData) == 210
    assert set(xapp.indications[-1].measData) == {str(c) for c in range(21)}
    observer.sync()
    assert runtime.network.state.equals(observer.network.state)  # the twin is the node's exact state

    before = runtime.network.configuration()
    bad = control(runtime, "bad", TxPower(cell=0, txPowerDbm=40.0), CellSleep(cell=99, asleep=True))
    assert isinstance(bad, RcControlFailure) and "unknown cell 99" in bad.cause
    observer.sync()
    assert observer.network.configuration().equals(before)  # all or nothing: cell 0 kept its power

    assert isinstance(control(runtime, "ok", TxPower(cell=0, txPowerDbm=40.0)), RcControlAck)
    assert runtime.network.configuration().tx_power_dbm[0] == 40.0  # the twin syncs on the read after the ack
    observer.sync()
    assert observer.network.configuration().tx_power_dbm[0] == 40.0
    assert isinstance(control(runtime, "undo", TxPower(cell=0, txPowerDbm=before.tx_power_dbm[0])), RcControlAck)
    runtime.close()
    observer.close()


def test_a_dropped_connection_never_leaves_the_node_half_configured(node):
    observer = RemoteRuntime(TcpTransport(*node), [])
    before = observer.network.configuration()
    request = RcControlRequest(meid=observer.meid, request_id="cut", actions=[
        TxPower(cell=3, txPowerDbm=30.0), CellSleep(cell=4, asleep=True)])
    line = (json.dumps({**encode(request), "xid": "1"}) + "\n").encode()

    with socket.create_connection(node) as raw:  # the connection drops mid-request
        raw.sendall(line[: len(line) // 2])
    observer.sync()
    assert observer.network.configuration().equals(before)  # a partial request is never acted on

    with socket.create_connection(node) as raw:  # drops right after a whole request: all of it lands
        complete_e2_setup(raw)
        raw.sendall(line)
        raw.recv(1)
    observer.sync()
    after = observer.network.configuration()
    assert after.tx_power_dbm[3] == 30.0 and after.asleep[4]

    with socket.create_connection(node) as raw:  # a malformed control is answered with its cause
        complete_e2_setup(raw)
        bad = {**encode(request), "xid": "2"}
        bad["payload"]["actions"][0]["cell"] = "three"
        raw.sendall((json.dumps(bad) + "\n").encode())
        reply = json.loads(raw.makefile("rb").readline())
    assert reply["mtype"] == 12042 and reply["xid"] == "2" and "malformed request" in reply["payload"]["cause"]

    undo = RcControlRequest(meid=observer.meid, request_id="undo", actions=[
        TxPower(cell=3, txPowerDbm=before.tx_power_dbm[3]), CellSleep(cell=4, asleep=False)])
    assert isinstance(observer.send_control(undo), RcControlAck)
    assert observer.network.configuration().equals(before)
    observer.close()


def test_agent_xapp_enforces_an_a1_policy_on_a_node_in_another_process(node, tmp_path):
    stack = ranpilot_stack(None, Settings(data_dir=tmp_path), with_knowledge=False, transport=TcpTransport(*node))
    observer = RemoteRuntime(TcpTransport(*node), [])
    stack.runtime.step(2)
    assert stack.xapp.last_indication is not None  # KPM over TCP
    before = observer.network.configuration()
    with serving(stack.app) as url, httpx.Client(base_url=url, timeout=60) as client:
        assert client.put(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/remote-1", json=URLLC_SLA).status_code == 201
        status = wait_report(client, "remote-1")
    assert status["enforceStatus"] == "ENFORCED" and status["fulfilmentStatus"] == "FULFILLED"
    observer.sync()
    assert not observer.network.configuration().equals(before)  # RC controls reached the other process
    assert stack.runtime.network.configuration().equals(observer.network.configuration())
    stack.runtime.close()
    observer.close()


def test_when_the_node_goes_away_the_agent_reports_failure_and_nothing_escapes(tmp_path):
    proc, address = start_node(tmp_path)
    stack = ranpilot_stack(None, Settings(data_dir=tmp_path), with_knowledge=False, transport=TcpTransport(*address))
    proc.kill()
    proc.wait(timeout=10)
    from ranpilot.oran.messages import A1PolicyRequest

    request = A1PolicyRequest(operation="CREATE", policy_type_id=21101, policy_instance_id="gone", payload=URLLC_SLA)
    reply = stack.runtime.a1(request)
    status = stack.xapp.status("gone")
    assert status.enforceStatus == "NOT_ENFORCED" and "lost" in status.detail, (reply, status)


def test_a_free_running_node_pushes_indications_without_being_stepped():
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.oran.e2.node import SimulatedE2Node
    from ranpilot.oran.e2.server import E2NodeServer

    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=2)), port=0, tick_s=0.02)
    server.start()
    xapp = Recorder()
    runtime = RemoteRuntime(TcpTransport(*server.address), [xapp])
    deadline = time.time() + 20
    while len(xapp.indications) < 3 and time.time() < deadline:
        runtime.poll(timeout_s=0.5)
    times = [i.collectStartTime for i in xapp.indications]
    assert len(times) >= 3 and times == sorted(times) and times[-1] > times[0]  # the node's own clock moved
    assert runtime.network.time_s >= times[-1]  # the twin follows the node it has not stepped
    runtime.close()
    deadline = time.time() + 5
    while server.service.owners and time.time() < deadline:  # the node notices the closed connection
        time.sleep(0.02)
    assert server.service.owners == {} and server.node.subscriptions == {}  # the subscription ended with it
    server.close()


def test_after_a_lost_connection_the_runtime_reconnects_and_resubscribes():
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.oran.e2.node import SimulatedE2Node
    from ranpilot.oran.e2.server import E2NodeServer
    from ranpilot.oran.transport import E2ConnectionLost

    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=3)), port=0)
    server.start()
    xapp = Recorder()
    runtime = RemoteRuntime(TcpTransport(*server.address), [xapp])
    runtime.step(2)
    for sock in list(server.connections):  # the network drops the connection; the node lives on
        sock.shutdown(socket.SHUT_RDWR)
    with pytest.raises(E2ConnectionLost):
        runtime.step(1)
    failure = control(runtime, "in-flight", TxPower(cell=0, txPowerDbm=40.0))
    assert isinstance(failure, RcControlFailure) and "lost" in failure.cause
    runtime.reconnect()
    deadline = time.time() + 5
    while len(server.node.subscriptions) > 1 and time.time() < deadline:  # the node notices the old connection end
        time.sleep(0.02)
    assert list(server.node.subscriptions) == list(runtime._subscribers)  # the old subscription ended, one renewed
    runtime.step(2)
    assert len(xapp.indications) == 4 and xapp.indications[-1].collectStartTime == runtime.network.time_s
    assert isinstance(control(runtime, "after", TxPower(cell=0, txPowerDbm=40.0)), RcControlAck)
    assert server.node.network.configuration().tx_power_dbm[0] == 40.0
    runtime.close()
    server.close()
