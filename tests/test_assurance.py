"""Standing intents: activated and deactivated on the network clock, re-checked every period,
re-planned when they slip, and planned jointly (one intent's change cannot break another's)."""

import json

import pytest
from typer.testing import CliRunner

from ranpilot.agents.assurance import StandingIntent, check, guards_for, reports, update_lifecycle
from ranpilot.agents.runner import AgentRunner
from ranpilot.cli import app
from ranpilot.intents.inventory import Inventory
from ranpilot.intents.ts28312 import to_intent
from ranpilot.network import Network, NetworkConfig
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.policies import load_pack
from ranpilot.settings import Settings

PLANNER = EmbeddedPlanner()


def standing(text: str, net: Network) -> StandingIntent:
    understanding = PLANNER.parse(text, Inventory.of(net.config), load_pack())
    assert understanding.status == "parsed", understanding.message
    return StandingIntent.of(to_intent(understanding))


@pytest.fixture
def runner(tmp_path):
    return AgentRunner(Settings(data_dir=tmp_path / "data"), PLANNER, with_knowledge=False)


def test_a_windowed_intent_activates_and_deactivates_on_the_network_clock(runner):
    net = Network(NetworkConfig(num_ues=210, start_time_h=21.95), seed=1)  # 21:57
    energy = standing("cut energy by 10% between 22:00 and 22:10", net)
    assert energy.window == ("22:00", "22:10")
    assert check([energy], net, runner) == [] and not energy.active  # outside its window: nothing happens
    net.step(240)  # 22:01
    events = check([energy], net, runner)
    assert [e.kind for e in events] == ["activated", "slipped", "replanned"]
    assert energy.baselines["exp-1.RANEnergyConsumption"] == pytest.approx(6.659, abs=1e-3)
    assert events[-1].detail.startswith("fulfilled") and energy.thread == events[-1].thread
    net.step(240)
    assert [e.kind for e in check([energy], net, runner)] == ["held"]  # against the baseline fixed at 22:00
    net.step(360)  # 22:11
    assert [e.kind for e in check([energy], net, runner)] == ["deactivated"]
    (report,) = reports([energy], net).values()
    assert report.intentFulfilmentReport.intentFulfilmentInfo.fulfilmentStatus.value == "FULFILLED"


def test_an_intent_that_slips_is_replanned(runner):
    net = Network(NetworkConfig(num_ues=210), seed=1)
    coverage = standing("keep average throughput above 25 Mbps in cells 3-5", net)
    assert [e.kind for e in check([coverage], net, runner)] == ["activated", "held"]
    net.fail_cell(4)  # a fault: cell 4's users move to weaker cells
    events = check([coverage], net, runner)
    assert [e.kind for e in events] == ["slipped", "replanned"]
    assert "AveDLRANUEThpt in cells [3, 4, 5] at least 25 Mbit/s" in events[0].detail


def test_other_active_intents_guard_the_plan(tmp_path):
    """Alone, a 20% energy cut takes mean throughput from 26.21 to 26.07 Mbit/s; with a standing
    intent to keep it above 26.1 active, the same energy intent may not."""
    def fresh(name: str):
        return (AgentRunner(Settings(data_dir=tmp_path / name), PLANNER, with_knowledge=False),
                Network(NetworkConfig(num_ues=210), seed=1))

    runner, net = fresh("alone")
    alone = standing("cut energy by 20%", net)
    check([alone], net, runner)
    assert net.target_value("AveDLRANUEThpt") == pytest.approx(26.07, abs=0.01)

    runner, net = fresh("joint")
    keep, energy = standing("keep average throughput above 26.1 Mbps", net), standing("cut energy by 20%", net)
    update_lifecycle([keep, energy], net)
    (guard,) = guards_for([keep, energy], energy)
    assert guard.ensure and guard.target == "AveDLRANUEThpt" and guard.values == [26.1]
    check([keep, energy], net, runner)
    assert net.target_value("AveDLRANUEThpt") >= 26.1
    assert reports([keep], net)[keep.intent.id].fulfilled


def test_cli_assure_keeps_intents_in_force_on_the_live_network(tmp_path):
    cli = CliRunner()
    config = tmp_path / "net.json"
    config.write_text(json.dumps({"num_ues": 210, "start_time_h": 21.95}))
    assert cli.invoke(app, ["net", "reset", "--config", str(config), "--seed", "1"]).exit_code == 0
    result = cli.invoke(app, ["assure", "keep average throughput above 28.5 Mbps in cells 3-5",
                              "cut energy by 10% between 22:00 and 22:10", "--periods", "1", "--period-steps", "240", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    keep, energy = (i["id"] for i in data["intents"])
    assert [(e["intent_id"], e["kind"]) for e in data["events"]] == [
        (keep, "activated"), (keep, "held"),
        (energy, "activated"), (keep, "held"), (energy, "slipped"), (energy, "replanned")]
    assert all(i["active"] and i["report"]["intentFulfilmentReport"]["intentFulfilmentInfo"]["fulfilmentStatus"] == "FULFILLED"
               for i in data["intents"])
    assert json.loads(cli.invoke(app, ["net", "show", "--json"]).output)["time_s"] > 240  # the live network kept it
    unknown = cli.invoke(app, ["assure", "improve throughput in cells 18 to 24"])
    assert unknown.exit_code == 6 and "cell 21 does not exist" in unknown.output


def test_the_service_keeps_its_intent_resources_in_force(tmp_path):
    from fastapi.testclient import TestClient

    from ranpilot.service.app import create_app
    from ranpilot.service.core import RanpilotService
    from ranpilot.service.intents import BASE

    service = RanpilotService(Settings(data_dir=tmp_path / "data"), PLANNER, with_knowledge=False)
    client = TestClient(create_app(service, None))
    config = tmp_path / "net.json"
    config.write_text(json.dumps({"num_ues": 210, "start_time_h": 21.95}))
    assert CliRunner().invoke(app, ["net", "reset", "--config", str(config), "--seed", "1"]).exit_code == 0
    net = Network(NetworkConfig(num_ues=210, start_time_h=21.95), seed=1)
    energy = standing("cut energy by 10% between 22:00 and 22:10", net).intent.model_copy(update={"id": "night-energy"})
    put = client.put(f"{BASE}/Intent=night-energy", json=energy.model_dump(mode="json", exclude_none=True))
    assert put.status_code == 201, put.text  # pursued at once: outside its window, acknowledged
    events = client.post("/ranpilot/assure", params={"periods": 1, "steps": 240}).json()
    assert [(e["intent_id"], e["kind"]) for e in events] == [
        ("night-energy", "activated"), ("night-energy", "slipped"), ("night-energy", "replanned")]
    assert events[0]["clock_h"] == pytest.approx(22.0167, abs=1e-3) and events[2]["detail"].startswith("fulfilled")
    assert client.post("/ranpilot/assure", params={"periods": 0}).json()[0]["kind"] == "held"  # state kept between calls
    assert client.post("/ranpilot/assure", params={"periods": 0, "steps": 0}).status_code == 400
