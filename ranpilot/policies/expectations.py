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


class TargetCheck(BaseModel):
    """One expectation target as the verifier checks it: a KPI name (a network target such as
    `AveDLRANUEThpt`, or `<slice>.DlThptPerUE` / `<slice>.DlLatency`), a condition and values."""

    target: str
    condition: Condition
    values: list[float]


def observed_value(target: str, network: dict[str, float], slices: dict[str, dict[str, float | None]]) -> float | None:
    """The KPI named by a target, from network KPIs or per-slice KPIs (None if unknown or absent)."""
    if "." in target and target.split(".", 1)[0] in slices:
        name, kpi = target.split(".", 1)
        value = slices[name].get(kpi)
        return None if value is None else float(value)
    return network.get(target)
