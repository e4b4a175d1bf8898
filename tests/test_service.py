"""`ranpilot serve`: the TS 28.312 intent interface round-trips spec-shaped Intents and IntentReports
(validated against the Rel-18 OpenAPI in ../shared), the token is enforced, bad input is a 4xx
naming the problem, and a run through the service (over HTTP, from `ranpilot run`) changes the
live network the CLI sees."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading

import pytest
import uvicorn
from fastapi.testclient import TestClient
from pydantic import SecretStr
from typer.testing import CliRunner

from ranpilot.cli import app as cli
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.service.app import create_app
from ranpilot.service.core import RanpilotService
from ranpilot.service.intents import BASE
from ranpilot.settings import Settings
from test_ts28312 import EXTENSION, REL18, check_intent, schemas, validate  # noqa: F401 (schemas: a fixture)

TOKEN = "s3cret-token-0123456789"
ENERGY = "keep energy below 6.5 kW"
PEER_INTENT = {  # a peer's spec-shaped intent: no ranpilotExtension, cells as a Rel-19 CellContext
    "id": "peer-energy-1", "userLabel": "energy cap with stadium throughput", "intentPriority": 60,
    "intentExpectations": [{
        "expectationId": "1", "expectationVerb": "ENSURE",
        "expectationObject": {"objectType": "RAN_SubNetwork", "objectInstance": "SubNetwork=ranpilot",
                              "objectContexts": [{"contextAttribute": "Cell", "contextCondition": "IS_ALL_OF",
                                                  "contextValueRange": ["000000003", "000000004", "000000005"]}]},
        "expectationTargets": [{"targetName": "AveDLRANUEThpt", "targetCondition": "IS_GREATER_THAN",
                                "targetValueRange": 20}]},
        {"expectationId": "2", "expectationVerb": "DELIVER",
         "expectationObject": {"objectType": "RAN_SubNetwork", "objectInstance": "SubNetwork=ranpilot"},
         "expectationTargets": [{"targetName": "RANEnergyConsumption", "targetCondition": "IS_LESS_THAN",
                                 "targetValueRange": 6}]}],
}


@pytest.fixture
def service() -> RanpilotService:
    return RanpilotService(Settings(), EmbeddedPlanner(), with_knowledge=False)


@pytest.fixture
def client(service) -> TestClient:
    return TestClient(create_app(service, None))


def test_a_spec_shaped_intent_round_trips_with_its_report(client, schemas):
    if not REL18.is_dir():
        pytest.skip("../shared/standards is not beside this checkout")
    energy_before = client.get("/ranpilot/network").json()["network"]["RANEnergyConsumption"]
    created = client.post(BASE + "/Intent", json=PEER_INTENT)
    assert created.status_code == 201, created.text
    assert created.headers["Location"] == f"{BASE}/Intent=peer-energy-1"
    body = created.json()
    check_intent(schemas, body)
    assert body == {**PEER_INTENT, "intentReportReference":
                    "SubNetwork=ranpilot,IntentHandlingFunction=ranpilot,IntentReport=report-peer-energy-1"}
    assert client.get(BASE + "/Intent=peer-energy-1").json() == body
    assert [i["id"] for i in client.get(BASE + "/Intent").json()] == ["peer-energy-1"]
    run = client.get(f"/ranpilot/runs/{created.headers['X-Ranpilot-Thread']}").json()
    assert run["intent"]["id"] == "peer-energy-1" and run["status"] == created.headers["X-Ranpilot-Status"]

    report = client.get(BASE + "/IntentReport=report-peer-energy-1").json()
    validate(schemas, REL18, "TS28312_IntentNrm.yaml", "IntentReport-Single",
             {k: v for k, v in report.items() if k != EXTENSION})
    assert report["intentReference"] == "SubNetwork=ranpilot,IntentHandlingFunction=ranpilot,Intent=peer-energy-1"
    assert report["ranpilotExtension"]["baselines"]["2.RANEnergyConsumption"] == pytest.approx(energy_before)
    achieved = {t["targetName"]: t["targetAchievedValue"] for e in report["intentFulfilmentReport"][
        "expectationFulfilmentResult"] for t in e["targetFulfilmentResult"]}
    now = client.get("/ranpilot/network").json()["network"]
    assert achieved["RANEnergyConsumption"] == pytest.approx(now["RANEnergyConsumption"])  # measured live
    fulfilled = achieved["RANEnergyConsumption"] < 6 and achieved["AveDLRANUEThpt"] > 20
    status = report["intentFulfilmentReport"]["intentFulfilmentInfo"]["fulfilmentStatus"]
    assert status == ("FULFILLED" if fulfilled else "NOT_FULFILLED")

    patched = client.patch(BASE + "/Intent=peer-energy-1", json={"intentPriority": 80, "userLabel": None})
    assert patched.status_code == 200 and patched.json()["intentPriority"] == 80 and "userLabel" not in patched.json()
    assert client.post(BASE + "/Intent", json=PEER_INTENT).status_code == 409
    assert client.delete(BASE + "/Intent=peer-energy-1").status_code == 204
    assert client.get(BASE + "/Intent=peer-energy-1").status_code == 404
    assert client.get(BASE + "/IntentReport=report-peer-energy-1").status_code == 404


def _target(**fields) -> dict:
    return {**PEER_INTENT, "intentExpectations": [{**PEER_INTENT["intentExpectations"][1],
                                                   "expectationTargets": [fields]}]}


@pytest.mark.parametrize("method,path,body,status,detail", [
    ("post", BASE + "/Intent", {"userLabel": "no expectations"}, 400, "body.intentExpectations: Field required"),
    ("post", BASE + "/Intent", _target(targetName="AveULRANUEThpt", targetCondition="IS_GREATER_THAN",
                                       targetValueRange=5), 400, "does not manage 'AveULRANUEThpt'"),
    ("post", BASE + "/Intent", {**PEER_INTENT, "id": "../x"}, 400, "Intent id '../x'"),
    ("put", BASE + "/Intent=other", PEER_INTENT, 400, "is not the id in the path"),
    ("post", "/ranpilot/runs", {"request": ENERGY, "cells": [99]}, 400, "cells [99] are not in the network"),
    ("post", "/ranpilot/runs", {"request": ENERGY, "thread": "a/b"}, 400, "thread id 'a/b'"),
    ("post", "/ranpilot/runs", {"request": "x" * 2001}, 400, "the limit is 2,000"),
    ("post", "/ranpilot/verify", {"actions": [{"type": "set_tx_power", "cell": 1}]}, 400, "tx_power_dbm: Field required"),
    ("get", "/ranpilot/runs/no-such-thread", None, 404, "no thread no-such-thread"),
    ("post", "/ranpilot/approvals/no-such-thread", {"answer": "approved"}, 404, "no thread no-such-thread"),
])
def test_bad_input_is_a_4xx_naming_the_problem(client, method, path, body, status, detail):
    response = client.request(method.upper(), path, json=body)
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert detail in response.json()["detail"]


@pytest.mark.parametrize("text,detail", [
    ('{"actions": [{"type": "set_tx_power", "cell": 1, "tx_power_dbm": NaN}]}', "NaN is not a JSON number"),
    ('{"actions": [{"type": "set_tx_power", "cell": 1, "tx_power_dbm": 1e999}]}', "1e999 is not a JSON number"),
    ("[" * 40 + "]" * 40, "nested deeper than 32 levels"),
])
def test_bodies_json_cannot_carry_are_refused_before_any_route(client, text, detail):
    response = client.post("/ranpilot/verify", content=text, headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and detail in response.json()["detail"]


def test_an_intent_ranpilot_cannot_take_up_is_422_and_not_kept(client):
    on_cell_21 = json.loads(json.dumps(PEER_INTENT).replace("000000005", "000000015"))
    response = client.post(BASE + "/Intent", json=on_cell_21)
    assert response.status_code == 422 and "clarify (unknown_cell): cell [21] does not exist" in response.json()["detail"]
    assert client.get(BASE + "/Intent").json() == []


def test_the_token_is_required_when_set(service):
    guarded = TestClient(create_app(service, SecretStr(TOKEN)))
    assert guarded.get("/ranpilot/health").status_code == 401
    assert guarded.get(BASE + "/Intent", headers={"Authorization": "Bearer wrong-token-0123456789"}).status_code == 401
    assert guarded.get("/ranpilot/health", headers={"Authorization": f"Bearer {TOKEN}"}).json()["status"] == "ok"
    document = guarded.get("/openapi.json", headers={"Authorization": f"Bearer {TOKEN}"}).json()
    assert "RANPILOT_SERVICE_TOKEN" in json.dumps(document["components"]["securitySchemes"])
    assert {"get", "put", "patch", "delete"} <= set(document["paths"][BASE + "/Intent={intent_id}"])
    assert BASE + "/IntentReport={report_id}" in document["paths"] and "/ranpilot/runs" in document["paths"]


def test_serve_refuses_to_listen_beyond_loopback_without_a_token():
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2 and "RANPILOT_SERVICE_TOKEN" in result.output


def test_approvals_are_listed_and_answered_on_the_live_network(client):
    pending = client.post("/ranpilot/runs", json={"request": "tilt cell 4 down 2 degrees"}).json()
    assert pending["status"] == "awaiting_approval"  # a configuration request always waits for the operator
    assert [a["thread"] for a in client.get("/ranpilot/approvals").json()] == [pending["thread_id"]]
    before = client.get("/ranpilot/network").json()["cells"][4]["tilt_deg"]
    done = client.post(f"/ranpilot/approvals/{pending['thread_id']}", json={"answer": "approved"}).json()
    assert done["status"] == "done" and client.get("/ranpilot/approvals").json() == []
    assert client.get("/ranpilot/network").json()["cells"][4]["tilt_deg"] == pytest.approx(before + 2)
    again = client.post(f"/ranpilot/approvals/{pending['thread_id']}", json={"answer": "approved"})
    assert again.status_code == 409 and "not waiting for approval" in again.json()["detail"]


def test_the_network_view_reads_and_step_advances_the_live_clock(client):
    start = client.get("/ranpilot/network").json()["time_s"]
    assert client.get("/ranpilot/network").json()["time_s"] == start  # reading changes nothing
    stepped = client.post("/ranpilot/network/step", params={"steps": 3}).json()["time_s"]
    assert stepped > start and client.get("/ranpilot/network").json()["time_s"] == stepped
    assert client.post("/ranpilot/network/step", params={"steps": 0}).status_code == 400


@pytest.fixture
def served(service, monkeypatch):
    """The service on a free loopback port, with `ranpilot run` pointed at it and a token on both."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(service, SecretStr(TOKEN)), host="127.0.0.1", port=port,
                                           log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        thread.join(0.05)
    monkeypatch.setenv("RANPILOT_SERVICE_URL", f"http://127.0.0.1:{port}")
    monkeypatch.setenv("RANPILOT_SERVICE_TOKEN", TOKEN)
    yield service
    server.should_exit = True
    thread.join(10)


def test_a_run_through_the_service_changes_the_live_network_the_cli_sees(served):
    before = json.loads(CliRunner().invoke(cli, ["net", "show", "--json"]).stdout)["cells"][4]["tilt_deg"]
    result = CliRunner().invoke(cli, ["run", "tilt cell 4 down 2 degrees", "--thread", "via-service", "--json"])
    assert result.exit_code == 5, result.output  # a configuration request waits for the operator
    assert json.loads(result.stdout)["thread_id"] == "via-service"
    assert [a.thread for a in served.pending()] == ["via-service"]
    approved = CliRunner().invoke(cli, ["approve", "via-service", "--json"])  # in this process, on the same network
    assert approved.exit_code == 0, approved.output
    after = json.loads(CliRunner().invoke(cli, ["net", "show", "--json"]).stdout)["cells"][4]["tilt_deg"]
    assert after == pytest.approx(before + 2)
    shown = CliRunner().invoke(cli, ["run", "--thread", "via-service", "--json"])  # through the service again
    assert json.loads(shown.stdout)["status"] == "done" and served.pending() == []
    report = CliRunner().invoke(cli, ["run", "--thread", "via-service"])
    assert report.exit_code == 0 and "via-service" in report.stdout and "Outcome" in report.stdout
    energy = CliRunner().invoke(cli, ["run", ENERGY, "--json"])
    assert energy.exit_code in (0, 5), energy.output
    assert json.loads(energy.stdout)["kpis_after"]["RANEnergyConsumption"] == pytest.approx(json.loads(
        CliRunner().invoke(cli, ["net", "show", "--json"]).stdout)["network"]["RANEnergyConsumption"])
    again = CliRunner().invoke(cli, ["run", ENERGY, "--thread", "via-service"])
    assert again.exit_code == 1 and "exists already" in again.output
    bad = CliRunner().invoke(cli, ["run", ENERGY, "--cells", "0,99"])
    assert bad.exit_code == 2 and "cells [99] are not in the network" in bad.output


def test_the_cli_says_when_the_service_is_unreachable_or_refuses_its_token(served, monkeypatch):
    monkeypatch.setenv("RANPILOT_SERVICE_TOKEN", "wrong-token-0123456789")
    refused = CliRunner().invoke(cli, ["run", ENERGY])
    assert refused.exit_code == 1 and "refused the token" in refused.output
    monkeypatch.setenv("RANPILOT_SERVICE_URL", "http://127.0.0.1:9")
    unreachable = CliRunner().invoke(cli, ["run", ENERGY])
    assert unreachable.exit_code == 1 and "cannot reach the ranpilot service" in unreachable.output


def test_a_run_through_the_service_loads_none_of_the_agent_libraries(tmp_path):
    """`ranpilot run` with a service configured only talks HTTP: its process imports none of the
    libraries that cost a one-shot run seconds, nor builds the network `--seed` asks for."""
    heavy = ("torch", "langgraph", "sentence_transformers", "chromadb", "cvxpy", "sionna", "onnxruntime", "openai",
             "ranpilot.network.simulator")
    probe = ("import sys\nfrom ranpilot.cli import app\ntry:\n"
             "    app(['run', 'keep average throughput above 15 Mbps', '--seed', '0', '--json'])\n"
             f"except SystemExit as exc:\n    print(exc.code, [m for m in {heavy!r} if m in sys.modules])\n")
    env = {**os.environ, "RANPILOT_SERVICE_URL": "http://127.0.0.1:9", "RANPILOT_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "1 []" and "cannot reach the ranpilot service" in done.stderr
