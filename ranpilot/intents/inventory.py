"""What exists on the network a request acts on (cells, slices, named areas), and the checks every
understood request passes against it and against plausibility, whether it came as text or as a
TS 28.312 intent: nonexistent cells or slices get a question naming what exists; impossible values
are refused."""

from __future__ import annotations

from dataclasses import dataclass, field

from ranpilot.intents.goals import ConfigChange, Goal, Reason, Status, Understanding
from ranpilot.network.config import NetworkConfig
from ranpilot.targets import Target, spec

PEAK_UE_THP_MBPS = 2000.0  # beyond any UE on a 100 MHz NR carrier
SLOT_MS = 0.5  # one slot at 30 kHz subcarrier spacing
MAX_ENERGY_KW = 1e5
MAX_EFFICIENCY_BIT_J = 1e9


@dataclass(frozen=True)
class Inventory:
    num_cells: int = 21
    slices: tuple[str, ...] = ("eMBB", "URLLC", "mMTC")
    areas: dict[str, list[int]] = field(default_factory=dict)

    @classmethod
    def of(cls, config: NetworkConfig, areas: dict[str, list[int]] | None = None) -> Inventory:
        return cls(config.num_cells, tuple(s.name for s in config.slices), dict(areas or {}))

    def describe_cells(self) -> str:
        return f"cells are 0 to {self.num_cells - 1}"


Problem = tuple[Status, Reason, str]


def goal_problem(goal: Goal, inventory: Inventory) -> Problem | None:
    """Why a goal cannot be pursued on this network, or None."""
    bad = implausible(goal)
    if bad:
        return "rejected", "invalid_value", bad
    return scope_problem(goal.cells, goal.slice, inventory)


def change_problem(change: ConfigChange, inventory: Inventory) -> Problem | None:
    if change.parameter == "min_prb_ratio" and change.value is not None and not 0 <= change.value <= 1:
        return "rejected", "invalid_value", f"a slice's PRB share is 0-100%; {change.value:.0%} is not"
    return scope_problem([change.cell], change.slice, inventory)


def scope_problem(cells: list[int] | None, slice_: str | None, inventory: Inventory) -> Problem | None:
    missing = sorted(c for c in cells or [] if not 0 <= c < inventory.num_cells)
    if missing:
        return "clarify", "unknown_cell", (f"cell{'s' if len(missing) > 1 else ''} {missing} "
                                           f"{'do' if len(missing) > 1 else 'does'} not exist: {inventory.describe_cells()}. "
                                           "Which cells did you mean?")
    if slice_ is not None and slice_ not in inventory.slices:
        return "clarify", "unknown_slice", (f"there is no slice {slice_!r}; the slices are "
                                            f"{', '.join(inventory.slices)}. Which one did you mean?")
    return None


def implausible(goal: Goal) -> str | None:
    """A value no network could (or should) reach, in the target's unit."""
    s = spec(goal.target)
    values = list(goal.range or ()) + ([goal.value] if goal.value is not None else [])
    if goal.change_pct is not None and goal.change_pct <= -100:
        return f"a change of {goal.change_pct:g}% would take {goal.target.value} to zero or below"
    if s.unit == "%" and any(v < 0 or v > 100 for v in values):
        return f"{goal.target.value} is a percentage; {values} is outside 0-100"
    if any(v < 0 for v in values) and s.unit in ("Mbit/s", "ms", "kW", "bit/J"):
        return f"{goal.target.value} cannot be negative ({min(values):g} {s.unit})"
    if s.unit == "Mbit/s" and any(v > PEAK_UE_THP_MBPS for v in values):
        return f"{max(values):g} Mbit/s per user is beyond the peak rate of a 100 MHz NR carrier"
    if goal.target == Target.DL_LATENCY and any(v < SLOT_MS for v in values):
        return f"{min(values):g} ms is below one {SLOT_MS} ms slot at 30 kHz subcarrier spacing: infeasible"
    if goal.target == Target.RAN_ENERGY_CONSUMPTION and any(v > MAX_ENERGY_KW for v in values):
        return f"{max(values):g} kW is beyond any radio network's power draw"
    if goal.target == Target.RAN_ENERGY_EFFICIENCY and any(v > MAX_EFFICIENCY_BIT_J for v in values):
        return f"{max(values):g} bit/J is beyond any radio network's energy efficiency"
    return None


def checked(understanding: Understanding, inventory: Inventory) -> Understanding:
    """The understanding, or the question or refusal its first goal or change with a problem calls for."""
    problems = [goal_problem(g, inventory) for g in understanding.goals]
    problems += [change_problem(c, inventory) for c in understanding.changes]
    problem = next((p for p in problems if p), None)
    if problem is None:
        return understanding
    status, reason, message = problem
    return Understanding(text=understanding.text, status=status, reason=reason, message=message)
