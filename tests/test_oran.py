"""O-RAN integration: message round trips, the E2 node, and A1 -> xApp -> agent -> verifier ->
RC control end to end over real HTTP on localhost."""

import json
import time
from pathlib import Path

import httpx
import jsonschema
import pytest

import ranpilot.oran

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.e2.node import SimulatedE2Node, SubscriptionError
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import (
    MESSAGE_TYPES, CellSleep, Handover, RcControlAck, RcControlFailure, RcControlRequest, SlicePrbQuota, TxPower,
    decode, encode,
)
from ranpilot.settings import Settings
from tests.a1_helpers import BASE, URLLC_SLA, cell, notification_sink, serving, wait_report

SLA = f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies"


def test_messages_round_trip_in_wire_form():
    node = SimulatedE2Node(Network(NetworkConfig(num_ues=42), seed=1))
    node.subscribe(1000, ["DRB.UEThpDl", "RRU.PrbUsedDl"], per_ue=True)
    indication = node.due_indications()[0]
    wire = json.loads(json.dumps(encode(indication)))
    assert wire["mtype"] == 12050 and decode(wire) == indication
    assert set(indication.measData) == {str(c) for c in range(21)} and len(indication.ueMeasData) == 42
    assert node.due_indications() == []  # the report period has not elapsed


def test_rc_controls_are_atomic_with_causes():
    net = Network(NetworkConfig(num_ues=42), seed=1)
    node = SimulatedE2Node(net)
    before = net.configuration()
    bad = node.control(RcControlRequest(meid=node.meid, request_id="r1",
                                        actions=[TxPower(cell=0, txPowerDbm=43), CellSleep(cell=99, asleep=True)]))
    assert isinstance(bad, RcControlFailure) and "unknown cell 99" in bad.cause and net.configuration().equals(before)
    assert "UNSUPPORTED_ACTION" in node.control(RcControlRequest(meid=node.meid, request_id="r2",
                                                                 actions=[Handover(ueId=1, targetCell=2)])).cause
    assert "unknown meid" in node.control(RcControlRequest(meid="x", request_id="r3", actions=[TxPower(cell=0, txPowerDbm=40)])).cause
    ok = node.control(RcControlRequest(meid=node.meid, request_id="r4", actions=[SlicePrbQuota(cell=1, sst=2, minPrbPolicyRatio=30)]))
    assert isinstance(ok, RcControlAck) and net.configuration().slice_quota[1, 1] == pytest.approx(0.3)
    with pytest.raises(SubscriptionError, match="DRB.UEThpUl"):
        node.subscribe(1000, ["DRB.UEThpUl"])


@pytest.fixture
def a1_server(tmp_path):
    stack = ranpilot_stack(Network(NetworkConfig(num_ues=210), seed=1), Settings(data_dir=tmp_path), with_knowledge=False)
    with serving(stack.app) as url:
        yield stack, url


def test_a1_policy_to_rc_controls_end_to_end(tmp_path):
    with notification_sink() as (sink, received):
        settings = Settings(data_dir=tmp_path, a1_notification_allowlist=[sink])
        stack = ranpilot_stack(Network(NetworkConfig(num_ues=210), seed=1), settings, with_knowledge=False)
        stack.runtime.step(3)
        assert stack.xapp.last_indication is not None  # KPIs arrive over E2
        before = stack.runtime.node.network.configuration()
        with serving(stack.app) as url, httpx.Client(base_url=url) as client:
            assert "ORAN_SliceSLATarget_4.0.1" in client.get(BASE).json()
            put = client.put(f"{SLA}/urllc-1", json=URLLC_SLA, params={"notificationDestination": f"{sink}/notify"})
            assert put.status_code == 201 and put.headers["Location"].endswith("/policies/urllc-1")
            report = wait_report(client, "urllc-1")
            assert report["enforceStatus"] == "ENFORCED" and report["fulfilmentStatus"] == "FULFILLED"
            assert client.get(f"{SLA}/urllc-1/status").json() == {"enforceStatus": "ENFORCED"}
            after = stack.runtime.node.network.configuration()
            assert not after.equals(before)  # RC controls reached the E2 node
            assert stack.runtime.messages >= 3
            deadline = time.time() + 10
            while not received and time.time() < deadline:
                time.sleep(0.1)
            assert received == [{"enforceStatus": "ENFORCED"}]  # the status object, nothing else
            again = client.put(f"{SLA}/urllc-1", json=URLLC_SLA)
            assert again.status_code == 200
            assert client.delete(f"{SLA}/urllc-1").status_code == 204
            assert client.get(f"{SLA}/urllc-1").status_code == 404


def test_a1_rejects_bad_policies_and_unsafe_intents_change_nothing(a1_server):
    stack, url = a1_server
    before = stack.runtime.node.network.configuration()
    with httpx.Client(base_url=url) as client:
        overload = {"scope": {"cellId": cell(1)}, "lbResources": {"cellIdList": [cell(2)]},
                    "lbObjectives": {"dlLbObjective": {"dlTargetPrbUsg": 170, "dlPrbUsgType": 1}}}
        bad = client.put(f"{BASE}/ORAN_LoadBalancing_3.0.0/policies/lb-1", json=overload)
        assert bad.status_code == 400 and bad.headers["content-type"] == "application/problem+json"
        assert "lbObjectives/dlLbObjective/dlTargetPrbUsg: does not match" in bad.json()["detail"]
        assert client.put(f"{BASE}/NOPE/policies/x", json={}).status_code == 404
        unsafe = client.put(f"{BASE}/ranpilot_Intent_1.0.0/policies/p-1", json={"text": "set every cell to 80 dBm"})
        assert unsafe.status_code == 201
        report = wait_report(client, "p-1")
        assert (report["enforceStatus"], report["enforceReason"]) == ("NOT_ENFORCED", "OTHER_REASON")
        assert "80 dBm" in report["detail"]
    assert stack.runtime.node.network.configuration().equals(before)



GOLDEN = sorted((Path(__file__).parent / "golden" / "oran").glob("*.json"))
SCHEMAS = Path(ranpilot.oran.__file__).parent / "schemas"


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_golden_messages_match_their_schema_and_round_trip(path):
    wire = json.loads(path.read_text())
    schema = json.loads((SCHEMAS / path.name).read_text())
    jsonschema.validate(wire["payload"], schema)
    assert encode(decode(wire)) == wire
    assert schema == MESSAGE_TYPES[wire["mtype"]].model_json_schema()  # shipped schemas match the models


def test_one_golden_file_per_message_type():
    assert sorted(int(p.name.split("_")[0]) for p in GOLDEN) == sorted(MESSAGE_TYPES)


def test_xapp_reassures_an_intent_that_slips(tmp_path):
    from ranpilot.oran.messages import A1PolicyRequest

    stack = ranpilot_stack(Network(NetworkConfig(num_ues=210), seed=1), Settings(data_dir=tmp_path), with_knowledge=False)
    request = A1PolicyRequest(operation="CREATE", policy_type_id=21101, policy_instance_id="u1", payload=URLLC_SLA)
    assert stack.runtime.a1(request).status == "OK"
    assert stack.xapp.status("u1").fulfilmentStatus == "FULFILLED"
    net = stack.runtime.node.network
    quotas = net.configuration().slice_quota.copy()
    net.traffic_surge(120, 60, 60, 0.5)  # the crowd arrives: URLLC latency slips
    stack.runtime.step(12)
    assert stack.xapp.loop_ms, "the xApp never re-planned"
    assert not (net.configuration().slice_quota == quotas).all()  # new RC controls went out


USER_XAPP = '''
from ranpilot.oran.xapp import XApp


class Counter(XApp):
    name = "counter"

    def start(self, runtime):
        super().start(runtime)
        runtime.subscribe(self, 1000, ["DRB.UEThpDl"])
        self.seen = 0

    def on_indication(self, indication):
        self.seen += 1
        print(f"indication {self.seen} at {indication.collectStartTime:g} s")
'''


def test_xapp_run_hosts_the_agent_or_a_users_xapp_class(tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from ranpilot.cli import app

    (tmp_path / "my_xapps.py").write_text(USER_XAPP)
    monkeypatch.syspath_prepend(str(tmp_path))
    policies = tmp_path / "policies.json"
    policies.write_text(json.dumps([{"operation": "CREATE", "policy_type_id": "ORAN_SliceSLATarget_4.0.1",
                                     "policy_instance_id": "u1", "payload": URLLC_SLA}]))
    cli = CliRunner()
    own = cli.invoke(app, ["xapp", "run", "--agent", "my_xapps:Counter", "--policies", str(policies), "--steps", "3"])
    assert own.exit_code == 0, own.output
    assert "indication 4 at 4 s" in own.output and "A1 CREATE u1: ERROR" in own.output
    agent = cli.invoke(app, ["xapp", "run", "--policies", str(policies), "--steps", "2"])
    assert agent.exit_code == 0, agent.output
    assert "A1 CREATE u1: OK; ENFORCED (fulfilled" in agent.output
    bad = cli.invoke(app, ["xapp", "run", "--agent", "my_xapps:Nothing"])
    assert bad.exit_code == 2 and "Nothing" in bad.output
