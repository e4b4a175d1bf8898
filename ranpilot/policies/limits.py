"""Per-value rules: power classes, p-Max class, EMF site cap, slice floors and the quota sum.

Each judges the configuration a proposal ends in, on every object the proposal touches, with
one test (`beyond_not_toward`): flagged when the value ends beyond the limit and did not move
toward it. Objects the proposal leaves alone are not blamed on it.
"""

from __future__ import annotations

import numpy as np

from ranpilot.network.radio import dbm_to_w
from ranpilot.policies import rules as r
from ranpilot.policies.base import StaticContext, Violation, beyond_not_toward, violation
from ranpilot.policies.pack import PolicyPack


def check_tx_power(rule: r.TxPowerLimit, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    before, after = ctx.before.tx_power_dbm, ctx.after.tx_power_dbm
    of_class = np.array([pack.bs_class(c) == rule.bs_class for c in range(len(after))])
    flagged = of_class & (before != after) & beyond_not_toward(before, after, rule.max_dbm)
    return [
        violation(rule, f"cell {c}", float(after[c]), rule.max_dbm,
                  f"{after[c]:g} dBm (from {before[c]:g}) exceeds the {rule.bs_class.value} limit of "
                  f"{rule.max_dbm:g} dBm")
        for c in np.flatnonzero(flagged)
    ]


def check_ue_power(rule: r.UePowerLimit, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    return [
        violation(rule, f"cell {c.cell}", c.after, rule.max_dbm,
                  f"p-Max {c.after:g} dBm (from {c.before:g}) would let UEs exceed their {rule.max_dbm:g} dBm "
                  f"power class")
        for c in ctx.changes if c.parameter == "ue_p_max_dbm" and beyond_not_toward(c.before, c.after, rule.max_dbm)
    ]


def check_emf(rule: r.EmfSiteCap, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    site_of = ctx.network.topology.cell_site
    def site_watts(conf) -> np.ndarray:
        return np.bincount(site_of, weights=dbm_to_w(conf.tx_power_dbm) * ~conf.asleep)
    before, after = site_watts(ctx.before), site_watts(ctx.after)
    touched = np.zeros(len(before), dtype=bool)
    touched[[site_of[c.cell] for c in ctx.changes if c.parameter in ("tx_power_dbm", "asleep")]] = True
    return [
        violation(rule, f"site {s}", round(float(after[s]), 2), rule.max_site_w,
                  f"site {s} would radiate {after[s]:.1f} W (from {before[s]:.1f} W), above the "
                  f"{rule.max_site_w:g} W EMF cap")
        for s in np.flatnonzero(touched & beyond_not_toward(before, after, rule.max_site_w))
    ]


def check_quota_sum(rule: r.SliceQuotaSum, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    before, after = ctx.before.slice_quota.sum(axis=1), ctx.after.slice_quota.sum(axis=1)
    touched = (ctx.before.slice_quota != ctx.after.slice_quota).any(axis=1)
    return [
        violation(rule, f"cell {c}", round(float(after[c]), 4), rule.max_total,
                  f"slice quotas of cell {c} would sum to {after[c]:.3f} (from {before[c]:.3f}), "
                  f"above {rule.max_total:g}")
        for c in np.flatnonzero(touched & beyond_not_toward(before, after, rule.max_total))
    ]


def check_slice_floor(rule: r.SliceMinQuota, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    names = [s.name for s in ctx.network.config.slices]
    if rule.slice not in names:
        return [violation(rule, f"slice {rule.slice}", "absent", "present", f"the network has no slice {rule.slice}")]
    j = names.index(rule.slice)
    before, after = ctx.before.slice_quota[:, j], ctx.after.slice_quota[:, j]
    flagged = (before != after) & beyond_not_toward(before, after, rule.min_prb_ratio, upper=False)
    return [
        violation(rule, f"cell {c} slice {rule.slice}", float(after[c]), rule.min_prb_ratio,
                  f"{rule.slice} PRB quota {after[c]:.2f} (from {before[c]:.2f}) in cell {c} is below its floor "
                  f"{rule.min_prb_ratio:g}")
        for c in np.flatnonzero(flagged)
    ]


VALUE_CHECKS = {
    r.TxPowerLimit: check_tx_power, r.UePowerLimit: check_ue_power, r.EmfSiteCap: check_emf,
    r.SliceQuotaSum: check_quota_sum, r.SliceMinQuota: check_slice_floor,
}
