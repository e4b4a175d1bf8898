"""E2 Setup on connect (E2AP 8.3.1): the simulated node advertises its RAN functions (E2SM-KPM 2,
E2SM-RC 3) on either wire, in process and over TCP; the xApp runtime answers as the RIC, records
the accepted functions and refuses a subscription or control to a function the node did not
advertise; the node serves a connection only after its E2 Setup and only the accepted functions.
The PDUs are checked against the published E2AP v03.01 modules in ../shared."""

import socket

import pytest

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.e2.asn1 import setup
from ranpilot.oran.e2.asn1.codec import decode, encode
from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.e2.ran_functions import E2SetupFailed, accepted_functions, answer_setup, setup_request
from ranpilot.oran.e2.server import E2NodeServer
from ranpilot.oran.messages import (
    RcControlAck, RcControlFailure, RcControlRequest, SubscriptionFailure, SubscriptionRequest, SubscriptionResponse,
    TxPower,
)
from ranpilot.oran.remote import RemoteRuntime
from ranpilot.oran.setup_messages import E2Cause, E2SetupFailure, E2SetupRequest
from ranpilot.oran.transport import E2ConnectionLost, TcpTransport
from ranpilot.oran.wire import make_wire
from ranpilot.oran.xapp import InProcessRuntime
from tests.e2_helpers import complete_e2_setup

WIRES = ["json", "asn1"]


def node(*functions: int) -> SimulatedE2Node:
    return SimulatedE2Node(Network(NetworkConfig(num_ues=21), seed=2), ran_function_ids=functions or (2, 3))


def power(runtime, request_id: str = "p") -> RcControlAck | RcControlFailure:
    return runtime.send_control(RcControlRequest(meid=runtime.meid, request_id=request_id,
                                                 actions=[TxPower(cell=1, txPowerDbm=40.0)]))


@pytest.fixture
def served():
    """(a started server, its node) per call; all closed at the end."""
    servers = []

    def start(wire: str, *functions: int) -> E2NodeServer:
        server = E2NodeServer(node(*functions), port=0, wire=wire)
        server.start()
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


@pytest.mark.parametrize("wire", WIRES)
def test_in_process_runtime_records_the_advertised_functions(wire):
    runtime = InProcessRuntime(node(), [], wire=wire)
    assert sorted(runtime.ran_functions) == [2, 3]
    kpm, rc = runtime.ran_functions[2], runtime.ran_functions[3]
    assert "DRB.UEThpDl" in kpm.reportStyles[1] and "L1M.DL-SS-SINR" in kpm.reportStyles[4]
    assert rc.controlStyles[2] == [6] and 3 not in rc.controlStyles  # no per-UE handover: style 3 is not offered
    assert runtime.messages == 2 and isinstance(power(runtime), RcControlAck)


@pytest.mark.parametrize("wire", WIRES)
def test_a_function_the_node_did_not_advertise_is_refused_before_anything_is_sent(wire):
    rc_only = InProcessRuntime(node(3), [], wire=wire)
    with pytest.raises(SubscriptionError, match=r"did not advertise RAN function 2 \(E2SM-KPM\).*accepted RAN functions: 3"):
        rc_only.subscribe(None, 1000, ["DRB.UEThpDl"])
    assert rc_only.node.subscriptions == {} and isinstance(power(rc_only), RcControlAck)
    kpm_only = InProcessRuntime(node(2), [], wire=wire)
    before = kpm_only.node.network.configuration()
    refused = power(kpm_only)
    assert isinstance(refused, RcControlFailure) and "did not advertise RAN function 3 (E2SM-RC)" in refused.cause
    assert kpm_only.node.network.configuration().equals(before)


def test_the_ric_fails_a_setup_with_no_function_it_understands():
    request = setup_request(node()).model_copy(update={"ranFunctions": [
        f.model_copy(update={"oid": "1.3.6.1.4.1.53148.1.1.2.99"}) for f in setup_request(node()).ranFunctions]})
    answer = answer_setup(request)
    assert answer == E2SetupFailure(transactionId=0, cause=E2Cause(group="ricService", value="ran-function-not-supported"))
    with pytest.raises(E2SetupFailed, match="ranpilot uses 2 \\(E2SM-KPM.*3 \\(E2SM-RC"):
        accepted_functions(request, answer, "test")
    mixed = request.model_copy(update={"ranFunctions": [request.ranFunctions[0], setup_request(node()).ranFunctions[1]]})
    partial = answer_setup(mixed)
    assert partial.accepted == {3: 0} and [r.ranFunctionId for r in partial.rejected] == [2]
    for wire in WIRES:  # both answers cross both wires unchanged
        for message in (answer, partial):
            mtype, payload = make_wire(wire).payloads(message)[0]
            assert make_wire(wire, "gnb-sim-1").message(mtype, payload) == message


@pytest.mark.parametrize("wire", WIRES)
def test_over_tcp_the_node_starts_e2_setup_and_the_runtime_keeps_its_functions(served, wire):
    server = served(wire, 3)
    runtime = RemoteRuntime(TcpTransport(*server.address, timeout_s=10, wire=wire), [])
    assert sorted(runtime.ran_functions) == [3]
    assert list(server.service.setups.values()) == [{3}]  # the node knows what the RIC accepted
    with pytest.raises(SubscriptionError, match="did not advertise RAN function 2"):
        runtime.subscribe(None, 1000, ["DRB.UEThpDl"])
    assert server.node.subscriptions == {} and isinstance(power(runtime), RcControlAck)
    for sock in list(server.connections):  # a new connection runs E2 Setup again
        sock.shutdown(socket.SHUT_RDWR)
    runtime.reconnect()
    assert sorted(runtime.ran_functions) == [3] and isinstance(power(runtime, "again"), RcControlAck)
    runtime.close()


@pytest.mark.parametrize("wire", WIRES)
def test_the_node_serves_a_connection_only_after_its_e2_setup(served, wire):
    server = served(wire)
    codec = make_wire(wire)
    subscription = SubscriptionRequest(meid="gnb-sim-1", report_period_ms=1000, measurements=["DRB.UEThpDl"])
    with socket.create_connection(server.address, timeout=5) as raw:
        stream = raw.makefile("rwb", buffering=0)
        assert isinstance(codec.read(stream).message, E2SetupRequest)  # the node speaks first
        codec.write(stream, subscription, "early")
        early = codec.read(stream)
    assert early.xid == "early" and isinstance(early.message, SubscriptionFailure)
    expected = "E2AP cause ricRequest: system-not-ready" if wire == "asn1" else "E2 Setup on this connection is not complete"
    assert expected in early.message.cause and server.node.subscriptions == {}
    with socket.create_connection(server.address, timeout=5) as raw:
        complete_e2_setup(raw, make_wire(wire))
        stream = raw.makefile("rwb", buffering=0)
        codec = make_wire(wire)
        codec.write(stream, subscription, "after")
        assert isinstance(codec.read(stream).message, SubscriptionResponse) and len(server.node.subscriptions) == 1


def test_a_failed_e2_setup_is_a_lost_connection_and_the_node_serves_nothing(served, monkeypatch):
    server = served("asn1")
    monkeypatch.setattr("ranpilot.oran.e2.ran_functions.UNDERSTOOD_OIDS", {})  # a RIC that understands nothing
    with pytest.raises(E2ConnectionLost, match=r"E2 Setup with the node at .* failed \(ricService: ran-function-not-supported\)"):
        TcpTransport(*server.address, timeout_s=10, wire="asn1")
    service, peer = server.service, object()  # the node's side of a failed setup: nothing is served
    service.start_setup(peer)
    failure = E2SetupFailure(transactionId=1, cause=E2Cause(group="ricService", value="ran-function-not-supported"))
    assert service.handle(peer, failure) is None
    refused = service.handle(peer, SubscriptionRequest(meid="gnb-sim-1", report_period_ms=1000, measurements=["DRB.UEThpDl"]))
    assert "RAN function 2 was not accepted in this connection's E2 Setup" in refused.cause
    control = service.handle(peer, RcControlRequest(meid="gnb-sim-1", request_id="c", actions=[TxPower(cell=1, txPowerDbm=40.0)]))
    assert isinstance(control, RcControlFailure) and "RAN function 3 was not accepted" in control.cause
    assert server.node.subscriptions == {}


def test_every_e2_setup_pdu_decodes_with_the_published_modules(published):
    request = setup_request(node(), transaction_id=7)
    request_pdu = setup.request_pdu(request)
    failure = E2SetupFailure(transactionId=7, cause=E2Cause(group="ricService", value="ran-function-not-supported"))
    for pdu, message in [(request_pdu, "E2setupRequest"),
                         (setup.response_pdu(answer_setup(request), setup.component_items(request_pdu)), "E2setupResponse"),
                         (setup.failure_pdu(failure), "E2setupFailure")]:
        theirs = published.decode_e2ap(encode(pdu))  # decodes and re-encodes bit-exactly with the published E2AP
        assert theirs["message"] == message
        ies = [ie["ie"] for ie in theirs["value"]["protocolIEs"]]
        assert ies[0] == "id-TransactionID" and decode(encode(pdu)).message == message
    assert [ie["ie"] for ie in published.decode_e2ap(encode(setup.failure_pdu(failure)))["value"]["protocolIEs"]] == [
        "id-TransactionID", "id-Cause"]
    assert setup.read_failure(decode(encode(setup.failure_pdu(failure)))) == failure
