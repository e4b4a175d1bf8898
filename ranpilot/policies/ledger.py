"""What the verifier remembers between proposals, rebuilt from the audit log so that every
process sees the same: the changes applied (for rate limits and conflicts) and each network's
drift window (the reference values of the KPIs a pack gives a `max_drift` budget).

The audit log is read through its `events()` API and written only by `append`, as part of the
events the verifier writes anyway: a verdict's payload carries the drift window in force.
"""

from __future__ import annotations

from dataclasses import dataclass

from ranpilot.policies.audit import AuditLog
from ranpilot.policies.base import AppliedChange


@dataclass(frozen=True)
class DriftWindow:
    """From `start_s` (network time) on, each budgeted KPI is measured against its `reference`:
    the no-change twin's value when the window began."""

    start_s: float
    reference: dict[str, float]

    def record(self, network_id: str) -> dict:
        """The window as a verdict payload carries it."""
        return {"drift": {"network_id": network_id, "start_s": self.start_s, "reference": self.reference}}


def history_from(audit: AuditLog) -> list[AppliedChange]:
    """Every parameter change of every applied proposal that was not rolled back, with its owner
    (the audit's intent_id column holds the owner the verifier was given) and proposal."""
    rolled_back = {(e.intent_id, e.proposal_id) for e in audit.events(kind="rollback")}
    return [
        AppliedChange(time_s=e.sim_time_s, cell=c["cell"], parameter=c["parameter"],
                      direction=int((c["after"] > c["before"]) - (c["after"] < c["before"])), owner=e.intent_id,
                      proposal_id=e.proposal_id, network_id=e.payload["network_id"], ue=c.get("ue"))
        for e in audit.events(kind="apply") if (e.intent_id, e.proposal_id) not in rolled_back
        for c in e.payload["changes"]
    ]


def drift_windows_from(audit: AuditLog) -> dict[str, DriftWindow]:
    """The latest drift window recorded for each network."""
    windows: dict[str, DriftWindow] = {}
    for e in audit.events(kind="verdict"):
        drift = e.payload.get("drift")
        if drift:
            windows[drift["network_id"]] = DriftWindow(float(drift["start_s"]), dict(drift["reference"]))
    return windows


def window_at(window: DriftWindow | None, now_s: float, length_s: float, baseline: dict[str, float],
              kpis: list[str]) -> DriftWindow:
    """The drift window in force at `now_s`: the recorded one while it lasts (a KPI it lacks is
    added at today's value), else a new one from now, at the no-change twin's `baseline`."""
    if window is not None and 0 <= now_s - window.start_s < length_s:
        missing = {k: baseline[k] for k in kpis if k not in window.reference and k in baseline}
        return DriftWindow(window.start_s, {**window.reference, **missing}) if missing else window
    return DriftWindow(now_s, {k: baseline[k] for k in kpis if k in baseline})
