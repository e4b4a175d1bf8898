"""What ranpilot understands from an operator's request, before and independent of its TS 28.312
encoding: goals on targets (`Goal`), direct configuration changes (`ConfigChange`), and the
parse's verdict (`Understanding`). The parser produces it; `ts28312.py` writes it as a TS 28.312
Intent and reads it back; fulfilment and planning work on goals.
"""

from __future__ import annotations

import math
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from ranpilot.targets import Condition, Target, spec

Bound = Literal["min", "max", "range"]
Status = Literal["parsed", "config", "clarify", "rejected"]
Reason = Literal[
    "safety_override", "out_of_domain", "unsafe_value", "invalid_value", "unsupported_kpi", "unknown_cell",
    "unknown_slice", "unknown_area", "contradiction", "vague", "missing_value", "invalid_intent", "too_long",
]
Parameter = Literal["tx_power_dbm", "tilt_deg", "cio_db", "asleep", "min_prb_ratio", "ue_p_max_dbm"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Goal(_Model):
    """One target the operator asked for, in the target's unit, over a scope.

    `value` is absolute; `change_pct` is relative to the value when the intent starts (0 with
    `strict` = strictly better than today; 0 without = no worse); `range` is [low, high] for
    `bound == "range"`. `threshold` decides which UEs or cells a share target counts (None: the
    network's default). `cells` None is the whole network (within the operator's scope)."""

    target: Target
    bound: Bound
    value: float | None = None
    range: tuple[float, float] | None = None
    change_pct: float | None = None
    strict: bool = False
    threshold: float | None = None
    cells: list[int] | None = None
    slice: str | None = None
    verb: Literal["DELIVER", "ENSURE"] = "DELIVER"

    @model_validator(mode="after")
    def _one_kind_of_goal(self) -> Goal:
        kinds = [self.value is not None, self.range is not None, self.change_pct is not None]
        if sum(kinds) != 1:
            raise ValueError("a goal has exactly one of value, range or change_pct")
        if (self.bound == "range") != (self.range is not None):
            raise ValueError("bound 'range' goes with a [low, high] range, and only with one")
        numbers = [x for x in (self.value, self.change_pct, self.threshold, *(self.range or ())) if x is not None]
        if not all(math.isfinite(x) for x in numbers):
            raise ValueError("goal values must be finite numbers")
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range {list(self.range)}: low is above high")
        return self

    @property
    def relative(self) -> bool:
        return self.change_pct is not None

    def condition(self) -> Condition:
        """The TS 28.312 condition this goal states."""
        if self.bound == "range":
            return Condition.IS_WITHIN_RANGE
        if self.strict:
            return Condition.IS_GREATER_THAN if self.bound == "min" else Condition.IS_LESS_THAN
        return Condition.IS_EQUAL_TO_OR_GREATER_THAN if self.bound == "min" else Condition.IS_EQUAL_TO_OR_LESS_THAN

    def values(self, baseline: float | None) -> list[float]:
        """The absolute value(s) the condition compares with: a relative goal is resolved on the
        baseline (NaN when the baseline is unknown: no value can meet it)."""
        if self.range is not None:
            return list(self.range)
        if self.value is not None:
            return [self.value]
        if baseline is None:
            return [math.nan]
        return [baseline * (1.0 + self.change_pct / 100.0)]

    def describe(self) -> str:
        unit = spec(self.target).unit
        if self.range is not None:
            what = f"between {self.range[0]:g} and {self.range[1]:g} {unit}"
        elif self.value is not None:
            what = f"{'at least' if self.bound == 'min' else 'at most'} {self.value:g} {unit}"
        elif self.change_pct == 0:
            what = ("better than" if self.strict else "no worse than") + " today"
        else:
            what = f"{self.change_pct:+g}% from today"
        where = f" in cells {self.cells}" if self.cells is not None else ""
        where += f" for {self.slice}" if self.slice else ""
        return f"{self.target.value}{where} {what}"


class ConfigChange(_Model):
    """A direct configuration request: set (`value`) or move (`delta`) one parameter of one cell."""

    parameter: Parameter
    cell: int = Field(ge=0)
    slice: str | None = None
    value: float | None = None
    delta: float | None = None

    @model_validator(mode="after")
    def _value_or_delta(self) -> ConfigChange:
        if (self.value is None) == (self.delta is None):
            raise ValueError("a change has a value or a delta, not both")
        number = self.value if self.value is not None else self.delta
        if not math.isfinite(number):
            raise ValueError("a change's value must be a finite number")
        if (self.parameter == "min_prb_ratio") != (self.slice is not None):
            raise ValueError("a slice goes with min_prb_ratio, and only with it")
        return self


class Reading(_Model):
    """What a request asks for: goals to pursue, changes to make, a question to ask (`clarify`)
    or a refusal (`rejected`), with the reason's kind and words. (An LLM parser answers this.)"""

    status: Status
    reason: Reason | None = None
    message: str | None = None
    goals: list[Goal] = []
    changes: list[ConfigChange] = []
    window: tuple[str, str] | None = None
    priority: int | None = Field(default=None, ge=1, le=100)

    @model_validator(mode="after")
    def _consistent(self) -> Reading:
        if (self.status == "parsed") != bool(self.goals):
            raise ValueError("goals go with status 'parsed', and it needs at least one")
        if (self.status == "config") != bool(self.changes):
            raise ValueError("changes go with status 'config', and it needs at least one")
        if (self.status in ("clarify", "rejected")) != (self.reason is not None):
            raise ValueError("a question or a refusal has a reason, and only they do")
        return self


class Understanding(Reading):
    """The parser's verdict on one request, with the request's text."""

    text: str
