"""What the search may not trade: a cell-scoped goal met by pushing its UEs onto the rest of the
network, extra levers whose collateral damage outweighs the sliver of a goal they add, and a
partial step applied where the operator could be asked about a change that meets the goal."""

import math

import pytest

from ranpilot.agents.graph import _worth_asking
from ranpilot.network import Network, NetworkConfig
from ranpilot.network.actions import SetCio
from ranpilot.planning.guards import export_guards, settle
from ranpilot.planning.scoring import Score, TwinBench, score
from ranpilot.planning.search import CandidateScore, _pays_for_itself
from ranpilot.policies import Proposal, TargetCheck, Verdict
from ranpilot.targets import Condition

EDGE = dict(target="LowDLThptUEShare", condition=Condition.IS_LESS_THAN, values=[0.0])


@pytest.fixture(scope="module")
def net() -> Network:
    return Network(NetworkConfig(num_ues=105), seed=2)


def test_a_cell_scoped_goal_on_a_per_ue_quantity_gets_one_network_wide_guard():
    checks = [TargetCheck(**EDGE, cells=[9]), TargetCheck(**EDGE, cells=[3, 4]),  # same quantity: one guard
              TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[30.0], cells=[1]),
              TargetCheck(target="AveDLPrbLoad", condition=Condition.IS_LESS_THAN, values=[50.0], cells=[2]),  # load may move
              TargetCheck(target="DlThptPerUE", condition=Condition.IS_GREATER_THAN, values=[9.0], slice="eMBB")]
    guards = export_guards(checks)
    assert [(g.target, g.condition, g.cells, g.slice, g.ensure) for g in guards] == [
        ("LowDLThptUEShare", Condition.IS_LESS_THAN, None, None, True),
        ("AveDLRANUEThpt", Condition.IS_GREATER_THAN, None, None, True)]
    assert export_guards(checks + [TargetCheck(**EDGE)])[0].target == "AveDLRANUEThpt"  # a network goal covers it
    assert export_guards([TargetCheck(**EDGE, cells=[9], threshold=8.0)])[0].threshold == 8.0


def test_a_guard_tolerates_its_noise_and_at_least_one_ue():
    share, = export_guards([TargetCheck(**EDGE, cells=[9])])
    assert settle(share, 10.0, 0.1, num_ues=200).values == pytest.approx([10.5])  # one UE of 200
    assert settle(share, 10.0, 1.0, num_ues=200).values == pytest.approx([12.0])  # two spreads
    thp, = export_guards([TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[30.0],
                                      cells=[1])])
    assert settle(thp, 20.0, 0.01, num_ues=200).values == pytest.approx([19.6])  # 2% of a throughput
    assert settle(share, None, 0.0, num_ues=200) is None
    assert math.isnan(share.values[0])  # unsettled until measured


def test_a_cell_scoped_goal_met_by_pushing_its_ues_out_moves_a_target_away(net):
    """Cell 9's low-throughput share falls to 0 when a CIO of -6 dB hands its edge UEs to neighbours,
    where two more UEs fall below the threshold: the twin predicts the network-wide guard broken.
    The same CIO on cell 0 leaves the network better off: allowed."""
    bench = TwinBench(net, [TargetCheck(**EDGE, cells=[9])], steps=10)
    assert len(bench.checks) == 2 and bench.checks[1].cells is None
    pushed = bench.predict([SetCio(cell=9, cio_db=-6.0)])
    assert pushed.values[0] == 0.0 and pushed.values[1] > bench.checks[1].values[0]
    assert pushed.moves_away(bench.baseline)
    other = TwinBench(net, [TargetCheck(**EDGE, cells=[0])], steps=10)
    helped = other.predict([SetCio(cell=0, cio_db=-6.0)])
    assert helped.values[0] == 0.0 and not helped.moves_away(other.baseline)


def _score(total: float, share_of_weak: float) -> Score:
    """A one-check score whose watched WeakRSRPUEShare (a collateral KPI) is `share_of_weak` %."""
    return Score(shortfalls=(total,), tie=0.0, values=(None,), watched=(None, None, None, share_of_weak, None))


def test_an_extra_lever_must_remove_more_shortfall_than_collateral_it_adds():
    part, baseline = _score(0.085, 1.0), _score(6.3, 1.0)
    assert not _pays_for_itself(_score(0.0, 2.4), part, baseline)  # meets the goal, +1.4 pp weak coverage
    assert _pays_for_itself(_score(0.0, 1.5), part, baseline)  # +0.5 pp (0.05) for 0.085 of the goal
    assert not _pays_for_itself(_score(0.1, 1.0), part, baseline)  # not closer to the goal at all


def _verdict(rationale: str, status: str) -> Verdict:
    return Verdict.model_construct(proposal=Proposal(actions=[], rationale=rationale), status=status)


def test_the_operator_is_asked_when_only_the_change_needing_approval_meets_the_goal():
    scored = [CandidateScore(source=name, actions=1, shortfall=s, values=[], verdict="improves")
              for name, s in (("restore power", 0.0), ("tilt", 0.4), ("cio", 0.0))]
    pending = _verdict("restore power", "needs_approval")
    assert _worth_asking(pending, _verdict("tilt", "approved"), scored)
    assert not _worth_asking(pending, _verdict("cio", "approved"), scored)  # as good without a question
    assert not _worth_asking(_verdict("restore power", "rejected"), _verdict("tilt", "approved"), scored)


def test_a_scoped_goal_still_watches_its_quantity_over_the_whole_network(net):
    scoped = score(net, [TargetCheck(**EDGE, cells=[9])])
    assert scoped.watched[2] == pytest.approx(net.target_value("LowDLThptUEShare"))  # collateral elsewhere counts
    assert score(net, [TargetCheck(**EDGE)]).watched[2] is None  # the goal itself, not collateral
