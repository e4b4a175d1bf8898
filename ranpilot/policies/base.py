"""What every check shares: the Violation it reports, the change history it reads, the context
of a static check, and the one test of a value against a limit."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from ranpilot.network import Change, RanConfiguration
from ranpilot.network.view import NetworkView
from ranpilot.policies import rules as r

#: Numerical slack when comparing configured values (floats written from JSON or solvers).
EPS = 1e-9


class Violation(BaseModel):
    """One broken rule: which, on what object, the observed value against the limit, and why."""

    rule_id: str
    severity: r.Severity
    mode: r.Mode
    object: str
    observed: float | str
    limit: float | str
    source: str
    message: str
    related: list[str] = []  # other owners involved (conflicts)


class AppliedChange(BaseModel):
    """One parameter of one cell changed by an applied proposal, as remembered for rate limits
    (counted per proposal) and conflicts (compared per owner and direction)."""

    time_s: float
    cell: int
    parameter: str
    direction: int
    owner: str  # who made it: given to the verifier by trusted code, never read from a proposal
    proposal_id: str
    network_id: str  # the network it was made to
    ue: int | None = None  # the UE of a per-UE parameter (one UE's setting never conflicts with another's)


@dataclass(frozen=True)
class StaticContext:
    before: RanConfiguration
    after: RanConfiguration
    changes: list[Change]
    network: NetworkView
    history: list[AppliedChange]
    owner: str


def violation(rule: r.BaseRule, obj: str, observed, limit, message: str) -> Violation:
    return Violation(rule_id=rule.id, severity=rule.severity, mode=rule.mode, object=obj,
                     observed=observed, limit=limit, source=rule.source, message=message)


def beyond_not_toward(before, after, limit: float, upper: bool = True) -> np.ndarray:
    """Where a value ends beyond `limit` (above it when `upper`, below it otherwise) without
    having moved toward compliance: the test of every per-value rule. A network configured
    beyond a limit may always be moved back toward it (a remedial cut from 48 to 47 dBm under a
    46 dBm class limit passes); a value beyond it that rises, or stays put, is flagged."""
    before, after = np.asarray(before, dtype=float), np.asarray(after, dtype=float)
    if upper:
        return (after > limit + EPS) & (after >= before - EPS)
    return (after < limit - EPS) & (after <= before + EPS)
