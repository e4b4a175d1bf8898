"""The embedded intent parser: targets, conditions, values, objects, clarifications, rejections."""

import json

import pytest
from typer.testing import CliRunner

from ranpilot.intents.parser import parse_intent
from ranpilot.cli import app

AREAS = {"stadium": [0, 1, 2]}
PARSED = [
    ("Keep average user throughput above 30 Mbps in cells 3-5", "AveDLRANUEThpt", "IS_GREATER_THAN", [30.0], ["3", "4", "5"]),
    ("URLLC latency must stay under 5 ms", "DlLatency", "IS_LESS_THAN", [5.0], ["URLLC"]),
    ("guarantee 10 Mbps per UE for the eMBB slice", "DlThptPerUE", "IS_EQUAL_TO_OR_GREATER_THAN", [10.0], ["eMBB"]),
    ("no more than 10% of cells above 80% PRB load", "HighDLPrbLoadRatio", "IS_EQUAL_TO_OR_LESS_THAN", [10.0], ["all"]),
    ("fewer than 5% of users below 2 Mbps in cells 0, 1 and 2", "LowDLRANUEThptRatio", "IS_EQUAL_TO_OR_LESS_THAN", [5.0], ["0", "1", "2"]),
    ("keep the share of UEs with SINR below 0 dB under 15%", "LowSINRRatio", "IS_EQUAL_TO_OR_LESS_THAN", [15.0], ["all"]),
    ("cut energy consumption by 20%", "RANEnergyConsumption", "IS_EQUAL_TO_OR_LESS_THAN", [-20.0], ["all"]),
    ("keep the RAN power draw under 5 kW", "RANEnergyConsumption", "IS_LESS_THAN", [5.0], ["all"]),
    ("average downlink throughput between 20 and 40 Mbps on cell 7", "AveDLRANUEThpt", "IS_WITHIN_RANGE", [20.0, 40.0], ["7"]),
    # a share of well-served users is the complement of the poorly served ones the ratio counts
    ("keep 90% of users above 10 Mbps in cell 4", "LowDLRANUEThptRatio", "IS_EQUAL_TO_OR_LESS_THAN", [10.0], ["4"]),
    ("keep 95% of users covered", "WeakRSRPRatio", "IS_EQUAL_TO_OR_LESS_THAN", [5.0], ["all"]),
    ("fewer than 5% of eMBB users below 2 Mbps", "LowDLRANUEThptRatio", "IS_EQUAL_TO_OR_LESS_THAN", [5.0], ["eMBB"]),
    ("raise edge throughput at the stadium to 15 Mbps", "LowDLRANUEThptRatio", "IS_EQUAL_TO_OR_LESS_THAN", [5.0], ["0", "1", "2"]),
    # cell numbers are scope: 'cell 3' must not pull the clause towards 'cell edge'
    ("improve throughput in cell 3", "AveDLRANUEThpt", "IS_GREATER_THAN", [0.0], ["3"]),
]


@pytest.mark.parametrize("text,target,condition,values,instance", PARSED)
def test_parsed_targets(text, target, condition, values, instance):
    result = parse_intent(text, AREAS)
    assert result.status == "parsed", result.reason
    t = result.intent.intentExpectations[0].expectationTargets[0]
    assert (t.targetName, t.targetCondition.value, t.targetValueRange) == (target, condition, values)
    assert result.intent.intentExpectations[0].expectationObject.objectInstance == instance


def test_the_mission_statement_intent():
    text = "keep the stadium cells above 20 Mbps per user at the cell edge, but cut transmit power at night"
    intent = parse_intent(text, AREAS).intent
    edge, power = intent.intentExpectations
    assert edge.expectationObject.objectInstance == ["0", "1", "2"]
    t = edge.expectationTargets[0]
    assert t.targetName == "LowDLRANUEThptRatio" and t.context("LowDLRANUEThptThreshold").contextValueRange == [20.0]
    p = power.expectationTargets[0]
    assert p.targetName == "RANEnergyConsumption" and p.targetCondition.value == "IS_LESS_THAN"
    assert intent.intentContexts[0].contextValueRange == ["22:00", "06:00"]


def test_guard_clause_gets_the_pack_limit():
    intent = parse_intent("cut energy consumption by 10% while keeping coverage").intent
    guard = intent.intentExpectations[1]
    assert guard.expectationVerb == "ENSURE"
    assert guard.expectationTargets[0].targetName == "WeakRSRPRatio"
    assert guard.expectationTargets[0].targetValueRange == [5.0]


@pytest.mark.parametrize(
    "text,target,condition",
    [
        ("cut energy by 10% without reducing throughput", "AveDLRANUEThpt", "IS_EQUAL_TO_OR_GREATER_THAN"),
        ("cut energy by 15% at night without degrading latency", "DlLatency", "IS_EQUAL_TO_OR_LESS_THAN"),
        ("cut energy by 10% while maintaining throughput", "AveDLRANUEThpt", "IS_EQUAL_TO_OR_GREATER_THAN"),
    ],
)
def test_guard_without_a_value_is_no_worse_than_the_baseline(text, target, condition):
    """A guard clause naming no value is kept, not dropped or questioned: its KPI may not get worse."""
    energy, guard = parse_intent(text).intent.intentExpectations
    assert energy.expectationTargets[0].targetName == "RANEnergyConsumption"
    t = guard.expectationTargets[0]
    assert guard.expectationVerb == "ENSURE"
    assert (t.targetName, t.targetCondition.value, t.targetValueRange) == (target, condition, [0.0])
    assert t.context("changeRelativeToBaselinePct").contextValueRange == [0.0]


@pytest.mark.parametrize(
    "text,status,reason",
    [
        ("set every cell to 80 dBm", "rejected", "power.wide_area"),
        ("switch off all cells", "rejected", "coverage"),
        ("order me a pizza", "rejected", "out of domain"),
        ("", "rejected", "empty"),
        ("keep throughput above 50 Mbps and below 10 Mbps", "rejected", "contradictory"),
        ("keep 150% of users covered", "rejected", "0-100"),
        ("keep 200% of users above 10 Mbps", "rejected", "0-100"),
        ("make the network better", "clarify", "which KPI"),
        ("put idle cells to sleep at night without losing coverage", "clarify", "RANEnergyConsumption"),
        ("URLLC latency under 0.1 ms", "rejected", "slot"),
        ("boost the stadium throughput to 30 Mbps", "clarify", "stadium"),
        ("keep the latency of cells 1 and 2 low", "clarify", "DlLatency"),
        ("the network is slow", "clarify", "what value should AveDLRANUEThpt reach"),
    ],
)
def test_clarifications_and_rejections(text, status, reason):
    result = parse_intent(text)
    assert result.status == status and result.intent is None
    assert reason in result.reason


def test_cli_batch_parse(tmp_path):
    path = tmp_path / "intents.txt"
    path.write_text("URLLC latency must stay under 5 ms\nset every cell to 80 dBm\n\nthe network is slow\n")
    result = CliRunner().invoke(app, ["intent", "parse", "--file", str(path), "--json"])
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["status"] for r in rows] == ["parsed", "rejected", "clarify"]
    assert rows[0]["intent"]["intentExpectations"][0]["expectationTargets"][0]["targetName"] == "DlLatency"
    assert set(rows[1]) == {"text", "status", "intent", "reason"}
