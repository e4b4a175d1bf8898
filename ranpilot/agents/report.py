"""Human-readable report of a run (rich): intent, cited clauses, rounds, verdict, KPIs, IntentReport."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ranpilot.agents.runner import RunResult
from ranpilot.targets import RADIO_TARGETS


MAX_ACTIONS_SHOWN = 6


def print_run(result: RunResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]thread[/bold] {result.thread_id}  planner: {result.planner}")
    if result.intent is None:
        parse = result.parse
        console.print(f"[yellow]{parse.status}[/yellow]: {parse.reason}" if parse else result.outcome)
        return
    console.print("[bold]Intent[/bold] " + result.intent.userLabel)
    for e in result.intent.intentExpectations:
        for t in e.expectationTargets:
            ctx = ", ".join(f"{c.contextAttribute}={c.contextValueRange}" for c in t.targetContexts)
            console.print(f"  {e.expectationId}: {e.expectationVerb} {e.expectationObject.objectType} "
                          f"{e.expectationObject.objectInstance}: {t.targetName} {t.targetCondition.value} "
                          f"{t.targetValueRange} {ctx}", highlight=False)
    if result.passages:
        console.print("[bold]Cited clauses[/bold]")
        for p in result.passages:
            console.print(f"  {p.spec} {p.clause} {p.title}", highlight=False)
    applied = {a.proposal_id for a in result.applied if a.status == "applied"}
    for r in result.rounds:
        tools = ", ".join(u.tool for u in r.tool_uses) or "no tool"
        viol = f" ({'; '.join(f'{v.rule_id} on {v.object}' for v in r.violations)})" if r.violations else ""
        console.print(f"[bold]Round {r.round}[/bold] {r.target}: {r.choice.strategy} ({tools}) -> {r.verdict_status}{viol}"
                      f"{' -> applied' if r.proposal_id in applied else ''}", highlight=False)
    if result.verdict is not None:
        console.print("[bold]Last proposal[/bold]")
        actions = result.verdict.proposal.actions
        for action in actions[:MAX_ACTIONS_SHOWN]:
            console.print(f"  {action.type} {action.model_dump(exclude={'type'})}", highlight=False)
        if len(actions) > MAX_ACTIONS_SHOWN:
            console.print(f"  ... and {len(actions) - MAX_ACTIONS_SHOWN} more (--json shows all)")
    kpis = Table(title="KPIs before and after")
    for column in ("KPI", "before", "after"):
        kpis.add_column(column, justify="right")
    for name in RADIO_TARGETS:
        kpis.add_row(name, f"{result.kpis_before.get(name, float('nan')):.4g}", f"{result.kpis_after.get(name, float('nan')):.4g}")
    console.print(kpis)
    if result.report is not None:
        table = Table(title=f"IntentReport: {result.report.fulfilmentStatus.value}")
        for column in ("expectation", "target", "baseline", "achieved", "status"):
            table.add_column(column)
        for e in result.report.expectationFulfilmentResults:
            for t in e.targetFulfilmentResults:
                table.add_row(e.expectationId, t.targetName, _num(t.baselineValue), _num(t.targetAchievedValue),
                              t.targetFulfilmentStatus.value)
        console.print(table)
    console.print(f"[bold]Outcome[/bold]: {result.outcome}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
