"""The TS 28.312 target vocabulary, defined once for every room: each target's name, unit,
direction, the kind of object it is measured on, its threshold context, the standard's
definition and how ranpilot's network measures it; and the conditions a target may carry.

The intent model, the parser, the planner, the verifier, the simulator's KPIs and the reports
all read this registry; none of them spells a target name of its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum, StrEnum
from typing import Literal


class Target(StrEnum):
    """TS 28.312 expectation target names (Rel-18 clause 6, radio network and service targets)."""

    AVE_DL_RAN_UE_THPT = "AveDLRANUEThpt"
    LOW_DL_RAN_UE_THPT_RATIO = "LowDLRANUEThptRatio"
    WEAK_RSRP_RATIO = "WeakRSRPRatio"
    LOW_SINR_RATIO = "LowSINRRatio"
    AVE_DL_PRB_LOAD = "AveDLPrbLoad"
    HIGH_DL_PRB_LOAD_RATIO = "HighDLPrbLoadRatio"
    RAN_ENERGY_CONSUMPTION = "RANEnergyConsumption"
    RAN_ENERGY_EFFICIENCY = "RANEnergyEfficiency"
    DL_THPT_PER_UE = "DlThptPerUE"
    DL_LATENCY = "DlLatency"


@dataclass(frozen=True)
class Threshold:
    """The context that sets which UEs (or cells) a ratio target counts: its TS 28.312 context
    attribute, its unit and the `KpiThresholds` field that holds the network's default."""

    context: str
    unit: str
    default_field: str


@dataclass(frozen=True)
class TargetSpec:
    """One target: what it means and how ranpilot measures it."""

    target: Target
    unit: str
    higher_is_better: bool
    scope: Literal["radio", "service"]  # radio: cells (RadioNetworkExpectation); service: a slice's UEs
    definition: str
    measurement: str
    threshold: Threshold | None = None

    @property
    def name(self) -> str:
        return self.target.value

    @property
    def is_ratio(self) -> bool:
        return self.threshold is not None

    @property
    def per_ue(self) -> bool:
        """Whether it is measured over UEs, so that a slice can narrow it."""
        return self.scope == "service" or self.target in PER_UE_RADIO


PER_UE_RADIO = {Target.LOW_DL_RAN_UE_THPT_RATIO, Target.WEAK_RSRP_RATIO, Target.LOW_SINR_RATIO}

TARGETS: dict[Target, TargetSpec] = {spec.target: spec for spec in (
    TargetSpec(Target.AVE_DL_RAN_UE_THPT, "Mbit/s", True, "radio",
               "Average downlink UE throughput in the RAN.",
               "Mean downlink throughput of the UEs served by the scope's cells."),
    TargetSpec(Target.LOW_DL_RAN_UE_THPT_RATIO, "%", False, "radio",
               "Ratio of UEs whose downlink throughput is below a threshold.",
               "Share of the scope's UEs below the threshold (default: KpiThresholds.low_thp_mbps).",
               Threshold("LowDLRANUEThptThreshold", "Mbit/s", "low_thp_mbps")),
    TargetSpec(Target.WEAK_RSRP_RATIO, "%", False, "radio",
               "Ratio of weak RSRP: coverage below a threshold.",
               "Share of the scope's UEs whose serving-cell RSRP is below the threshold.",
               Threshold("WeakRSRPThreshold", "dBm", "weak_rsrp_dbm")),
    TargetSpec(Target.LOW_SINR_RATIO, "%", False, "radio",
               "Ratio of low SINR: interference-limited samples below a threshold.",
               "Share of the scope's UEs whose downlink SINR is below the threshold.",
               Threshold("LowSINRThreshold", "dB", "low_sinr_db")),
    TargetSpec(Target.AVE_DL_PRB_LOAD, "%", False, "radio",
               "Average downlink PRB load.",
               "Mean PRB utilisation of the scope's awake cells."),
    TargetSpec(Target.HIGH_DL_PRB_LOAD_RATIO, "%", False, "radio",
               "Ratio of cells whose downlink PRB load is above a threshold.",
               "Share of the scope's awake cells above the threshold.",
               Threshold("HighDLPrbLoadThreshold", "%", "high_prb_load_pct")),
    TargetSpec(Target.RAN_ENERGY_CONSUMPTION, "kW", False, "radio",
               "Energy consumed by the RAN.",
               "Input power of the scope's cells (EARTH model) at the current operating point."),
    TargetSpec(Target.RAN_ENERGY_EFFICIENCY, "bit/J", True, "radio",
               "Delivered data volume per unit of energy.",
               "Downlink bits per second delivered in the scope over its input power."),
    TargetSpec(Target.DL_THPT_PER_UE, "Mbit/s", True, "service",
               "Downlink throughput per UE of a service.",
               "Mean downlink throughput of the slice's UEs."),
    TargetSpec(Target.DL_LATENCY, "ms", False, "service",
               "Downlink latency of a service.",
               "Mean file delay of the slice's bursty UEs."),
)}

#: Targets measured on the network as a whole, in report order.
RADIO_TARGETS = tuple(t for t, s in TARGETS.items() if s.scope == "radio")
SERVICE_TARGETS = tuple(t for t, s in TARGETS.items() if s.scope == "service")
THROUGHPUT_TARGETS = (Target.AVE_DL_RAN_UE_THPT, Target.DL_THPT_PER_UE)


def spec(name: str | Target) -> TargetSpec:
    """The registry entry of a target; KeyError naming the known ones."""
    try:
        return TARGETS[Target(name)]
    except ValueError:
        raise KeyError(f"unknown target {name!r}; targets: {[t.value for t in TARGETS]}") from None


class Condition(str, Enum):
    """TS 28.312 conditions of a target or a context."""

    IS_EQUAL_TO = "IS_EQUAL_TO"
    IS_LESS_THAN = "IS_LESS_THAN"
    IS_GREATER_THAN = "IS_GREATER_THAN"
    IS_WITHIN_RANGE = "IS_WITHIN_RANGE"
    IS_OUTSIDE_RANGE = "IS_OUTSIDE_RANGE"
    IS_ONE_OF = "IS_ONE_OF"
    IS_NOT_ONE_OF = "IS_NOT_ONE_OF"
    IS_EQUAL_TO_OR_LESS_THAN = "IS_EQUAL_TO_OR_LESS_THAN"
    IS_EQUAL_TO_OR_GREATER_THAN = "IS_EQUAL_TO_OR_GREATER_THAN"
    IS_ALL_OF = "IS_ALL_OF"


def condition_holds(condition: Condition, observed: float, values: list[float], tol: float = 1e-9) -> bool:
    """Whether `observed` satisfies the condition against `values` (one value, or [low, high])."""
    v = values
    match condition:
        case Condition.IS_EQUAL_TO:
            return abs(observed - v[0]) <= tol
        case Condition.IS_LESS_THAN:
            return observed < v[0]
        case Condition.IS_GREATER_THAN:
            return observed > v[0]
        case Condition.IS_EQUAL_TO_OR_LESS_THAN:
            return observed <= v[0] + tol
        case Condition.IS_EQUAL_TO_OR_GREATER_THAN:
            return observed >= v[0] - tol
        case Condition.IS_WITHIN_RANGE:
            return v[0] - tol <= observed <= v[1] + tol
        case Condition.IS_OUTSIDE_RANGE:
            return observed < v[0] or observed > v[1]
        case Condition.IS_ONE_OF | Condition.IS_ALL_OF:
            return any(abs(observed - x) <= tol for x in v)
        case Condition.IS_NOT_ONE_OF:
            return all(abs(observed - x) > tol for x in v)
    raise ValueError(f"unknown condition {condition}")


def shortfall(condition: Condition, observed: float, values: list[float]) -> float:
    """How far `observed` is from meeting the condition: 0 where it holds, else the distance to
    the nearest value that would (for IS_OUTSIDE_RANGE and IS_NOT_ONE_OF, 1 when it fails)."""
    if condition_holds(condition, observed, values):
        return 0.0
    match condition:
        case Condition.IS_LESS_THAN | Condition.IS_EQUAL_TO_OR_LESS_THAN:
            return observed - values[0]
        case Condition.IS_GREATER_THAN | Condition.IS_EQUAL_TO_OR_GREATER_THAN:
            return values[0] - observed
        case Condition.IS_WITHIN_RANGE:
            return max(values[0] - observed, observed - values[1])
        case Condition.IS_OUTSIDE_RANGE | Condition.IS_NOT_ONE_OF:
            return 1.0
    return min(abs(observed - x) for x in values)
