"""Human-readable report of a run (rich): intent, cited clauses, rounds, verdict, KPIs, IntentReport."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from ranpilot.agents.runner import RunResult
from ranpilot.intents.ts28312 import goals_of
from ranpilot.targets import RADIO_TARGETS


MAX_ACTIONS_SHOWN = 6


def print_run(result: RunResult, console: Console | None = None) -> None:
    console = console or Console()
    console.print(f"[bold]thread[/bold] {result.thread_id}  planner: {result.planner}")
    parse = result.parse
    if parse is not None and parse.status in ("clarify", "rejected"):
        console.print(f"[yellow]{parse.status}[/yellow] ({parse.reason}): {parse.message}", highlight=False)
        return
    if result.intent is not None:
        console.print(f"[bold]Intent[/bold] {result.intent.id}: {result.intent.userLabel or ''}", highlight=False)
        for exp_id, goal in goals_of(result.intent):
            console.print(f"  {exp_id}: {goal.verb} {goal.describe()}", highlight=False)
    elif parse is not None and parse.status == "config":
        console.print("[bold]Configuration request[/bold] " + parse.text, highlight=False)
    if result.passages:
        console.print("[bold]Cited clauses[/bold]")
        for p in result.passages:
            console.print(f"  {p.spec} {p.clause} {p.title}", highlight=False)
    applied = {a.proposal_id for a in result.applied if a.status == "applied"}
    for r in result.rounds:
        tools = ", ".join(u.tool for u in r.tool_uses) or "no tool"
        viol = f" ({'; '.join(f'{v.rule_id} on {v.object}' for v in r.violations)})" if r.violations else ""
        what = f"{r.target}: {r.choice.strategy} ({tools})" if r.choice else "requested change"
        console.print(f"[bold]Round {r.round}[/bold] {what} -> {r.verdict_status}{viol}"
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
        report = result.report
        table = Table(title=f"IntentReport: {'FULFILLED' if report.fulfilled else 'NOT_FULFILLED'}")
        for column in ("expectation", "target", "baseline", "achieved", "status"):
            table.add_column(column)
        for exp_id, t in report.targets():
            baseline = result.baselines.get(f"{exp_id}.{t.targetName}")
            table.add_row(exp_id, t.targetName, _num(baseline), _num(t.targetAchievedValue),
                          t.targetFulfilmentInfo.fulfilmentStatus.value)
        console.print(table)
    console.print(f"[bold]Outcome[/bold]: {result.outcome}")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"
