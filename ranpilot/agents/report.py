"""Human-readable report of a run (rich): intent, cited clauses, rounds, verdict, KPIs, IntentReport."""

from __future__ import annotations

import re
from collections.abc import Iterable

from pydantic import BaseModel
from rich.console import Console
from rich.table import Table

from ranpilot.agents.result import RunResult
from ranpilot.intents.ts28312 import goals_of
from ranpilot.network.action_table import PARAMETER_NAMES
from ranpilot.policies import Violation
from ranpilot.targets import RADIO_TARGETS, Condition, spec


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
        targets = [g.target.value for _, g in goals_of(result.intent)] if result.intent else []
        for p in result.passages:
            console.print(f"  {p.spec} {p.clause} {p.title}{f' ({p.why})' if p.why else ''}", highlight=False)
            console.print(f"    \"{quote(p.text, targets)}\"", highlight=False, markup=False, style="dim")
    applied = {a.proposal_id for a in result.applied if a.status == "applied"}
    for r in result.rounds:
        tools = ", ".join(u.tool for u in r.tool_uses) or "no tool"
        viol = f" ({'; '.join(g.short() for g in group_violations(r.violations))})" if r.violations else ""
        what = f"{r.target}: {r.choice.strategy} ({tools})" if r.choice else "requested change"
        console.print(f"[bold]Round {r.round}[/bold] {what} -> {r.verdict_status}{viol}"
                      f"{' -> applied' if r.proposal_id in applied else ''}", highlight=False)
        if r.candidates:
            console.print(f"  {why_chosen(r)}", highlight=False)
            print_candidates(r, [x for x in result.rounds if x.round == r.round], applied, console)
    print_violations([v for r in result.rounds for v in r.violations], console)
    applied_rounds = [r for r in result.rounds if r.proposal_id in applied and r.actions]
    confirmed = {a.proposal_id: a for a in result.applied if a.status == "applied"}
    for r in applied_rounds:
        console.print(f"[bold]Applied in round {r.round}[/bold] ({r.choice.strategy if r.choice else 'requested change'})"
                      f"{confirmation(confirmed[r.proposal_id])}", highlight=False)
        print_actions(r.actions, console)
    if result.verdict is not None and not applied_rounds:
        console.print("[bold]Last proposal[/bold] (not applied)" if result.verdict.proposal.proposal_id not in applied
                      else "[bold]Applied proposal[/bold]")
        print_actions(result.verdict.proposal.actions, console)
    kpis = Table(title="Network KPIs before and after")
    for column in ("KPI", "before", "after", "unit"):
        kpis.add_column(column, justify="left" if column == "unit" else "right")
    for name in RADIO_TARGETS:
        kpis.add_row(name, f"{result.kpis_before.get(name, float('nan')):.4g}", f"{result.kpis_after.get(name, float('nan')):.4g}",
                     spec(name).unit)
    console.print(kpis)
    if result.report is not None:
        report = result.report
        table = Table(title=f"IntentReport: {'FULFILLED' if report.fulfilled else 'NOT_FULFILLED'} "
                            "(the intent's targets at their scope)")
        for column in ("expectation", "target", "scope", "goal", "before", "after", "unit", "status"):
            table.add_column(column)
        goals = {f"{e}.{g.target.value}": g for e, g in goals_of(result.intent)} if result.intent else {}
        for exp_id, t in report.targets():
            key = f"{exp_id}.{t.targetName}"
            baseline, goal = result.baselines.get(key), goals.get(key)
            table.add_row(exp_id, t.targetName, scope_of(goal) if goal else "", goal_of(goal, baseline) if goal else "",
                          _num(baseline), _num(t.targetAchievedValue), spec(t.targetName).unit,
                          t.targetFulfilmentInfo.fulfilmentStatus.value)
        console.print(table)
    console.print(f"[bold]Outcome[/bold]: {result.outcome}")


def scope_of(goal) -> str:
    """Where a goal is measured: its cells (else the network) and its slice."""
    where = "network" if goal.cells is None else f"cells {goal.cells}" if len(goal.cells) > 1 else f"cell {goal.cells[0]}"
    return where + (f", slice {goal.slice}" if goal.slice else "")


SYMBOLS = {Condition.IS_GREATER_THAN: ">", Condition.IS_EQUAL_TO_OR_GREATER_THAN: ">=", Condition.IS_LESS_THAN: "<",
           Condition.IS_EQUAL_TO_OR_LESS_THAN: "<=", Condition.IS_WITHIN_RANGE: "in"}
MAX_QUOTE = 180
MAX_CANDIDATES_SHOWN = 5


def goal_of(goal, baseline: float | None) -> str:
    """The goal as a comparison with its absolute value(s): `>= 25`, `<= 5.993` (10% below 6.659)."""
    values = goal.values(baseline)
    shown = f"[{values[0]:.4g}, {values[1]:.4g}]" if len(values) == 2 else f"{values[0]:.4g}"
    return f"{SYMBOLS.get(goal.condition(), goal.condition().value)} {shown}"


def quote(text: str, targets: list[str]) -> str:
    """The sentence of a passage that names one of the targets (else its first), shortened."""
    sentences = [x.strip() for x in re.split(r"(?<=[.:])\s+", text) if x.strip()]
    named = [x for x in sentences for t in targets if t in x]
    chosen = named[0] if named else (sentences[0] if sentences else "")
    if any(t in chosen for t in targets) and len(chosen) > MAX_QUOTE:  # the clause around the target's name
        start = max(0, min(chosen.find(t) for t in targets if t in chosen) - 20)
        chosen = ("..." if start else "") + chosen[start:]
    return chosen if len(chosen) <= MAX_QUOTE else chosen[:MAX_QUOTE - 3] + "..."


def confirmation(result) -> str:
    """What the confirm period measured: the change's live effect on each confirm KPI."""
    if not result.effects:
        return ""
    shown = ", ".join(f"{k} {e.mean:+.3g} {spec(k).unit}" for k, e in result.effects.items() if abs(e.mean) > 1e-9)
    return f"; confirmed live over {next(iter(result.effects.values())).steps} steps" + (f": {shown}" if shown else "")


def print_candidates(r, same_round: list, applied: set[str], console: Console) -> None:
    """The candidates the twin scored this round: those the verifier judged, in the search's
    ranking, then the best others; with size, predicted shortfall (lower is better), what the
    twin said and the verifier's answer (the one applied is marked)."""
    judged = {x.choice.strategy: ("applied" if x.proposal_id in applied else x.verdict_status) for x in same_round
              if x.choice is not None}
    order = list(judged)  # the verifier's order: the search's ranking
    table = Table(title=f"Round {r.round}: candidates on the twin (verified in rank order, then the rest)",
                  title_justify="left")
    for column in ("candidate", "actions", "predicted shortfall", "twin", "verifier"):
        table.add_column(column)
    ranked = sorted(r.candidates, key=lambda c: (order.index(c.source) if c.source in judged else len(order),
                                                 c.shortfall is None, c.shortfall or 0.0))
    for c in ranked[:MAX_CANDIDATES_SHOWN]:
        table.add_row(c.source, str(c.actions), _num(c.shortfall), c.verdict, judged.get(c.source, "-"))
    console.print(table)


def why_chosen(r) -> str:
    """How many candidates the search weighed this round, how many the twin predicted closer to
    the goals, and why the proposal leads (its reason)."""
    improving = sum(1 for c in r.candidates if c.verdict == "improves")
    return f"weighed {len(r.candidates)} candidates on the twin, {improving} closer to the goals; chosen: {r.choice.reason}"


def print_actions(actions, console: Console) -> None:
    for action in actions[:MAX_ACTIONS_SHOWN]:
        console.print(f"  {action.type} {action.model_dump(exclude={'type'})}", highlight=False)
    if len(actions) > MAX_ACTIONS_SHOWN:
        console.print(f"  ... and {len(actions) - MAX_ACTIONS_SHOWN} more (--json shows all)")


def _num(value: float | None) -> str:
    return "-" if value is None else f"{value:.4g}"


class ViolationGroup(BaseModel):
    """Violations of one rule on one parameter (None: the rule is not about one parameter)."""

    rule_id: str
    parameter: str | None
    count: int
    objects: list[str]  # each once, in the order first seen

    def short(self) -> str:
        """`conflict.opposite tx_power_dbm x50 on cell 4`."""
        where = ", ".join(self.objects[:4]) + (f" and {len(self.objects) - 4} more" if len(self.objects) > 4 else "")
        return f"{self.rule_id}{' ' + self.parameter if self.parameter else ''}{f' x{self.count}' if self.count > 1 else ''} " \
               f"on {where}"


def parameter_of(v: Violation) -> str | None:
    """The configuration parameter a violation is about, as its rule states it (observed value or
    message), or None for rules about a KPI, a site or a slice's quota sum."""
    text = f"{v.observed} {v.message}"
    return next((name for name in PARAMETER_NAMES if name in text), None)


def group_violations(violations: Iterable[Violation]) -> list[ViolationGroup]:
    """One group per (rule, parameter), with how many violations and on which objects, in the
    order first seen: 50 repeats of one conflict read as one line with its count."""
    groups: dict[tuple[str, str | None], ViolationGroup] = {}
    for v in violations:
        key = (v.rule_id, parameter_of(v))
        group = groups.setdefault(key, ViolationGroup(rule_id=key[0], parameter=key[1], count=0, objects=[]))
        group.count += 1
        if v.object not in group.objects:
            group.objects.append(v.object)
    return list(groups.values())


def print_violations(violations: list[Violation], console: Console) -> None:
    """Every round's violations, grouped by rule and parameter with counts (nothing when none)."""
    if not violations:
        return
    table = Table(title="Violations over all rounds, by rule and parameter")
    for column in ("rule", "parameter", "count", "on"):
        table.add_column(column, justify="right" if column == "count" else "left")
    for g in group_violations(violations):
        table.add_row(g.rule_id, g.parameter or "-", str(g.count), ", ".join(g.objects))
    console.print(table)
