"""Run-time context of the agent graph: the live objects nodes use but never checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from ranpilot.knowledge import KnowledgeStore
from ranpilot.network.view import NetworkView
from ranpilot.planning.planner import Planner
from ranpilot.planning.search import SearchBudget
from ranpilot.policies import TargetCheck, Verifier

#: Planning rounds a run may take: each applies at most one verified change and observes it. Five,
#: because an extra lever is added only when it pays for its collateral damage, so a far goal is
#: reached in more, smaller steps (benchmarks/planning.py: 4 rounds 40/48 of the tuning tasks, 5: 41/48).
MAX_ROUNDS = 5


@dataclass
class AgentContext:
    network: NetworkView
    verifier: Verifier
    planner: Planner
    store: KnowledgeStore | None = None
    areas: dict[str, list[int]] = field(default_factory=dict)
    max_rounds: int = MAX_ROUNDS
    observe_steps: int = 5
    search: bool = True
    """Search over candidates scored on the twin; False: the planner's one strategy per round,
    unscored (the fixed-strategy planner, kept for comparison in benchmarks/planning.py)."""
    budget: SearchBudget = field(default_factory=SearchBudget)
    """How wide each round's search is."""
    verify_top: int = 3
    """How many of the search's candidates the verifier may reject in one round before it stops."""
    active_checks: list[TargetCheck] = field(default_factory=list)
    """The targets of every other active intent: scored with this run's and checked by the verifier."""
