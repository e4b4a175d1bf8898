"""Policies and the constraint verifier: every proposed action is proven before it is applied."""

from ranpilot.policies.audit import AuditLog
from ranpilot.policies.checks import Violation
from ranpilot.policies.expectations import TargetCheck
from ranpilot.policies.pack import PackError, PolicyPack, load_pack
from ranpilot.policies.verifier import (
    ApplyResult, NotApproved, Proposal, StaleVerdict, Verdict, Verifier,
)

__all__ = [
    "ApplyResult", "AuditLog", "NotApproved", "PackError", "PolicyPack", "Proposal", "StaleVerdict",
    "TargetCheck", "Verdict", "Verifier", "Violation", "load_pack",
]
