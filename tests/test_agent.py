"""The agent end to end on the embedded planner: fulfilment, safety, scope, approval, resume."""

import json

import pytest
import yaml
from typer.testing import CliRunner

from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.agents.runner import AgentRunner, RunError
from ranpilot.agents.state import Outcome
from ranpilot.cli import app
from ranpilot.network import Network, NetworkConfig
from ranpilot.policies import load_pack
from ranpilot.policies.pack import PACKS_DIR
from ranpilot.settings import Settings


def network(**kwargs) -> Network:
    return Network(NetworkConfig(num_ues=210, **kwargs), seed=1)


@pytest.fixture
def runner(tmp_path):
    return AgentRunner(Settings(data_dir=tmp_path / "data"), EmbeddedPlanner(), with_knowledge=False)


def test_energy_intent_is_fulfilled_with_coverage_kept(runner):
    net = network()
    result = runner.run("cut energy consumption by 10% while keeping coverage", net)
    assert result.status == "done" and result.report.fulfilled
    assert result.kpis_after["RANEnergyConsumption"] <= 0.9 * result.kpis_before["RANEnergyConsumption"]
    assert result.kpis_after["WeakRSRPUEShare"] <= 5.0
    assert [a.status for a in result.applied] == ["applied"]
    assert {e.kind for e in runner.verifier.audit.events()} >= {"proposal", "verdict", "apply", "confirm"}
    assert set(result.node_ms) >= {"parse_intent", "plan", "verify", "apply", "report"}
    assert result.outcome_kind == Outcome.FULFILLED
    (first,) = result.rounds  # the search's winner was approved and applied in one round
    improving = {c.source: c.shortfall for c in first.candidates if c.verdict == "improves"}
    assert improving[first.choice.strategy] == min(improving.values()) < 1.0  # 1.0: 10% short, as before
    assert "energy_min_power" in {u.tool for u in first.tool_uses}


def test_a_guard_clause_holds_while_the_main_target_is_pursued(runner):
    """'without reducing throughput' is an ENSURE target: energy cuts the twin predicts to lower
    throughput are weighed and never proposed (nor would the verifier pass them). Energy falls;
    throughput stays within the live traffic noise (the paired twins cancel that noise, the live
    KPIs carry it)."""
    result = runner.run("cut energy by 10% at night without reducing throughput", network(start_time_h=23.0))
    away = [c for r in result.rounds for c in r.candidates if c.verdict == "moves a target away from its goal"]
    applied = {a.proposal_id for a in result.applied if a.status == "applied"}
    assert away and any(r.proposal_id in applied for r in result.rounds)
    assert not [v for r in result.rounds for v in r.violations if v.rule_id == "intent.ensure"]
    assert result.kpis_after["RANEnergyConsumption"] < 0.95 * result.kpis_before["RANEnergyConsumption"]
    assert result.kpis_after["AveDLRANUEThpt"] >= 0.995 * result.kpis_before["AveDLRANUEThpt"]


def test_slice_latency_intent_moves_quotas(runner):
    result = runner.run("URLLC latency must stay under 10 ms", network())
    assert result.report.fulfilled
    (exp_id, target), = result.report.targets()
    assert result.baselines[f"{exp_id}.DlLatency"] > 10.0 >= target.targetAchievedValue
    assert all(a.type == "set_slice_quota" for a in result.verdict.proposal.actions)


@pytest.mark.parametrize("text", ["set every cell to 80 dBm", "switch off all cells", "order me a pizza"])
def test_unsafe_or_out_of_domain_intents_change_nothing(runner, text):
    net = network()
    before = net.configuration()
    result = runner.run(text, net)
    assert result.intent is None and result.parse.status == "rejected"
    assert net.configuration().equals(before) and not result.applied


def test_actions_stay_inside_the_operator_scope(runner):
    net = network()
    before = net.configuration()
    outside = runner.run("cut energy consumption by 10% in cells 0, 1 and 9", net, scope_cells=[0, 1, 2])
    assert outside.outcome_kind == Outcome.OUT_OF_SCOPE and "cells [9]" in outside.outcome
    assert net.configuration().equals(before)
    inside = runner.run("cut energy consumption by 5%", net, scope_cells=[3, 4, 5])
    changed = {c.cell for c in before.changes(net.configuration(), ["eMBB", "URLLC", "mMTC"])}
    assert changed and changed <= {3, 4, 5}
    assert inside.applied


def approval_pack(tmp_path):
    data = yaml.safe_load((PACKS_DIR / "default.yaml").read_text())
    for rule in data["rules"]:
        if rule["id"] == "sleep.maintenance_window":
            rule["parameters"] = ["asleep", "tx_power_dbm"]
    path = tmp_path / "pack.yaml"
    path.write_text(yaml.safe_dump(data))
    return load_pack(path)


@pytest.mark.parametrize("answer,applied", [("approved", True), ("rejected", False)])
def test_approval_pauses_and_resumes_in_a_new_process(tmp_path, answer, applied):
    settings = Settings(data_dir=tmp_path / "data")
    first = AgentRunner(settings, EmbeddedPlanner(), approval_pack(tmp_path), with_knowledge=False)
    net = network()
    waiting = first.run("cut energy consumption by 10%", net, thread_id="t-1")
    assert waiting.status == "awaiting_approval" and not waiting.applied
    assert waiting.kpis_after["RANEnergyConsumption"] == waiting.kpis_before["RANEnergyConsumption"]
    second = AgentRunner(settings, EmbeddedPlanner(), approval_pack(tmp_path), with_knowledge=False)  # a new process
    done = second.resume("t-1", answer)
    assert done.status == "done" and bool(done.applied) == applied
    lower = done.kpis_after["RANEnergyConsumption"] < done.kpis_before["RANEnergyConsumption"]
    assert lower == applied
    with pytest.raises(RunError, match="not waiting"):
        second.resume("t-1", "approved")


def test_unknown_thread_and_corrupt_network_file(runner):
    with pytest.raises(RunError, match="no thread"):
        runner.resume("nope", "approved")
    runner.run("cut energy consumption by 10%", network(), thread_id="t-2")
    (runner.root / "networks" / "t-2.json").write_bytes(b"garbage")
    with pytest.raises(RunError, match="cannot read the saved network"):
        runner.show("t-2")
    with pytest.raises(RunError, match="exists already"):
        runner.run("cut energy consumption by 10%", network(), thread_id="t-2")


def test_cli_run_json_and_show(tmp_path):
    cli = CliRunner()
    result = cli.invoke(app, ["run", "URLLC latency must stay under 10 ms", "--thread", "cli-1", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)  # progress and one-time model builds go to stderr
    assert data["status"] == "done" and data["report"]["intentFulfilmentReport"]["intentFulfilmentInfo"]["fulfilmentStatus"] == "FULFILLED"
    assert data["intent"]["intentExpectations"][0]["expectationTargets"][0]["targetName"] == "DlLatency"
    assert data["intent"]["intentExpectations"][0]["expectationObject"]["objectType"] == "Radio_Service"
    assert data["passages"] and {"spec", "clause", "title"} <= set(data["passages"][0])
    shown = cli.invoke(app, ["run", "--thread", "cli-1"])
    assert shown.exit_code == 0 and "FULFILLED" in shown.output
    assert cli.invoke(app, ["approve", "cli-1"]).exit_code == 1


def test_time_window_is_respected(runner):
    noon = network(start_time_h=12.0)
    before = noon.configuration()
    result = runner.run("cut energy consumption by 10% at night", noon)
    assert result.outcome_kind == Outcome.OUTSIDE_WINDOW and noon.configuration().equals(before)
    assert result.report.not_fulfilled_state == "ACKNOWLEDGED"
    night = runner.run("cut energy consumption by 10% at night", network(start_time_h=23.5))
    assert night.report.fulfilled


def test_scope_filter_judges_actions_by_the_cells_they_change():
    from ranpilot.agents.actions import within_scope
    from ranpilot.network import SetPowerVector, SetTxPower

    net = network()
    powers = net.configuration().tx_power_dbm.tolist()
    inside = SetPowerVector(tx_power_dbm=[p - 1 if c in (3, 4) else p for c, p in enumerate(powers)])
    outside = SetPowerVector(tx_power_dbm=[p - 1 for p in powers])
    kept = within_scope([inside, outside, SetTxPower(cell=3, tx_power_dbm=44), SetTxPower(cell=9, tx_power_dbm=44)], net, {3, 4})
    assert kept == [inside, SetTxPower(cell=3, tx_power_dbm=44)]


def test_cli_acts_on_a_persistent_live_network(tmp_path):
    cli = CliRunner()
    shown = lambda: json.loads(cli.invoke(app, ["net", "show", "--json"]).output)  # noqa: E731
    power = lambda obs: [c["tx_power_dbm"] for c in obs["cells"]]  # noqa: E731
    before = shown()
    result = cli.invoke(app, ["run", "cut energy consumption by 10%", "--json"])
    assert result.exit_code == 0 and json.loads(result.output)["report"]["intentFulfilmentReport"]["intentFulfilmentInfo"]["fulfilmentStatus"] == "FULFILLED"
    after = shown()
    assert sum(power(after)) < sum(power(before)) and after["time_s"] > before["time_s"]  # the change persisted
    actions = tmp_path / "a.json"
    actions.write_text(json.dumps([{"type": "set_tx_power", "cell": 0, "tx_power_dbm": power(after)[0] + 2}]))
    verdict = json.loads(cli.invoke(app, ["verify", "--actions", str(actions), "--json"]).output)
    # +2 dB on a cell the energy intent just cut, within the hour: the audit history makes it a conflict
    assert verdict["status"] == "needs_approval"
    assert {v["rule_id"] for v in verdict["violations"]} == {"conflict.opposite"}
    assert cli.invoke(app, ["net", "reset"]).exit_code == 0
    assert power(shown()) == power(before)


def test_edge_power_plan_caps_power_only_where_the_scope_makes_the_interference():
    """More power everywhere cannot beat interference from cells the plan itself moves: with every
    cell of a dense 40 dBm UMi network in scope, the ceiling is today's power. With one cell per
    site in scope, the others' interference is fixed, counts as noise, and the ceiling is the cap."""
    import numpy as np

    from ranpilot.planning.generators import edge_power_control_input
    from ranpilot.planning.situation import Situation

    storm = Network(NetworkConfig(scenario="UMi", isd_m=200, bs_height_m=10, tilt_deg=6, tx_power_dbm=40, num_ues=210), seed=5)
    storm.step()

    def ceilings_dbm_and_noise_db(cells):
        situation = Situation(network=storm, target="LowDLRANUEThptRatio", goal=10.0, cells=cells, slice=None,
                              threshold=5.0, pack=load_pack(), step_scale=1.0)
        inp = edge_power_control_input(situation)
        return 10 * np.log10(inp.pmax_w) + 30, 10 * np.log10(np.array(inp.noise_w) / storm.noise_w())

    ceilings, noise_db = ceilings_dbm_and_noise_db(list(range(storm.num_cells)))
    assert np.allclose(ceilings, 40.0) and np.allclose(noise_db, 0.0)
    ceilings, noise_db = ceilings_dbm_and_noise_db([0, 3, 6])
    assert np.allclose(ceilings, 46.0) and (noise_db > 40.0).all()  # measured 44-52 dB of fixed interference
