"""What a planning backend provides: parse text into an intent, choose a strategy per round."""

from __future__ import annotations

from typing import Protocol

from ranpilot.intents.goals import Understanding
from ranpilot.intents.inventory import Inventory
from ranpilot.knowledge.query import Passage
from ranpilot.planning.situation import Situation, StrategyChoice
from ranpilot.policies import PolicyPack


class Planner(Protocol):
    """A planning backend: embedded (default, offline) or an OpenAI-compatible LLM."""

    name: str

    def parse(self, text: str, inventory: Inventory, pack: PolicyPack) -> Understanding:
        """Goals, configuration changes, a question or a refusal, for the network whose `inventory`
        is given, under the policy pack in force (its limits)."""

    def choose(self, situation: Situation, passages: list[Passage]) -> StrategyChoice:
        """The strategy for this round's target (a name in `STRATEGIES`), on the situation's cells or fewer."""
