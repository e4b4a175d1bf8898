"""The embedded planner (default, offline): the semantic parser plus the rule-based strategies."""

from __future__ import annotations

from ranpilot.agents.parser import ParseResult, parse_intent
from ranpilot.agents.strategies import DEFAULT_STRATEGY, STRATEGIES, Situation, ToolCall
from ranpilot.network import Action


class EmbeddedPlanner:
    name = "embedded"

    def parse(self, text: str, areas: dict[str, list[int]]) -> ParseResult:
        return parse_intent(text, areas)

    def plan(self, situation: Situation, passages: list) -> list[ToolCall]:
        calls, _ = STRATEGIES[DEFAULT_STRATEGY[situation.target]]
        return calls(situation)

    def propose(self, situation: Situation, results: list[dict]) -> list[Action]:
        _, actions = STRATEGIES[DEFAULT_STRATEGY[situation.target]]
        return actions(situation, results)
