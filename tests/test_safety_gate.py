"""The red team's escapes from the verifier ("Close the safety gate"), each closed in the general
mechanism: final-state judgement of every affected object, order-free batches, remedial
changes, guardrails without creep, owners the caller cannot forge, rate counting, strict input."""

import json

import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ranpilot.agents.runner import AgentRunner
from ranpilot.cli import app
from ranpilot.network import (
    ActionError, Network, NetworkConfig, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
    apply_actions, parse_actions,
)
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import A1PolicyRequest
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.policies import AuditLog, NotApproved, Proposal, Verifier, load_pack
from ranpilot.settings import Settings

PACK = load_pack()
RING = [3 * site for site in range(1, 7)]  # one cell of each of the six sites around the centre site 0


def network(start_time_h: float = 12.0, **config) -> Network:
    return Network(NetworkConfig(num_ues=210, start_time_h=start_time_h, **config), seed=1)


def rules(verdict) -> set[str]:
    return {v.rule_id for v in verdict.violations}


def with_rule(rule_id: str, **update):
    """The default pack with one rule's settings changed."""
    return PACK.model_copy(update={"rules": [r.model_copy(update=update) if r.id == rule_id else r for r in PACK.rules]})


# 1. Rules judge the final state and every affected object ------------------------------------

def test_a_ring_of_sleeping_cells_around_a_site_is_caught_at_once_or_one_by_one():
    at_once = Verifier(PACK).verify(Proposal(actions=[SetCellSleep(cell=c, asleep=True) for c in RING]), network(2.0))
    neighbours = [v for v in at_once.violations if v.rule_id == "sleep.neighbours"]
    assert at_once.status == "rejected" and [(v.object, v.observed) for v in neighbours] == [("site 0", 6)]
    one_by_one = network(2.0)
    one_by_one.apply([SetCellSleep(cell=c, asleep=True) for c in RING[:3]])  # three earlier approvals
    fourth = Verifier(PACK).verify(Proposal(actions=[SetCellSleep(cell=RING[3], asleep=True)]), one_by_one)
    assert fourth.status == "rejected" and "sleep.neighbours" in rules(fourth)
    waking = Verifier(PACK).verify(Proposal(actions=[SetCellSleep(cell=RING[0], asleep=False)]), one_by_one)
    assert "sleep.neighbours" not in rules(waking)


def test_every_broken_rule_is_named_not_only_the_first():
    noon = Verifier(PACK).verify(Proposal(actions=[SetCellSleep(cell=c, asleep=True) for c in RING]), network(12.0))
    assert {"sleep.maintenance_window", "sleep.neighbours"} <= rules(noon) and noon.status == "rejected"


# 2. One final configuration for quotas, hardware and policy --------------------------------

QUOTAS = [SetSliceQuota(cell=2, slice="URLLC", min_prb_ratio=0.5), SetSliceQuota(cell=2, slice="eMBB", min_prb_ratio=0.3)]


@pytest.mark.parametrize("batches", [
    [QUOTAS, QUOTAS[::-1]],
    [[SetTxPower(cell=4, tx_power_dbm=80), SetTxPower(cell=4, tx_power_dbm=45)],
     [SetTxPower(cell=4, tx_power_dbm=49), SetTxPower(cell=4, tx_power_dbm=45)], [SetTxPower(cell=4, tx_power_dbm=45)]],
], ids=["quotas in either order", "power overwritten in the batch"])
def test_batches_ending_in_the_same_configuration_get_the_same_verdict(batches):
    net = network()
    verdicts = [Verifier(PACK).verify(Proposal(actions=b), net) for b in batches]
    assert len({(v.status, frozenset(rules(v))) for v in verdicts}) == 1
    assert verdicts[0].status == "approved", verdicts[0].violations


def test_ranges_and_invariants_are_checked_on_the_final_configuration_naming_the_action():
    net = network()
    conf = net.configuration()
    assert apply_actions(conf, [SetTxPower(cell=0, tx_power_dbm=80), SetTxPower(cell=0, tx_power_dbm=46)],
                         net.config).tx_power_dbm[0] == 46
    with pytest.raises(ActionError) as err:
        net.apply([SetTxPower(cell=0, tx_power_dbm=46), SetTxPower(cell=1, tx_power_dbm=43),
                   SetTxPower(cell=0, tx_power_dbm=80)])
    assert err.value.field == "actions[2].tx_power_dbm" and net.configuration().equals(conf)  # still atomic
    with pytest.raises(ActionError, match="sum to") as err:
        net.apply([SetSliceQuota(cell=2, slice="eMBB", min_prb_ratio=0.3),
                   SetSliceQuota(cell=2, slice="URLLC", min_prb_ratio=0.8)])
    assert err.value.field == "actions[1].min_prb_ratio" and net.configuration().equals(conf)


# 3. A change toward compliance is allowed ---------------------------------------------------

def test_remedial_changes_on_a_network_beyond_its_limits_pass():
    hot = network(tx_power_dbm=48.0)  # every cell above the 46 dBm wide-area class, every site above the EMF cap
    cut = Verifier(PACK).verify(Proposal(actions=[SetTxPower(cell=4, tx_power_dbm=47)]), hot)
    assert not rules(cut) & {"power.wide_area", "emf.site_cap"}
    raise_ = Verifier(PACK).verify(Proposal(actions=[SetTxPower(cell=4, tx_power_dbm=49)]), hot)
    assert {"power.wide_area", "emf.site_cap"} <= rules(raise_)
    net = network()
    net.apply([SetUePMax(cell=6, p_max_dbm=26), SetSliceQuota(cell=2, slice="URLLC", min_prb_ratio=0.05)])
    verdicts = {value: Verifier(PACK).verify(Proposal(actions=[action]), net) for value, action in (
        ("p-max down", SetUePMax(cell=6, p_max_dbm=25)), ("p-max up", SetUePMax(cell=6, p_max_dbm=27)),
        ("floor up", SetSliceQuota(cell=2, slice="URLLC", min_prb_ratio=0.08)),
        ("floor down", SetSliceQuota(cell=2, slice="URLLC", min_prb_ratio=0.04)))}
    assert "power.ue_class" not in rules(verdicts["p-max down"]) and "power.ue_class" in rules(verdicts["p-max up"])
    assert "slices.urllc_floor" not in rules(verdicts["floor up"])
    assert "slices.urllc_floor" in rules(verdicts["floor down"])


def test_a_quota_sum_beyond_its_limit_may_shrink_but_not_grow_and_untouched_cells_are_not_blamed():
    pack = with_rule("slices.quota_sum", max_total=0.7)  # every cell's quotas sum to 0.75 today
    net = network()
    shrink = Verifier(pack).verify(Proposal(actions=[SetSliceQuota(cell=2, slice="eMBB", min_prb_ratio=0.48)]), net)
    grow = Verifier(pack).verify(Proposal(actions=[SetSliceQuota(cell=2, slice="eMBB", min_prb_ratio=0.52)]), net)
    assert "slices.quota_sum" not in rules(shrink)
    assert [v.object for v in grow.violations if v.rule_id == "slices.quota_sum"] == ["cell 2"]


# 4. Guardrails with no creep -------------------------------------------------------------------

def test_beyond_a_guardrail_only_changes_that_do_not_worsen_it_pass():
    dim = network(2.0, tx_power_dbm=30.0)  # 23% of UEs in weak coverage: beyond the 5% guardrail
    one_more = Verifier(PACK).verify(Proposal(actions=[SetTxPower(cell=3, tx_power_dbm=27)]), dim)
    weak = one_more.kpi_deltas["WeakRSRPUEShare"]
    assert 0 < weak.delta < 0.5  # one UE more: under the old per-proposal tolerance
    assert one_more.status == "rejected" and "guard.weak_rsrp" in rules(one_more)
    no_effect = Verifier(PACK).verify(Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=27)]), dim)
    assert no_effect.kpi_deltas["WeakRSRPUEShare"].delta == 0 and "guard.weak_rsrp" not in rules(no_effect)


def test_a_drift_budget_stops_small_steps_adding_up_across_processes(tmp_path):
    """Each 3 dB cut of these cells adds one weak UE (0.48 points) to 3.33%: within the 5% limit,
    but the window's budget of 1 point is spent after two; a verifier in a new process reads the
    window's reference from the audit log; once the window ends, a new one starts."""
    pack = with_rule("guard.weak_rsrp", max_drift=1.0).model_copy(update={"drift_window_s": 60.0})
    net, audit = network(2.0, tx_power_dbm=40.0), AuditLog(tmp_path / "audit.sqlite")
    verifier = Verifier(pack, audit)
    for cell in (4, 6):
        verdict = verifier.verify(Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=37)]), net)
        assert verdict.status == "approved" and verifier.apply_verified(verdict, net).status == "applied"
    third = Proposal(actions=[SetTxPower(cell=8, tx_power_dbm=37)])
    for process in (verifier, Verifier(pack, AuditLog(tmp_path / "audit.sqlite"))):
        verdict = process.verify(third, net)
        assert verdict.status == "rejected" and rules(verdict) == {"guard.weak_rsrp"}
        assert verdict.predicted["WeakRSRPUEShare"] < 5.0 and "drift budget" in verdict.violations[0].message
    assert Verifier(pack).verify(third, net).status == "approved"  # no memory: the steps would add up
    net.step(60)
    assert Verifier(pack, AuditLog(tmp_path / "audit.sqlite")).verify(third, net).status == "approved"


# 5. Owners the caller cannot forge ------------------------------------------------------------

@pytest.mark.parametrize("key", ["intent_id", "owner"])
def test_a_proposal_from_json_cannot_name_its_owner(tmp_path, key):
    data = {key: "someone-else", "actions": [{"type": "set_cio", "cell": 3, "cio_db": 1}]}
    with pytest.raises(ValidationError, match=key):
        Proposal.model_validate(data)
    path = tmp_path / "p.json"
    path.write_text(json.dumps(data))
    assert CliRunner().invoke(app, ["verify", "--actions", str(path)]).exit_code == 2


def test_manual_proposals_cannot_reverse_an_intent_silently():
    audit, net = AuditLog(":memory:"), network()
    cut = Verifier(PACK, audit).verify(Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=43)]), net, owner="run:t-1")
    assert Verifier(PACK, audit).apply_verified(cut, net).status == "applied"
    reverse = Proposal(actions=[SetTxPower(cell=0, tx_power_dbm=45)])
    first, second = (Verifier(PACK, audit).verify(reverse, net) for _ in range(2))
    assert first.owner != second.owner and {first.owner, second.owner}.isdisjoint({"manual", "run:t-1"})
    assert "conflict.opposite" in rules(first) and first.status == "needs_approval"
    assert "conflict.opposite" not in rules(Verifier(PACK, audit).verify(reverse, net, owner="run:t-1"))
    with pytest.raises(NotApproved, match="verified for"):
        Verifier(PACK, audit).apply_verified(first, net, approved_by="x", owner="run:t-1")


def test_each_run_is_its_own_owner_and_an_a1_policy_one_owner_across_its_runs(tmp_path):
    runner = AgentRunner(Settings(data_dir=tmp_path / "data"), EmbeddedPlanner(), with_knowledge=False)
    first = runner.run("cut energy consumption by 10%", network(), thread_id="t-a")
    again = runner.run("cut energy consumption by 10%", network(), thread_id="t-b")
    assert first.verdict.owner.startswith("run:t-a:") and again.verdict.owner.startswith("run:t-b:")
    stack = ranpilot_stack(network(), Settings(data_dir=tmp_path / "xapp"), with_knowledge=False)
    policy = {"scope": {"sliceId": {"sst": 2, "plmnId": {"mcc": "001", "mnc": "01"}}},
              "sliceSlaObjectives": {"maxDlPacketDelayPerUe": 10}}
    for operation in ("CREATE", "UPDATE"):  # re-runs of one policy instance: one owner
        stack.xapp.on_a1_policy(A1PolicyRequest(operation=operation, policy_type_id="ORAN_SliceSLATarget_4.0.1",
                                                policy_instance_id="urllc-1", payload=policy))
    audit = stack.xapp.runner.verifier.audit
    assert audit.events(kind="apply") and {e.intent_id for e in audit.events()} == {"a1:urllc-1"}


# 6. The rate limit counts what it stores -------------------------------------------------------

def test_the_rate_limit_counts_proposals_per_cell_across_processes(tmp_path):
    net, path = network(), tmp_path / "audit.sqlite"
    for step in range(3):  # three proposals, six parameter changes on cell 3
        verifier = Verifier(PACK, AuditLog(path))
        verdict = verifier.verify(Proposal(actions=[SetCio(cell=3, cio_db=step + 1), SetTilt(cell=3, tilt_deg=13 + step)]),
                                  net, owner="run:t-1")
        assert verifier.apply_verified(verdict, net).status == "applied"
    reopened = Verifier(PACK, AuditLog(path))
    assert len([h for h in reopened.history if h.cell == 3]) == 6
    fourth = reopened.verify(Proposal(actions=[SetCio(cell=3, cio_db=4)]), net, owner="run:t-1")
    assert "rate.per_cell" not in rules(fourth)
    limited = with_rule("rate.per_cell", max_changes=3)
    over = Verifier(limited, AuditLog(path)).verify(Proposal(actions=[SetCio(cell=3, cio_db=4)]), net, owner="run:t-1")
    assert [(v.object, v.observed) for v in over.violations if v.rule_id == "rate.per_cell"] == [("cell 3", 4)]


# 7. Strict action inputs ------------------------------------------------------------------------

@pytest.mark.parametrize("action,field", [
    ({"type": "set_cio", "cell": True, "cio_db": 1}, "cell"),
    ({"type": "set_cio", "cell": 3, "cio_db": "1"}, "cio_db"),
    ({"type": "set_cio", "cell": "3", "cio_db": 1}, "cell"),
    ({"type": "set_cio", "cell": 3.0, "cio_db": 1}, "cell"),
    ({"type": "set_cell_sleep", "cell": 3, "asleep": 1}, "asleep"),
    ({"type": "set_power_vector", "tx_power_dbm": [46, True]}, "tx_power_dbm.1"),
    ({"type": "set_cio", "cell": 3, "cio_db": 1, "priority": "high"}, "priority"),
])
def test_actions_from_json_are_strictly_typed(action, field):
    with pytest.raises(ValidationError, match=field.replace(".", r"\.")):
        parse_actions([action])
    with pytest.raises(ValidationError, match=field.replace(".", r"\.")):
        Proposal.model_validate({"actions": [action]})


def test_ints_are_numbers_and_unknown_proposal_keys_are_refused():
    assert parse_actions([{"type": "set_tx_power", "cell": 1, "tx_power_dbm": 43}])[0].tx_power_dbm == 43.0
    with pytest.raises(ValidationError, match="priority"):
        Proposal.model_validate({"actions": [], "priority": "high"})


def test_reusing_one_proposal_id_does_not_pass_the_rate_limit():
    net, verifier = network(), Verifier(PACK)
    for step in range(7):  # the pack allows 6 applied changes per cell per hour
        proposal = Proposal.model_validate({"proposal_id": "p-1", "actions": [
            {"type": "set_cio", "cell": 3, "cio_db": 1.0 if step % 2 else -1.0}]})
        verdict = verifier.verify(proposal, net, owner="run:t-1")
        if step == 6:
            assert "rate.per_cell" in rules(verdict) and verdict.status == "rejected"
        else:
            assert verifier.apply_verified(verdict, net).status == "applied"
        net.step(1)
