"""A1 policy status in two forms: the standard status object (A1TD clause 7.1.2.2: `enforceStatus`,
and `enforceReason` one of SCOPE_NOT_APPLICABLE, STATEMENT_NOT_APPLICABLE, OTHER_REASON; nothing
else), which the A1-P status route answers and the notification callback POSTs; and ranpilot's
fuller `PolicyReport` of the same policy (what happened in words, the TS 28.312 IntentReport, the
approval thread), served apart under `/ranpilot/policies/{policyId}`."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

EnforceStatus = Literal["ENFORCED", "NOT_ENFORCED"]
EnforceReason = Literal["SCOPE_NOT_APPLICABLE", "STATEMENT_NOT_APPLICABLE", "OTHER_REASON"]


class PolicyStatus(BaseModel):
    """The standard policy status object."""

    model_config = ConfigDict(extra="forbid")

    enforceStatus: EnforceStatus
    enforceReason: EnforceReason | None = None

    def body(self) -> dict[str, str]:
        """The JSON object (no `enforceReason` key when there is none)."""
        return self.model_dump(exclude_none=True)


class PolicyReport(BaseModel):
    """ranpilot's account of a policy: its standard status, and why, in words."""

    model_config = ConfigDict(extra="forbid")

    policyId: str
    enforceStatus: EnforceStatus
    enforceReason: EnforceReason | None = None
    acted: bool = True
    detail: str
    approvalThread: str | None = None
    fulfilmentStatus: Literal["FULFILLED", "NOT_FULFILLED"] | None = None
    intentReport: dict[str, Any] | None = None

    def status(self) -> PolicyStatus:
        return PolicyStatus(enforceStatus=self.enforceStatus, enforceReason=self.enforceReason)


def not_enforced(policy_id: str, reason: EnforceReason, detail: str, acted: bool = True) -> PolicyReport:
    return PolicyReport(policyId=policy_id, enforceStatus="NOT_ENFORCED", enforceReason=reason, acted=acted,
                        detail=detail)


def not_acted_on(policy_id: str) -> PolicyReport:
    """A policy the xApp has not acted on yet (e.g. just stored, or just after a restart)."""
    return not_enforced(policy_id, "OTHER_REASON", "not yet acted on", acted=False)
