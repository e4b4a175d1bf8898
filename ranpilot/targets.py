"""The TS 28.312 target vocabulary, defined once for every room: each target's name, unit,
direction, the kind of object it is measured on, its threshold context, the standard's
definition, what its specialised TS 28.312 schema allows, and how ranpilot's network measures
it; and the conditions a target may carry.

TS 28.312 defines the ratio targets (WeakRSRPRatio, LowSINRRatio, LowDLRANUEThptRatio,
HighDLPrbLoadRatio) as shares of *cells*. Shares of *UEs* are useful too (coverage of users,
cell-edge users), so ranpilot exposes them under names of its own (`...UEShare`), marked
`standard=False`: they travel as generic ExpectationTargets.

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
    LOW_DL_THPT_UE_SHARE = "LowDLThptUEShare"
    WEAK_RSRP_UE_SHARE = "WeakRSRPUEShare"
    LOW_SINR_UE_SHARE = "LowSINRUEShare"


@dataclass(frozen=True)
class Threshold:
    """The context that sets which UEs (or cells) a ratio target counts: its TS 28.312 context
    attribute, its unit and the `KpiThresholds` field that holds the network's default."""

    context: str
    unit: str
    default_field: str


@dataclass(frozen=True)
class TargetSpec:
    """One target: what it means, how TS 28.312 writes it, and how ranpilot measures it.

    `scope`: radio targets are about cells (RadioNetworkExpectation), service targets about a
    slice's UEs (RadioServiceExpectation). `counts`: what a ratio is a share of. `standard`: a
    TS 28.312 target with a specialised schema, which allows one condition (`spec_condition`,
    the way that is better) and one value."""

    target: Target
    unit: str
    higher_is_better: bool
    scope: Literal["radio", "service"]
    definition: str
    measurement: str
    threshold: Threshold | None = None
    counts: Literal["cells", "ues"] | None = None
    standard: bool = True

    @property
    def name(self) -> str:
        return self.target.value

    @property
    def is_ratio(self) -> bool:
        return self.threshold is not None

    @property
    def per_ue(self) -> bool:
        """Whether it is measured over UEs, so that a slice can narrow it."""
        return self.scope == "service" or self.counts == "ues"

    @property
    def spec_condition(self) -> Condition:
        """The one condition the specialised TS 28.312 schema allows: the way that is better."""
        return Condition.IS_GREATER_THAN if self.higher_is_better else Condition.IS_LESS_THAN

TARGETS: dict[Target, TargetSpec] = {spec.target: spec for spec in (
    TargetSpec(Target.AVE_DL_RAN_UE_THPT, "Mbit/s", True, "radio",
               "Average downlink UE throughput in the RAN (TS 28.554).",
               "Mean downlink throughput of the UEs served by the scope's cells."),
    TargetSpec(Target.LOW_DL_RAN_UE_THPT_RATIO, "%", False, "radio",
               "Share of cells whose average downlink UE throughput is below a threshold.",
               "Share of the scope's cells serving UEs whose mean UE throughput is below the threshold.",
               Threshold("LowDLRANUEThptThreshold", "Mbit/s", "low_thp_mbps"), counts="cells"),
    TargetSpec(Target.WEAK_RSRP_RATIO, "%", False, "radio",
               "Share of cells with downlink weak RSRP (below a threshold).",
               "Share of the scope's cells serving UEs whose mean serving RSRP is below the threshold.",
               Threshold("WeakRSRPThreshold", "dBm", "weak_rsrp_dbm"), counts="cells"),
    TargetSpec(Target.LOW_SINR_RATIO, "%", False, "radio",
               "Share of cells with low SINR (below a threshold).",
               "Share of the scope's cells serving UEs whose mean downlink SINR is below the threshold.",
               Threshold("LowSINRThreshold", "dB", "low_sinr_db"), counts="cells"),
    TargetSpec(Target.AVE_DL_PRB_LOAD, "%", False, "radio",
               "Average downlink PRB load.",
               "Mean PRB utilisation of the scope's awake cells."),
    TargetSpec(Target.HIGH_DL_PRB_LOAD_RATIO, "%", False, "radio",
               "Share of cells whose downlink PRB load is above a threshold.",
               "Share of the scope's awake cells above the threshold.",
               Threshold("HighDLPrbLoadThreshold", "%", "high_prb_load_pct"), counts="cells"),
    TargetSpec(Target.RAN_ENERGY_CONSUMPTION, "kW", False, "radio",
               "Energy consumed by the RAN (ECNG-RAN, TS 28.554), here per hour of operation (kWh/h).",
               "Input power of the scope's cells (EARTH model) at the current operating point: kWh per hour."),
    TargetSpec(Target.RAN_ENERGY_EFFICIENCY, "bit/J", True, "radio",
               "Delivered data volume per unit of energy (EE MN,DV, TS 28.554).",
               "Downlink bits per second delivered in the scope over its input power."),
    TargetSpec(Target.DL_THPT_PER_UE, "Mbit/s", True, "service",
               "Downlink throughput per UE of a service (dlThptPerUE, TS 28.541).",
               "Mean downlink throughput of the slice's UEs."),
    TargetSpec(Target.DL_LATENCY, "ms", False, "service",
               "Downlink latency of a service.",
               "Mean file delay of the slice's bursty UEs."),
    TargetSpec(Target.LOW_DL_THPT_UE_SHARE, "%", False, "radio",
               "ranpilot: share of UEs whose downlink throughput is below a threshold (cell-edge users).",
               "Share of the scope's UEs below the threshold.",
               Threshold("LowDLRANUEThptThreshold", "Mbit/s", "low_thp_mbps"), counts="ues", standard=False),
    TargetSpec(Target.WEAK_RSRP_UE_SHARE, "%", False, "radio",
               "ranpilot: share of UEs in weak coverage (serving RSRP below a threshold).",
               "Share of the scope's UEs whose serving RSRP is below the threshold.",
               Threshold("WeakRSRPThreshold", "dBm", "weak_rsrp_dbm"), counts="ues", standard=False),
    TargetSpec(Target.LOW_SINR_UE_SHARE, "%", False, "radio",
               "ranpilot: share of UEs at low SINR (below a threshold).",
               "Share of the scope's UEs whose downlink SINR is below the threshold.",
               Threshold("LowSINRThreshold", "dB", "low_sinr_db"), counts="ues", standard=False),
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
