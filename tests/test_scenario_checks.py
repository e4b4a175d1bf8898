"""Scenario judgement without running the agent: gains with the right sign at a baseline of 0,
operator-success expectations (no KPI worse than the static baseline beyond the tolerance; each
intent's own outcome), validation before a run, shipped scenarios found from any directory, and
report figures with units, step lines, a legend and readable markers."""

from pathlib import Path

import matplotlib.pyplot as plt
import pytest

from ranpilot.agents.runner import RunResult
from ranpilot.policies import ApplyResult
from ranpilot.scenarios.checks import check
from ranpilot.scenarios.model import (
    KpiExpectation, NoRegressionExpectation, OutcomeExpectation, ScenarioError, find_scenario, load_scenario,
    shipped_scenarios,
)
from ranpilot.scenarios.report import CONFIGURATION, KPI_GROUPS, STYLES, figure, panels, write_report
from ranpilot.scenarios.result import EventRecord, IntentRecord, ScenarioResult, describe, gain, gains
from ranpilot.targets import RADIO_TARGETS, Condition, Target, spec

BASE = {k: 10.0 for k in RADIO_TARGETS} | {Target.WEAK_RSRP_UE_SHARE: 0.0}


def series(agent_changes: dict, steps: int = 3) -> dict:
    """Static and optimizer at BASE every step; the agent with `agent_changes` from step 1 on."""
    agent = [dict(BASE)] + [dict(BASE) | agent_changes for _ in range(steps - 1)]
    return {"agent": agent, "static": [dict(BASE) for _ in range(steps)], "optimizer": [dict(BASE) for _ in range(steps)]}


# Gains ------------------------------------------------------------------------------------------

def test_a_gain_from_a_baseline_of_0_is_absolute_with_its_sign_never_plus_0_percent():
    g = gain(1.587, 0.0)
    assert g.absolute == pytest.approx(1.587) and g.relative_pct is None
    assert describe(Target.WEAK_RSRP_RATIO, g) == "+1.587 pp (baseline 0)"
    assert gain(0.0, 0.0).relative_pct == 0.0
    down = gain(-2.0, 0.0)
    assert down.absolute == -2.0 and describe(Target.RAN_ENERGY_CONSUMPTION, down) == "-2 kW (baseline 0)"


def test_a_gain_from_a_nonzero_baseline_has_both_differences():
    g = gain(26.1, 26.2)
    assert g.absolute == pytest.approx(-0.1) and g.relative_pct == pytest.approx(-0.3817, abs=1e-3)
    assert describe(Target.AVE_DL_RAN_UE_THPT, g) == "-0.1 Mbit/s (-0.4%)"
    negative_base = gain(-4.0, -5.0)  # percent of |baseline|: moving up is positive
    assert negative_base.relative_pct == pytest.approx(20.0)


def test_gains_cover_every_network_kpi_at_the_end():
    out = gains(series({Target.WEAK_RSRP_UE_SHARE: 1.5}), "static")
    assert set(out) == set(RADIO_TARGETS)
    assert out[Target.WEAK_RSRP_UE_SHARE].absolute == 1.5 and out[Target.WEAK_RSRP_UE_SHARE].relative_pct is None


# Expectations -----------------------------------------------------------------------------------

def test_percent_against_a_static_baseline_of_0_fails_and_says_why():
    e = KpiExpectation(kind="kpi", kpi=Target.WEAK_RSRP_UE_SHARE, condition=Condition.IS_LESS_THAN, value=5,
                       versus="static_pct")
    c = check(e, series({Target.WEAK_RSRP_UE_SHARE: 1.0}), [], None)
    assert not c.passed and "static baseline 0" in c.observed and "static_abs" in c.observed
    absolute = e.model_copy(update={"versus": "static_abs"})
    assert check(absolute, series({Target.WEAK_RSRP_UE_SHARE: 1.0}), [], None).passed
    assert not check(absolute, series({Target.WEAK_RSRP_UE_SHARE: 6.0}), [], None).passed


@pytest.mark.parametrize("changes,tolerance,allow,passed", [
    ({Target.LOW_DL_THPT_UE_SHARE: 10.4}, 5, {}, True),  # 4% worse, tolerance 5%
    ({Target.LOW_DL_THPT_UE_SHARE: 10.6}, 5, {}, False),  # 6% worse
    ({Target.AVE_DL_RAN_UE_THPT: 9.4}, 5, {}, False),  # higher is better: 6% lower is worse
    ({Target.AVE_DL_RAN_UE_THPT: 30.0, Target.RAN_ENERGY_CONSUMPTION: 2.0}, 0, {}, True),  # better is never worse
    ({Target.WEAK_RSRP_UE_SHARE: 1.587}, 50, {}, False),  # from 0: no percent tolerance helps
    ({Target.WEAK_RSRP_UE_SHARE: 1.587}, 5, {Target.WEAK_RSRP_UE_SHARE: 2.0}, True),  # an allowance, stated
])
def test_no_kpi_may_end_worse_than_static_beyond_the_stated_tolerance(changes, tolerance, allow, passed):
    e = NoRegressionExpectation(kind="no_regression", tolerance_pct=tolerance, allow=allow)
    c = check(e, series(changes), [], None)
    assert c.passed is passed, c
    if not passed:
        assert next(iter(changes)).value in c.observed


def test_an_allowance_must_name_a_network_kpi():
    with pytest.raises(ValueError, match="DlLatency"):
        NoRegressionExpectation(kind="no_regression", tolerance_pct=5, allow={"DlLatency": 1.0})


def record(end: str | None, applied: bool, priority: int | None = 80) -> IntentRecord:
    result = RunResult(thread_id="t", status="done", outcome="", planner="embedded",
                       applied=[ApplyResult(proposal_id="p", status="applied", reasons=[], kpis_before={}, kpis_after={})]
                       if applied else [])
    return IntentRecord(id="edge", at_step=1, started_s=1.0, time_s=5.0, result=result, priority=priority, end_status=end)


def test_an_intent_outcome_at_the_end_is_checked_with_its_priority():
    e = OutcomeExpectation(kind="outcome", intent="edge", end="FULFILLED", applied=True)
    good = check(e, {}, [record("FULFILLED", True)], None)
    assert good.passed and good.expectation.startswith("edge (priority 80):")
    bad = check(e, {}, [record("NOT_FULFILLED", True)], None)
    assert not bad.passed and "end NOT_FULFILLED" in bad.observed
    assert not check(e, {}, [], None).passed  # an intent that never ran


# Validation before a run ------------------------------------------------------------------------

VALID = {"name": "x", "description": "d", "steps": 5,
         "intents": [{"at": 1, "id": "a", "text": "cut energy consumption by 10%"}],
         "expect": [{"kind": "outcome", "intent": "a", "report": "FULFILLED"},
                    {"kind": "no_regression", "tolerance_pct": 5}]}


@pytest.mark.parametrize("change,message", [
    ({"intents": [{"at": 99, "id": "a", "text": "t"}]}, "intents.0.at: step 99 is outside the timeline (steps 0-4)"),
    ({"events": [{"at": 5, "event": {"type": "cell_failure", "cell": 1}}]}, "events.0.at: step 5 is outside"),
    ({"events": [{"at": 1, "event": {"type": "cell_failure", "cell": 21}}]}, "cell 21 is not in the network (cells 0-20)"),
    ({"expect": VALID["expect"] + [{"kind": "kpi", "kpi": "AveDLRANUEThpt", "condition": "IS_GREATER_THAN",
                                    "value": 1, "at": 7}]}, "expect.2.at: step 7 is outside"),
    ({"expect": VALID["expect"] + [{"kind": "verdict", "intent": "b", "status": "approved"}]}, "no intent 'b'"),
    ({"intents": VALID["intents"] * 2}, "id 'a' is used twice"),
    ({"expect": [{"kind": "outcome", "intent": "a", "applied": True}, VALID["expect"][1]]},
     "states intent 'a''s own outcome"),
    ({"expect": VALID["expect"][:1]}, "needs a no_regression expectation"),
])
def test_a_scenario_is_checked_whole_before_it_runs(tmp_path, change, message):
    import yaml

    path = tmp_path / "s.yaml"
    path.write_text(yaml.safe_dump(VALID | change))
    with pytest.raises(ScenarioError, match="invalid scenario") as info:
        load_scenario(path)
    assert message in str(info.value)
    path.write_text(yaml.safe_dump(VALID))
    assert load_scenario(path).steps == 5


def test_shipped_scenarios_are_found_from_any_directory(tmp_path):
    names = [p.stem for p in shipped_scenarios()]
    in_repository = sorted(p.stem for p in (Path(__file__).resolve().parents[1] / "scenarios").glob("*.yaml"))
    assert sorted(names) == in_repository and "night_energy_saving" in names and "conflicting_intents" in names
    assert all(p.is_relative_to(Path(__file__).resolve().parents[1] / "ranpilot") for p in shipped_scenarios())
    assert find_scenario("night_energy_saving") == find_scenario("night_energy_saving.yaml")
    own = tmp_path / "mine.yaml"
    own.write_text("x")
    assert find_scenario(own) == own
    with pytest.raises(ScenarioError, match="nor a shipped scenario .*night_energy_saving"):
        find_scenario("no_such_scenario")


# Report figures ---------------------------------------------------------------------------------

def synthetic_result() -> ScenarioResult:
    s = series({Target.RAN_ENERGY_CONSUMPTION: 7.0, Target.WEAK_RSRP_UE_SHARE: 1.5}, steps=6)
    settings = {"mean transmit power of awake cells (dBm)": 46.0, "cells asleep or failed": 0.0,
                "mean electrical tilt (deg)": 8.0}
    intent = record("FULFILLED", True)
    return ScenarioResult(name="synthetic", passed=True, checks=[], intents=[intent],
                          events=[EventRecord(at_step=2, time_s=3.0, label="cell 4 fails")], series=s,
                          configuration={n: [settings] * 6 for n in s}, times_s=[float(t) for t in range(1, 7)],
                          gains=gains(s, "static"), gains_vs_optimizer=gains(s, "optimizer"))


def test_every_network_kpi_is_plotted_in_exactly_one_group():
    plotted = [k for group in KPI_GROUPS.values() for k in group]
    assert sorted(plotted) == sorted(RADIO_TARGETS)


@pytest.mark.parametrize("group", [*KPI_GROUPS, CONFIGURATION])
def test_a_group_figure_has_units_step_lines_a_legend_and_labelled_markers(group):
    result = synthetic_result()
    fig = figure(result, group)
    try:
        axes = fig.axes
        assert len(axes) == len(panels(result, group))
        expected_units = [spec(k).unit for k in KPI_GROUPS[group]] if group in KPI_GROUPS else ["dBm", "cells", "deg"]
        assert [ax.get_ylabel().split(" ")[0] for ax in axes] == expected_units and axes[-1].get_xlabel() == "time (s)"
        if group == "throughput":
            assert [ax.get_ylabel() for ax in axes] == ["Mbit/s", "% of UEs", "% of cells"]
        for ax in axes:
            assert {line.get_drawstyle() for line in ax.lines if line.get_label() in
                    {s["label"] for s in STYLES.values()}} == {"steps-post"}
        legend = [t.get_text() for t in fig.legends[0].get_texts()]
        assert {s["label"] for s in STYLES.values()} <= set(legend) and "event" in legend
        widths = {line.get_label(): line.get_linewidth() for line in axes[0].lines}
        assert widths["optimizer only (no verifier)"] > widths["ranpilot agent"]  # the band under the agent shows
        texts = [t.get_text().strip() for t in axes[0].texts]
        assert "edge: 1 change set applied" in texts and "cell 4 fails" in texts
    finally:
        plt.close(fig)


def test_the_report_is_one_png_per_group_and_an_html_summary(tmp_path):
    page = write_report(synthetic_result(), tmp_path)
    pngs = sorted(tmp_path.glob("*.png"))
    assert [p.stem for p in pngs] == sorted(f"synthetic-{g}" for g in [*KPI_GROUPS, CONFIGURATION])
    assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
    html = page.read_text()
    assert html.count("data:image/png;base64,") == len(pngs) and "+1.5 pp (baseline 0)" in html
