"""What a planning backend provides: parse text into an intent, choose a strategy per round, and
pick among the candidates the search ranked on the twin (or leave the twin's ranking)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from ranpilot.intents.goals import Understanding
from ranpilot.intents.inventory import Inventory
from ranpilot.knowledge.query import Passage
from ranpilot.planning.situation import Situation, StrategyChoice
from ranpilot.policies import PolicyPack

if TYPE_CHECKING:  # annotations only: the search and the twin load with the agent, not with a planner
    from ranpilot.planning.shortlist import Pick, Shortlist


class Planner(Protocol):
    """A planning backend: embedded (default, offline) or an OpenAI-compatible LLM."""

    name: str

    def parse(self, text: str, inventory: Inventory, pack: PolicyPack) -> Understanding:
        """Goals, configuration changes, a question or a refusal, for the network whose `inventory`
        is given, under the policy pack in force (its limits)."""

    def choose(self, situation: Situation, passages: list[Passage]) -> StrategyChoice:
        """The strategy for this round's target (a name in `STRATEGIES`), on the situation's cells or fewer."""

    def pick(self, situation: Situation, passages: list[Passage], shortlist: Shortlist) -> Pick | None:
        """One shortlisted candidate by id, or None to keep the twin's ranking; ValueError for an
        answer that cannot be read. The verifier still decides on whatever is picked."""
