"""The embedded planner (default, offline): the semantic parser plus a fixed strategy per target."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ranpilot.intents.goals import Understanding
from ranpilot.intents.inventory import Inventory
from ranpilot.intents.parser import understand
from ranpilot.knowledge.query import Passage
from ranpilot.planning.situation import Situation, StrategyChoice
from ranpilot.planning.strategies import DEFAULT_STRATEGY
from ranpilot.policies import PolicyPack

if TYPE_CHECKING:  # annotations only: the search and the twin load with the agent, not with a planner
    from ranpilot.planning.shortlist import Pick, Shortlist


class EmbeddedPlanner:
    name = "embedded"

    def parse(self, text: str, inventory: Inventory, pack: PolicyPack) -> Understanding:
        return understand(text, inventory, pack)

    def choose(self, situation: Situation, passages: list[Passage]) -> StrategyChoice:
        strategy = DEFAULT_STRATEGY[situation.target]
        return StrategyChoice(strategy=strategy, reason=f"the embedded default for {situation.target}")

    def pick(self, situation: Situation, passages: list[Passage], shortlist: Shortlist) -> Pick | None:
        return None  # the twin's ranking stands
