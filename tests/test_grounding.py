"""Knowledge that informs the decision: every target's defining clause is cited, retrieval is
steered by the targets and levers with a relevance cut, and a run's report cites the clauses
behind the rules that bounded its action. On the store of the shipped notes."""

import io
import re

import pytest
from rich.console import Console

from ranpilot.agents.grounding import bounding_rules, definitions, merged, rule_clauses, steered
from ranpilot.agents.report import print_run
from ranpilot.agents.runner import AgentRunner
from ranpilot.network import Network, NetworkConfig
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.policies import load_pack
from ranpilot.settings import Settings
from ranpilot.targets import TARGETS, Target

#: Where each target is defined in the shipped notes: TS 28.312's radio network targets, and for
#: ranpilot's per-UE shares the TS 28.552 measurement they count per UE.
DEFINING = {t: ("TS 28.312", "6.3") for t in TARGETS} | {
    Target.LOW_DL_THPT_UE_SHARE: ("TS 28.552", "5.1.1.3"),  # DRB.UEThpDl, UE throughput
    Target.WEAK_RSRP_UE_SHARE: ("TS 28.552", "5.1.1"),  # L1M.SS-RSRP distributions
    Target.LOW_SINR_UE_SHARE: ("TS 28.552", "5.1.1"),  # CQI distributions reflect the SINR
}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    return tmp_path_factory.mktemp("grounding") / "data"


@pytest.fixture
def runner(data_dir, monkeypatch):
    """The agent with the knowledge store of the shipped notes (built once for the module)."""
    monkeypatch.setenv("RANPILOT_DATA_DIR", str(data_dir))
    return AgentRunner(Settings(data_dir=data_dir), EmbeddedPlanner())


def clauses(passages) -> list[tuple[str, str]]:
    return [(p.spec, p.clause) for p in passages]


def test_every_target_cites_its_defining_clause(runner):
    for target in TARGETS:
        cited = merged(definitions([target], runner.knowledge()), steered("", [target], [], runner.knowledge()))
        assert DEFINING[target] in clauses(cited), target
        assert any(f"defines {target.value}" in p.why for p in cited)


def test_retrieval_is_steered_by_levers_and_cut_by_relevance(runner):
    latency = steered("URLLC latency must stay under 10 ms", [Target.DL_LATENCY], [], runner.knowledge())
    assert ("TS 38.300", "15.4") not in clauses(latency)  # no energy saving for a latency intent
    assert len(latency) < 3  # the cut: not always as many as asked for
    on_quota = steered("URLLC latency must stay under 10 ms", [Target.DL_LATENCY], ["min_prb_ratio"], runner.knowledge())
    assert clauses(on_quota)[0] == ("TS 38.300", "16.3") and on_quota[0].why == "on the levers: min_prb_ratio"
    throughput = steered("improve average throughput", [Target.AVE_DL_RAN_UE_THPT], [], runner.knowledge())
    assert ("TS 38.213", "7.1") not in clauses(throughput)  # no uplink PUSCH clause for downlink throughput
    energy = steered("cut energy by 10%", [Target.RAN_ENERGY_CONSUMPTION], ["asleep", "tx_power_dbm"], runner.knowledge())
    assert clauses(energy)[0] == ("TS 38.300", "15.4")


def test_rules_that_bound_a_power_change_cite_their_clause(runner):
    rules = bounding_rules(load_pack(), ["tx_power_dbm"], [])
    assert {"power.wide_area", "step.power"} <= {r.id for r in rules}
    cited = merged(rule_clauses(rules, runner.knowledge()))
    assert clauses(cited) == [("TS 38.104", "6.2")]  # the operator's own rules name no clause
    assert "behind rule power.wide_area" in cited[0].why


def test_a_run_reports_its_definitions_and_the_clauses_behind_its_rules(runner):
    result = runner.run("cut energy consumption by 10% while keeping coverage", Network(NetworkConfig(num_ues=210), seed=1))
    assert result.report.fulfilled
    why = {(p.spec, p.clause): p.why for p in result.passages}
    assert "defines RANEnergyConsumption" in why[("TS 28.312", "6.3")]
    assert "behind rule power.wide_area" in why[("TS 38.104", "6.2")]  # the plan cut transmit power
    assert all(p.why for p in result.passages)


def test_the_report_shows_the_targets_at_their_scope_the_applied_change_and_why_it_won(runner):
    net = Network(NetworkConfig(num_ues=210), seed=1)
    result = runner.run("keep average throughput above 25 Mbps in cells 3-5, and keep energy below 6.5 kW", net)
    out = io.StringIO()
    print_run(result, Console(file=out, width=250))
    text = out.getvalue()
    assert re.search(r"exp-1 +. AveDLRANUEThpt +. cells \[3, 4, 5\] +. >= 25 +. \d+\.\d+ +. \d+\.\d+ +. Mbit/s +. FULFILLED", text)
    assert re.search(r"exp-2 +. RANEnergyConsumption +. network +. <= 6.5 +. 6.659 +. 4.699 +. kW +. FULFILLED", text)
    (applied,) = [r for r in result.rounds if r.proposal_id in {a.proposal_id for a in result.applied}]
    assert f"Applied in round 1 ({applied.choice.strategy}); confirmed live over 5 steps" in text
    assert "Last proposal" not in text  # the applied proposal is shown, not the last one the verifier saw
    assert re.search(rf"{re.escape(applied.choice.strategy)} +. \d+ +. 0 +. improves +. applied", text)
    assert '"AveDLRANUEThpt (average downlink UE throughput in the RAN, Mbit/s)' in text  # the definition, quoted
