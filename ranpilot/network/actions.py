"""Typed network actions. A batch is applied atomically by `Network.apply`.

Each action is a pydantic model tagged by `type`, so a JSON list of actions parses with
`parse_actions`. Physical ranges (hardware limits of the simulated radio) are checked by the
network; operator and regulatory limits are the verifier's business (`ranpilot.policies`).
"""

from __future__ import annotations

from typing import Annotated, Literal, Union

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class ActionError(ValueError):
    """An action cannot be applied; `field` names the offending field (e.g. `actions[2].cell`)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class _Action(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class SetTxPower(_Action):
    """Set the total transmit power of one cell."""

    type: Literal["set_tx_power"] = "set_tx_power"
    cell: int = Field(ge=0)
    tx_power_dbm: float


class SetPowerVector(_Action):
    """Set every cell's transmit power at once (one entry per cell, in cell order)."""

    type: Literal["set_power_vector"] = "set_power_vector"
    tx_power_dbm: list[float] = Field(min_length=1)


class SetTilt(_Action):
    """Set the electrical downtilt (beam elevation) of one cell."""

    type: Literal["set_tilt"] = "set_tilt"
    cell: int = Field(ge=0)
    tilt_deg: float


class SetCio(_Action):
    """Set the cell individual offset used in A3 handover ranking (TS 38.331 range -24..24 dB)."""

    type: Literal["set_cio"] = "set_cio"
    cell: int = Field(ge=0)
    cio_db: float = Field(ge=-24.0, le=24.0)


class SetSliceQuota(_Action):
    """Set a slice's guaranteed PRB share in one cell (E2SM-RC slice-level min PRB ratio)."""

    type: Literal["set_slice_quota"] = "set_slice_quota"
    cell: int = Field(ge=0)
    slice: str
    min_prb_ratio: float = Field(ge=0.0, le=1.0)


class SetCellSleep(_Action):
    """Put a cell to sleep (no transmission, sleep power) or wake it up."""

    type: Literal["set_cell_sleep"] = "set_cell_sleep"
    cell: int = Field(ge=0)
    asleep: bool


class SetUePMax(_Action):
    """Set p-Max, the maximum uplink power UEs may use in a cell (TS 38.331 SIB1, range -30..33 dBm)."""

    type: Literal["set_ue_p_max"] = "set_ue_p_max"
    cell: int = Field(ge=0)
    p_max_dbm: float


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
