"""The strategies a planner chooses among, what each is for, and the embedded default per target."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from ranpilot.planning import generators as gen
from ranpilot.planning.situation import Plan, Situation, StrategyChoice
from ranpilot.targets import Target


@dataclass(frozen=True)
class Strategy:
    description: str
    run: Callable[[Situation], Plan]


STRATEGIES: dict[str, Strategy] = {
    "energy_min_power": Strategy(
        "Lower transmit power to the least that keeps users' rates (LP); idle cells may sleep.", gen.energy),
    "proportional_fair_power": Strategy(
        "Re-balance cell powers for proportional fairness (WMMSE): helps cell-edge and low-SINR users.",
        gen.proportional_fair_power),
    "balance_load_with_cio": Strategy(
        "Move users between cells with cell individual offsets (LP) to relieve loaded cells.", gen.balance_load_with_cio),
    "improve_coverage_with_tilt": Strategy(
        "Uptilt and power up cells with weak-RSRP users.", gen.improve_coverage_with_tilt),
    "allocate_slice_prbs": Strategy(
        "Re-split PRB quotas between slices (CVXPY) to meet a slice's throughput or latency.", gen.allocate_slice_prbs),
}

#: The embedded planner's choice for each target.
DEFAULT_STRATEGY: dict[Target, str] = {
    Target.RAN_ENERGY_CONSUMPTION: "energy_min_power", Target.RAN_ENERGY_EFFICIENCY: "energy_min_power",
    Target.LOW_DL_RAN_UE_THPT_RATIO: "proportional_fair_power", Target.LOW_SINR_RATIO: "proportional_fair_power",
    Target.AVE_DL_RAN_UE_THPT: "balance_load_with_cio", Target.AVE_DL_PRB_LOAD: "balance_load_with_cio",
    Target.HIGH_DL_PRB_LOAD_RATIO: "balance_load_with_cio", Target.WEAK_RSRP_RATIO: "improve_coverage_with_tilt",
    Target.DL_THPT_PER_UE: "allocate_slice_prbs", Target.DL_LATENCY: "allocate_slice_prbs",
    Target.LOW_DL_THPT_UE_SHARE: "proportional_fair_power", Target.LOW_SINR_UE_SHARE: "proportional_fair_power",
    Target.WEAK_RSRP_UE_SHARE: "improve_coverage_with_tilt",
}


def run_strategy(choice: StrategyChoice, situation: Situation) -> Plan:
    """Carry out a planner's choice on the (possibly narrowed) situation."""
    return STRATEGIES[choice.strategy].run(situation.narrowed(choice.cells))
