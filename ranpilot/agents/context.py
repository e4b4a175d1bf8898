"""Run-time context of the agent graph: the live objects nodes use but never checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field

from ranpilot.knowledge import KnowledgeStore
from ranpilot.network.view import NetworkView
from ranpilot.planning.planner import Planner
from ranpilot.policies import Verifier


@dataclass
class AgentContext:
    network: NetworkView
    verifier: Verifier
    planner: Planner
    store: KnowledgeStore | None = None
    areas: dict[str, list[int]] = field(default_factory=dict)
    max_rounds: int = 4
    observe_steps: int = 5
    passages_k: int = 4
