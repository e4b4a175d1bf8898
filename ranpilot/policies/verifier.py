"""The constraint verifier: nothing reaches the network without passing it.

`verify` checks a proposal against the pack's static rules, the radio's hardware limits and a
paired dry run on two digital twins (one with the change, one without, same random stream, so
the KPI deltas isolate the change); `apply_verified` applies an approved verdict atomically,
watches the change's effect for a confirm period, paired with a twin without it, and rolls back
when it falls short of the prediction beyond the noise measured (`ranpilot.policies.confirm`).

Who proposes (the *owner*: a run, an A1 policy instance, one manual proposal) is told to the
verifier by the code that calls it, never read from the proposal, so a proposal cannot pass as
another intent's to slip past the conflict rule. What it remembers (applied changes, drift
windows) is rebuilt from the audit log (`ranpilot.policies.ledger`), so every process agrees.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from ranpilot.network import Action, ActionError, RanConfiguration, apply_actions
from ranpilot.network.view import NetworkView
from ranpilot.policies.audit import AuditLog
from ranpilot.policies.checks import AppliedChange, StaticContext, Violation, static_violations
from ranpilot.policies.confirm import Effect, effects, paired_differences, shortfall_reason
from ranpilot.policies.expectations import TargetCheck
from ranpilot.policies.ledger import DriftWindow, drift_windows_from, history_from, window_at
from ranpilot.targets import RADIO_TARGETS, condition_holds, shortfall
from ranpilot.policies.guardrails import DryRun, dry_run_violations
from ranpilot.policies.pack import Mode, PolicyPack, Severity

Status = Literal["approved", "rejected", "needs_approval"]
NO_EFFECT = Effect(mean=0.0, sd=0.0, steps=1)


class Proposal(BaseModel):
    """Actions an agent (or a person) wants on the network. It names no owner (the verifier is
    told who proposes by its caller) and refuses unknown keys; its actions are strictly typed."""

    model_config = ConfigDict(extra="forbid")

    proposal_id: str = Field(default_factory=lambda: uuid.uuid4().hex[:12], min_length=1)
    actions: list[Action]
    rationale: str = ""


class KpiDelta(BaseModel):
    baseline: float
    predicted: float
    delta: float


class Verdict(BaseModel):
    """The verifier's answer. `violations` lists every broken rule (dryrun-mode ones included,
    marked by their `mode`); only enforce-mode ones decide the status."""

    proposal: Proposal
    owner: str  # who proposed it, as the verifier's caller said
    status: Status
    violations: list[Violation]
    kpi_deltas: dict[str, KpiDelta]
    unmet_expectations: list[str]
    predicted: dict[str, float]
    config_fingerprint: str
    verified_at_s: float
    effects: dict[str, Effect] = {}
    """The dry run's paired effect of the change on each of the pack's confirm KPIs."""

    @property
    def expectations_met(self) -> bool:
        return not self.unmet_expectations


class ApplyResult(BaseModel):
    proposal_id: str
    status: Literal["applied", "rolled_back", "refused"]  # refused: the network applied none of it
    reasons: list[str]
    kpis_before: dict[str, float]
    kpis_after: dict[str, float]
    effects: dict[str, Effect] = {}
    """The change's paired live effect on each confirm KPI over the confirm period."""


class NotApproved(RuntimeError):
    """The verdict does not allow applying (rejected, approval still pending, or given to another owner)."""


class StaleVerdict(RuntimeError):
    """The network's configuration changed since the verdict was given: verify again."""


def manual_owner() -> str:
    """A fresh owner for a proposal no run stands behind: every manual proposal is its own."""
    return f"manual:{uuid.uuid4().hex[:12]}"


def fingerprint(conf: RanConfiguration) -> str:
    digest = hashlib.sha256()
    for name in conf.__dataclass_fields__:
        digest.update(getattr(conf, name).tobytes())
    return digest.hexdigest()[:16]


class Verifier:
    """Holds the pack, the audit log, the applied changes (for rate limits and conflicts) and each
    network's drift window (for the guardrails' drift budgets), the last two rebuilt from the log."""

    def __init__(self, pack: PolicyPack, audit: AuditLog | None = None, dry_run: bool = True):
        self.pack = pack
        self.dry_run = dry_run
        self.audit = audit or AuditLog(":memory:")
        self.history: list[AppliedChange] = history_from(self.audit)
        self.drift: dict[str, DriftWindow] = drift_windows_from(self.audit)

    def verify(self, proposal: Proposal, network: NetworkView, expectations: list[TargetCheck] = (),
               owner: str | None = None) -> Verdict:
        """The verdict on `proposal` for `owner`, the identity trusted code vouches for (an agent
        run, an A1 policy instance); without one, the proposal is its own owner. The verifier
        gives every proposal a fresh id, whatever the input said: rate limits count proposals by it."""
        owner = owner or manual_owner()
        proposal = proposal.model_copy(update={"proposal_id": uuid.uuid4().hex[:12]})
        before = network.configuration()
        self.audit.append("proposal", owner, proposal.proposal_id, network.time_s, proposal.model_dump(mode="json"))
        violations, deltas, predicted, unmet, effect = self._check(proposal, network, before, list(expectations), owner)
        verdict = Verdict(
            proposal=proposal, owner=owner, status=_status(violations), violations=violations, kpi_deltas=deltas,
            unmet_expectations=unmet, predicted=predicted, config_fingerprint=fingerprint(before),
            verified_at_s=network.time_s, effects=effect,
        )
        window = self.drift.get(network.network_id)
        self.audit.append("verdict", owner, proposal.proposal_id, network.time_s,
                          {**verdict.model_dump(mode="json", exclude={"proposal"}),
                           **(window.record(network.network_id) if window and window.reference else {})})
        return verdict

    def _check(self, proposal, network, before, expectations, owner):
        cfg = network.config
        try:
            requested = apply_actions(before, proposal.actions, cfg, check_ranges=False)
        except ActionError as exc:
            return [_invalid("action.invalid", exc, "ranpilot action schema")], {}, {}, [], {}
        changes = before.changes(requested, [s.name for s in cfg.slices])
        history = [h for h in self.history if h.network_id == network.network_id]  # this network's changes only
        ctx = StaticContext(before, requested, changes, network, history, owner)
        violations = static_violations(self.pack, ctx)
        twin = network.clone()
        try:
            twin.apply(proposal.actions)  # the network's own checks: hardware ranges, failed cells
        except ActionError as exc:
            violations.append(_invalid("network.refused", exc, "the network: radio hardware limits and faults"))
            return violations, {}, {}, [], {}
        if not self.dry_run:
            return violations, {}, {}, [], {}
        run, effect = self._dry_run(network, twin)
        violations += dry_run_violations(self.pack, run) + _broken_ensures(expectations, run)
        deltas = {
            name: KpiDelta(baseline=run.baseline.network[name], predicted=run.predicted.network[name],
                           delta=run.predicted.network[name] - run.baseline.network[name])
            for name in RADIO_TARGETS
        }
        return violations, deltas, run.predicted.network, _unmet(expectations, run), effect

    def _dry_run(self, network: NetworkView, twin: NetworkView) -> tuple[DryRun, dict[str, Effect]]:
        """Step a no-change twin and the changed `twin` alike (same random stream) and compare, step
        by step for the confirm KPIs' paired effects; the no-change twin also opens the network's
        drift window when none is in force."""
        baseline = network.clone()
        effect = effects(paired_differences(twin, baseline, self.pack.dry_run_steps, self._confirm_kpis()))
        observed = baseline.observe()
        window = window_at(self.drift.get(network.network_id), network.time_s, self.pack.drift_window_s,
                           observed.network, self.pack.drift_kpis())
        self.drift[network.network_id] = window
        return DryRun(
            baseline=observed, predicted=twin.observe(), baseline_radio=baseline.radio(),
            predicted_radio=twin.radio(), twin=twin, reference=baseline,
            newly_asleep=twin.configuration().asleep & ~network.configuration().asleep,
            weak_rsrp_dbm=network.config.thresholds.weak_rsrp_dbm, drift_references=window.reference,
        ), effect

    def _confirm_kpis(self) -> list[str]:
        return [tol.kpi for tol in self.pack.confirm]

    def apply_verified(self, verdict: Verdict, network: NetworkView, approved_by: str | None = None,
                       owner: str | None = None) -> ApplyResult:
        """Apply atomically, watch `confirm_steps`, roll back on regression. Raises NotApproved
        (also when the trusted caller's `owner` is not the one the verdict was given to) or
        StaleVerdict without touching the network; a change the network refuses (for example
        an E2 node that answers a control failure, or is unreachable) comes back `refused`."""
        if verdict.status == "rejected" or (verdict.status == "needs_approval" and not approved_by):
            raise NotApproved(f"proposal {verdict.proposal.proposal_id} is {verdict.status}")
        if owner is not None and owner != verdict.owner:
            raise NotApproved(f"proposal {verdict.proposal.proposal_id} was verified for {verdict.owner}, not {owner}")
        before = network.configuration()
        if fingerprint(before) != verdict.config_fingerprint:
            raise StaleVerdict("the network configuration changed since verification; verify again")
        kpis_before = network.observe().network
        p, owner = verdict.proposal, verdict.owner
        without = network.clone()  # the network as it would go on without the change, same random stream
        try:
            network.apply(p.actions)
        except ActionError as exc:
            self.audit.append("refused", owner, p.proposal_id, network.time_s, {"reason": str(exc)})
            return ApplyResult(proposal_id=p.proposal_id, status="refused", reasons=[str(exc)], kpis_before=kpis_before, kpis_after=kpis_before)
        changes = before.changes(network.configuration(), [s.name for s in network.config.slices])
        applied_at = network.time_s
        self.audit.append("apply", owner, p.proposal_id, applied_at, {
            "approved_by": approved_by, "network_id": network.network_id, "changes": [c.__dict__ for c in changes]})
        observed = effects(paired_differences(network, without, self.pack.confirm_steps, self._confirm_kpis()))
        kpis_after = network.observe().network
        reasons = self._regressions(verdict, observed)
        if reasons:
            network.set_configuration(before)
            self.audit.append("rollback", owner, p.proposal_id, network.time_s, {"reasons": reasons})
            return ApplyResult(proposal_id=p.proposal_id, status="rolled_back", reasons=reasons, kpis_before=kpis_before,
                               kpis_after=kpis_after, effects=observed)
        self.history += [AppliedChange(time_s=applied_at, cell=c.cell, parameter=c.parameter, direction=c.direction,
                                       owner=owner, proposal_id=p.proposal_id, network_id=network.network_id, ue=c.ue)
                         for c in changes]
        self.audit.append("confirm", owner, p.proposal_id, network.time_s,
                          {"kpis": kpis_after, "effects": {k: e.model_dump() for k, e in observed.items()}})
        return ApplyResult(proposal_id=p.proposal_id, status="applied", reasons=[], kpis_before=kpis_before,
                           kpis_after=kpis_after, effects=observed)

    def _regressions(self, verdict: Verdict, observed: dict[str, Effect]) -> list[str]:
        """Confirm KPIs whose live effect falls short of the predicted one beyond the pack's
        tolerance and the measured noise; without a prediction (no dry run) the change is
        expected to do no harm (effect 0)."""
        out = []
        for tol in self.pack.confirm:
            if tol.kpi not in observed:
                continue
            predicted = verdict.effects.get(tol.kpi, NO_EFFECT)
            reason = shortfall_reason(tol.kpi, tol.higher_is_better, tol.max_worse, predicted, observed[tol.kpi])
            if reason:
                out.append(reason)
        return out


def _status(violations: list[Violation]) -> Status:
    enforced = {v.severity for v in violations if v.mode == Mode.ENFORCE}
    if Severity.DENY in enforced:
        return "rejected"
    return "needs_approval" if Severity.NEEDS_APPROVAL in enforced else "approved"


def _invalid(rule_id: str, exc: ActionError, source: str) -> Violation:
    return Violation(rule_id=rule_id, severity=Severity.DENY, mode=Mode.ENFORCE, object=exc.field,
                     observed="invalid", limit="valid", source=source, message=exc.message)


def _unmet(expectations: list[TargetCheck], run: DryRun) -> list[str]:
    out = []
    for e in expectations:
        value = run.twin.target_value(e.target, e.cells, e.slice, e.threshold)
        if value is None or not condition_holds(e.condition, value, e.values):
            out.append(f"{e.describe()}: predicted {value}")
    return out


def _broken_ensures(expectations: list[TargetCheck], run: DryRun) -> list[Violation]:
    """ENSURE targets the change moves further from their goal than the twin without it: broken
    where they held, or worse where they already failed. The dry run's two twins share their
    random stream, so the comparison isolates the change."""
    out = []
    for e in expectations:
        if not e.ensure:
            continue
        without = run.reference.target_value(e.target, e.cells, e.slice, e.threshold)
        with_ = run.twin.target_value(e.target, e.cells, e.slice, e.threshold)
        if without is None:
            continue
        if with_ is None or shortfall(e.condition, with_, e.values) > shortfall(e.condition, without, e.values):
            out.append(Violation(
                rule_id="intent.ensure", severity=Severity.DENY, mode=Mode.ENFORCE, object=e.describe(),
                observed=with_ if with_ is not None else "none", limit=e.values[0] if len(e.values) == 1 else str(e.values),
                source="the intent's ENSURE expectation (TS 28.312)",
                message=f"{e.target} would be {with_ if with_ is None else f'{with_:.4g}'} against {without:.4g} "
                        f"without the change, further from {e.condition.value} {[round(v, 4) for v in e.values]}"))
    return out
