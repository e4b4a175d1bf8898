"""Run a scenario on three identical networks (same seed, same events, kept on one clock): the
agent; a static-configuration baseline; and an optimizer-only baseline that applies the same
planner's first proposal for each intent directly, with no verifier, twin or replanning.
KPI series for all three, and the expectations checked on the agent's."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ranpilot import progress
from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.intents import fulfilment as ff
from ranpilot.network import ActionError, Network
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.situation import first_unmet
from ranpilot.planning.strategies import run_strategy
from ranpilot.scenarios.beams import beam_tracking
from ranpilot.scenarios.checks import check
from ranpilot.scenarios.model import CellFailure, Scenario, TrafficSurge
from ranpilot.scenarios.result import EventRecord, IntentRecord, ScenarioResult, gains
from ranpilot.settings import Settings

NETWORKS = ("agent", "static", "optimizer")


def run_scenario(scenario: Scenario, data_dir: Path | None = None, with_knowledge: bool = False) -> ScenarioResult:
    with tempfile.TemporaryDirectory() as tmp, progress.task(f"scenario {scenario.name}", total=scenario.steps):
        runner = AgentRunner(Settings(data_dir=data_dir or Path(tmp)), EmbeddedPlanner(), with_knowledge=with_knowledge)
        nets = {name: Network(scenario.network, scenario.seed) for name in NETWORKS}
        agent, static, optimizer = nets.values()
        series = {name: [] for name in NETWORKS}
        settings = {name: [] for name in NETWORKS}
        times, records, events = [], [], []
        priorities: dict[str, int] = {}
        for step in range(scenario.steps):
            for item in (e for e in scenario.events if e.at == step):
                for net in nets.values():
                    apply_event(net, item.event)
                events.append(EventRecord(at_step=step, time_s=agent.time_s, label=event_label(item.event)))
            for item in (i for i in scenario.intents if i.at == step):
                # the verifier's conflicts name owners, not intent ids
                started_s, owner = agent.time_s, f"scenario:{scenario.name}:{item.id}"
                result = runner.run(item.text, agent, f"{scenario.name}-{item.id}", scenario.scope_cells, scenario.areas,
                                    owner=owner)
                if result.intent is not None:
                    priorities[owner] = result.intent.intentPriority
                result = answer_approval(runner, item, result, priorities, agent)
                records.append(IntentRecord(id=item.id, at_step=step, started_s=started_s, time_s=agent.time_s,
                                            result=result, priority=result.intent.intentPriority if result.intent else None))
                optimize_only(optimizer, result, scenario, runner.verifier.pack)
                catch_up(static, agent)
                catch_up(optimizer, agent)
            for name, net in nets.items():
                net.step()
                series[name].append(net.observe().network)
                settings[name].append(configuration_summary(net))
            times.append(agent.time_s)
            progress.advance()
        records = [r.model_copy(update={"end_status": end_status(r.result, agent)}) for r in records]
        beams = beam_tracking(scenario.beam_tracking) if scenario.beam_tracking else None
        checks = [check(e, series, records, beams) for e in scenario.expect]
    return ScenarioResult(name=scenario.name, passed=all(c.passed for c in checks), checks=checks, intents=records,
                          events=events, series=series, configuration=settings, times_s=times,
                          gains=gains(series, "static"), gains_vs_optimizer=gains(series, "optimizer"),
                          beam_tracking=beams)


def end_status(result: RunResult, agent: Network) -> str | None:
    """The intent's goals re-measured on the agent's network now (later intents may have undone them)."""
    if result.intent is None:
        return None
    return "NOT_FULFILLED" if ff.unmet(result.intent, agent, result.baselines) else "FULFILLED"


def configuration_summary(net: Network) -> dict[str, float]:
    """What the operator's settings are, in three numbers a plot can show as steps."""
    conf = net.configuration()
    awake = ~conf.asleep
    return {"mean transmit power of awake cells (dBm)": float(conf.tx_power_dbm[awake].mean()) if awake.any() else 0.0,
            "cells asleep or failed": float(conf.asleep.sum()),
            "mean electrical tilt (deg)": float(conf.tilt_deg.mean())}


def event_label(event) -> str:
    if isinstance(event, CellFailure):
        return f"cell {event.cell} fails"
    return f"traffic surge ({event.ue_fraction:.0%} of UEs)"


def optimize_only(net: Network, agent_result: RunResult, scenario: Scenario, pack) -> None:
    """The optimizer-only baseline: the intent as the agent understood it, the planner's first
    proposal applied directly (no verifier, no twin, no replanning); refused actions are dropped."""
    if agent_result.intent is None:
        return
    scope = scenario.scope_cells if scenario.scope_cells is not None else list(range(net.num_cells))
    base = ff.baselines(agent_result.intent, net)
    s = first_unmet(agent_result.intent, net, base, scope, pack, step_scale=1.0)
    if s is None:
        return
    try:
        net.apply(run_strategy(EmbeddedPlanner().choose(s, []), s).actions)
    except ActionError:
        pass


def apply_event(net: Network, event) -> None:
    if isinstance(event, CellFailure):
        net.fail_cell(event.cell)
    elif isinstance(event, TrafficSurge):
        net.traffic_surge(event.x_m, event.y_m, event.radius_m, event.ue_fraction)


def catch_up(static: Network, agent: Network) -> None:
    """The agent's confirm and observe periods advanced its clock; keep the baseline in step."""
    lag = round((agent.time_s - static.time_s) / static.config.step_s)
    static.step(max(lag, 0))


def answer_approval(runner: AgentRunner, item, result: RunResult, priorities: dict[str, int],
                    agent: Network) -> RunResult:
    """Answer pending approvals as the scenario says, resuming on the agent's network; 'priority'
    approves only when this intent outranks every intent it conflicts with (TS 28.312
    priority-based conflict resolution)."""
    while result.status == "awaiting_approval":
        if item.approval == "priority":
            others = {i for v in result.verdict.violations if v.rule_id == "conflict.opposite" for i in v.related}
            mine = result.intent.intentPriority
            approve = bool(others) and all(mine > priorities.get(o, 100) for o in others)
        else:
            approve = item.approval == "approve"
        result = runner.resume(result.thread_id, "approved" if approve else "rejected", agent)
    return result
