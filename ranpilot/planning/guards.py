"""Implicit guards: a goal on some cells is not met by moving its problem to the other cells.

A cell-scoped goal on a per-UE quantity (average throughput, or the share of UEs at low
throughput, weak coverage or low SINR) can be "met" by shrinking the scope's cells until their
worst UEs are served by a neighbour, where they count against the rest of the network instead.
The operator asked for those users to be better off, not elsewhere, so the planner adds, for
each such goal, a network-wide guard on the same quantity: no worse than on the twin without a
change, beyond that value's noise (twice its spread over the twin's averaged steps) and at least
one UE's share (or 2% of a throughput). A candidate that breaks such a guard moves a target away
from its goal and is never applied. Load targets are left out on purpose: moving load to
neighbours is how a hot cell is relieved.
"""

from __future__ import annotations

import math

from ranpilot.policies import TargetCheck
from ranpilot.targets import Condition, Target, spec

EXPORTABLE = (Target.AVE_DL_RAN_UE_THPT, Target.LOW_DL_THPT_UE_SHARE, Target.WEAK_RSRP_UE_SHARE,
              Target.LOW_SINR_UE_SHARE)
NOISE_SPREADS = 2.0  # a value's noise on the twin: this many standard deviations of it (guards, margins)
THROUGHPUT_FLOOR = 0.02  # and at least this share of a throughput


def export_guards(checks: list[TargetCheck]) -> list[TargetCheck]:
    """One network-wide guard per cell-scoped goal on an exportable target (none where the run
    already has a network-wide check on it); their values are set by `settle` once measured."""
    covered = {(c.target, c.threshold) for c in checks if c.cells is None and c.slice is None}
    out = []
    for c in checks:
        key = (c.target, c.threshold)
        if c.cells is None or c.slice is not None or c.target not in EXPORTABLE or key in covered:
            continue
        covered.add(key)
        higher = spec(c.target).higher_is_better
        out.append(TargetCheck(target=c.target, condition=Condition.IS_GREATER_THAN if higher else Condition.IS_LESS_THAN,
                               values=[math.nan], threshold=c.threshold, ensure=True))
    return out


def settle(guard: TargetCheck, mean: float | None, spread: float, num_ues: int) -> TargetCheck | None:
    """The guard with its value: today's `mean` made worse by the tolerance (None where the
    network has no value for it: nothing to keep)."""
    if mean is None:
        return None
    floor = THROUGHPUT_FLOOR * abs(mean) if spec(guard.target).unit == "Mbit/s" else 100.0 / num_ues
    tolerance = max(NOISE_SPREADS * spread, floor)
    worse = mean - tolerance if guard.condition == Condition.IS_GREATER_THAN else mean + tolerance
    return guard.model_copy(update={"values": [worse]})
