"""Per-value rules: power classes, p-Max class, EMF site cap, slice floors, the quota sum and UE guarantees.

Each judges the configuration a proposal ends in, on every object the proposal touches, with
one test (`beyond_not_toward`): flagged when the value ends beyond the limit and did not move
toward it. Objects the proposal leaves alone are not blamed on it.
"""

from __future__ import annotations

import numpy as np

from ranpilot.network.mimo.config import PRECODER_CODES, ssb_l_max
from ranpilot.network.radio import dbm_to_w, rate_per_prb_bps, spectral_efficiency
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


def check_mimo_layers(rule: r.MimoLayersLimit, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    ports = ctx.network.config.antenna.ports
    limit = ports if rule.max_layers is None else min(rule.max_layers, ports)
    return [
        violation(rule, f"cell {c.cell}", int(c.after), limit,
                  f"{c.after:g} MU-MIMO layers (from {c.before:g}) on cell {c.cell} exceed the limit of {limit} "
                  f"({'the ports of its array' if limit == ports else 'the pack'}) by {c.after - limit:g}")
        for c in ctx.changes if c.parameter == "mu_layers" and beyond_not_toward(c.before, c.after, limit)
    ]


def check_precoder(rule: r.PrecoderModes, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    return [
        violation(rule, f"cell {c.cell}", PRECODER_CODES[int(c.after)], ", ".join(rule.allowed),
                  f"precoder {PRECODER_CODES[int(c.after)]!r} on cell {c.cell} is not among the allowed {rule.allowed}")
        for c in ctx.changes if c.parameter == "precoder" and PRECODER_CODES[int(c.after)] not in rule.allowed
    ]


def check_ssb_beams(rule: r.SsbBeamSizes, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    """Each changed SSB beam set: at most the ports and L_max (moving back toward them passes), and
    one of the pack's sizes; the message says by how much it misses."""
    cfg = ctx.network.config
    ports, l_max = cfg.antenna.ports, ssb_l_max(cfg.carrier_ghz)
    limit, why = (ports, "the ports of its array") if ports <= l_max else (l_max, f"L_max at {cfg.carrier_ghz:g} GHz")
    out = []
    for c in (c for c in ctx.changes if c.parameter == "ssb_beams"):
        n, where = int(c.after), f"{c.after:g} SSB beams (from {c.before:g}) on cell {c.cell}"
        if beyond_not_toward(c.before, c.after, limit):
            out.append(violation(rule, f"cell {c.cell}", n, limit, f"{where} exceed the limit of {limit} ({why}) "
                                                                    f"by {n - limit}"))
        elif rule.allowed is not None and n not in rule.allowed:
            nearest = min(rule.allowed, key=lambda size: (abs(size - n), size))
            out.append(violation(rule, f"cell {c.cell}", n, ", ".join(map(str, rule.allowed)),
                                 f"{where} are not an allowed beam set size {rule.allowed}: {abs(n - nearest)} "
                                 f"from the nearest, {nearest}"))
    return out


def check_ue_guarantee(rule: r.UeGuaranteeShare, ctx: StaticContext, pack: PolicyPack) -> list[Violation]:
    """Each changed UE guarantee, and the guarantees of each cell where one changed, as a share of
    the cell's PRBs at the UEs' current link quality (a UE out of coverage can be guaranteed nothing)."""
    moved = [c for c in ctx.changes if c.parameter == "ue_gbr_kbps"]
    if not moved:
        return []
    before = _guarantee_shares(ctx.before.ue_gbr_kbps, ctx.network)
    after = _guarantee_shares(ctx.after.ue_gbr_kbps, ctx.network)
    out = [violation(rule, f"cell {c.cell} UE {c.ue}", round(float(after[c.cell, c.ue]), 4), rule.max_prb_share,
                     f"UE {c.ue}'s guaranteed {c.after:g} kbit/s (from {c.before:g}) would take "
                     f"{after[c.cell, c.ue]:.0%} of cell {c.cell}'s PRBs, above {rule.max_prb_share:.0%}")
           for c in moved if beyond_not_toward(before[c.cell, c.ue], after[c.cell, c.ue], rule.max_prb_share)]
    for cell in sorted({c.cell for c in moved}):
        total, was = after[cell].sum(), before[cell].sum()
        if beyond_not_toward(was, total, rule.max_cell_share):
            out.append(violation(rule, f"cell {cell}", round(float(total), 4), rule.max_cell_share,
                                 f"UE guarantees would take {total:.0%} (from {was:.0%}) of cell {cell}'s PRBs, "
                                 f"above {rule.max_cell_share:.0%}"))
    return out


def _guarantee_shares(gbr_kbps: np.ndarray, network) -> np.ndarray:
    """(C, N) share of the cell's PRBs each UE's guarantee needs at the UE's current spectral efficiency."""
    radio, cfg = network.radio(), network.config
    se = spectral_efficiency(10 ** (radio.sinr_db / 10)) * (1 if radio.layers is None else radio.layers)
    rate = rate_per_prb_bps(se, cfg.prb_bandwidth_hz)
    with np.errstate(divide="ignore", invalid="ignore"):
        prbs = np.where(gbr_kbps > 0, gbr_kbps * 1e3 / rate[None, :], 0.0)
    return prbs / cfg.num_prb


VALUE_CHECKS = {
    r.TxPowerLimit: check_tx_power, r.UePowerLimit: check_ue_power, r.EmfSiteCap: check_emf,
    r.SliceQuotaSum: check_quota_sum, r.SliceMinQuota: check_slice_floor, r.MimoLayersLimit: check_mimo_layers,
    r.PrecoderModes: check_precoder, r.UeGuaranteeShare: check_ue_guarantee, r.SsbBeamSizes: check_ssb_beams,
}
