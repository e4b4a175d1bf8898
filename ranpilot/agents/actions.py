"""From a plan or a direct request to network actions: a planner's actions kept within the
operator's scope, and a configuration request's changes as the actions that make them."""

from __future__ import annotations

from ranpilot.intents.goals import ConfigChange
from ranpilot.network import Action, ActionError, RanConfiguration
from ranpilot.network.action_table import CELL_KINDS, setter
from ranpilot.network.configuration import changed_cells
from ranpilot.network.view import NetworkView


def within_scope(actions: list, network: NetworkView, allowed: set[int]) -> list:
    """Only actions whose every changed cell is in the operator's scope (a power vector too)."""
    conf, cfg = network.configuration(), network.config
    kept = []
    for action in actions:
        try:
            changed = changed_cells(conf, [action], cfg)
        except ActionError:
            changed = {getattr(action, "cell", -1)}  # malformed: kept only if its cell is in scope; the verifier rejects it
        if changed <= allowed:
            kept.append(action)
    return kept


def change_actions(changes: list[ConfigChange], conf: RanConfiguration, slices: list[str]) -> list[Action]:
    """The actions that make each requested change: a value as given, a delta from today's value."""
    actions = []
    for c in changes:
        field = getattr(conf, CELL_KINDS[c.parameter].field)
        current = field[c.cell, slices.index(c.slice)] if c.slice is not None else field[c.cell]
        value = c.value if c.value is not None else float(current) + c.delta
        actions.append(setter(c.parameter, c.cell, bool(value) if c.parameter == "asleep" else value, c.slice))
    return actions
