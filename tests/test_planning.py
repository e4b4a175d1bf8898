"""The planning search: one shortfall measure, candidates scored on the twin, nothing that moves a
target away from its goal, levers within scope and step limits, and the fixed-strategy path kept."""

import uuid

import numpy as np
import pytest
from langgraph.checkpoint.memory import InMemorySaver

from ranpilot.agents.context import AgentContext
from ranpilot.agents.graph import build_graph
from ranpilot.intents import fulfilment as ff
from ranpilot.intents.goals import Goal, Understanding
from ranpilot.intents.ts28312 import to_intent
from ranpilot.network import Network, NetworkConfig, SetTxPower
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.moves import lever_cells, local_moves
from ranpilot.planning.scoring import AVERAGED_STEPS, MAX_MARGIN, NOISE_SPREADS, Score, TwinBench, score
from ranpilot.planning.search import search
from ranpilot.planning.situation import StrategyChoice, unmet_situations
from ranpilot.planning.strategies import run_strategy
from ranpilot.policies import TargetCheck, Verifier, load_pack
from ranpilot.targets import Condition

PACK = load_pack()


@pytest.fixture(scope="module")
def net() -> Network:
    return Network(NetworkConfig(num_ues=105), seed=2)


def intent_of(*goals: Goal):
    return to_intent(Understanding(text="test", status="parsed", goals=list(goals)))


def test_score_adds_shortfalls_in_units_of_each_goal(net):
    thp = net.target_value("AveDLRANUEThpt")
    energy = net.target_value("RANEnergyConsumption")
    checks = [TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[2 * thp]),
              TargetCheck(target="RANEnergyConsumption", condition=Condition.IS_LESS_THAN, values=[energy / 2]),
              TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[thp / 2])]
    sc = score(net, checks)
    assert sc.shortfalls == pytest.approx((0.5, 1.0, 0.0))  # half of the way short, twice the goal, met
    assert sc.values == pytest.approx((thp, energy, thp)) and not sc.met


def test_a_score_that_moves_any_target_away_is_not_better():
    now = Score(shortfalls=(1.0, 0.0), tie=0.0, values=(None, None))
    trade = Score(shortfalls=(0.2, 0.1), tie=0.0, values=(None, None))
    assert trade.better_than(now) and trade.moves_away(now)  # better in sum, but the guard slips
    assert Score((1.0, 0.0), tie=-1.0, values=(None, None)).better_than(now)  # tie-breaker on a plateau
    assert not Score((1.0, 0.0), tie=0.0, values=(None, None)).better_than(now)


def test_when_every_goal_is_met_the_margin_beyond_them_breaks_ties(net):
    """A goal unmet now but predicted met is still worth a safer margin: the tie-breaker is then
    minus the sum of each goal's margin in units of its scale, each counted up to its cap."""
    thp, energy = net.target_value("AveDLRANUEThpt"), net.target_value("RANEnergyConsumption")
    checks = [TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[thp]),
              TargetCheck(target="RANEnergyConsumption", condition=Condition.IS_LESS_THAN, values=[2 * energy])]
    caps = [0.1, 0.1]
    met = score(net, checks, [1.04 * thp, energy], caps)  # values given stand in for the measured ones
    assert met.met and met.tie == pytest.approx(-(0.04 + 0.1))  # energy is half a scale below: capped
    roomier = score(net, checks, [1.08 * thp, energy], caps)
    assert roomier.better_than(met) and roomier.tie == pytest.approx(-(0.08 + 0.1))
    assert score(net, checks, [3 * thp, energy], caps).tie == pytest.approx(-0.2)  # no gain beyond the caps
    assert score(net, checks, [3 * thp, energy]).tie == 0.0  # no caps given: margins do not count
    unmet = score(net, checks, [thp, 3 * energy], caps)
    assert unmet.shortfalls == pytest.approx((0.0, 0.5)) and unmet.tie >= 0.0


def test_the_twin_averages_each_goal_over_the_last_steps_of_its_horizon(net):
    thp = net.target_value("AveDLRANUEThpt")
    checks = [TargetCheck(target="AveDLRANUEThpt", condition=Condition.IS_GREATER_THAN, values=[2 * thp])]
    bench = TwinBench(net, checks, steps=8)
    reference = net.clone()
    reference.step(8 - AVERAGED_STEPS)
    samples = []
    for _ in range(AVERAGED_STEPS):
        reference.step(1)
        samples.append(reference.target_value("AveDLRANUEThpt"))
    assert bench.baseline.values[0] == pytest.approx(sum(samples) / len(samples))
    assert bench.baseline.values[0] != pytest.approx(samples[-1])  # not the last step alone
    spread = float(np.std(samples, ddof=1))  # a met goal's margin counts up to its noise
    assert bench.margin_caps[0] == pytest.approx(min(NOISE_SPREADS * spread / (2 * thp), MAX_MARGIN))


def test_collateral_counts_only_how_much_worse_the_watched_kpis_get():
    """Watched: throughput, energy, low-throughput, weak-RSRP and low-SINR shares of UEs."""
    reference = Score((0.0,), tie=0.0, values=(None,), watched=(20.0, 6.0, 10.0, 1.0, 5.0))
    changed = Score((0.0,), tie=0.0, values=(None,), watched=(18.0, 6.6, 10.0, 0.0, 7.0))
    assert changed.collateral(reference) == pytest.approx(2 / 20 + 0.6 / 6 + 2 / 10)  # better ones count 0
    assert reference.collateral(reference) == 0.0


def test_search_ranks_only_candidates_that_move_no_target_away(net):
    thp = net.target_value("AveDLRANUEThpt")
    intent = intent_of(Goal(target="AveDLRANUEThpt", bound="min", value=round(1.1 * thp, 3)),
                       Goal(target="RANEnergyConsumption", bound="max", change_pct=0.0, verb="ENSURE"))
    base = ff.baselines(intent, net)
    checks = ff.target_checks(intent, base)
    pending = unmet_situations(intent, net, base, list(range(net.num_cells)), PACK, 1.0)
    found = search(net, checks, pending, list(range(net.num_cells)), StrategyChoice(strategy="balance_load_with_cio"),
                   PACK.dry_run_steps)
    assert found.ranked and found.scored
    assert any(c.verdict == "moves a target away from its goal" for c in found.scored)  # power up costs energy
    bench = TwinBench(net, checks, PACK.dry_run_steps)
    for candidate in found.ranked:
        predicted = bench.predict(candidate.actions)
        assert predicted.better_than(bench.baseline) and not predicted.moves_away(bench.baseline)


def test_a_single_cell_target_is_served_through_its_neighbours(net):
    """Power control needs two cells of the target's own; the search's levers add the strongest
    interferers of the cell's UEs, inside the operator's scope."""
    cell = 4
    intent = intent_of(Goal(target="AveDLRANUEThpt", bound="min", value=round(1.2 * net.target_value("AveDLRANUEThpt", [cell]), 3),
                            cells=[cell]))
    base = ff.baselines(intent, net)
    (s,) = unmet_situations(intent, net, base, list(range(net.num_cells)), PACK, 1.0)
    assert run_strategy(StrategyChoice(strategy="proportional_fair_power"), s).actions == []
    levers = lever_cells(s, list(range(net.num_cells)), interferers=3)
    assert cell in levers and len(levers) == 4
    assert lever_cells(s, [cell, 5], interferers=3) in ([cell], [cell, 5])  # never outside the scope
    found = search(net, ff.target_checks(intent, base), [s], list(range(net.num_cells)),
                   StrategyChoice(strategy="proportional_fair_power"), PACK.dry_run_steps)
    assert found.ranked and found.baseline.total > 0


def test_local_moves_stay_within_the_pack_step_limits(net):
    intent = intent_of(Goal(target="RANEnergyConsumption", bound="max", change_pct=-10.0))
    base = ff.baselines(intent, net)
    (s,) = unmet_situations(intent, net, base, list(range(net.num_cells)), PACK, 1.0)
    moves = local_moves(s, list(range(net.num_cells)), focus=2)
    conf = net.configuration()
    powers = [a for m in moves for a in m.actions if isinstance(a, SetTxPower)]
    assert powers and all(abs(a.tx_power_dbm - conf.tx_power_dbm[a.cell]) <= PACK.max_step("tx_power_dbm") for a in powers)
    assert any(m.source.startswith("local: sleep") for m in moves)  # an energy target may put a cell to sleep


def run_graph(net: Network, intent, search_on: bool):
    ctx = AgentContext(network=net, verifier=Verifier(PACK), planner=EmbeddedPlanner(), search=search_on)
    return build_graph(InMemorySaver()).invoke(
        {"text": "test", "intent": intent, "scope_cells": list(range(net.num_cells)), "owner": "test"},
        {"configurable": {"thread_id": uuid.uuid4().hex}}, context=ctx)


def test_fixed_strategy_path_is_kept_and_the_search_records_its_candidates():
    intent = intent_of(Goal(target="RANEnergyConsumption", bound="max", change_pct=-10.0))
    old = run_graph(Network(NetworkConfig(num_ues=105), seed=2), intent, search_on=False)
    assert [r.choice.strategy for r in old["rounds"]][:1] == ["energy_min_power"] and not old["rounds"][0].candidates
    new = run_graph(Network(NetworkConfig(num_ues=105), seed=2), intent, search_on=True)
    assert new["report"].fulfilled
    first = new["rounds"][0]
    assert first.candidates and "the best of" in first.choice.reason
    assert first.choice.strategy in {c.source for c in first.candidates if c.verdict == "improves"}
