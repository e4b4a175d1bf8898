"""One shortfall measure for a candidate change, predicted on the paired twin.

Every target a run must serve (the intent's expectations and every other active intent's) is a
`TargetCheck`. A network state scores, per check, its `shortfall` (ranpilot.targets) divided by
a scale in the target's unit, so that targets in Mbit/s, % and kW add up. Cell-ratio targets move
in steps of one cell; their UE-level sibling (the share of UEs behind the same threshold) breaks
ties, so a search can cross a plateau where no single change moves a whole cell yet.

When every check is predicted met, the tie-breaker is the margin beyond the goals (more is
better), each up to its noise (twice the spread of its value over the twin's last steps, in units
of its scale) and at most `MAX_MARGIN`: the planner runs because a goal is unmet now, and on a
bursty network a prediction that just meets it is as likely as not to miss at the next
measurement; beyond that, the least collateral damage decides.

`TwinBench` predicts a candidate like the verifier's dry run does: a clone of the network with the
change and one without, stepped alike from the same random stream, so the difference is the change.
Each check's value is averaged over the last `AVERAGED_STEPS` steps of the horizon, so that one
step's traffic burst does not decide whether a goal is met.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network import Action, ActionError
from ranpilot.network.view import NetworkView
from ranpilot.planning.guards import NOISE_SPREADS, export_guards, settle
from ranpilot.policies import TargetCheck
from ranpilot.targets import Condition, Target, condition_holds, shortfall, spec

#: The smallest scale of a target's shortfall, in its unit (a goal of 0% still has a scale).
UNIT_FLOOR = {"kW": 0.1}
#: A shortfall or tie-breaker that moves less than this (relative) is no move at all.
EPS = 1e-6
#: The finer-grained sibling that breaks ties for a target that counts whole cells.
SIBLING = {
    Target.LOW_SINR_RATIO: Target.LOW_SINR_UE_SHARE, Target.WEAK_RSRP_RATIO: Target.WEAK_RSRP_UE_SHARE,
    Target.LOW_DL_RAN_UE_THPT_RATIO: Target.LOW_DL_THPT_UE_SHARE, Target.HIGH_DL_PRB_LOAD_RATIO: Target.AVE_DL_PRB_LOAD,
}
MISSING = 1.0  # normalized shortfall of a target with no value (no UE in its scope)
MAX_MARGIN = 0.1  # and at most this share of its scale (more: extra levers for little gain)
AVERAGED_STEPS = 5  # the last steps of a prediction's horizon whose check values are averaged


def scale(check: TargetCheck) -> float:
    return max(abs(check.values[0]), UNIT_FLOOR.get(spec(check.target).unit, 1.0))


@dataclass(frozen=True)
class Score:
    """A network state against every check: each check's normalized shortfall (0 where met), their
    sum, the tie-breaker, and each check's value (None where it has none)."""

    shortfalls: tuple[float, ...]
    tie: float
    values: tuple[float | None, ...]
    watched: tuple[float | None, ...] = ()  # the network-wide KPIs of WATCHED, for `collateral`

    @property
    def total(self) -> float:
        return sum(self.shortfalls)

    @property
    def met(self) -> bool:
        return self.total <= 0.0

    def better_than(self, other: Score) -> bool:
        """Strictly closer to every goal taken together, or as close with a better tie-breaker."""
        if self.total < other.total - EPS:
            return True
        return self.total <= other.total + EPS and self.tie < other.tie - EPS

    def collateral(self, reference: Score) -> float:
        """How much worse the network-wide KPIs no check is about are than in `reference`, each
        relative to its value there (shares of UEs and cells: in tenths of the whole)."""
        out = 0.0
        for target, mine, theirs in zip(WATCHED, self.watched, reference.watched):
            if mine is None or theirs is None:
                continue
            worse = theirs - mine if spec(target).higher_is_better else mine - theirs
            unit = spec(target).unit
            out += max(worse, 0.0) / (10.0 if unit == "%" else max(abs(theirs), UNIT_FLOOR.get(unit, 1.0)))
        return out

    def moves_away(self, other: Score) -> bool:
        """Whether any check is further from its goal here than in `other` (never applied)."""
        return any(a > b + EPS for a, b in zip(self.shortfalls, other.shortfalls))


#: Network-wide KPIs watched for collateral damage: a change that serves the checks as well as
#: another but disturbs these less is preferred.
WATCHED = (Target.AVE_DL_RAN_UE_THPT, Target.RAN_ENERGY_CONSUMPTION, Target.LOW_DL_THPT_UE_SHARE,
           Target.WEAK_RSRP_UE_SHARE, Target.LOW_SINR_UE_SHARE)


def check_values(net: NetworkView, checks: list[TargetCheck]) -> list[float | None]:
    return [net.target_value(c.target, c.cells, c.slice, c.threshold) for c in checks]


def margin(check: TargetCheck, value: float, cap: float) -> float:
    """How far beyond a one-sided goal `value` is, in units of the check's scale, at most `cap`
    (0 for other conditions)."""
    match check.condition:
        case Condition.IS_LESS_THAN | Condition.IS_EQUAL_TO_OR_LESS_THAN:
            beyond = check.values[0] - value
        case Condition.IS_GREATER_THAN | Condition.IS_EQUAL_TO_OR_GREATER_THAN:
            beyond = value - check.values[0]
        case _:
            return 0.0
    return min(max(beyond, 0.0) / scale(check), cap)


def score(net: NetworkView, checks: list[TargetCheck], values: list[float | None] | None = None,
          margin_caps: list[float] | None = None) -> Score:
    """The state of `net` against `checks` (each check's value measured on `net`, or `values`
    where given), with the network-wide KPIs watched for collateral. Where every check is met, the
    tie-breaker is minus their margins, each up to its `margin_caps` entry (0: margins not counted)."""
    values = check_values(net, checks) if values is None else values
    shortfalls, tie = [], 0.0
    for c, value in zip(checks, values):
        if value is None:
            shortfalls.append(MISSING)
            continue
        gap = shortfall(c.condition, value, c.values) / scale(c)
        shortfalls.append(gap)
        if gap > 0:
            tie += _tie(net, c, value)
    if not any(shortfalls):
        tie = -sum(margin(c, v, cap) for c, v, cap in zip(checks, values, margin_caps or [0.0] * len(checks)))
    about = {c.target for c in checks if c.cells is None and c.slice is None}  # a scoped check can export harm
    watched = tuple(None if t.value in about else net.target_value(t) for t in WATCHED)
    return Score(tuple(shortfalls), tie, tuple(values), watched)


#: The per-UE quantity behind a threshold target, from the radio result.
PER_UE = {
    Target.LOW_SINR_RATIO: lambda r: r.sinr_db, Target.LOW_SINR_UE_SHARE: lambda r: r.sinr_db,
    Target.WEAK_RSRP_RATIO: lambda r: r.measured_rsrp_dbm, Target.WEAK_RSRP_UE_SHARE: lambda r: r.measured_rsrp_dbm,
    Target.LOW_DL_RAN_UE_THPT_RATIO: lambda r: r.thp_bps / 1e6, Target.LOW_DL_THPT_UE_SHARE: lambda r: r.thp_bps / 1e6,
}


def _tie(net: NetworkView, check: TargetCheck, value: float) -> float:
    """For an unmet check, a finer measure than its own (lower is better): for a threshold target,
    how far below the threshold its UEs are on average (plus, for a share of cells, the share of
    UEs); otherwise its value (or its sibling's) in units of its scale. A change that lifts UEs
    toward the threshold scores before it lifts any across."""
    target = Target(check.target)
    per_ue = PER_UE.get(target)
    if per_ue is not None:
        radio = net.radio()
        ues = np.isin(radio.serving, range(net.num_cells) if check.cells is None else check.cells)
        if check.slice is not None:
            names = [s.name for s in net.config.slices]
            ues &= net.ue_slice() == names.index(check.slice)
        threshold = check.threshold
        if threshold is None:
            threshold = getattr(net.config.thresholds, spec(target).threshold.default_field)
        below = np.maximum(threshold - per_ue(radio)[ues], 0.0)
        margin = float(below.mean()) / max(abs(threshold), 1.0) if below.size else 0.0
        sibling = SIBLING.get(target)
        share = net.target_value(sibling, check.cells, check.slice, check.threshold) if sibling else None
        return margin + (share or 0.0) / 100.0
    sibling = SIBLING.get(target)
    if sibling is not None:
        sib = net.target_value(sibling, check.cells, check.slice, check.threshold)
        return 0.0 if sib is None else sib / 100.0
    higher = spec(check.target).higher_is_better
    return (-value if higher else value) / scale(check)


def holds(net: NetworkView, check: TargetCheck) -> bool:
    value = net.target_value(check.target, check.cells, check.slice, check.threshold)
    return value is not None and condition_holds(check.condition, value, check.values)


class TwinBench:
    """Paired twin predictions of candidate changes on one network, `steps` steps ahead."""

    def __init__(self, network: NetworkView, checks: list[TargetCheck], steps: int):
        self.network, self.steps = network, steps
        guards = export_guards(checks)
        reference = network.clone()
        means, spreads = self._sample(reference, checks + guards)
        settled = [(kept, m, s) for g, m, s in zip(guards, means[len(checks):], spreads[len(checks):])
                   if (kept := settle(g, m, s, network.config.num_ues)) is not None]
        #: the run's checks, then the implicit guards (`guards.py`) with their values
        self.checks = checks + [g for g, _, _ in settled]
        means = means[:len(checks)] + [m for _, m, _ in settled]
        spreads = spreads[:len(checks)] + [s for _, _, s in settled]
        #: how much margin beyond each goal counts: its noise on the twin without a change
        self.margin_caps = [min(NOISE_SPREADS * spread / scale(c), MAX_MARGIN) for c, spread in zip(self.checks, spreads)]
        self.baseline = score(reference, self.checks, means, self.margin_caps)
        self.evaluations = 0

    def _sample(self, twin: NetworkView, checks: list[TargetCheck]) -> tuple[list[float | None], list[float]]:
        """Step `twin` over the horizon; each check's mean and standard deviation over the
        horizon's last steps (the steps where a check has no value are left out)."""
        averaged = max(1, min(AVERAGED_STEPS, self.steps))
        twin.step(self.steps - averaged)
        samples = []
        for _ in range(averaged):
            twin.step(1)
            samples.append(check_values(twin, checks))
        means, spreads = [], []
        for per_check in zip(*samples):
            known = [v for v in per_check if v is not None]
            means.append(float(np.mean(known)) if known else None)
            spreads.append(float(np.std(known, ddof=1)) if len(known) > 1 else 0.0)
        return means, spreads

    def predict(self, actions: list[Action]) -> Score | None:
        """The score the network would have with `actions`, or None where the network refuses them."""
        twin = self.network.clone()
        try:
            twin.apply(actions)
        except ActionError:
            return None
        self.evaluations += 1
        means, _ = self._sample(twin, self.checks)
        return score(twin, self.checks, means, self.margin_caps)
