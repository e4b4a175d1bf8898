"""A run as its caller sees it (`RunResult`), in a module of its own: the service's client prints
a run without loading the agent's graph, checkpointer and models."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

from ranpilot.agents.state import Outcome, RoundRecord
from ranpilot.intents.goals import Understanding
from ranpilot.intents.model import Intent, IntentReport
from ranpilot.knowledge.query import Passage
from ranpilot.policies import ApplyResult, Verdict


class RunResult(BaseModel):
    """A run as the caller sees it: the graph's output (`AgentOutput`) plus the thread, its status,
    the KPIs after, per-node timings and a one-line outcome."""

    thread_id: str
    status: Literal["done", "awaiting_approval"]
    outcome: str
    outcome_kind: Outcome | None = None
    planner: str
    parse: Understanding | None = None
    intent: Intent | None = None
    passages: list[Passage] = []
    rounds: list[RoundRecord] = []
    verdict: Verdict | None = None
    applied: list[ApplyResult] = []
    kpis_before: dict[str, float] = {}
    kpis_after: dict[str, float] = {}
    report: IntentReport | None = None
    baselines: dict[str, float | None] = {}
    node_ms: dict[str, float] = {}
