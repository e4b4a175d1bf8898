"""A planner's pick among the search's candidates, which the verifier then decides on.

After the search ranks candidates on the twin, a planner that can reason (the LLM one) sees the
retrieved passages' text and the shortlist: each candidate's id, source, actions, the twin's
predicted value per check, its shortfall and the twin's verdict. It names one candidate by its id
with a short rationale and never writes actions. The pick only reorders the shortlist: the chosen
candidate goes to the verifier first and, if the verifier refuses it, the verifier goes on in the
twin's ranking, so what is applied is always the pick or the best candidate the verifier approves.
An unknown id or a malformed answer keeps the twin's ranking, with a logged warning.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from ranpilot.knowledge.query import Passage
from ranpilot.network import Action
from ranpilot.planning.scoring import Score
from ranpilot.planning.search import CandidateScore, SearchResult
from ranpilot.planning.situation import Situation, StrategyChoice
from ranpilot.policies import Proposal, TargetCheck
from ranpilot.targets import spec

if TYPE_CHECKING:
    from ranpilot.planning.planner import Planner

log = logging.getLogger(__name__)

PASSAGE_BUDGET_CHARS = 2400  # all passages' text together in a pick prompt
MIN_EXCERPT_CHARS = 80  # every passage shows at least this much of its text
ACTIONS_SHOWN = 6  # per candidate in the prompt; the rest are counted


class Pick(BaseModel):
    """A planner's answer: the id of one shortlisted candidate and why."""

    candidate: str = Field(min_length=1, description="the id of one candidate, e.g. c2")
    rationale: str = Field("", description="one or two sentences: why this candidate")


PICK_SCHEMA = {"name": "candidate_pick", "schema": Pick.model_json_schema()}


class ShortlistEntry(BaseModel):
    """One candidate a planner may pick: its id (`c1` is the twin's best), source and actions,
    and the twin's prediction (None when the search did not score it under that source)."""

    id: str
    source: str
    actions: list[Action]
    score: CandidateScore | None


@dataclass(frozen=True)
class Shortlist:
    """The candidates a round may hand the verifier, best on the twin first, with the checks
    their predicted values refer to and the shortfall without a change."""

    entries: list[ShortlistEntry]
    checks: list[TargetCheck]
    baseline: Score

    @classmethod
    def of(cls, proposals: list[Proposal], found: SearchResult, checks: list[TargetCheck]) -> Shortlist:
        by_source = {c.source: c for c in found.scored}
        entries = [ShortlistEntry(id=f"c{i}", source=p.rationale, actions=p.actions, score=by_source.get(p.rationale))
                   for i, p in enumerate(proposals, 1)]
        return cls(entries=entries, checks=checks, baseline=found.baseline)

    def entry(self, candidate_id: str) -> ShortlistEntry | None:
        """The entry with that id (case and surrounding blanks ignored), or None."""
        return next((e for e in self.entries if e.id == candidate_id.strip().lower()), None)

    def brief(self, situation: Situation, passages: list[Passage]) -> str:
        """The pick prompt's user message: the round's target, the checks with today's values, the
        passages' text within the budget, and every shortlisted candidate."""
        checks = "\n".join(f"- {c.describe()} ({spec(c.target).unit}), now {_num(v)}"
                           for c, v in zip(self.checks, self.baseline.values))
        candidates = "\n".join(_candidate_line(e, self.checks) for e in self.entries)
        return (f"Round target {situation.target} ({spec(situation.target).unit}), goal {situation.goal:.4g}; "
                f"cells in scope {situation.cells}.\n"
                f"Checks every candidate was predicted against:\n{checks}\n"
                f"Total shortfall without a change: {self.baseline.total:.3g} (0 means every check is met).\n"
                f"Relevant passages:\n{passages_digest(passages, PASSAGE_BUDGET_CHARS)}\n"
                f"Candidates (c1 is the best on the twin):\n{candidates}")


def _num(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.4g}"


def _candidate_line(e: ShortlistEntry, checks: list[TargetCheck]) -> str:
    shown = ", ".join(f"{a.type} {a.model_dump(exclude={'type'})}" for a in e.actions[:ACTIONS_SHOWN])
    more = f" and {len(e.actions) - ACTIONS_SHOWN} more" if len(e.actions) > ACTIONS_SHOWN else ""
    if e.score is None:
        return f"- {e.id}: {e.source}; actions: {shown}{more}; not scored"
    predicted = ", ".join(f"{c.target} {_num(v)}" for c, v in zip(checks, e.score.values))
    return (f"- {e.id}: {e.source}; actions: {shown}{more}; predicted: {predicted}; "
            f"shortfall {_num(e.score.shortfall)}; twin: {e.score.verdict}")


def passages_digest(passages: list[Passage], budget_chars: int) -> str:
    """Each passage as `- spec clause title (why): text`, the texts cut at a word so that all
    lines together stay near `budget_chars` (never under MIN_EXCERPT_CHARS of text each)."""
    if not passages:
        return "none"
    share = budget_chars // len(passages)
    lines = []
    for p in passages:
        head = f"- {p.spec} {p.clause} {p.title}" + (f" ({p.why})" if p.why else "")
        lines.append(f"{head}: {excerpt(p.text, max(share - len(head) - 2, MIN_EXCERPT_CHARS))}")
    return "\n".join(lines)


def excerpt(text: str, chars: int) -> str:
    """`text` with its whitespace collapsed, cut at the last word that fits in `chars`."""
    flat = " ".join(text.split())
    return flat if len(flat) <= chars else flat[:chars].rsplit(" ", 1)[0] + " ..."


def pick_among(planner: Planner, situation: Situation, passages: list[Passage], shortlist: Shortlist,
               proposals: list[Proposal], why_best: str) -> tuple[list[Proposal], StrategyChoice | None]:
    """`proposals` (the shortlist's, in its order) with the planner's pick first and the rest in
    the twin's ranking, and the round's choice. With fewer than two candidates nothing is asked;
    no pick, an unknown id or invalid output keep the twin's ranking (logged)."""
    if not proposals:
        return [], None
    best = StrategyChoice(strategy=proposals[0].rationale, reason=why_best)
    if len(proposals) < 2:
        return proposals, best
    try:
        pick = planner.pick(situation, passages, shortlist)
    except ValueError as exc:
        log.warning("the %s planner's pick is invalid (%s); keeping the twin's best, %s", planner.name, exc,
                    proposals[0].rationale)
        return proposals, best.model_copy(update={"reason": f"{why_best} (the {planner.name} planner's pick was "
                                                            f"invalid: {exc})"})
    if pick is None:
        return proposals, best
    entry = shortlist.entry(pick.candidate)
    if entry is None:
        log.warning("the %s planner picked %r, not one of %s; keeping the twin's best, %s", planner.name,
                    pick.candidate, [e.id for e in shortlist.entries], proposals[0].rationale)
        return proposals, best.model_copy(update={"reason": f"{why_best} (the {planner.name} planner picked "
                                                            f"{pick.candidate!r}, which is not on the shortlist)"})
    chosen = shortlist.entries.index(entry)
    shortfall = "" if entry.score is None else f"; predicted shortfall {_num(entry.score.shortfall)} against " \
                                               f"{shortlist.baseline.total:.3g} without a change"
    reason = f"picked by the {planner.name} planner as {entry.id}: {pick.rationale or 'no rationale given'}{shortfall}"
    return ([proposals[chosen]] + proposals[:chosen] + proposals[chosen + 1:],
            StrategyChoice(strategy=entry.source, reason=reason))
