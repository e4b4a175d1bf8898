"""Policy packs: declared rules the verifier enforces, loaded from YAML and validated by pydantic.

Every rule has an `id`, a `description`, a `severity` (deny | warn | needs_approval), a
`mode` (enforce | dryrun: evaluated and reported, never blocking) and a `source` (a spec
clause such as "TS 38.104 6.2", or "operator"). Errors in a pack name the YAML line.
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ranpilot.network.action_table import PARAMETER_NAMES

PACKS_DIR = Path(__file__).with_name("packs")
Parameter = Literal[PARAMETER_NAMES]  # the action table's parameter names: tx_power_dbm, tilt_deg, ...


class Severity(str, Enum):
    DENY = "deny"
    WARN = "warn"
    NEEDS_APPROVAL = "needs_approval"


class Mode(str, Enum):
    ENFORCE = "enforce"
    DRYRUN = "dryrun"


class BsClass(str, Enum):
    """TS 38.104 base-station classes."""

    WIDE_AREA = "wide_area"
    MEDIUM_RANGE = "medium_range"
    LOCAL_AREA = "local_area"


class BaseRule(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    description: str
    severity: Severity = Severity.DENY
    mode: Mode = Mode.ENFORCE
    source: str


class TxPowerLimit(BaseRule):
    """Cells of a base-station class may not transmit above `max_dbm`."""

    kind: Literal["tx_power_limit"]
    bs_class: BsClass
    max_dbm: float


class UePowerLimit(BaseRule):
    """p-Max may not allow UEs above `max_dbm` (their power class, e.g. 23 dBm for class 3)."""

    kind: Literal["ue_power_limit"]
    max_dbm: float


class EmfSiteCap(BaseRule):
    """Sum of the transmit powers of a site's awake cells at most `max_site_w` (EMF exposure)."""

    kind: Literal["emf_site_cap"]
    max_site_w: float = Field(gt=0)


class MaxStep(BaseRule):
    """One change of `parameter` may move it by at most `max_step` (in the parameter's unit)."""

    kind: Literal["max_step"]
    parameter: Parameter
    max_step: float = Field(gt=0)


class ChangeRate(BaseRule):
    """At most `max_changes` applied changes per cell within `window_s` (frequency limiter)."""

    kind: Literal["change_rate"]
    max_changes: int = Field(ge=1)
    window_s: float = Field(gt=0)


class ProtectedCells(BaseRule):
    """These cells may not be touched."""

    kind: Literal["protected_cells"]
    cells: list[int] = Field(min_length=1)


class MaintenanceWindow(BaseRule):
    """Changes of `parameters` only between `start_h` and `end_h` local time (may wrap midnight)."""

    kind: Literal["maintenance_window"]
    parameters: list[Parameter] = Field(min_length=1)
    start_h: float = Field(ge=0, lt=24)
    end_h: float = Field(ge=0, lt=24)

    @model_validator(mode="after")
    def _non_empty(self) -> MaintenanceWindow:
        if self.start_h == self.end_h:
            raise ValueError("start_h and end_h are equal: the window is empty")
        return self


class SliceQuotaSum(BaseRule):
    """Slice PRB quotas of a cell sum to at most `max_total` of its PRBs."""

    kind: Literal["slice_quota_sum"]
    max_total: float = Field(default=1.0, gt=0, le=1)


class SliceMinQuota(BaseRule):
    """A slice keeps at least `min_prb_ratio` of every awake cell's PRBs (e.g. URLLC)."""

    kind: Literal["slice_min_quota"]
    slice: str
    min_prb_ratio: float = Field(ge=0, le=1)


class MaxAsleepNeighbours(BaseRule):
    """Within `radius_m` of any site, at most `max_asleep` cells asleep at once."""

    kind: Literal["max_asleep_neighbours"]
    max_asleep: int = Field(ge=0)
    radius_m: float = Field(gt=0)


class KpiLimit(BaseRule):
    """Dry-run guardrail on a network KPI. Violated when the predicted value is beyond the limit
    and also worse than the no-change baseline by more than `tolerance` (a network already
    beyond the limit is not blamed on the proposal)."""

    kind: Literal["kpi_limit"]
    kpi: str
    max: float | None = None
    min: float | None = None
    tolerance: float = Field(default=0.0, ge=0)

    @model_validator(mode="after")
    def _one_bound(self) -> KpiLimit:
        if self.max is None and self.min is None:
            raise ValueError("give max or min")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}: contradictory")
        return self


class SliceSla(BaseRule):
    """Dry-run guardrail: no slice's mean UE throughput below its SLA (less `tolerance_mbps` slack)."""

    kind: Literal["slice_sla"]
    tolerance_mbps: float = Field(default=0.0, ge=0)


class CoverageKept(BaseRule):
    """Dry-run guardrail: of the UEs whose cell goes to sleep, at most `max_uncovered_pct` end
    below the weak-RSRP threshold."""

    kind: Literal["coverage_kept"]
    max_uncovered_pct: float = Field(ge=0, le=100)


class Conflict(BaseRule):
    """Another intent changed the same parameter of the same cell in the opposite direction
    within `window_s`."""

    kind: Literal["conflict"]
    window_s: float = Field(gt=0)


Rule = Annotated[
    Union[TxPowerLimit, UePowerLimit, EmfSiteCap, MaxStep, ChangeRate, ProtectedCells, MaintenanceWindow, SliceQuotaSum,
          SliceMinQuota, MaxAsleepNeighbours, KpiLimit, SliceSla, CoverageKept, Conflict],
    Field(discriminator="kind"),
]


class ConfirmTolerance(BaseModel):
    """After apply: roll back when the live KPI is worse than the dry-run prediction by more than `max_worse`."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kpi: str
    higher_is_better: bool
    max_worse: float = Field(ge=0)


class PolicyPack(BaseModel):
    """A named set of rules with the verifier's dry-run and confirm settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    description: str = ""
    default_bs_class: BsClass = BsClass.WIDE_AREA
    cell_classes: dict[int, BsClass] = Field(default_factory=dict)
    dry_run_steps: int = Field(default=10, ge=1, le=1000)
    confirm_steps: int = Field(default=5, ge=1, le=1000)
    confirm: list[ConfirmTolerance] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> PolicyPack:
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule ids: {duplicates}")
        limits: dict[BsClass, float] = {}
        for rule in self.rules:
            if isinstance(rule, TxPowerLimit):
                if rule.bs_class in limits and limits[rule.bs_class] != rule.max_dbm:
                    raise ValueError(f"contradictory tx_power_limit rules for {rule.bs_class.value}: "
                                     f"{limits[rule.bs_class]} dBm and {rule.max_dbm} dBm")
                limits[rule.bs_class] = rule.max_dbm
        return self

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"no rule {rule_id!r} in pack {self.name}; rules: {[r.id for r in self.rules]}")

    def bs_class(self, cell: int) -> BsClass:
        return self.cell_classes.get(cell, self.default_bs_class)

    def tx_power_limit(self, bs_class: BsClass | None = None) -> TxPowerLimit | None:
        """The transmit-power rule of a base-station class (default: the pack's default class)."""
        bs_class = bs_class or self.default_bs_class
        return next((r for r in self.rules if isinstance(r, TxPowerLimit) and r.bs_class == bs_class), None)

    def kpi_max(self, kpi: str) -> float | None:
        """The upper limit an enforced guardrail puts on a KPI, if any."""
        limits = [r.max for r in self.rules if isinstance(r, KpiLimit) and r.kpi == kpi and r.max is not None
                  and r.mode == Mode.ENFORCE]
        return min(limits, default=None)

    def slice_floor(self, slice_name: str) -> float:
        """The PRB share a slice keeps in every awake cell (0 where no rule guarantees one)."""
        return max((r.min_prb_ratio for r in self.rules if isinstance(r, SliceMinQuota) and r.slice == slice_name),
                   default=0.0)

    def max_step(self, parameter: str) -> float | None:
        """The largest single move of a parameter the pack allows, if it limits one."""
        return min((r.max_step for r in self.rules if isinstance(r, MaxStep) and r.parameter == parameter), default=None)


class PackError(ValueError):
    """A policy pack that cannot be read or does not validate; the message names the line."""


def load_pack(path: str | Path | None = None) -> PolicyPack:
    """Load a pack (default: the shipped `default.yaml`)."""
    path = Path(path) if path else PACKS_DIR / "default.yaml"
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"{path}: cannot read policy pack: {exc}") from exc
    try:
        return PolicyPack.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}:{_line_of(node, e['loc'])}: {'.'.join(map(str, e['loc'])) or 'pack'}: {e['msg']}"
                 for e in exc.errors()]
        raise PackError("invalid policy pack\n" + "\n".join(lines)) from exc


def _line_of(node: yaml.Node | None, loc: tuple) -> int:
    """1-based line of the deepest YAML node along a pydantic error location."""
    line = node.start_mark.line + 1 if node is not None else 1
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            if any(k.value == "kind" and v.value == key for k, v in node.value):
                continue  # the discriminator tag pydantic inserts, not a YAML key
            match = [v for k, v in node.value if k.value == str(key)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            continue
        line = node.start_mark.line + 1
    return line
