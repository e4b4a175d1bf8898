"""The verifier: gatekeeper cases, properties over random proposals, apply, rollback, audit, packs."""

import sqlite3
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ranpilot.cli import app
from ranpilot.network import (
    ActionError, Network, NetworkConfig, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower, apply_actions,
    parse_actions,
)
from ranpilot.policies import (
    AuditLog, NotApproved, PackError, Proposal, StaleVerdict, TargetCheck, Verifier, load_pack,
)
from ranpilot.policies.checks import AppliedChange
from ranpilot.policies.confirm import Effect
from ranpilot.targets import Condition

CASES = yaml.safe_load((Path(__file__).parent / "policy_cases.yaml").read_text())
PACK = load_pack()


def network(start_time_h: float = 12.0) -> Network:
    return Network(NetworkConfig(num_ues=210, start_time_h=start_time_h), seed=1)


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_gatekeeper_case(case):
    net = network(case.get("start_time_h", 12.0))
    verdict = Verifier(PACK).verify(Proposal(actions=parse_actions(case["actions"])), net)
    enforced = {v.rule_id for v in verdict.violations if v.mode.value == "enforce"}
    assert verdict.status == case["verdict"], verdict.violations
    assert enforced == set(case["violated"])
    for v in verdict.violations:
        assert v.source and v.object and v.message and v.limit is not None


def test_violation_says_what_failed_and_by_how_much():
    verdict = Verifier(PACK).verify(Proposal(actions=[SetTxPower(cell=4, tx_power_dbm=48)]), network())
    power = next(v for v in verdict.violations if v.rule_id == "power.wide_area")
    assert (power.object, power.observed, power.limit) == ("cell 4", 48.0, 46.0)
    assert power.source.startswith("TS 38.104")
    assert verdict.kpi_deltas["AveDLRANUEThpt"].delta != 0.0  # the dry run still predicts the effect


def test_rate_limit_and_conflicts_use_the_change_history():
    net = network()
    verifier = Verifier(PACK)
    verifier.history = [AppliedChange(time_s=-100.0 * i, cell=3, parameter="cio_db", direction=1, owner="other",
                                      proposal_id=f"p{i}", network_id=net.network_id) for i in range(6)]
    verdict = verifier.verify(Proposal(actions=[SetCio(cell=3, cio_db=-2)]), net, owner="mine")
    assert {v.rule_id for v in verdict.violations} == {"rate.per_cell", "conflict.opposite"}
    assert verdict.status == "rejected"
    verifier.history = verifier.history[:1]
    verdict = verifier.verify(Proposal(actions=[SetCio(cell=3, cio_db=-2)]), net, owner="mine")
    assert verdict.status == "needs_approval"
    same_way = verifier.verify(Proposal(actions=[SetCio(cell=3, cio_db=2)]), net, owner="mine")
    assert same_way.status == "approved"


def test_changes_made_to_another_network_do_not_count():
    audit = AuditLog(":memory:")
    first = network()
    verifier = Verifier(PACK, audit)
    cut = verifier.verify(Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=43)]), first, owner="energy")
    assert verifier.apply_verified(cut, first).status == "applied"
    raise_ = Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=45)])
    assert "conflict.opposite" in {v.rule_id for v in Verifier(PACK, audit).verify(raise_, first.clone()).violations}
    fresh = network()  # the same config and seed, dropped anew: a different network with no history
    assert fresh.network_id != first.network_id
    assert "conflict.opposite" not in {v.rule_id for v in Verifier(PACK, audit).verify(raise_, fresh).violations}


def test_intent_expectations_checked_on_the_dry_run():
    net = network()
    cut = Proposal(actions=[SetTxPower(cell=c, tx_power_dbm=43) for c in range(21)])
    now = net.observe().network["RANEnergyConsumption"]
    met = TargetCheck(target="RANEnergyConsumption", condition=Condition.IS_LESS_THAN, values=[now * 0.95])
    unmet = TargetCheck(target="RANEnergyConsumption", condition=Condition.IS_LESS_THAN, values=[now * 0.5])
    slice_target = TargetCheck(target="DlLatency", slice="URLLC", condition=Condition.IS_LESS_THAN, values=[1000])
    verdict = Verifier(PACK).verify(cut, net, [met, slice_target])
    assert verdict.status == "approved" and verdict.expectations_met
    verdict = Verifier(PACK).verify(cut, net, [unmet])
    assert not verdict.expectations_met and "RANEnergyConsumption" in verdict.unmet_expectations[0]


def test_a_change_that_moves_an_ensure_target_away_from_its_goal_is_rejected():
    """TS 28.312 ENSURE: a power cut that lowers throughput (an otherwise approved change) is
    rejected under 'throughput no lower than now', naming the rule and the predicted value. The
    same target as a plain expectation is only reported; a target it does not move is no veto."""
    net = network()
    cut = Proposal(actions=[SetTxPower(cell=4, tx_power_dbm=43)])
    now = net.observe().network["AveDLRANUEThpt"]
    keep = dict(target="AveDLRANUEThpt", condition=Condition.IS_EQUAL_TO_OR_GREATER_THAN, values=[now])
    verdict = Verifier(PACK).verify(cut, net, [TargetCheck(**keep, ensure=True)])
    assert verdict.status == "rejected" and [v.rule_id for v in verdict.violations] == ["intent.ensure"]
    assert verdict.violations[0].observed < now and verdict.violations[0].limit == now
    assert Verifier(PACK).verify(cut, net, [TargetCheck(**keep)]).status == "approved"
    elsewhere = TargetCheck(**{**keep, "cells": [15]}, ensure=True)  # far from cell 4
    assert Verifier(PACK).verify(cut, net, [elsewhere]).status == "approved"


def test_apply_needs_approval_and_fresh_verdict():
    net = network()
    verifier = Verifier(PACK)
    sleep = verifier.verify(Proposal(actions=[SetCellSleep(cell=5, asleep=True)]), net)
    before = net.configuration()
    with pytest.raises(NotApproved):
        verifier.apply_verified(sleep, net)
    assert net.configuration().equals(before)
    net.apply([SetTilt(cell=1, tilt_deg=11)])
    with pytest.raises(StaleVerdict):
        verifier.apply_verified(sleep, net, approved_by="alice")
    fresh = verifier.verify(Proposal(actions=[SetCellSleep(cell=5, asleep=True)]), net)
    result = verifier.apply_verified(fresh, net, approved_by="alice")
    assert result.status == "applied" and net.configuration().asleep[5]


def test_audit_log_is_append_only_and_complete(tmp_path):
    audit = AuditLog(tmp_path / "audit.sqlite")
    verifier = Verifier(PACK, audit)
    net = network()
    verdict = verifier.verify(Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=44)]), net, owner="i-1")
    verifier.apply_verified(verdict, net)
    assert [e.kind for e in audit.events("i-1")] == ["proposal", "verdict", "apply", "confirm"]
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        audit._db.execute("DELETE FROM events")
    reopened = Verifier(PACK, AuditLog(tmp_path / "audit.sqlite"))
    assert [(h.cell, h.parameter, h.direction) for h in reopened.history] == [(0, "tx_power_dbm", -1)]


def test_a_refused_change_is_audited_and_leaves_the_network_as_it_was(tmp_path):
    class Refusing(Network):  # a network that refuses every change, as an E2 node answering failure does
        def apply(self, actions):
            raise ActionError("e2", "RIC_CONTROL_FAILURE: the node is busy")

    audit = AuditLog(tmp_path / "audit.sqlite")
    net = Refusing(NetworkConfig(num_ues=63), seed=1)
    before = net.configuration()
    verdict = Verifier(PACK, audit).verify(Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=44)]), net, owner="i-2")
    result = Verifier(PACK, audit).apply_verified(verdict, net)
    assert result.status == "refused" and "node is busy" in result.reasons[0]
    assert net.configuration().equals(before) and audit.events("i-2")[-1].kind == "refused"


ACTION = st.one_of(
    st.builds(SetTxPower, cell=st.integers(0, 20), tx_power_dbm=st.floats(10, 90)),
    st.builds(SetTilt, cell=st.integers(0, 20), tilt_deg=st.floats(-5, 30)),
    st.builds(SetCio, cell=st.integers(0, 22), cio_db=st.floats(-24, 24)),
    st.builds(SetCellSleep, cell=st.integers(0, 20), asleep=st.booleans()),
    st.builds(SetSliceQuota, cell=st.integers(0, 20), slice=st.sampled_from(["eMBB", "URLLC", "mMTC"]),
              min_prb_ratio=st.floats(0, 1)),
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
BASE = network(start_time_h=2.0)


@SETTINGS
@given(actions=st.lists(ACTION, min_size=1, max_size=4))
def test_property_deny_never_applies_and_approved_respects_rules(actions):
    net = BASE.clone()
    verifier = Verifier(PACK)
    verdict = verifier.verify(Proposal(actions=actions), net)
    denied = any(v.severity.value == "deny" and v.mode.value == "enforce" for v in verdict.violations)
    assert denied == (verdict.status == "rejected")
    before = net.configuration()
    if verdict.status != "approved":
        with pytest.raises(NotApproved if verdict.status == "rejected" else StaleVerdict):
            if verdict.status == "needs_approval":
                net.apply([SetTilt(cell=0, tilt_deg=float(before.tilt_deg[0]) + 1)])  # make it stale
            verifier.apply_verified(verdict, net, approved_by=None if verdict.status == "rejected" else "x")
        return
    twin = net.clone()
    twin.apply(actions)
    after = twin.configuration()
    changed = after.tx_power_dbm != before.tx_power_dbm
    assert (after.tx_power_dbm[changed] <= 46.0).all()
    assert abs(after.tx_power_dbm - before.tx_power_dbm).max() <= 3.0 + 1e-9
    assert abs(after.tilt_deg - before.tilt_deg).max() <= 4.0 + 1e-9
    assert (after.slice_quota.sum(axis=1) <= 1.0 + 1e-9).all()
    weak = PACK.rule("guard.weak_rsrp")  # no creep: beyond the limit, never worse than without the change
    assert verdict.predicted[weak.kpi] <= max(weak.max, verdict.kpi_deltas[weak.kpi].baseline + 1e-9)


def same_ending(one: list, other: list) -> bool:
    """Whether two batches end in the same configuration of BASE (or are both invalid)."""
    def ending(actions):
        try:
            return apply_actions(BASE.configuration(), list(actions), BASE.config, check_ranges=False)
        except ActionError:
            return None
    a, b = ending(one), ending(other)
    return a is None and b is None or a is not None and b is not None and a.equals(b)


@SETTINGS
@given(actions=st.lists(ACTION, min_size=2, max_size=4), data=st.data())
def test_property_the_order_of_a_batch_never_changes_the_verdict(actions, data):
    """Ranges, invariants and rules judge the configuration a batch ends in, not its order."""
    shuffled = data.draw(st.permutations(actions))
    first, second = (Verifier(PACK).verify(Proposal(actions=list(a)), BASE) for a in (actions, shuffled))
    if same_ending(actions, shuffled):  # a batch writing one value twice ends as its last write says
        assert first.status == second.status
        assert {v.rule_id for v in first.violations} == {v.rule_id for v in second.violations}


@SETTINGS
@given(actions=st.lists(ACTION, min_size=1, max_size=3))
def test_property_rollback_restores_exact_configuration(actions):
    net = BASE.clone()
    verifier = Verifier(PACK)
    verdict = verifier.verify(Proposal(actions=actions), net)
    if verdict.status == "rejected":
        return
    before = net.configuration()
    optimistic = verdict.model_copy(update={"effects": {**verdict.effects, "AveDLRANUEThpt": Effect(mean=1e6, sd=0.0, steps=10)}})
    result = verifier.apply_verified(optimistic, net, approved_by="x")
    assert result.status == "rolled_back" and "AveDLRANUEThpt" in result.reasons[0]
    assert net.configuration().equals(before)
    assert verifier.history == []
    assert verifier.audit.events(kind="rollback")


@pytest.mark.parametrize(
    "text,message",
    [
        ("name: x\nversion: '1'\nrules:\n  - id: a\n    kind: max_step\n    parameter: tilt_deg\n    max_step: 2\n"
         "    description: d\n    source: s\n    max_step_db: 3\n", r":10: rules\.0\.max_step\.max_step_db: Extra inputs"),
        ("name: x\nversion: '1'\nrules:\n  - id: a\n    kind: tx_power_limit\n    bs_class: wide_area\n"
         "    max_dbm: 46 W\n    description: d\n    source: s\n", r":7: rules\.0\.tx_power_limit\.max_dbm"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: tx_power_limit, bs_class: local_area, max_dbm: 24, description: d, source: s}\n"
         "  - {id: b, kind: tx_power_limit, bs_class: local_area, max_dbm: 30, description: d, source: s}\n", "contradictory"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: kpi_limit, kpi: LowSINRRatio, min: 10, max: 5, description: d, source: s}\n",
         r":4: .*contradictory"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: reboot_all, description: d, source: s}\n", r":4: .*reboot_all"),
        ("name: [x\n", "cannot read"),
        # non-finite numbers would switch a rule off silently; absurd limits are refused too
        ("name: x\nversion: '1'\nrules:\n  - id: a\n    kind: tx_power_limit\n    bs_class: wide_area\n"
         "    max_dbm: .nan\n    description: d\n    source: s\n", r":7: rules\.0\.tx_power_limit\.max_dbm: .*finite"),
        ("name: x\nversion: '1'\nrules:\n  - id: a\n    kind: max_step\n    parameter: tilt_deg\n"
         "    max_step: .inf\n    description: d\n    source: s\n", r":7: rules\.0\.max_step\.max_step: .*finite"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: change_rate, max_changes: 6, window_s: -60, description: d, source: s}\n",
         r":4: rules\.0\.change_rate\.window_s: .*greater than 0"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: tx_power_limit, bs_class: wide_area, max_dbm: 460, description: d, source: s}\n",
         r":4: rules\.0\.tx_power_limit\.max_dbm: .*less than or equal to 80"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: ue_power_limit, max_dbm: -99, description: d, source: s}\n",
         r":4: rules\.0\.ue_power_limit\.max_dbm: .*greater than or equal to -30"),
        ("name: x\nversion: '1'\nrules:\n  - id: a\n    kind: kpi_limit\n    kpi: WeakRSRPUEShare\n    max: 150\n"
         "    description: d\n    source: s\n", r":7: rules\.0\.kpi_limit\.max: .*percentage"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: kpi_limit, kpi: LowSINRUEShare, max: 25, max_drift: .nan, "
         "description: d, source: s}\n", r":4: rules\.0\.kpi_limit\.max_drift: .*finite"),
        ("name: x\nversion: '1'\nrules:\n  - {id: a, kind: kpi_limit, kpi: LowSINRUEShare, max: 25, tolerance: 1, "
         "description: d, source: s}\n", r":4: .*tolerance was removed"),
        ("name: x\nversion: '1'\ndrift_window_s: -1\nrules:\n  - {id: a, kind: conflict, window_s: 60, description: d, source: s}\n",
         r":3: drift_window_s: .*greater than 0"),
        ("name: x\nversion: '1'\nconfirm:\n  - {kpi: AveDLRANUEThpt, higher_is_better: true, max_worse: .inf}\n"
         "rules:\n  - {id: a, kind: conflict, window_s: 60, description: d, source: s}\n", r":4: confirm\.0\.max_worse: .*finite"),
    ],
)
def test_malformed_packs_are_rejected_naming_the_line(tmp_path, text, message):
    path = tmp_path / "pack.yaml"
    path.write_text(text)
    with pytest.raises(PackError, match=message):
        load_pack(path)


def test_cli_policy_and_verify(tmp_path):
    runner = CliRunner()
    assert "22 rules" in runner.invoke(app, ["policy", "check"]).output
    explained = runner.invoke(app, ["policy", "explain", "emf.site_cap"])
    assert "max_site_w: 120" in explained.output
    actions = tmp_path / "a.json"
    actions.write_text('[{"type": "set_tx_power", "cell": 0, "tx_power_dbm": 80}]')
    result = runner.invoke(app, ["verify", "--actions", str(actions), "--json"])
    assert result.exit_code == 3
    import json
    verdict = json.loads(result.output)
    assert verdict["status"] == "rejected" and "power.wide_area" in {v["rule_id"] for v in verdict["violations"]}
    actions.write_text('[{"type": "format_disk", "cell": 0}]')
    bad = runner.invoke(app, ["verify", "--actions", str(actions)])
    assert bad.exit_code == 2 and "format_disk" in bad.output
