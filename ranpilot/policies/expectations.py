"""TS 28.312 target conditions and their evaluation against observed KPI values.

Shared by the verifier (does the dry run meet the intent?) and the agent (is the intent
fulfilled?).
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel


class Condition(str, Enum):
    IS_EQUAL_TO = "IS_EQUAL_TO"
    IS_LESS_THAN = "IS_LESS_THAN"
    IS_GREATER_THAN = "IS_GREATER_THAN"
    IS_WITHIN_RANGE = "IS_WITHIN_RANGE"
    IS_OUTSIDE_RANGE = "IS_OUTSIDE_RANGE"
    IS_ONE_OF = "IS_ONE_OF"
    IS_NOT_ONE_OF = "IS_NOT_ONE_OF"
    IS_EQUAL_TO_OR_LESS_THAN = "IS_EQUAL_TO_OR_LESS_THAN"
    IS_EQUAL_TO_OR_GREATER_THAN = "IS_EQUAL_TO_OR_GREATER_THAN"
    IS_ALL_OF = "IS_ALL_OF"


def condition_holds(condition: Condition, observed: float, values: list[float], tol: float = 1e-9) -> bool:
    """Whether `observed` satisfies the condition against `values` (one value, or [low, high])."""
    v = values
    match condition:
        case Condition.IS_EQUAL_TO:
            return abs(observed - v[0]) <= tol
        case Condition.IS_LESS_THAN:
            return observed < v[0]
        case Condition.IS_GREATER_THAN:
            return observed > v[0]
        case Condition.IS_EQUAL_TO_OR_LESS_THAN:
            return observed <= v[0] + tol
        case Condition.IS_EQUAL_TO_OR_GREATER_THAN:
            return observed >= v[0] - tol
        case Condition.IS_WITHIN_RANGE:
            return v[0] - tol <= observed <= v[1] + tol
        case Condition.IS_OUTSIDE_RANGE:
            return observed < v[0] or observed > v[1]
        case Condition.IS_ONE_OF | Condition.IS_ALL_OF:
            return any(abs(observed - x) <= tol for x in v)
        case Condition.IS_NOT_ONE_OF:
            return all(abs(observed - x) > tol for x in v)
    raise ValueError(f"unknown condition {condition}")


def shortfall(condition: Condition, observed: float, values: list[float]) -> float:
    """How far `observed` is from meeting the condition: 0 where it holds, else the distance to
    the nearest value that would (for IS_OUTSIDE_RANGE and IS_NOT_ONE_OF, 1 when it fails)."""
    if condition_holds(condition, observed, values):
        return 0.0
    match condition:
        case Condition.IS_LESS_THAN | Condition.IS_EQUAL_TO_OR_LESS_THAN:
            return observed - values[0]
        case Condition.IS_GREATER_THAN | Condition.IS_EQUAL_TO_OR_GREATER_THAN:
            return values[0] - observed
        case Condition.IS_WITHIN_RANGE:
            return max(values[0] - observed, observed - values[1])
        case Condition.IS_OUTSIDE_RANGE | Condition.IS_NOT_ONE_OF:
            return 1.0
    return min(abs(observed - x) for x in values)


class TargetCheck(BaseModel):
    """One expectation target as the verifier checks it on the dry run: a TS 28.312 target name,
    its condition and values, over a scope of cells and/or a slice, with an optional threshold."""

    target: str
    condition: Condition
    values: list[float]
    cells: list[int] | None = None
    slice: str | None = None
    threshold: float | None = None
    ensure: bool = False  # TS 28.312 ENSURE: the change may not move it further from its goal

    def describe(self) -> str:
        scope = f" on cells {self.cells}" if self.cells is not None else ""
        scope += f" for slice {self.slice}" if self.slice else ""
        return f"{self.target}{scope} {self.condition.value} {self.values}"
