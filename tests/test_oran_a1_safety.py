"""The A1-P service's safety gate: bearer-token authentication and loopback-only without a token,
no callbacks outside the allow-list, bodies validated whole before anything is stored, policies
persisted across restarts, and approvals answered on the network the service acts on."""

import json
import os
import subprocess
import sys

import pytest
from fastapi.testclient import TestClient

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.settings import Settings
from tests.a1_helpers import BASE, REPORTS, URLLC_SLA as URLLC, approval_pack, notification_sink

LB = f"{BASE}/ORAN_LoadBalancing_3.0.0/policies"
SLA = f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies"
CELL = '{"plmnId": {"mcc": "001", "mnc": "01"}, "cId": {"ncI": %s}}'
TOKEN = "a1-test-token-0123456789abcdef"


def stack_for(tmp_path, **settings):
    network = Network(NetworkConfig(num_ues=210), seed=1)
    pack = settings.pop("pack", None)
    return ranpilot_stack(network, Settings(data_dir=tmp_path, **settings), with_knowledge=False, pack=pack)


def stored(tmp_path) -> list[dict]:
    path = tmp_path / "a1" / "policies.json"
    return json.loads(path.read_text())["policies"] if path.exists() else []


def test_a1_requires_the_bearer_token_when_one_is_configured(tmp_path):
    stack = stack_for(tmp_path, a1_token=TOKEN)
    before = stack.runtime.node.network.configuration()
    with TestClient(stack.app) as client:
        for headers in ({}, {"Authorization": "Bearer wrong-token-0123456789"}, {"Authorization": f"Basic {TOKEN}"}):
            assert client.get(BASE, headers=headers).status_code == 401
            put = client.put(f"{SLA}/p-1", json=URLLC, headers=headers)
            assert put.status_code == 401 and put.headers["www-authenticate"] == "Bearer"
            assert put.headers["content-type"] == "application/problem+json"
        assert stored(tmp_path) == [] and stack.runtime.node.network.configuration().equals(before)
        auth = {"Authorization": f"Bearer {TOKEN}"}
        assert client.put(f"{SLA}/p-1", json=URLLC, headers=auth).status_code == 201  # the endpoints keep their shapes
        assert client.get(f"{SLA}/p-1/status", headers=auth).json()["enforceStatus"] == "ENFORCED"
        assert client.get(SLA, headers=auth).json() == ["p-1"]


@pytest.mark.parametrize("command", [["a1", "serve"], ["e2", "serve"]])
def test_servers_refuse_to_listen_beyond_loopback_without_a_token(command):
    env = {k: v for k, v in os.environ.items() if k not in ("RANPILOT_A1_TOKEN", "RANPILOT_E2_TOKEN")}
    done = subprocess.run([sys.executable, "-m", "ranpilot.cli", "xapp", *command, "--host", "0.0.0.0", "--port", "0"],
                          capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 2 and "without a token" in done.stderr


def test_notifications_go_only_to_allow_listed_destinations(tmp_path):
    with notification_sink() as (sink, received):
        port = sink.rsplit(":", 1)[1]
        with TestClient(stack_for(tmp_path, a1_notification_allowlist=[sink]).app) as client:
            for bad in ("http://169.254.169.254/latest/meta-data", f"http://127.0.0.1:{port}@evil.example/",
                        f"http://127.0.0.1:{port}0/notify", f"https://127.0.0.1:{port}/notify", "file:///etc/passwd"):
                put = client.put(f"{SLA}/p-1", json=URLLC, params={"notificationDestination": bad})
                assert put.status_code == 400 and "notificationDestination" in put.json()["detail"], bad
            assert stored(tmp_path) == [] and received == []
            ok = client.put(f"{SLA}/p-1", json=URLLC, params={"notificationDestination": f"{sink}/notify"})
            assert ok.status_code == 201 and received == [{"enforceStatus": "ENFORCED"}]
    with TestClient(stack_for(tmp_path / "none").app) as client:  # no allow-list: no callbacks at all
        put = client.put(f"{SLA}/p-1", json=URLLC, params={"notificationDestination": f"{sink}/notify"})
        assert put.status_code == 400 and "allow-list" in put.json()["detail"]


def lb(dl_target: str = "70", source: str = "1", ncis: str = "2") -> str:
    """An ORAN_LoadBalancing_3.0.0 body as text (to carry numbers Python's json would not write)."""
    return ('{"scope": {"cellId": %s}, "lbObjectives": {"dlLbObjective": {"dlTargetPrbUsg": %s, "dlPrbUsgType": 1}},'
            ' "lbResources": {"cellIdList": [%s]}}') % (CELL % source, dl_target, ", ".join(CELL % n for n in ncis.split(",")))


@pytest.mark.parametrize("path,body,reason", [
    (f"{LB}/lb-1", lb("NaN"), "NaN is not a finite number"),
    (f"{LB}/lb-1", lb("Infinity"), "Infinity is not a finite number"),
    (f"{LB}/lb-1", lb("1e999"), "1e999 is not a finite number"),
    (f"{LB}/lb-1", lb(ncis="2,999"), "lbResources/cellIdList/1/cId/ncI: no cell 999"),
    (f"{LB}/lb-1", lb().replace('"mnc": "01"', '"mnc": "02"', 1), "scope/cellId/plmnId: not this network's PLMN"),
    (f"{LB}/lb-1", lb().replace('{"ncI": 1}', '{"ecI": 1}'), "scope/cellId/cId: an E-UTRA cell"),
    (f"{BASE}/ORAN_TrafficSteeringPreference_2.0.0/policies/t-1",
     '{"scope": {"sliceId": {"sst": 1, "plmnId": {"mcc": "001", "mnc": "01"}}},'
     ' "tspResources": [{"cellIdList": [%s, %s], "preference": "AVOID"}]}' % (CELL % 3, CELL % 21),
     "tspResources/0/cellIdList/1/cId/ncI"),
    (f"{LB}/{'x' * 65}", lb(), "policyId"),
    (f"{LB}/a%20b", lb(), "policyId"),
    (f"{SLA}/s-1", json.dumps({**URLLC, "scope": {"sliceId": {"sst": 9, "plmnId": {"mcc": "001", "mnc": "01"}}}}),
     "scope/sliceId: no slice sst 9"),
    (f"{LB}/lb-1", lb("170"), "lbObjectives/dlLbObjective/dlTargetPrbUsg"),
    (f"{SLA}/s-1", json.dumps({**URLLC, "sliceSlaObjectives": {"maxDlLatency": 10}}), "'maxDlLatency' was unexpected"),
])
def test_a1_bodies_are_validated_whole_before_anything_is_stored(tmp_path, path, body, reason):
    stack = stack_for(tmp_path)
    before = stack.runtime.node.network.configuration()
    with TestClient(stack.app) as client:
        put = client.put(path, content=body, headers={"Content-Type": "application/json"})
        assert put.status_code == 400 and put.headers["content-type"] == "application/problem+json"
        assert reason in put.json()["detail"]
        assert client.get(path).status_code == 404 and client.get(path.rsplit("/", 1)[0]).json() == []
    assert stored(tmp_path) == [] and stack.runtime.node.network.configuration().equals(before)


def test_a1_policies_persist_across_a_restart(tmp_path):
    with TestClient(stack_for(tmp_path).app) as client:
        assert client.put(f"{SLA}/u-1", json=URLLC).status_code == 201
        assert client.get(f"{SLA}/u-1/status").json()["enforceStatus"] == "ENFORCED"
    (entry,) = stored(tmp_path)
    assert (entry["type"], entry["id"], entry["body"]) == ("ORAN_SliceSLATarget_4.0.1", "u-1", URLLC)
    assert entry["status"]["enforceStatus"] == "ENFORCED"

    restarted = stack_for(tmp_path)  # a new process: a fresh network, the same data dir
    with TestClient(restarted.app) as client:
        assert client.get(SLA).json() == ["u-1"] and client.get(f"{SLA}/u-1").json() == URLLC
        assert client.get(f"{SLA}/u-1/status").json()["enforceStatus"] == "ENFORCED"
        again = client.put(f"{SLA}/u-1", json=URLLC)  # idempotent: an update, not a crash
        assert again.status_code == 200 and again.json() == URLLC
        assert client.get(f"{SLA}/u-1/status").json()["enforceStatus"] == "ENFORCED"
        assert client.delete(f"{SLA}/u-1").status_code == 204
    assert stored(tmp_path) == []


def test_a_corrupt_policy_file_stops_the_service_instead_of_dropping_policies(tmp_path):
    from ranpilot.oran.a1.store import PolicyStoreError

    (tmp_path / "a1").mkdir()
    (tmp_path / "a1" / "policies.json").write_text("{garbage")
    with pytest.raises(PolicyStoreError, match="cannot read the A1 policies"):
        stack_for(tmp_path)


@pytest.mark.parametrize("answer", ["approved", "rejected"])
def test_approvals_of_a1_changes_are_answered_on_the_services_network(tmp_path, answer):
    stack = stack_for(tmp_path, pack=approval_pack(tmp_path), a1_token=TOKEN)
    network = stack.runtime.node.network
    before = network.configuration()
    auth = {"Authorization": f"Bearer {TOKEN}"}
    path = f"{BASE}/ranpilot_Intent_1.0.0/policies/energy-1"
    with TestClient(stack.app) as client:
        assert {"/ranpilot/approvals", "/ranpilot/approvals/{thread}"} <= set(client.get("/openapi.json").json()["paths"])
        assert client.put(path, json={"text": "cut energy consumption by 10%"}, headers=auth).status_code == 201
        assert client.get(f"{path}/status", headers=auth).json() == {"enforceStatus": "NOT_ENFORCED",
                                                                      "enforceReason": "OTHER_REASON"}
        report = client.get(f"{REPORTS}/energy-1", headers=auth).json()
        assert "awaiting approval" in report["detail"] and network.configuration().equals(before)
        (pending,) = client.get("/ranpilot/approvals", headers=auth).json()
        assert pending["policyId"] == "energy-1" and pending["thread"] == report["approvalThread"]
        assert "sleep.maintenance_window" in pending["rules"]
        url = f"/ranpilot/approvals/{pending['thread']}"
        assert client.post(url, json={"answer": answer}).status_code == 401  # token-protected
        done = client.post(url, json={"answer": answer}, headers=auth)
        assert done.status_code == 200 and done.json()["policyId"] == "energy-1"
        assert network.configuration().equals(before) == (answer == "rejected")  # the service's own network
        assert client.get("/ranpilot/approvals", headers=auth).json() == []
        assert client.post(url, json={"answer": answer}, headers=auth).status_code == 404
        assert client.post(url, json={"answer": "maybe"}, headers=auth).status_code == 422
    standard = {key: done.json()[key] for key in ("enforceStatus", "enforceReason") if key in done.json()}
    assert stored(tmp_path)[0]["status"] == standard
