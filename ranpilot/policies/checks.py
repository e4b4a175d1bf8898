"""Static checks: each rule against the configuration a proposal asks for, before any dry run."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from pydantic import BaseModel

from ranpilot.network import Change, RanConfiguration
from ranpilot.network.view import NetworkView
from ranpilot.network.radio import dbm_to_w
from ranpilot.policies import pack as p


class Violation(BaseModel):
    """One broken rule: which, on what object, the observed value against the limit, and why."""

    rule_id: str
    severity: p.Severity
    mode: p.Mode
    object: str
    observed: float | str
    limit: float | str
    source: str
    message: str
    related: list[str] = []  # other intents involved (conflicts)


class AppliedChange(BaseModel):
    """A change that reached the network, as remembered for rate limits and conflicts."""

    time_s: float
    cell: int
    parameter: str
    direction: int
    intent_id: str
    network_id: str  # the network it was made to


@dataclass(frozen=True)
class StaticContext:
    before: RanConfiguration
    after: RanConfiguration
    changes: list[Change]
    network: NetworkView
    history: list[AppliedChange]
    intent_id: str


def violation(rule: p.BaseRule, obj: str, observed, limit, message: str) -> Violation:
    return Violation(rule_id=rule.id, severity=rule.severity, mode=rule.mode, object=obj,
                     observed=observed, limit=limit, source=rule.source, message=message)


def check_tx_power(rule: p.TxPowerLimit, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    cells = [c for c in range(len(ctx.after.tx_power_dbm)) if pack.bs_class(c) == rule.bs_class]
    return [
        violation(rule, f"cell {c}", float(ctx.after.tx_power_dbm[c]), rule.max_dbm,
                  f"{ctx.after.tx_power_dbm[c]:g} dBm exceeds the {rule.bs_class.value} limit of {rule.max_dbm:g} dBm")
        for c in cells
        if ctx.after.tx_power_dbm[c] > rule.max_dbm + 1e-9 and ctx.after.tx_power_dbm[c] != ctx.before.tx_power_dbm[c]
    ]


def check_ue_power(rule: p.UePowerLimit, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    return [
        violation(rule, f"cell {c.cell}", c.after, rule.max_dbm,
                  f"p-Max {c.after:g} dBm would let UEs exceed their {rule.max_dbm:g} dBm power class")
        for c in ctx.changes if c.parameter == "ue_p_max_dbm" and c.after > rule.max_dbm + 1e-9
    ]


def check_emf(rule: p.EmfSiteCap, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    site_of = ctx.network.topology.cell_site
    def site_watts(conf: RanConfiguration) -> np.ndarray:
        watts = dbm_to_w(conf.tx_power_dbm) * ~conf.asleep
        return np.bincount(site_of, weights=watts)
    before, after = site_watts(ctx.before), site_watts(ctx.after)
    return [
        violation(rule, f"site {s}", round(float(after[s]), 2), rule.max_site_w,
                  f"site {s} would radiate {after[s]:.1f} W, above the {rule.max_site_w:g} W EMF cap")
        for s in np.flatnonzero((after > rule.max_site_w + 1e-6) & (after > before + 1e-9))
    ]


def check_step(rule: p.MaxStep, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    return [
        violation(rule, f"cell {c.cell}" + (f" slice {c.slice}" if c.slice else ""), round(abs(c.after - c.before), 4),
                  rule.max_step, f"{c.parameter} moves {c.before:g} -> {c.after:g}, a step above {rule.max_step:g}")
        for c in ctx.changes
        if c.parameter == rule.parameter and abs(c.after - c.before) > rule.max_step + 1e-9
    ]


def check_rate(rule: p.ChangeRate, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    since = ctx.network.time_s - rule.window_s
    out = []
    for cell in sorted({c.cell for c in ctx.changes}):
        recent = sum(1 for h in ctx.history if h.cell == cell and h.time_s > since)
        if recent + 1 > rule.max_changes:
            out.append(violation(rule, f"cell {cell}", recent + 1, rule.max_changes,
                                 f"cell {cell} would see change {recent + 1} within {rule.window_s:g} s"))
    return out


def check_protected(rule: p.ProtectedCells, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    touched = sorted({c.cell for c in ctx.changes} & set(rule.cells))
    return [violation(rule, f"cell {c}", "changed", "protected", f"cell {c} is protected") for c in touched]


def check_window(rule: p.MaintenanceWindow, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    hour = ctx.network.time_of_day_h
    inside = rule.start_h <= hour < rule.end_h if rule.start_h < rule.end_h else hour >= rule.start_h or hour < rule.end_h
    if inside:
        return []
    return [
        violation(rule, f"cell {c.cell}", round(hour, 2), f"{rule.start_h:g}-{rule.end_h:g} h",
                  f"{c.parameter} change at {hour:.1f} h is outside the maintenance window")
        for c in ctx.changes if c.parameter in rule.parameters
    ]


def check_quota_sum(rule: p.SliceQuotaSum, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    totals = ctx.after.slice_quota.sum(axis=1)
    return [
        violation(rule, f"cell {c}", round(float(totals[c]), 4), rule.max_total, f"slice quotas of cell {c} sum to {totals[c]:.3f}")
        for c in np.flatnonzero(totals > rule.max_total + 1e-9)
    ]


def check_slice_floor(rule: p.SliceMinQuota, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    names = [s.name for s in ctx.network.config.slices]
    if rule.slice not in names:
        return [violation(rule, f"slice {rule.slice}", "absent", "present", f"the network has no slice {rule.slice}")]
    quota = ctx.after.slice_quota[:, names.index(rule.slice)]
    changed = {c.cell for c in ctx.changes if c.slice == rule.slice}
    return [
        violation(rule, f"cell {c} slice {rule.slice}", float(quota[c]), rule.min_prb_ratio,
                  f"{rule.slice} PRB quota {quota[c]:.2f} in cell {c} is below its floor {rule.min_prb_ratio:g}")
        for c in sorted(changed) if quota[c] < rule.min_prb_ratio - 1e-9
    ]


def check_asleep(rule: p.MaxAsleepNeighbours, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    topo = ctx.network.topology
    site_xy = topo.sites[topo.cell_site]
    newly = [c.cell for c in ctx.changes if c.parameter == "asleep" and c.after > c.before]
    out = []
    for cell in newly:
        near = np.linalg.norm(site_xy - site_xy[cell], axis=1) <= rule.radius_m
        count = int((ctx.after.asleep & near).sum())
        if count > rule.max_asleep:
            out.append(violation(rule, f"cell {cell}", count, rule.max_asleep,
                                 f"{count} cells would sleep within {rule.radius_m:g} m of cell {cell}"))
    return out


def check_conflict(rule: p.Conflict, ctx: StaticContext, pack: p.PolicyPack) -> list[Violation]:
    since = ctx.network.time_s - rule.window_s
    out = []
    for change in ctx.changes:
        for h in ctx.history:
            if (h.cell, h.parameter) == (change.cell, change.parameter) and h.time_s > since \
                    and h.intent_id != ctx.intent_id and h.direction * change.direction < 0:
                v = violation(rule, f"cell {change.cell}", f"{change.parameter} {'+' if change.direction > 0 else '-'}",
                              f"intent {h.intent_id} moved it {'+' if h.direction > 0 else '-'}",
                              f"conflicts with intent {h.intent_id} on {change.parameter} of cell {change.cell}")
                out.append(v.model_copy(update={"related": [h.intent_id]}))
                break
    return out


STATIC_CHECKS = {
    p.TxPowerLimit: check_tx_power, p.UePowerLimit: check_ue_power, p.EmfSiteCap: check_emf, p.MaxStep: check_step, p.ChangeRate: check_rate,
    p.ProtectedCells: check_protected, p.MaintenanceWindow: check_window, p.SliceQuotaSum: check_quota_sum,
    p.SliceMinQuota: check_slice_floor, p.MaxAsleepNeighbours: check_asleep, p.Conflict: check_conflict,
}


def static_violations(pack: p.PolicyPack, ctx: StaticContext) -> list[Violation]:
    out: list[Violation] = []
    for rule in pack.rules:
        check = STATIC_CHECKS.get(type(rule))
        if check is not None:
            out.extend(check(rule, ctx, pack))
    return out
