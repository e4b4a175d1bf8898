"""Static checks: each rule against the configuration a proposal ends in, before any dry run.

The per-value rules live in `ranpilot.policies.limits`; this module holds the rules about the
change itself (step, rate, protected cells, maintenance window, conflicts), the neighbour-sleep
rule, and `static_violations`, which runs every one of them (all broken rules are listed).
"""

from __future__ import annotations

import numpy as np

from ranpilot.policies import rules as r
from ranpilot.policies.base import (  # noqa: F401 (re-exported: what callers import from checks)
    AppliedChange, StaticContext, Violation, beyond_not_toward, violation,
)
from ranpilot.policies.limits import VALUE_CHECKS
from ranpilot.policies.pack import PolicyPack


def check_step(rule: r.MaxStep, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    return [
        violation(rule, f"cell {c.cell}" + (f" slice {c.slice}" if c.slice else "") + (f" UE {c.ue}" if c.ue is not None else ""),
                  round(abs(c.after - c.before), 4), rule.max_step,
                  f"{c.parameter} moves {c.before:g} -> {c.after:g}, a step above {rule.max_step:g}")
        for c in ctx.changes
        if c.parameter == rule.parameter and abs(c.after - c.before) > rule.max_step + 1e-9
    ]


def check_rate(rule: r.ChangeRate, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    """Counts applied proposals per cell (however many of its parameters each changed), plus this one."""
    since = ctx.network.time_s - rule.window_s
    out = []
    for cell in sorted({c.cell for c in ctx.changes}):
        recent = len({h.proposal_id for h in ctx.history if h.cell == cell and h.time_s > since})
        if recent + 1 > rule.max_changes:
            out.append(violation(rule, f"cell {cell}", recent + 1, rule.max_changes,
                                 f"cell {cell} would see change {recent + 1} within {rule.window_s:g} s"))
    return out


def check_protected(rule: r.ProtectedCells, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    touched = sorted({c.cell for c in ctx.changes} & set(rule.cells))
    return [violation(rule, f"cell {c}", "changed", "protected", f"cell {c} is protected") for c in touched]


def check_window(rule: r.MaintenanceWindow, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    hour = ctx.network.time_of_day_h
    inside = rule.start_h <= hour < rule.end_h if rule.start_h < rule.end_h else hour >= rule.start_h or hour < rule.end_h
    if inside:
        return []
    return [
        violation(rule, f"cell {c.cell}", round(hour, 2), f"{rule.start_h:g}-{rule.end_h:g} h",
                  f"{c.parameter} change at {hour:.1f} h is outside the maintenance window")
        for c in ctx.changes if c.parameter in rule.parameters
    ]


def check_asleep(rule: r.MaxAsleepNeighbours, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    """Around every site, count the cells asleep within `radius_m` after the change; a site whose
    count a sleep change touches, and leaves above the limit without lowering it, is reported
    once. Judging every site, not only those of the newly sleeping cells, catches a ring of
    sleeping cells around a site none of them belongs to."""
    topo = ctx.network.topology
    cell_xy = topo.sites[topo.cell_site]
    near = np.linalg.norm(topo.sites[:, None, :] - cell_xy[None, :, :], axis=2) <= rule.radius_m  # (sites, cells)
    before, after = near @ ctx.before.asleep.astype(int), near @ ctx.after.asleep.astype(int)
    touched = (near & (ctx.before.asleep != ctx.after.asleep)).any(axis=1)
    out = []
    for site in np.flatnonzero(touched & beyond_not_toward(before, after, rule.max_asleep)):
        asleep = np.flatnonzero(near[site] & ctx.after.asleep).tolist()
        out.append(violation(rule, f"site {site}", int(after[site]), rule.max_asleep,
                             f"{after[site]} cells would sleep within {rule.radius_m:g} m of site {site}: {asleep}"))
    return out


def check_conflict(rule: r.Conflict, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    """A change against the direction another owner moved the same parameter within the window."""
    since = ctx.network.time_s - rule.window_s
    out = []
    for change in ctx.changes:
        for h in ctx.history:
            if (h.cell, h.parameter, h.ue) == (change.cell, change.parameter, change.ue) and h.time_s > since \
                    and h.owner != ctx.owner and h.direction * change.direction < 0:
                v = violation(rule, f"cell {change.cell}", f"{change.parameter} {'+' if change.direction > 0 else '-'}",
                              f"{h.owner} moved it {'+' if h.direction > 0 else '-'}",
                              f"conflicts with {h.owner} on {change.parameter} of cell {change.cell}")
                out.append(v.model_copy(update={"related": [h.owner]}))
                break
    return out


STATIC_CHECKS = {
    **VALUE_CHECKS, r.MaxStep: check_step, r.ChangeRate: check_rate, r.ProtectedCells: check_protected,
    r.MaintenanceWindow: check_window, r.MaxAsleepNeighbours: check_asleep, r.Conflict: check_conflict,
}


def static_violations(pack: PolicyPack, ctx: StaticContext) -> list[Violation]:
    """Every static rule of the pack on the context, in pack order: all that break are listed."""
    out: list[Violation] = []
    for rule in pack.rules:
        check = STATIC_CHECKS.get(type(rule))
        if check is not None:
            out.extend(check(rule, ctx, pack))
    return out
