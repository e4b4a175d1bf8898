"""Run a scenario on three identical networks (same seed, same events, kept on one clock): the
agent; a static-configuration baseline; and an optimizer-only baseline that applies the same
planner's first proposal for each intent directly, with no verifier, twin or replanning.
KPI series for all three, and the expectations checked on the agent's."""

from __future__ import annotations

import tempfile
from pathlib import Path

from pydantic import BaseModel

from ranpilot.agents.runner import AgentRunner, RunResult
from ranpilot.intents import fulfilment as ff
from ranpilot.network import ActionError, Network
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.situation import first_unmet
from ranpilot.planning.strategies import run_strategy
from ranpilot.scenarios.beams import BeamTrackingResult, beam_tracking
from ranpilot.scenarios.model import (
    BeamExpectation, CellFailure, KpiExpectation, OutcomeExpectation, Scenario, TrafficSurge, VerdictExpectation,
)
from ranpilot.settings import Settings
from ranpilot.targets import RADIO_TARGETS, condition_holds


class Check(BaseModel):
    expectation: str
    passed: bool
    observed: str


class IntentRecord(BaseModel):
    id: str
    at_step: int
    time_s: float
    result: RunResult


class ScenarioResult(BaseModel):
    name: str
    passed: bool
    checks: list[Check]
    intents: list[IntentRecord]
    series: dict[str, list[dict[str, float]]]  # 'agent' / 'static' / 'optimizer': KPIs per step
    times_s: list[float]
    gains_pct: dict[str, float]  # agent vs static at the end, percent
    gains_vs_optimizer_pct: dict[str, float]  # agent vs optimizer-only at the end, percent
    beam_tracking: BeamTrackingResult | None = None


def run_scenario(scenario: Scenario, data_dir: Path | None = None, with_knowledge: bool = False) -> ScenarioResult:
    with tempfile.TemporaryDirectory() as tmp:
        runner = AgentRunner(Settings(data_dir=data_dir or Path(tmp)), EmbeddedPlanner(), with_knowledge=with_knowledge)
        agent, static, optimizer = (Network(scenario.network, scenario.seed) for _ in range(3))
        series, times, records = {"agent": [], "static": [], "optimizer": []}, [], []
        priorities: dict[str, int] = {}
        for step in range(scenario.steps):
            for item in (e for e in scenario.events if e.at == step):
                for net in (agent, static, optimizer):
                    apply_event(net, item.event)
            for item in (i for i in scenario.intents if i.at == step):
                owner = f"scenario:{scenario.name}:{item.id}"  # the verifier's conflicts name owners, not intent ids
                result = runner.run(item.text, agent, f"{scenario.name}-{item.id}", scenario.scope_cells, scenario.areas,
                                    owner=owner)
                if result.intent is not None:
                    priorities[owner] = result.intent.intentPriority
                result = answer_approval(runner, item, result, priorities)
                records.append(IntentRecord(id=item.id, at_step=step, time_s=agent.time_s, result=result))
                optimize_only(optimizer, result, scenario, runner.verifier.pack)
                catch_up(static, agent)
                catch_up(optimizer, agent)
            for name, net in (("agent", agent), ("static", static), ("optimizer", optimizer)):
                net.step()
                series[name].append(net.observe().network)
            times.append(agent.time_s)
        beams = beam_tracking(scenario.beam_tracking) if scenario.beam_tracking else None
        checks = [check(e, series, records, beams) for e in scenario.expect]
    return ScenarioResult(name=scenario.name, passed=all(c.passed for c in checks), checks=checks, intents=records,
                          series=series, times_s=times, gains_pct=gains(series, "static"),
                          gains_vs_optimizer_pct=gains(series, "optimizer"), beam_tracking=beams)


def gains(series: dict, baseline: str) -> dict[str, float]:
    end_a, end_b = series["agent"][-1], series[baseline][-1]
    return {k: 100.0 * (end_a[k] - end_b[k]) / abs(end_b[k]) if end_b[k] else 0.0 for k in RADIO_TARGETS}


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


def answer_approval(runner: AgentRunner, item, result: RunResult, priorities: dict[str, int]) -> RunResult:
    """Answer pending approvals as the scenario says; 'priority' approves only when this intent
    outranks every intent it conflicts with (TS 28.312 priority-based conflict resolution)."""
    while result.status == "awaiting_approval":
        if item.approval == "priority":
            others = {i for v in result.verdict.violations if v.rule_id == "conflict.opposite" for i in v.related}
            mine = result.intent.intentPriority
            approve = bool(others) and all(mine > priorities.get(o, 100) for o in others)
        else:
            approve = item.approval == "approve"
        result = runner.resume(result.thread_id, "approved" if approve else "rejected")
    return result


def check(e, series: dict, records: list[IntentRecord], beams: BeamTrackingResult | None) -> Check:
    if isinstance(e, BeamExpectation):
        label = f"beam tracking: predicted CSI beats stale CSI by >= {e.min_gain_db:g} dB"
        if beams is None:
            return Check(expectation=label, passed=False, observed="the scenario has no beam_tracking block")
        return Check(expectation=label, passed=beams.gain_db >= e.min_gain_db,
                     observed=f"{beams.stale_csi_sinr_db:.2f} -> {beams.predicted_csi_sinr_db:.2f} dB "
                              f"(perfect CSI {beams.perfect_csi_sinr_db:.2f} dB)")
    if isinstance(e, KpiExpectation):
        index = -1 if e.at == "end" else min(e.at, len(series["agent"]) - 1)
        value = series["agent"][index][e.kpi]
        if e.versus == "static_pct":
            base = series["static"][index][e.kpi]
            value = 100.0 * (value - base) / abs(base) if base else 0.0
        ok = condition_holds(e.condition, value, [e.value])
        label = f"{e.kpi}{' vs static %' if e.versus == 'static_pct' else ''} {e.condition.value} {e.value:g} at {e.at}"
        return Check(expectation=label, passed=ok, observed=f"{value:.4g}")
    record = next((r for r in records if r.id == e.intent), None)
    if record is None:
        return Check(expectation=f"intent {e.intent}", passed=False, observed="intent never ran")
    r = record.result
    if isinstance(e, VerdictExpectation):
        statuses = [x.verdict_status for x in r.rounds]
        rules = {v.rule_id for x in r.rounds for v in x.violations}
        ok = (e.status in statuses if statuses else e.status == "none") and (e.rule is None or e.rule in rules)
        return Check(expectation=f"{e.intent}: verdict {e.status}" + (f" naming {e.rule}" if e.rule else ""),
                     passed=ok, observed=f"verdicts {statuses or ['none']}, rules {sorted(rules)}")
    assert isinstance(e, OutcomeExpectation)
    observed = {"parse": r.parse.status if r.parse else None,
                "report": ("FULFILLED" if r.report.fulfilled else "NOT_FULFILLED") if r.report else None,
                "applied": any(a.status == "applied" for a in r.applied)}
    wanted = {k: v for k, v in (("parse", e.parse), ("report", e.report), ("applied", e.applied)) if v is not None}
    ok = all(observed[k] == v for k, v in wanted.items())
    return Check(expectation=f"{e.intent}: " + ", ".join(f"{k} {v}" for k, v in wanted.items()), passed=ok,
                 observed=", ".join(f"{k} {observed[k]}" for k in wanted))
