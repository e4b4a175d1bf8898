"""Shipped scenarios run and their expectations hold; bad scenarios name the field; reports are written."""

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ranpilot.cli import app
from ranpilot.scenarios.model import ScenarioError, load_scenario
from ranpilot.scenarios.report import write_report
from ranpilot.scenarios.runner import run_scenario

SCENARIOS = sorted((Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))


@pytest.mark.parametrize("path", SCENARIOS, ids=[p.stem for p in SCENARIOS])
def test_shipped_scenario_passes(path):
    result = run_scenario(load_scenario(path))
    assert result.passed, [c for c in result.checks if not c.passed]
    assert len(result.series["agent"]) == len(result.series["static"]) == load_scenario(path).steps


def test_report_has_a_real_png_and_html(tmp_path):
    result = run_scenario(load_scenario(SCENARIOS[0]))
    page = write_report(result, tmp_path / "report")
    png = page.with_suffix(".png")
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 10_000
    html = page.read_text()
    assert "data:image/png;base64," in html and result.name in html and "PASS" in html


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


def test_cli_list_and_run(tmp_path):
    runner = CliRunner()
    listing = runner.invoke(app, ["scenario", "list", "--dir", str(SCENARIOS[0].parent)])
    assert all(load_scenario(p).name in listing.output for p in SCENARIOS)
    result = runner.invoke(app, ["scenario", "run", str(SCENARIOS[0]), "--json", "--report", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["passed"] is True and list(tmp_path.glob("*.png"))
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: x\n")
    assert runner.invoke(app, ["scenario", "run", str(bad)]).exit_code == 2


def test_sweep_serial_and_on_ray_agree():
    from ranpilot.scenarios.sweep import sweep

    scenario = load_scenario(next(p for p in SCENARIOS if p.stem == "night_energy_saving")).model_copy(update={"steps": 8})
    serial = sweep(scenario, [0, 1], workers=1)
    parallel = sweep(scenario, [0, 1], workers=2)
    assert serial.backend == "serial" and parallel.backend.startswith("ray")
    assert serial.pass_rate == parallel.pass_rate and serial.kpi_gains_pct == parallel.kpi_gains_pct
    assert 0.0 <= serial.pass_rate.low <= serial.pass_rate.mean <= serial.pass_rate.high <= 1.0
