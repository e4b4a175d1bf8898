"""TS 28.312 (Rel-18) intent model as pydantic classes; JSON uses the standard attribute names."""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ranpilot.targets import Condition, Target

class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Context(_Model):
    """A condition on an attribute (time window, threshold, baseline-relative change, area)."""

    contextAttribute: str
    contextCondition: Condition
    contextValueRange: list[float | str]


class ExpectationTarget(_Model):
    targetName: Target
    targetCondition: Condition
    targetValueRange: list[float] = Field(min_length=1, max_length=2)
    targetContexts: list[Context] = Field(default_factory=list)

    @model_validator(mode="after")
    def _range(self) -> ExpectationTarget:
        ranged = self.targetCondition in (Condition.IS_WITHIN_RANGE, Condition.IS_OUTSIDE_RANGE)
        if ranged and (len(self.targetValueRange) != 2 or self.targetValueRange[0] > self.targetValueRange[1]):
            raise ValueError("targetValueRange: a range condition needs [low, high] with low <= high")
        return self

    def context(self, attribute: str) -> Context | None:
        return next((c for c in self.targetContexts if c.contextAttribute == attribute), None)


class ExpectationObject(_Model):
    objectType: Literal["RAN_SubNetwork", "NRCellDU", "NetworkSlice"]
    objectInstance: list[str] = Field(description="Cell ids ('3'), slice names ('URLLC') or ['all'].")
    objectContexts: list[Context] = Field(default_factory=list)


class IntentExpectation(_Model):
    expectationId: str
    expectationVerb: Literal["DELIVER", "ENSURE"]
    expectationObject: ExpectationObject
    expectationTargets: list[ExpectationTarget] = Field(min_length=1)
    expectationContexts: list[Context] = Field(default_factory=list)


class Intent(_Model):
    id: str = Field(default_factory=lambda: f"intent-{uuid.uuid4().hex[:8]}")
    userLabel: str
    intentExpectations: list[IntentExpectation] = Field(min_length=1)
    intentContexts: list[Context] = Field(default_factory=list)
    contextSelectivity: Literal["ALL_OF", "ANY_OF"] = "ALL_OF"
    intentPriority: int = Field(default=50, ge=1, le=100)
    observationPeriod: int = Field(default=60, ge=1, description="Seconds over which fulfilment is observed.")


class FulfilmentStatus(str, Enum):
    FULFILLED = "FULFILLED"
    NOT_FULFILLED = "NOT_FULFILLED"


class TargetReport(_Model):
    targetName: Target
    targetAchievedValue: float | None
    targetFulfilmentStatus: FulfilmentStatus
    baselineValue: float | None = None


class ExpectationReport(_Model):
    expectationId: str
    expectationFulfilmentStatus: FulfilmentStatus
    targetFulfilmentResults: list[TargetReport]


class IntentConflictReport(_Model):
    conflictingIntentId: str
    conflictType: Literal["INTENT_CONFLICT", "EXPECTATION_CONFLICT", "TARGET_CONFLICT"]
    recommendedSolution: str


class FeasibilityCheckReport(_Model):
    feasibilityCheckType: Literal["FEASIBLE", "INFEASIBLE"]
    infeasibilityReason: str = ""


class IntentReport(_Model):
    intentId: str
    fulfilmentStatus: FulfilmentStatus
    notFulfilledState: Literal["ACKNOWLEDGED", "COMPLIANT", "DEGRADED", "SUSPENDED", "TERMINATED"] | None = None
    expectationFulfilmentResults: list[ExpectationReport]
    intentConflictReports: list[IntentConflictReport] = Field(default_factory=list)
    intentFeasibilityCheckReport: FeasibilityCheckReport


class IntentInputError(ValueError):
    """A TS 28.312 intent given as JSON that does not validate."""


def read_request(value: str | dict) -> str | Intent:
    """What an operator hands over: plain language, or a TS 28.312 intent as a JSON object (a dict,
    or text that is one). Raises IntentInputError naming the field for an invalid intent."""
    try:
        if isinstance(value, dict):
            return Intent.model_validate(value)
        if value.lstrip().startswith("{"):
            return Intent.model_validate_json(value)
    except ValidationError as exc:
        raise IntentInputError(f"invalid TS 28.312 intent: {exc}") from exc
    return value
