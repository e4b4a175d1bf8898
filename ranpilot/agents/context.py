"""Run-time context of the agent graph: the live objects nodes use but never checkpoint."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from ranpilot.agents.parser import ParseResult
from ranpilot.agents.strategies import Situation, ToolCall
from ranpilot.knowledge import KnowledgeStore
from ranpilot.network import Action, Network
from ranpilot.policies import Verifier


class Planner(Protocol):
    """A planning backend: embedded (default, offline) or an OpenAI-compatible LLM."""

    name: str

    def parse(self, text: str, areas: dict[str, list[int]]) -> ParseResult: ...

    def plan(self, situation: Situation, passages: list) -> list[ToolCall]: ...

    def propose(self, situation: Situation, results: list[dict]) -> list[Action]: ...


@dataclass
class AgentContext:
    network: Network
    verifier: Verifier
    planner: Planner
    store: KnowledgeStore | None = None
    areas: dict[str, list[int]] = field(default_factory=dict)
    max_rounds: int = 4
    observe_steps: int = 5
    passages_k: int = 4
