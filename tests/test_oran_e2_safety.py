"""The E2 node server's safety gate, over TCP: clients authenticate with the token before anything
is acted on, and the node itself refuses controls outside the radio's hardware limits, whoever
sends them (the verifier sits in the xApp, not in front of the node)."""

import json
import os
import socket
import subprocess
import sys

import pytest

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.e2.server import E2NodeServer
from ranpilot.oran.messages import (
    CellIndividualOffset, CellSleep, RcControlAck, RcControlFailure, RcControlRequest, Tilt, TxPower, UePMax, encode,
)
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.transport import E2ConnectionLost, TcpTransport

TOKEN = "e2-test-token-0123456789abcdef"
# What an unauthenticated client applied before: the radio's top power and a whole site asleep.
ATTACK = RcControlRequest(meid="gnb-sim-1", request_id="attack", actions=[
    TxPower(cell=0, txPowerDbm=49.0), CellSleep(cell=3, asleep=True), CellSleep(cell=4, asleep=True),
    CellSleep(cell=5, asleep=True)])


@pytest.fixture
def server():
    from pydantic import SecretStr

    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=4)), port=0, token=SecretStr(TOKEN))
    server.start()
    yield server
    server.close()


def line(message, xid="1") -> bytes:
    return (json.dumps({**encode(message), "xid": xid}) + "\n").encode()


def exchange(address, *lines: bytes) -> list[dict]:
    """Send lines on a raw connection; everything the node answers until it closes (or goes quiet)."""
    with socket.create_connection(address, timeout=5) as raw:
        for data in lines:
            try:
                raw.sendall(data)
            except OSError:
                break
        replies, stream = [], raw.makefile("rb")
        try:
            while reply := stream.readline():
                replies.append(json.loads(reply))
        except OSError:  # quiet: the connection is open, nothing more to read
            pass
    return replies


def test_the_e2_node_acts_only_for_clients_that_send_the_token_first(server, monkeypatch):
    from ranpilot.oran.messages import AUTH_RESP, AuthRequest

    monkeypatch.setattr("ranpilot.oran.e2.server.AUTH_TIMEOUT_S", 1.0)  # a silent client is told why after 1 s

    network = server.node.network
    before = network.configuration()
    (refused,) = exchange(server.address, line(ATTACK))  # no auth line: refused, closed, nothing applied
    assert refused["mtype"] == AUTH_RESP and not refused["payload"]["accepted"]
    assert "authentication required" in refused["payload"]["cause"]
    (wrong,) = exchange(server.address, line(AuthRequest(token="guess-0123456789abcdef")), line(ATTACK, "2"))
    assert wrong["payload"] == {"accepted": False, "cause": "wrong token"}
    assert exchange(server.address, b"not json\n", line(ATTACK, "2"))[0]["payload"]["accepted"] is False
    assert network.configuration().equals(before)

    with pytest.raises(E2ConnectionLost, match="refused the connection: authentication required"):
        RemoteRuntime(TcpTransport(*server.address, timeout_s=5), [])
    with pytest.raises(E2ConnectionLost, match="wrong token"):
        TcpTransport(*server.address, timeout_s=5, token="guess-0123456789abcdef")
    runtime = RemoteRuntime(TcpTransport(*server.address, token=TOKEN), [])
    ok = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="ok", actions=[TxPower(cell=0, txPowerDbm=45.0)]))
    assert isinstance(ok, RcControlAck) and network.configuration().tx_power_dbm[0] == 45.0
    for sock in list(server.connections):  # a reconnection authenticates again
        sock.shutdown(socket.SHUT_RDWR)
    runtime.reconnect()
    assert runtime.network.configuration().tx_power_dbm[0] == 45.0
    runtime.close()


def test_e2_serve_takes_its_token_from_the_settings(tmp_path):
    env = {**os.environ, "RANPILOT_E2_TOKEN": TOKEN, "RANPILOT_DATA_DIR": str(tmp_path)}
    proc = subprocess.Popen([sys.executable, "-m", "ranpilot.cli", "xapp", "e2", "serve", "--port", "0"],
                            stdout=subprocess.PIPE, text=True, env=env)
    try:
        host, port = proc.stdout.readline().rsplit(" ", 1)[1].strip().rsplit(":", 1)
        (refused,) = exchange((host, int(port)), line(ATTACK))
        assert not refused["payload"]["accepted"] and "authentication required" in refused["payload"]["cause"]
        runtime = RemoteRuntime(TcpTransport(host, int(port), token=TOKEN), [])
        assert runtime.network.configuration().tx_power_dbm[0] == 46.0  # nothing of the attack landed
        runtime.close()
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_an_open_e2_server_listens_on_loopback_only():
    from ranpilot.oran.auth import InsecureBind, is_loopback

    node = SimulatedE2Node(Network(NetworkConfig(num_ues=21), seed=1))
    with pytest.raises(InsecureBind, match="RANPILOT_E2_TOKEN"):
        E2NodeServer(node, host="0.0.0.0", port=0)
    assert [is_loopback(h) for h in ("127.0.0.1", "127.8.0.1", "::1", "localhost", "0.0.0.0", "", "10.0.0.1",
                                     "example.net")] == [True, True, True, True, False, False, False, False]


HARDWARE_LIMITS = [  # (controls, the RC field the cause names, a word of the cause)
    ([TxPower(cell=2, txPowerDbm=55.0)], "actions[0].txPowerDbm", "outside"),
    ([TxPower(cell=2, txPowerDbm=10.0)], "actions[0].txPowerDbm", "outside"),
    ([TxPower(cell=2, txPowerDbm=float("nan"))], "actions[0].txPowerDbm", "not a finite number"),
    ([UePMax(cell=2, pMaxDbm=40.0)], "actions[0].pMaxDbm", "outside"),
    ([UePMax(cell=2, pMaxDbm=-45.0)], "actions[0].pMaxDbm", "outside"),
    ([Tilt(cell=2, tiltDeg=25.0)], "actions[0].tiltDeg", "outside"),
    ([Tilt(cell=2, tiltDeg=-1.0)], "actions[0].tiltDeg", "outside"),
    ([CellIndividualOffset(cell=2, cioDb=30.0)], "actions[0].cioDb", "less than or equal to 24"),
    ([TxPower(cell=-1, txPowerDbm=40.0)], "actions[0].cell", "greater than or equal to 0"),
    ([TxPower(cell=2, txPowerDbm=40.0), TxPower(cell=3, txPowerDbm=49.5)], "actions[1].txPowerDbm", "outside"),
    ([CellSleep(cell=c, asleep=True) for c in range(21)], ".asleep", "at least one cell must stay awake"),
]


@pytest.mark.parametrize("controls,field,cause", HARDWARE_LIMITS, ids=[f"{h[1]}-{i}" for i, h in enumerate(HARDWARE_LIMITS)])
def test_the_node_refuses_controls_outside_hardware_limits_over_tcp(controls, field, cause):
    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=5)), port=0)
    server.start()
    runtime = RemoteRuntime(TcpTransport(*server.address), [])
    before = server.node.network.configuration()
    reply = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="hw", actions=controls))
    assert isinstance(reply, RcControlFailure) and field in reply.cause and cause in reply.cause, reply
    assert "\n" not in reply.cause and server.node.network.configuration().equals(before)  # nothing applied
    runtime.close()
    server.close()


def test_the_node_keeps_a_cell_awake_when_the_others_have_failed():
    server = E2NodeServer(SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=5)), port=0)
    server.start()
    for cell in range(1, 21):
        server.node.network.fail_cell(cell)
    runtime = RemoteRuntime(TcpTransport(*server.address), [])
    reply = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="last", actions=[CellSleep(cell=0, asleep=True)]))
    assert isinstance(reply, RcControlFailure) and "actions[0].asleep: at least one cell must stay awake" in reply.cause
    assert not server.node.network.configuration().asleep[0]
    runtime.close()
    server.close()
