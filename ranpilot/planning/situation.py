"""What a strategy sees (`Situation`: the network, one unmet target with its goal, the scope and
the pack's limits) and what it returns (`Plan`: actions and the tool uses behind them)."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from pydantic import BaseModel

from ranpilot.intents import fulfilment as ff
from ranpilot.intents.model import Intent
from ranpilot.network import Action
from ranpilot.network.radio import db_to_lin
from ranpilot.network.view import NetworkView
from ranpilot.policies import PolicyPack
from ranpilot.targets import Target


@dataclass(frozen=True)
class Situation:
    """One unmet target as a planner sees it; `cells` are already confined to the operator's scope."""

    network: NetworkView
    target: Target
    goal: float
    cells: list[int]
    slice: str | None
    threshold: float | None
    pack: PolicyPack
    step_scale: float

    def step(self, parameter: str, default: float) -> float:
        """The largest move of a parameter this round: the pack's step limit, scaled."""
        limit = self.pack.max_step(parameter)
        return (default if limit is None else min(limit, default)) * self.step_scale

    def power_cap_dbm(self, cell: int) -> float:
        rule = self.pack.tx_power_limit(self.pack.bs_class(cell))
        cap = self.network.config.max_tx_power_dbm
        return cap if rule is None else min(rule.max_dbm, cap)

    def awake_cells(self) -> list[int]:
        asleep = self.network.configuration().asleep
        return [c for c in self.cells if not asleep[c]]

    def scaled(self, factor: float) -> Situation:
        """The same situation with steps `factor` times as large."""
        return replace(self, step_scale=self.step_scale * factor)

    def narrowed(self, cells: list[int] | None) -> Situation:
        """The same situation on a subset of its cells (a planner may narrow, never widen)."""
        kept = [c for c in cells or [] if c in self.cells]
        return replace(self, cells=kept or self.cells)

    def current(self) -> float | None:
        return self.network.target_value(self.target, self.cells, self.slice, self.threshold)

    def gains_linear(self) -> np.ndarray:
        """(N, C) linear link gains from every cell to every UE."""
        return db_to_lin(self.network.link_gains_db())

    def served_by(self, cells: list[int]) -> np.ndarray:
        """Indices of the UEs whose serving cell is among `cells`."""
        return np.flatnonzero(np.isin(self.network.radio().serving, cells))


class StrategyChoice(BaseModel):
    """A planner's decision for a round: which strategy, optionally on fewer cells, and why."""

    strategy: str
    cells: list[int] | None = None
    reason: str = ""


class ToolUse(BaseModel):
    """One tool call made while planning, as the report shows it."""

    tool: str
    purpose: str
    status: str


@dataclass(frozen=True)
class Plan:
    """A strategy's outcome: the actions it proposes and the tool calls it made."""

    actions: list[Action]
    tool_uses: list[ToolUse]


@dataclass(frozen=True)
class Candidate:
    """One proposal the search weighs: where it came from (a strategy's tools, or a local move),
    its actions, and the tool calls behind it."""

    source: str
    actions: list[Action]
    tool_uses: list[ToolUse] = field(default_factory=list)


def unmet_situations(intent: Intent, network: NetworkView, baselines: dict[str, float | None], scope_cells: list[int],
                     pack: PolicyPack, step_scale: float) -> list[Situation]:
    """Every unmet target, in the intent's order, confined to the operator's scope."""
    allowed = set(scope_cells)
    out = []
    for e, goal in ff.unmet(intent, network, baselines):
        cells = goal.cells if goal.cells is not None else range(network.num_cells)
        out.append(Situation(network=network, target=goal.target, goal=goal.values(baselines[ff.key(e, goal)])[0],
                             cells=[c for c in cells if c in allowed], slice=goal.slice, threshold=goal.threshold,
                             pack=pack, step_scale=step_scale))
    return out


def first_unmet(intent: Intent, network: NetworkView, baselines: dict[str, float | None], scope_cells: list[int],
                pack: PolicyPack, step_scale: float) -> Situation | None:
    """The first unmet target, in the intent's order, confined to the operator's scope (None if all are met)."""
    pending = unmet_situations(intent, network, baselines, scope_cells, pack, step_scale)
    return pending[0] if pending else None
