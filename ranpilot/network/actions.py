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
Number = Annotated[float, BeforeValidator(_number)]
Flag = Annotated[bool, BeforeValidator(_flag)]
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


Action = Annotated[
    Union[SetTxPower, SetPowerVector, SetTilt, SetCio, SetSliceQuota, SetCellSleep, SetUePMax],
    Field(discriminator="type"),
]

_ACTIONS = TypeAdapter(list[Action])


def parse_actions(data: object) -> list[Action]:
    """Validate a JSON-like list of actions; raises pydantic.ValidationError naming the field."""
    return _ACTIONS.validate_python(data)


def dump_actions(actions: list[Action]) -> list[dict]:
    """JSON-ready form of a list of actions."""
    return _ACTIONS.dump_python(actions, mode="json")
