"""Shipped scenarios run and their expectations hold (conflicting_intents, honestly, not yet); bad
scenarios name the field; `scenario run` prints signed gains and writes the report; sweeps agree
serially and on Ray."""

import json

import pytest
from typer.testing import CliRunner

from ranpilot.cli import app
from ranpilot.scenarios.model import ScenarioError, find_scenario, load_scenario, shipped_scenarios
from ranpilot.scenarios.runner import run_scenario

SCENARIOS = shipped_scenarios()
# Operator success not reached (measured 2 Dec 2026, 11:50 UTC, with the planner then in the checkout): the
# expectations say what success is, the scenario fails, and each strict xfail turns into a failure the day the
# agent gets there (then remove it).
NOT_YET = {
    "conflicting_intents": "both intents end as the scenario asks (the cell-edge intent, priority 80, overrides the "
                           "energy intent's power cut with a priority approval), but at the end the network-wide shares "
                           "are a few UEs above the static network's: LowDLThptUEShare and LowSINRUEShare +2 UEs "
                           "(+0.95 pp), WeakRSRPUEShare +1 UE, beyond the 5% tolerance",
}


def _marks(stem: str) -> list:
    return [pytest.mark.xfail(reason=NOT_YET[stem], strict=True)] if stem in NOT_YET else []


@pytest.mark.parametrize("path", [pytest.param(p, marks=_marks(p.stem)) for p in SCENARIOS], ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_passes(path):
    scenario = load_scenario(path)
    result = run_scenario(scenario)
    assert len(result.series["agent"]) == len(result.series["static"]) == scenario.steps
    assert {r.id for r in result.intents} == {i.id for i in scenario.intents}  # every intent ran
    assert result.passed, [c for c in result.checks if not c.passed]


@pytest.mark.parametrize(
    "text,field",
    [
        ("name: x\ndescription: d\nexpect: []\n", "expect"),
        ("name: x\ndescription: d\nnetwork: {num_uez: 5}\nexpect: [{kind: outcome, intent: a}]\n", "network.num_uez"),
        ("name: x\ndescription: d\nevents: [{at: 1, event: {type: meteor}}]\nexpect: [{kind: outcome, intent: a}]\n", "events.0.event"),
        ("name: x\ndescription: d\nintents: [{at: -1, id: a, text: t}]\nexpect: [{kind: outcome, intent: a}]\n", "intents.0.at"),
        ("name: [x\n", "cannot read"),
    ],
)
def test_malformed_scenario_names_the_field(tmp_path, text, field):
    path = tmp_path / "bad.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=field):
        load_scenario(path)


def test_cli_runs_a_shipped_scenario_by_name_with_signed_gains_and_a_report(tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["scenario", "run", "night_energy_saving", "--json", "--report", str(tmp_path)])
    out = json.loads(result.stdout)
    assert result.exit_code == (0 if out["passed"] else 4), result.output  # the pass itself: the test above
    assert len(list(tmp_path.glob("night-energy-saving-*.png"))) == 5 and (tmp_path / "night-energy-saving.html").exists()
    for g in out["gains"].values():
        assert g["absolute"] == pytest.approx(g["agent"] - g["baseline"])
        assert g["relative_pct"] == (pytest.approx(100 * g["absolute"] / abs(g["baseline"])) if g["baseline"]
                                     else (0.0 if g["agent"] == 0 else None))
    assert out["gains"]["RANEnergyConsumption"]["absolute"] < 0
    weak = out["gains"]["WeakRSRPUEShare"]
    assert weak["baseline"] == 0  # the static network has no weak-coverage users here: no percent change exists
    table = runner.invoke(app, ["scenario", "run", str(find_scenario("night_energy_saving"))])
    assert table.exit_code == result.exit_code
    assert f"{weak['absolute']:+.4g} pp" in table.stdout
    assert weak["agent"] == 0 or "(baseline 0)" in table.stdout


def test_sweep_serial_and_on_ray_agree():
    from ranpilot.scenarios.sweep import sweep

    scenario = load_scenario(find_scenario("night_energy_saving")).model_copy(update={"steps": 8})
    serial = sweep(scenario, [0, 1], workers=1)
    parallel = sweep(scenario, [0, 1], workers=2)
    assert serial.backend == "serial" and parallel.backend.startswith("ray")
    assert serial.pass_rate == parallel.pass_rate and serial.kpi_gains == parallel.kpi_gains
    assert 0.0 <= serial.pass_rate.low <= serial.pass_rate.mean <= serial.pass_rate.high <= 1.0
    assert serial.kpi_gains["RANEnergyConsumption"].mean < 0
