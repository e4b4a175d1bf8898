"""The planning search: tools propose, the twin decides.

Each round gathers candidates from every strategy's tools on every unmet target (the planner's
own choice among them) and from model-free local moves (`moves.py`), predicts each on the paired
twin (`scoring.TwinBench`) against every check the run serves, and keeps those that bring the
checks closer to their goals taken together while moving none of them away. The best ones are
combined greedily (disjoint levers only, so step limits still hold) and re-predicted. Where
nothing improves at the round's step size, smaller steps are tried. The ranked result goes to
the verifier, which decides what may be applied.
"""

from __future__ import annotations

from dataclasses import dataclass

from pydantic import BaseModel

from ranpilot.network import Action
from ranpilot.network.view import NetworkView
from ranpilot.planning.moves import lever_cells, local_moves
from ranpilot.planning.scoring import EPS, Score, TwinBench
from ranpilot.planning.situation import Candidate, Situation, StrategyChoice, ToolUse
from ranpilot.policies import TargetCheck



class SearchBudget(BaseModel):
    """How wide a round searches. The agent's default keeps a 21-cell round near a second; the
    benchmark's oracle searches many times wider."""

    focus_cells: int = 4  # cells that get local moves of their own
    interferers: int = 3  # strongest outside cells added to a cell-list target's levers
    combine: int = 6  # improving candidates tried on top of the best one
    finer: tuple[float, ...] = (0.5, 0.25)  # step scales tried when nothing improves at the round's own
    always_finer: bool = False  # try the finer steps every round, not only when nothing improves
    tools_on_every_target: bool = False  # run the strategies on every unmet target, not the first only


class CandidateScore(BaseModel):
    """One candidate as the report shows it: its source, size, and what the twin predicted."""

    source: str
    actions: int
    shortfall: float | None  # sum of normalized shortfalls over every check; None: refused
    values: list[float | None]  # each check's predicted value
    verdict: str  # why it is ranked, or why not


@dataclass
class SearchResult:
    ranked: list[Candidate]  # improving candidates, best first
    scores: dict[str, Score]  # the twin's prediction for each ranked candidate, by source
    scored: list[CandidateScore]
    tool_uses: list[ToolUse]
    baseline: Score
    evaluations: int = 0

    def why(self) -> str:
        """Why the best candidate leads: its predicted shortfall against today's, and the field."""
        improving = sum(1 for c in self.scored if c.verdict == "improves")
        best = self.ranked[0]
        return (f"predicted shortfall {self.scores[best.source].total:.3g} against {self.baseline.total:.3g} without "
                f"a change, collateral {self.scores[best.source].collateral(self.baseline):.3g}: the best of "
                f"{len(self.scored)} candidates on the twin ({improving} improve, none moving a target away)")


def tool_candidates(situations: list[Situation], choice: StrategyChoice) -> list[Candidate]:
    """Every strategy on each of `situations`; the planner's choice (on its cells) on the first."""
    from ranpilot.planning.strategies import STRATEGIES, run_strategy  # the tools' solvers and torch load here

    out = []
    for i, s in enumerate(situations):
        for name in STRATEGIES:
            picked = choice if i == 0 and name == choice.strategy else StrategyChoice(strategy=name)
            plan = run_strategy(picked, s)
            mark = " (planner's choice)" if picked is choice else ""
            out.append(Candidate(source=f"{name} for {s.target}{mark}", actions=plan.actions, tool_uses=plan.tool_uses))
    return out


def _levers(actions: list[Action]) -> set[tuple]:
    return {(a.type, getattr(a, "cell", None), getattr(a, "slice", None)) for a in actions}


def _ranked(items: list[tuple[Candidate, Score]], baseline: Score) -> list[tuple[Candidate, Score]]:
    """Best first: least shortfall, then the tie-breaker, then the least collateral damage to
    the network-wide KPIs, then the fewest actions."""
    return sorted(items, key=lambda item: (round(item[1].total, 6), round(item[1].tie, 6),
                                           round(item[1].collateral(baseline), 6), len(item[0].actions)))


def evaluate(bench: TwinBench, candidates: list[Candidate], scored: list[CandidateScore]) -> list[tuple[Candidate, Score]]:
    """Predict each distinct non-empty candidate; the improving ones, best first."""
    seen, improving = set(), []
    for c in candidates:
        key = tuple(sorted(repr(a) for a in c.actions))
        if not c.actions or key in seen:
            continue
        seen.add(key)
        sc = bench.predict(c.actions)
        if sc is None:
            why = "refused by the network (radio limits)"
        elif sc.moves_away(bench.baseline):
            why = "moves a target away from its goal"
        elif not sc.better_than(bench.baseline):
            why = "no closer to the goals"
        else:
            why = "improves"
            improving.append((c, sc))
        scored.append(CandidateScore(source=c.source, actions=len(c.actions), shortfall=None if sc is None else sc.total,
                                     values=[] if sc is None else list(sc.values), verdict=why))
    return _ranked(improving, bench.baseline)


def _pays_for_itself(union: Score, part: Score, baseline: Score) -> bool:
    """Whether growing a candidate into `union` is worth it: closer to the goals, no target moved
    away, and the shortfall it removes outweighs the collateral damage it adds (both in units of
    the targets' scales), so that extra levers are not pulled for a sliver of a goal at the cost
    of KPIs nobody asked to trade."""
    if not union.better_than(part) or union.moves_away(baseline):
        return False
    return union.total + union.collateral(baseline) < part.total + part.collateral(baseline) + EPS


def combine(bench: TwinBench, improving: list[tuple[Candidate, Score]], width: int) -> tuple[Candidate, Score] | None:
    """The best candidate grown by the next `width` improving ones on other levers: each step adds
    the one whose union the twin ranks best (closest to the goals, then the tie-breaker, then the
    least collateral damage), while a union still ranks above what it grows; None when nothing
    was added."""
    if len(improving) < 2:
        return None
    best, best_score = improving[0]
    parts, actions = [best.source], list(best.actions)
    pool = list(improving[1:width + 1])
    while pool:
        unions = []
        for c, _ in pool:
            if _levers(c.actions) & _levers(actions):
                continue
            sc = bench.predict(actions + c.actions)
            if sc is not None and _pays_for_itself(sc, best_score, bench.baseline):
                unions.append((c, sc))
        if not unions:
            break
        ranked = _ranked(unions, bench.baseline)
        (chosen, best_score), pool = ranked[0], ranked[1:]  # only those that helped are tried again
        actions = actions + chosen.actions
        parts.append(chosen.source)
    if len(parts) == 1:
        return None
    uses = [u for c, _ in improving if c.source in parts for u in c.tool_uses]
    return Candidate(source="combined: " + " + ".join(parts), actions=actions, tool_uses=uses), best_score


def search(network: NetworkView, checks: list[TargetCheck], situations: list[Situation], scope: list[int],
           choice: StrategyChoice, steps: int, budget: SearchBudget = SearchBudget()) -> SearchResult:
    """Candidates for this round, predicted on the twin against `checks`, improving ones ranked."""
    bench = TwinBench(network, checks, steps)
    focus = situations[0]
    levers = lever_cells(focus, scope, budget.interferers)
    tools = tool_candidates(situations if budget.tools_on_every_target else situations[:1], choice)
    scored: list[CandidateScore] = []
    improving = evaluate(bench, tools + local_moves(focus, levers, budget.focus_cells), scored)
    for finer in budget.finer:
        if improving and not budget.always_finer:
            break
        finer_moves = local_moves(focus.scaled(finer), levers, budget.focus_cells)
        improving = _ranked(improving + evaluate(bench, finer_moves, scored), bench.baseline)
    grown = combine(bench, improving, budget.combine)
    if grown is not None:
        improving = _ranked(improving + [grown], bench.baseline)
        scored.append(CandidateScore(source=grown[0].source, actions=len(grown[0].actions), shortfall=grown[1].total,
                                     values=list(grown[1].values), verdict="improves"))
    return SearchResult(ranked=[c for c, _ in improving], scores={c.source: sc for c, sc in improving}, scored=scored,
                        tool_uses=[u for c in tools for u in c.tool_uses], baseline=bench.baseline,
                        evaluations=bench.evaluations)
