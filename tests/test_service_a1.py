"""`ranpilot serve --a1`: the A1-P v2 service mounted in the service acts on the service's live
network and audit log: a policy created through /A1-P/v2 is enforced by the xApp on the network
the CLI and the service's runs see, its change awaits the service's own approvals, and its audit
entries are in the one audit log. The mounted routes are behind the service's token."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from ranpilot import live
from ranpilot.cli import app as cli
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.service.app import create_app
from ranpilot.service.core import RanpilotService
from ranpilot.settings import Settings
from tests.a1_helpers import wait_report

POLICIES = "/A1-P/v2/policytypes/ranpilot_Intent_1.0.0/policies"
TOKEN = "s3cret-token-0123456789"


@pytest.fixture
def service() -> RanpilotService:
    return RanpilotService(Settings(), EmbeddedPlanner(), with_knowledge=False)


def live_tilt(cell: int) -> float:
    """The tilt of `cell` on the live network, as `ranpilot net show` reads it from the data dir."""
    return json.loads(CliRunner().invoke(cli, ["net", "show", "--json"]).stdout)["cells"][cell]["tilt_deg"]


def test_an_a1_policy_acts_on_the_live_network_and_audit_log_of_the_service(service):
    before = live_tilt(4)
    with TestClient(create_app(service, None, a1=True)) as client:
        created = client.put(f"{POLICIES}/tilt-1", json={"text": "tilt cell 4 down 2 degrees"})
        assert created.status_code == 201, created.text
        [pending] = client.get("/ranpilot/approvals").json()  # the xApp's change, listed by the service
        assert pending["policyId"] == "tilt-1" and pending["thread"].startswith("a1-tilt-1-")
        status = client.get(f"{POLICIES}/tilt-1/status").json()
        assert status["enforceStatus"] == "NOT_ENFORCED" and live_tilt(4) == before  # nothing applied yet
        done = client.post(f"/ranpilot/approvals/{pending['thread']}", json={"answer": "approved"})
        assert done.status_code == 200 and done.json()["status"] == "done", done.text
        assert client.get("/ranpilot/approvals").json() == []
        assert client.get("/ranpilot/network").json()["cells"][4]["tilt_deg"] == pytest.approx(before + 2)
        report = client.get("/ranpilot/policies/tilt-1").json()
        assert report["policyId"] == "tilt-1" and "approvalThread" not in report
    assert live_tilt(4) == pytest.approx(before + 2)  # saved: the CLI's live network has the change
    audit = live.open_audit(service.settings)
    try:
        [applied] = audit.events(intent_id="a1:tilt-1", kind="apply")  # the xApp's change, in the one audit log
    finally:
        audit.close()
    assert applied.payload["approved_by"] == "operator"
    assert applied.payload["changes"][0] == {**applied.payload["changes"][0], "cell": 4, "parameter": "tilt_deg"}


def test_a_service_run_after_an_a1_policy_plans_on_the_changed_network(service):
    with TestClient(create_app(service, None, a1=True)) as client:
        client.put(f"{POLICIES}/tilt-2", json={"text": "tilt cell 2 down 1 degrees"})
        [pending] = client.get("/ranpilot/approvals").json()
        client.post(f"/ranpilot/approvals/{pending['thread']}", json={"answer": "approved"})
        tilt = client.get("/ranpilot/network").json()["cells"][2]["tilt_deg"]
        run = client.post("/ranpilot/runs", json={"request": "keep energy below 6.5 kW"}).json()
        assert run["status"] in ("done", "awaiting_approval")
        assert client.get("/ranpilot/network").json()["cells"][2]["tilt_deg"] == pytest.approx(tilt)


def test_a_restarted_service_hands_its_stored_policies_to_the_xapp_again(service):
    with TestClient(create_app(service, None, a1=True)) as client:
        assert client.put(f"{POLICIES}/energy-1", json={"text": "keep energy below 6.5 kW"}).status_code == 201
    restarted = RanpilotService(Settings(), EmbeddedPlanner(), with_knowledge=False)
    with TestClient(create_app(restarted, None, a1=True)) as client:  # its start-up re-delivers energy-1
        assert wait_report(client, "energy-1")["policyId"] == "energy-1"
        assert client.get(f"{POLICIES}/energy-1").json() == {"text": "keep energy below 6.5 kW"}


def test_the_mounted_a1_routes_need_the_service_token(service):
    with TestClient(create_app(service, SecretStr(TOKEN), a1=True)) as client:
        assert client.get("/A1-P/v2/policytypes").status_code == 401
        listed = client.get("/A1-P/v2/policytypes", headers={"Authorization": f"Bearer {TOKEN}"})
        assert listed.status_code == 200 and "ranpilot_Intent_1.0.0" in listed.json()


def test_without_a1_there_are_no_a1_routes(service):
    client = TestClient(create_app(service, None))
    assert client.get("/A1-P/v2/policytypes").status_code == 404
