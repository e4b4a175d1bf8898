"""Policies enforced as settings by the ranpilot xApp (traffic steering on a slice or a UE, UE
guaranteed rates): a policy's settings (`a1.policies.Configuration`) go to the verifier as one proposal owned by the policy
(`a1:<policyId>`) and, approved, out as RC controls (`apply_verified`: applied atomically,
watched, rolled back on a regression). ENFORCED once applied; otherwise NOT_ENFORCED with
OTHER_REASON and the verdict's rules in the report. A policy updated or deleted first gives back
the settings it no longer asks for (set to NONE, or no guarantee), through the verifier too.
"""

from __future__ import annotations

from ranpilot.network.action_table import kind_of, setter
from ranpilot.network.actions import Action
from ranpilot.oran.a1.status import PolicyReport, not_enforced
from ranpilot.policies.verifier import Proposal, Verifier
from ranpilot.oran.xapp import E2ControlledNetwork


def neutral(action: Action) -> Action:
    """The setting `action` writes, given back: NONE (steering) or 0 (a guaranteed rate)."""
    kind = kind_of(type(action))
    return setter(kind.parameter, action.cell, 0.0, getattr(action, "slice", None), getattr(action, "ue", None))


def held(actions: list[Action]) -> list[Action]:
    """The settings among `actions` a policy holds (those that are not given back)."""
    return [a for a in actions if a != neutral(a)]


def released(holding: list[Action], kept: list[Action]) -> list[Action]:
    """The neutral setting of everything in `holding` that `kept` no longer sets."""
    still = {neutral(a) for a in kept}
    return [neutral(a) for a in holding if neutral(a) not in still]


def apply(verifier: Verifier, network: E2ControlledNetwork, pid: str, actions: list[Action],
          label: str) -> PolicyReport:
    """Verify `actions` for policy `pid` and apply them over E2; the policy's report."""
    if not actions:
        return PolicyReport(policyId=pid, enforceStatus="ENFORCED", detail=label)
    owner = f"a1:{pid}"
    verdict = verifier.verify(Proposal(actions=actions, rationale=label), network, owner=owner)
    if verdict.status != "approved":
        rules = ", ".join(f"{v.rule_id}: {v.message}" for v in verdict.violations)
        return not_enforced(pid, "OTHER_REASON", f"the verifier's verdict is {verdict.status} ({rules})")
    result = verifier.apply_verified(verdict, network, owner=owner)
    if result.status != "applied":
        return not_enforced(pid, "OTHER_REASON", f"{result.status}: {'; '.join(result.reasons)}")
    return PolicyReport(policyId=pid, enforceStatus="ENFORCED", detail=label)
