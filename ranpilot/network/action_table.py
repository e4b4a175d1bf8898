"""The one table of action kinds: for each action class, the `RanConfiguration` field it writes,
its parameter name in policy packs, the attribute carrying its value, the radio's hardware range
and the invariant the field must keep.

Everything that used to list action kinds by hand is derived from `ACTION_KINDS`: applying
actions and listing changes (`ranpilot.network.configuration`), the pack's `Parameter` names
(`PARAMETER_NAMES`), the rollback of a change (`setter`) and the E2SM-RC encoding
(`ranpilot.oran.e2.node`, which adds only the RC message of each kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from operator import attrgetter
from typing import Callable

import numpy as np

from ranpilot.network.actions import (
    Action, ActionError, SetCellSleep, SetCio, SetCsiPrediction, SetMuLayers, SetPowerVector, SetPrecoder,
    SetSliceQuota, SetSliceSteering, SetSsbBeams, SetTilt, SetTxPower, SetUeGuaranteedRate, SetUePMax, SetUeSteering,
)
from ranpilot.network.config import NetworkConfig
from ranpilot.network.mimo.config import PRECODER_CODES, ssb_l_max
from ranpilot.network.steering import STEERING_CODES

Limits = Callable[[NetworkConfig], tuple[float, float]]
Invariant = Callable[[np.ndarray, int, str], None]


def _tx_power_range(cfg: NetworkConfig) -> tuple[float, float]:
    return cfg.min_tx_power_dbm, cfg.max_tx_power_dbm


def _layer_range(cfg: NetworkConfig) -> tuple[float, float]:
    """A cell co-schedules at most one UE per port."""
    return 1, cfg.antenna.ports


def _ssb_beam_range(cfg: NetworkConfig) -> tuple[float, float]:
    """A cell sweeps at most one SSB beam per port and at most L_max (TS 38.213 4.1: 8 in FR1 above 3 GHz)."""
    return 1, min(cfg.antenna.ports, ssb_l_max(cfg.carrier_ghz))


def _keep_one_awake(asleep: np.ndarray, cell: int, field: str) -> None:
    if asleep.all():
        raise ActionError(field, "at least one cell must stay awake")


def _keep_quotas_within_one(quota: np.ndarray, cell: int, field: str) -> None:
    total = quota[cell].sum()
    if total > 1.0 + 1e-9:
        raise ActionError(field, f"slice quotas of cell {cell} sum to {total:.3f} > 1")


@dataclass(frozen=True)
class ActionKind:
    """One row of the table. `limits` is the hardware range checked by `Network.apply` (None: the
    action's own validation suffices); `invariant(field_values, cell, field_name)` raises
    ActionError when a write leaves the field inconsistent; `codes` names the values of a field
    that stores a choice by its index (the precoder)."""

    action: type[Action]
    field: str
    parameter: str
    value: str
    limits: Limits | None = None
    invariant: Invariant | None = None
    codes: tuple[str, ...] | None = None

    @property
    def per_slice(self) -> bool:
        """The value is one entry of a (cells x slices) field, chosen by the action's `slice`."""
        return "slice" in self.action.model_fields

    @property
    def per_ue(self) -> bool:
        """The value is one entry of a (cells x UEs) field, chosen by the action's `ue`."""
        return "ue" in self.action.model_fields

    @property
    def vector(self) -> bool:
        """The action sets the field of every cell at once (its value is a list in cell order)."""
        return "cell" not in self.action.model_fields


ACTION_KINDS: tuple[ActionKind, ...] = (
    ActionKind(SetTxPower, "tx_power_dbm", "tx_power_dbm", "tx_power_dbm", _tx_power_range),
    ActionKind(SetPowerVector, "tx_power_dbm", "tx_power_dbm", "tx_power_dbm", _tx_power_range),
    ActionKind(SetTilt, "tilt_deg", "tilt_deg", "tilt_deg", attrgetter("tilt_range_deg")),
    ActionKind(SetCio, "cio_db", "cio_db", "cio_db"),
    ActionKind(SetCellSleep, "asleep", "asleep", "asleep", invariant=_keep_one_awake),
    ActionKind(SetUePMax, "ue_p_max_dbm", "ue_p_max_dbm", "p_max_dbm", attrgetter("ue_p_max_range_dbm")),
    ActionKind(SetSliceQuota, "slice_quota", "min_prb_ratio", "min_prb_ratio", invariant=_keep_quotas_within_one),
    ActionKind(SetPrecoder, "precoder", "precoder", "precoder", codes=PRECODER_CODES),
    ActionKind(SetMuLayers, "mu_layers", "mu_layers", "layers", _layer_range),
    ActionKind(SetCsiPrediction, "csi_prediction", "csi_prediction", "enabled"),
    ActionKind(SetSliceSteering, "slice_steering", "slice_steering", "preference", codes=STEERING_CODES),
    ActionKind(SetUeSteering, "ue_steering", "ue_steering", "preference", codes=STEERING_CODES),
    ActionKind(SetUeGuaranteedRate, "ue_gbr_kbps", "ue_gbr_kbps", "dl_kbps"),
    ActionKind(SetSsbBeams, "ssb_beams", "ssb_beams", "n_beams", _ssb_beam_range),
)

_BY_ACTION = {kind.action: kind for kind in ACTION_KINDS}
# The per-cell kind of each parameter: the one that sets (or rolls back) a single cell's value.
CELL_KINDS = {kind.parameter: kind for kind in ACTION_KINDS if not kind.vector}
PARAMETER_NAMES: tuple[str, ...] = tuple(CELL_KINDS)


def kind_of(action: type[Action]) -> ActionKind | None:
    """The table row of an action class (None for a class that is not a network action)."""
    return _BY_ACTION.get(action)


def setter(parameter: str, cell: int, value: float, slice: str | None = None, ue: int | None = None) -> Action:
    """The action that sets `parameter` of `cell` (and `slice` or `ue`, for per-slice or per-UE
    parameters) to `value`."""
    kind = CELL_KINDS[parameter]
    where = {"slice": slice} if kind.per_slice else {"ue": ue} if kind.per_ue else {}
    # A Change holds every value as a float; actions take a flag as a bool, a count as an int and
    # a choice by its name.
    annotation = kind.action.model_fields[kind.value].annotation
    if kind.codes is not None:
        value = kind.codes[int(value)]
    elif annotation in (bool, int):
        value = annotation(value)
    return kind.action(cell=cell, **where, **{kind.value: value})


def per_cell_actions(action: Action) -> list[Action]:
    """`action` as actions of one cell each: a vector action becomes one setter per cell."""
    kind = _BY_ACTION[type(action)]
    if not kind.vector:
        return [action]
    return [setter(kind.parameter, cell, value) for cell, value in enumerate(getattr(action, kind.value))]
