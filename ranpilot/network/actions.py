"""Typed network actions. A batch is applied atomically by `Network.apply`.

Each action is a pydantic model tagged by `type`, so a JSON list of actions parses with
`parse_actions`. Fields are strict: no bool for a number or a cell, no string for a number, no
unknown keys; the error names the field. Physical ranges (hardware limits of the simulated
radio) are checked by the network; operator and regulatory limits are the verifier's business
(`ranpilot.policies`).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

import numpy as np
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Strict, TypeAdapter
from pydantic_core import PydanticCustomError

from ranpilot.network.mimo.config import PRECODER_CODES


class ActionError(ValueError):
    """An action cannot be applied; `field` names the offending field (e.g. `actions[2].cell`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


def _integer(value: object) -> int:
    """An index is an int (numpy's too): never a bool, a float or a string, which lax parsing
    would quietly turn into a cell (`true` into cell 1, `"3"` into cell 3)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise PydanticCustomError("int_type", "Input should be an integer, not {kind}", {"kind": type(value).__name__})
    return int(value)


def _number(value: object) -> float:
    """A quantity is a finite int or float (numpy's too): never a bool, a string, NaN or infinity."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise PydanticCustomError("float_type", "Input should be a number, not {kind}", {"kind": type(value).__name__})
    if not np.isfinite(value):
        raise PydanticCustomError("finite_number", "{value} is not a finite number", {"value": value})
    return float(value)


def _flag(value: object) -> bool:
    """A switch is a bool (numpy's too): never 0/1 or a string."""
    if not isinstance(value, (bool, np.bool_)):
        raise PydanticCustomError("bool_type", "Input should be a boolean, not {kind}", {"kind": type(value).__name__})
    return bool(value)


# Strict field types: JSON from an operator or a model must say exactly what it means; numpy
# scalars from our own planners are accepted.
Cell = Annotated[int, BeforeValidator(_integer), Field(ge=0)]
Ue = Annotated[int, BeforeValidator(_integer), Field(ge=0)]  # a UE's index in the network
Number = Annotated[float, BeforeValidator(_number)]
Flag = Annotated[bool, BeforeValidator(_flag)]
Layers = Annotated[int, BeforeValidator(_integer), Field(ge=1, le=64)]
SsbBeamCount = Annotated[int, BeforeValidator(_integer), Field(ge=1, le=64)]  # TS 38.213 4.1: L_max <= 64
Name = Annotated[str, Strict()]


class _Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SetTxPower(_Action):
    """Set the total transmit power of one cell."""

    type: Literal["set_tx_power"] = "set_tx_power"
    cell: Cell
    tx_power_dbm: Number


class SetPowerVector(_Action):
    """Set every cell's transmit power at once (one entry per cell, in cell order)."""

    type: Literal["set_power_vector"] = "set_power_vector"
    tx_power_dbm: list[Number] = Field(min_length=1)


class SetTilt(_Action):
    """Set the electrical downtilt (beam elevation) of one cell."""

    type: Literal["set_tilt"] = "set_tilt"
    cell: Cell
    tilt_deg: Number


class SetCio(_Action):
    """Set the cell individual offset used in A3 handover ranking (TS 38.331 range -24..24 dB)."""

    type: Literal["set_cio"] = "set_cio"
    cell: Cell
    cio_db: Number = Field(ge=-24.0, le=24.0)


class SetSliceQuota(_Action):
    """Set a slice's guaranteed PRB share in one cell (E2SM-RC slice-level min PRB ratio)."""

    type: Literal["set_slice_quota"] = "set_slice_quota"
    cell: Cell
    slice: Name
    min_prb_ratio: Number = Field(ge=0.0, le=1.0)


class SetCellSleep(_Action):
    """Put a cell to sleep (no transmission, sleep power) or wake it up."""

    type: Literal["set_cell_sleep"] = "set_cell_sleep"
    cell: Cell
    asleep: Flag


class SetUePMax(_Action):
    """Set p-Max, the maximum uplink power UEs may use in a cell (TS 38.331 SIB1, range -30..33 dBm)."""

    type: Literal["set_ue_p_max"] = "set_ue_p_max"
    cell: Cell
    p_max_dbm: Number


class SetPrecoder(_Action):
    """Set how a multi-antenna cell computes its MU-MIMO beams (`ranpilot.network.mimo`): maximum
    ratio, zero forcing, regularized zero forcing, the min-power SOCP, the UEs' reported Type-I
    codebook beams (alone or zero-forced), or sum-rate WMMSE."""

    type: Literal["set_precoder"] = "set_precoder"
    cell: Cell
    precoder: Literal[PRECODER_CODES]


class SetMuLayers(_Action):
    """Set how many UEs a multi-antenna cell may co-schedule on a PRB group (1: single-user)."""

    type: Literal["set_mu_layers"] = "set_mu_layers"
    cell: Cell
    layers: Layers


class SetCsiPrediction(_Action):
    """Switch a multi-antenna cell between precoding with its last CSI report and with that report
    predicted to the scheduling instant (`channel_prediction`)."""

    type: Literal["set_csi_prediction"] = "set_csi_prediction"
    cell: Cell
    enabled: Flag


class SetSsbBeams(_Action):
    """Set how many SSB beams a multi-antenna cell sweeps (`ranpilot.network.mimo.ssb`): more beams
    give each UE a stronger best beam (SS-RSRP, coverage) and take more DL resources for SSBs."""

    type: Literal["set_ssb_beams"] = "set_ssb_beams"
    cell: Cell
    n_beams: SsbBeamCount


class SetSliceSteering(_Action):
    """Set how a slice's UEs treat one cell in serving-cell selection (A1TD traffic steering
    preference; `ranpilot.network.steering`): NONE, SHALL, PREFER, AVOID or FORBID."""

    type: Literal["set_slice_steering"] = "set_slice_steering"
    cell: Cell
    slice: Name
    preference: Literal["NONE", "SHALL", "PREFER", "AVOID", "FORBID"]


class SetUeSteering(_Action):
    """Set how one UE treats one cell in serving-cell selection (an A1 traffic steering preference
    scoped to that UE): NONE (its slice's preference applies), SHALL, PREFER, AVOID or FORBID."""

    type: Literal["set_ue_steering"] = "set_ue_steering"
    cell: Cell
    ue: Ue
    preference: Literal["NONE", "SHALL", "PREFER", "AVOID", "FORBID"]


class SetUeGuaranteedRate(_Action):
    """Set the DL bit rate (kbit/s) the scheduler of one cell guarantees one UE while serving it,
    before slice quotas and fair sharing (an A1 UE level target; 0: no guarantee)."""

    type: Literal["set_ue_guaranteed_rate"] = "set_ue_guaranteed_rate"
    cell: Cell
    ue: Ue
    dl_kbps: Number = Field(ge=0.0)


Action = Annotated[
    Union[SetTxPower, SetPowerVector, SetTilt, SetCio, SetSliceQuota, SetCellSleep, SetUePMax, SetPrecoder,
          SetMuLayers, SetCsiPrediction, SetSliceSteering, SetUeSteering, SetUeGuaranteedRate, SetSsbBeams],
    Field(discriminator="type"),
]

_ACTIONS = TypeAdapter(list[Action])


def parse_actions(data: object) -> list[Action]:
    """Validate a JSON-like list of actions; raises pydantic.ValidationError naming the field."""
    return _ACTIONS.validate_python(data)


def dump_actions(actions: list[Action]) -> list[dict]:
    """JSON-ready form of a list of actions."""
    return _ACTIONS.dump_python(actions, mode="json")
