"""The agent's graph state. Every field is checkpointed (SQLite), so values are JSON-friendly
pydantic models or plain data; the network itself lives in the runtime context."""

from __future__ import annotations

from typing import Literal, TypedDict

from ranpilot.agents.intent import Intent, IntentReport
from ranpilot.agents.parser import ParseResult
from ranpilot.agents.strategies import ToolCall
from ranpilot.knowledge import Passage
from ranpilot.policies import ApplyResult, Proposal, Verdict


class RoundRecord(TypedDict):
    round: int
    target: str
    tool_calls: list[dict]  # tool and purpose; the (large) arguments stay in the checkpointed state
    verdict_status: str
    violations: list[str]
    applied: bool


class AgentState(TypedDict):
    text: str
    """The operator's words, as given."""
    scope_cells: list[int]
    """Cells the operator allows the agent to touch: injected by the caller, never by a model."""
    parse: ParseResult
    """The parser's outcome: a structured intent, a clarification question, or a rejection."""
    intent: Intent | None
    """The structured TS 28.312 intent once parsed."""
    passages: list[Passage]
    """3GPP clauses retrieved to ground and cite the plan."""
    baselines: dict[str, float | None]
    """Each target's value before any action, keyed 'expectationId.targetName'."""
    kpis_before: dict[str, float]
    """Network KPIs when the run started."""
    round: int
    """Planning rounds used so far (bounded by the context's max_rounds)."""
    step_scale: float
    """Fraction of the pack's step limits the planner may use; halved after a rejection."""
    focus: str
    """The target the current round works on."""
    tool_calls: list[ToolCall]
    """Tool calls planned this round."""
    tool_results: list[dict]
    """Their JSON results, in the same order."""
    proposal: Proposal | None
    """This round's proposed actions, if any."""
    verdict: Verdict | None
    """The verifier's verdict on this round's proposal."""
    approval: Literal["approved", "rejected"] | None
    """An operator's answer when the verdict needed approval."""
    applied: list[ApplyResult]
    """Every apply of this run, with its confirm outcome."""
    rounds: list[RoundRecord]
    """What each round did, for the report."""
    report: IntentReport | None
    """The final IntentReport."""
    outcome: str
    """One line: why the run ended."""
