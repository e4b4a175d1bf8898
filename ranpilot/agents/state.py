"""The agent's graph state. Every field is checkpointed (SQLite), so values are pydantic models,
enums or plain data; the network itself lives in the runtime context. Lists that grow over a
run (`rounds`, `applied`) have `operator.add` reducers: nodes return only what they add."""

from __future__ import annotations

import operator
from enum import Enum
from typing import Annotated, Literal, TypedDict

from pydantic import BaseModel

from ranpilot.intents.model import Intent, IntentReport
from ranpilot.intents.goals import Understanding
from ranpilot.knowledge.query import Passage
from ranpilot.network import Action
from ranpilot.planning.search import CandidateScore
from ranpilot.planning.situation import StrategyChoice, ToolUse
from ranpilot.policies import ApplyResult, Proposal, Verdict, Violation
from ranpilot.targets import Target


class Outcome(str, Enum):
    """Why a run ended."""

    FULFILLED = "fulfilled"
    CONFIGURED = "configured: the requested change was verified, approved and applied"
    ROUND_LIMIT = "not fulfilled within the round limit"
    NO_ACTION = "not fulfilled: no further action found"
    VERIFIER_REJECTED = "not fulfilled: the verifier rejected every remaining proposal"
    CHANGE_REJECTED = "rejected by the verifier: nothing was changed"
    OPERATOR_REJECTED = "the operator rejected the proposal"
    REFUSED = "refused by the network"
    OUT_OF_SCOPE = "rejected: cells outside the operator's scope"
    OUTSIDE_WINDOW = "acknowledged: outside the intent's time window"
    NOT_PARSED = "not parsed"
    EXPIRED = "expired: the network changed after the proposal was verified; nothing was applied"


class RoundRecord(BaseModel):
    """What one planning round did, for the report."""

    round: int
    target: Target | None  # None for a direct configuration request
    choice: StrategyChoice | None
    tool_uses: list[ToolUse]
    proposal_id: str
    verdict_status: Literal["approved", "rejected", "needs_approval"]
    violations: list[Violation]
    candidates: list[CandidateScore] = []  # what the search weighed this round (first record of a round)
    actions: list[Action] = []  # the proposal's actions as verified


class AgentState(TypedDict, total=False):
    text: str
    """The operator's words, as given."""
    scope_cells: list[int]
    """Cells the operator allows the agent to touch: injected by the caller, never by a model."""
    owner: str
    """Who the verifier holds responsible for this run's changes: set by the runner from the
    thread (or by its trusted caller), never from the request."""
    parse: Understanding
    """What the request asks for (goals, configuration changes), or the question or refusal it
    calls for; for a TS 28.312 intent given by the caller, its goals as read."""
    intent: Intent | None
    """The TS 28.312 intent: given by the caller, or written from the parsed goals."""
    passages: list[Passage]
    """3GPP clauses retrieved to ground and cite the plan."""
    baselines: dict[str, float | None]
    """Each target's value before any action, keyed 'expectationId.targetName'."""
    kpis_before: dict[str, float]
    """Network KPIs when the run started."""
    round: int
    """Planning rounds used so far (bounded by the context's max_rounds)."""
    step_scale: float
    """Fraction of the pack's step limits the planner may use; halved after a rejection or rollback."""
    focus: Target | None
    """The target the current round works on."""
    choice: StrategyChoice | None
    """The strategy the planner chose this round."""
    tool_uses: list[ToolUse]
    """The tools that strategy called this round."""
    proposal: Proposal | None
    """This round's proposed actions, if any."""
    alternatives: list[Proposal]
    """The search's next-best candidates this round, best first, for the verifier to try in turn."""
    candidates: list[CandidateScore]
    """Every candidate the search weighed this round, with the twin's prediction."""
    verdict: Verdict | None
    """The verifier's verdict on this round's proposal."""
    approval: Literal["approved", "rejected"] | None
    """An operator's answer when the verdict needed approval."""
    applied: Annotated[list[ApplyResult], operator.add]
    """Every apply of this run, with its confirm outcome."""
    rounds: Annotated[list[RoundRecord], operator.add]
    """What each round did, for the report."""
    report: IntentReport | None
    """The final IntentReport."""
    outcome: Outcome | None
    """Why the run ended (set by the node that ends it, or by the report)."""
    outcome_detail: str
    """The specifics behind the outcome (which cells, which window, the network's reason)."""


class AgentOutput(TypedDict):
    """What a finished (or paused) run hands back: the graph's output schema."""

    parse: Understanding
    intent: Intent | None
    passages: list[Passage]
    baselines: dict[str, float | None]
    kpis_before: dict[str, float]
    round: int
    rounds: list[RoundRecord]
    verdict: Verdict | None
    applied: list[ApplyResult]
    report: IntentReport | None
    outcome: Outcome | None
    outcome_detail: str
