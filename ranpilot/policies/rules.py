"""The rules a policy pack declares, one pydantic model per kind, validated at load.

Every rule has an `id`, a `description`, a `severity` (deny | warn | needs_approval), a
`mode` (enforce | dryrun: evaluated and reported, never blocking) and a `source` (a spec
clause such as "TS 38.104 6.2", or "operator"). Numbers must be finite and plausible: a NaN
or an infinity would silently switch a rule off (every comparison with NaN is false), so the
models refuse them, as they refuse negative windows and limits no radio or percentage can have.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator, model_validator

from ranpilot.network.action_table import PARAMETER_NAMES
from ranpilot.network.mimo.config import PRECODER_CODES
from ranpilot.targets import spec

Parameter = Literal[PARAMETER_NAMES]  # the action table's parameter names: tx_power_dbm, tilt_deg, ...
#: Settings shared by every pack model: no unknown keys, immutable, finite numbers only.
PACK_MODEL = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
#: A transmit-power limit a radio could plausibly have, in dBm.
Dbm = Annotated[float, Field(ge=-30.0, le=80.0)]


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
    model_config = PACK_MODEL

    id: str = Field(pattern=r"^[a-z0-9_.-]+$")
    description: str
    severity: Severity = Severity.DENY
    mode: Mode = Mode.ENFORCE
    source: str


class TxPowerLimit(BaseRule):
    """Cells of a base-station class may not transmit above `max_dbm`."""

    kind: Literal["tx_power_limit"]
    bs_class: BsClass
    max_dbm: Dbm


class UePowerLimit(BaseRule):
    """p-Max may not allow UEs above `max_dbm` (their power class, e.g. 23 dBm for class 3)."""

    kind: Literal["ue_power_limit"]
    max_dbm: Dbm


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
    """At most `max_changes` applied proposals touching a cell within `window_s` (frequency limiter)."""

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


class MimoLayersLimit(BaseRule):
    """A cell co-schedules at most `max_layers` UEs per PRB group, and never more than its ports
    (`max_layers` unset: the ports alone bound it)."""

    kind: Literal["mimo_layers_limit"]
    max_layers: int | None = Field(default=None, ge=1, le=64)


class PrecoderModes(BaseRule):
    """Multi-antenna cells may only be switched to these precoders."""

    kind: Literal["precoder_modes"]
    allowed: list[Literal[PRECODER_CODES]] = Field(min_length=1)


class SsbBeamSizes(BaseRule):
    """A multi-antenna cell sweeps one of the `allowed` SSB beam set sizes, never more than its
    ports nor L_max (TS 38.213 4.1; `allowed` unset: those bound it alone)."""

    kind: Literal["ssb_beam_sizes"]
    allowed: list[Annotated[int, Field(ge=1, le=64)]] | None = Field(default=None, min_length=1)


class UeGuaranteeShare(BaseRule):
    """A UE's guaranteed DL rate in a cell may take at most `max_prb_share` of the cell's PRBs, and
    the guarantees of all UEs of a cell at most `max_cell_share`, at the UEs' current link quality."""

    kind: Literal["ue_guarantee_share"]
    max_prb_share: float = Field(gt=0, le=1)
    max_cell_share: float = Field(gt=0, le=1)


class MaxAsleepNeighbours(BaseRule):
    """Within `radius_m` of any site, at most `max_asleep` cells asleep at once."""

    kind: Literal["max_asleep_neighbours"]
    max_asleep: int = Field(ge=0)
    radius_m: float = Field(gt=0)


class KpiLimit(BaseRule):
    """Dry-run guardrail on a network KPI (keyed by the pack's `kpi` name). Beyond `max` (or
    `min`), only a change the paired dry run predicts to improve the KPI, or to leave it
    unchanged, passes: a network already beyond the limit is not blamed on the proposal, but no
    proposal may take it further. With `max_drift`, the predicted value may also move at most
    that far (in the worse direction) from the KPI's value when the pack's drift window began,
    so many small steps cannot add up to a breach."""

    kind: Literal["kpi_limit"]
    kpi: str
    max: float | None = None
    min: float | None = None
    max_drift: float | None = Field(default=None, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _no_tolerance(cls, data: object) -> object:
        if isinstance(data, dict) and "tolerance" in data:
            raise ValueError("tolerance was removed: beyond the limit no change may make the KPI worse; "
                             "bound how far it may move per window with max_drift")
        return data

    @field_validator("max", "min", "max_drift")
    @classmethod
    def _a_percentage(cls, value: float | None, info: ValidationInfo) -> float | None:
        """A KPI measured in % can only have limits and budgets within 0-100."""
        if value is not None and _unit(info.data.get("kpi")) == "%" and not 0 <= value <= 100:
            raise ValueError(f"{info.data['kpi']} is a percentage: {value:g} is outside 0-100")
        return value

    @model_validator(mode="after")
    def _one_bound(self) -> KpiLimit:
        if self.max is None and self.min is None:
            raise ValueError("give max or min")
        if self.max is not None and self.min is not None and self.min > self.max:
            raise ValueError(f"min {self.min} is above max {self.max}: contradictory")
        return self


def _unit(kpi: str | None) -> str | None:
    """The unit of a KPI the target registry knows (None for others, e.g. a TS 28.552 counter)."""
    try:
        return spec(kpi).unit if kpi else None
    except KeyError:
        return None


class SliceSla(BaseRule):
    """Dry-run guardrail: no slice's mean UE throughput below its SLA less `tolerance_mbps`,
    unless the change does not lower it (the same no-creep rule as `kpi_limit`)."""

    kind: Literal["slice_sla"]
    tolerance_mbps: float = Field(default=0.0, ge=0)


class CoverageKept(BaseRule):
    """Dry-run guardrail: of the UEs whose cell goes to sleep, at most `max_uncovered_pct` end
    below the weak-RSRP threshold."""

    kind: Literal["coverage_kept"]
    max_uncovered_pct: float = Field(ge=0, le=100)


class Conflict(BaseRule):
    """Another owner (another run, A1 policy instance or manual proposal; the verifier learns it
    from the code that made the proposal, never from its text) changed the same parameter of the
    same cell (for a per-UE parameter, of the same UE) in the opposite direction within `window_s`."""

    kind: Literal["conflict"]
    window_s: float = Field(gt=0)


Rule = Annotated[
    Union[TxPowerLimit, UePowerLimit, EmfSiteCap, MaxStep, ChangeRate, ProtectedCells, MaintenanceWindow, SliceQuotaSum,
          SliceMinQuota, MaxAsleepNeighbours, KpiLimit, SliceSla, CoverageKept, Conflict, MimoLayersLimit, PrecoderModes,
          UeGuaranteeShare, SsbBeamSizes],
    Field(discriminator="kind"),
]
