"""TS 28.312 (Rel-18, with Rel-19's CellContext) Intent and IntentReport as pydantic classes.

JSON uses the standard attribute names and shapes, including the specification's own spellings
(`expectaitonId`, `notFullfilledState`). What the standard cannot say (a value that is not an
integer, a change relative to today, a daily time window, ranpilot's per-UE share targets'
exact meaning) travels in one extension object, `ranpilotExtension`; a peer that ignores it still
reads a valid intent. `ts28312.py` converts between these classes and ranpilot's `Goal`s.
"""

from __future__ import annotations

import uuid
from enum import Enum
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_serializer

from ranpilot.intents.goals import Bound
from ranpilot.targets import Condition

ValueRange = float | int | str | bool | list[Any] | dict[str, Any]


class _Model(BaseModel):
    """Unknown fields are errors; fields left unset (None) are not written."""

    model_config = ConfigDict(extra="forbid")

    @model_serializer(mode="wrap")
    def _without_none(self, handler):
        return {k: v for k, v in handler(self).items() if v is not None}


class Context(_Model):
    contextAttribute: str
    contextCondition: Condition
    contextValueRange: ValueRange


class ExpectationTarget(_Model):
    targetName: str
    targetCondition: Condition
    targetValueRange: ValueRange | None = None
    targetContexts: list[Context] | None = None

    def context(self, attribute: str) -> Context | None:
        return next((c for c in self.targetContexts or [] if c.contextAttribute == attribute), None)


class ExpectationObject(_Model):
    objectType: Literal["RAN_SubNetwork", "Radio_Service"]
    objectInstance: str = Field(description="DN, e.g. 'SubNetwork=ranpilot' or 'SubNetwork=ranpilot,NetworkSlice=URLLC'.")
    objectContexts: list[Context] | None = None


class IntentExpectation(_Model):
    expectationId: str
    expectationVerb: Literal["DELIVER", "ENSURE"] | None = None
    expectationObject: ExpectationObject
    expectationTargets: list[ExpectationTarget] = Field(min_length=1)
    expectationContexts: list[Context] | None = None


class GoalExtension(_Model):
    """The exact goal behind one expectation target (see `ranpilot.intents.goals.Goal`)."""

    expectationId: str
    targetName: str
    bound: Bound
    value: float | None = None
    range: list[float] | None = None
    changePct: float | None = None
    strict: bool = False
    threshold: float | None = None


class RanpilotExtension(_Model):
    """ranpilot's additions to a TS 28.312 intent, in one clearly named object."""

    version: Literal[1] = 1
    goals: list[GoalExtension] = []
    dailyWindow: list[str] | None = Field(default=None, description="['HH:MM', 'HH:MM'], may wrap midnight.")


class Intent(_Model):
    id: str = Field(default_factory=lambda: f"intent-{uuid.uuid4().hex[:8]}", max_length=128)
    userLabel: str | None = None
    intentExpectations: list[IntentExpectation] = Field(min_length=1)
    intentContexts: list[Context] | None = None
    contextSelectivity: Literal["ALL_OF", "ONE_OF", "ANY_OF"] | None = None
    intentAdminState: Literal["ACTIVATED", "DEACTIVATED"] | None = None
    intentPriority: int = Field(default=50, ge=1, le=100)
    intentPreemptionCapability: Literal["TRUE", "FALSE"] | None = None
    observationPeriod: int | None = Field(default=None, ge=1)
    intentReportReference: str | None = None
    ranpilotExtension: RanpilotExtension | None = None


class FulfilmentStatus(str, Enum):
    FULFILLED = "FULFILLED"
    NOT_FULFILLED = "NOT_FULFILLED"


NotFulfilledState = Literal["ACKNOWLEDGED", "COMPLIANT", "DEGRADED", "SUSPENDED", "TERMINATED", "FULFILMENTFAILED"]


class FulfilmentInfo(_Model):
    fulfilmentStatus: FulfilmentStatus
    notFullfilledState: NotFulfilledState | None = None
    notFulfilledReasons: list[str] | None = None


class TargetFulfilmentResult(_Model):
    targetName: str
    targetFulfilmentInfo: FulfilmentInfo
    targetAchievedValue: float | None = None


class ExpectationFulfilmentResult(_Model):
    expectaitonId: str
    expectationFulfilmentInfo: FulfilmentInfo
    targetFulfilmentResult: list[TargetFulfilmentResult]


class IntentFulfilmentReport(_Model):
    intentFulfilmentInfo: FulfilmentInfo
    expectationFulfilmentResult: list[ExpectationFulfilmentResult]


class IntentConflictReport(_Model):
    conflictId: str
    conflictType: Literal["INTENT_CONFLICT", "EXPECTATION_CONFLICT", "TARGET_CONFLICT"]
    conflictingIntent: str | None = None
    conflictingExpectation: str | None = None
    conflictingTarget: str | None = None


class IntentFeasibilityCheckReport(_Model):
    feasibilityCheckResult: Literal["FEASIBLE", "INFEASIBLE"]
    infeasibilityReason: str | None = None


class ReportExtension(_Model):
    """ranpilot's additions to an IntentReport: each target's value when the intent started."""

    version: Literal[1] = 1
    baselines: dict[str, float | None] = Field(default_factory=dict, description="Keyed 'expectationId.targetName'.")


class IntentReport(_Model):
    id: str
    intentReference: str
    lastUpdatedTime: str
    intentFulfilmentReport: IntentFulfilmentReport
    intentConflictReports: list[IntentConflictReport] | None = None
    intentFeasibilityCheckReport: IntentFeasibilityCheckReport
    ranpilotExtension: ReportExtension | None = None

    @property
    def fulfilled(self) -> bool:
        return self.intentFulfilmentReport.intentFulfilmentInfo.fulfilmentStatus == FulfilmentStatus.FULFILLED

    @property
    def not_fulfilled_state(self) -> str | None:
        return self.intentFulfilmentReport.intentFulfilmentInfo.notFullfilledState

    def targets(self) -> list[tuple[str, TargetFulfilmentResult]]:
        """(expectation id, target result) for every target, in order."""
        return [(e.expectaitonId, t) for e in self.intentFulfilmentReport.expectationFulfilmentResult
                for t in e.targetFulfilmentResult]


class IntentInputError(ValueError):
    """A TS 28.312 intent given as JSON that does not validate or that ranpilot cannot pursue."""
