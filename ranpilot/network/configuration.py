"""The operator-controlled configuration of the RAN and the pure function that applies actions to it,
both derived from the action table (`ranpilot.network.action_table`).

`Network.apply` uses `apply_actions` with hardware range checks; the verifier uses it without
them to see what a proposal *asks for* (say 80 dBm) and name the policy rule it breaks. Both
judge a batch by the configuration it ends in, never by the order of its actions.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ranpilot.network.action_table import CELL_KINDS, ActionKind, kind_of, setter
from ranpilot.network.actions import Action, ActionError
from ranpilot.network.config import NetworkConfig


@dataclass
class RanConfiguration:
    """Per-cell settings: transmit power, tilt, CIO, sleep, slice PRB quotas and steering (cells x
    slices), per-UE steering and guaranteed rates (cells x UEs), the
    UEs' maximum uplink power p-Max, and the MIMO precoder, layers, CSI prediction and SSB beams
    (used by multi-antenna cells only). Field names are those of `NetState` and of the action
    table's `ActionKind.field`."""

    tx_power_dbm: np.ndarray
    tilt_deg: np.ndarray
    cio_db: np.ndarray
    asleep: np.ndarray
    slice_quota: np.ndarray
    slice_steering: np.ndarray  # index into ranpilot.network.steering.STEERING_CODES, per cell and slice
    ue_steering: np.ndarray  # the same, per cell and UE (NONE: the UE's slice preference applies)
    ue_gbr_kbps: np.ndarray  # DL bit rate guaranteed to a UE by a cell serving it, per cell and UE
    ue_p_max_dbm: np.ndarray
    precoder: np.ndarray  # index into ranpilot.network.mimo.config.PRECODER_CODES
    mu_layers: np.ndarray
    csi_prediction: np.ndarray
    ssb_beams: np.ndarray  # SSB beams swept (multi-antenna cells)

    @classmethod
    def of(cls, source: object) -> RanConfiguration:
        """A copy of the configuration fields of `source` (anything with same-named arrays, e.g. a NetState)."""
        return cls(**{f.name: getattr(source, f.name).copy() for f in fields(cls)})

    def install(self, target: object) -> None:
        """Write a copy of every field onto the same-named attribute of `target`."""
        for f in fields(self):
            setattr(target, f.name, getattr(self, f.name).copy())

    def copy(self) -> RanConfiguration:
        return RanConfiguration.of(self)

    def equals(self, other: RanConfiguration) -> bool:
        return all(np.array_equal(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))

    def changes(self, after: RanConfiguration, slices: list[str]) -> list[Change]:
        """Every (cell, parameter[, slice or UE]) whose value differs in `after`, in action-table order."""
        out = []
        for kind in CELL_KINDS.values():
            a, b = getattr(self, kind.field), getattr(after, kind.field)
            for index in zip(*np.nonzero(a != b)):
                slice_ = slices[index[1]] if kind.per_slice else None
                ue = int(index[1]) if kind.per_ue else None
                out.append(Change(int(index[0]), kind.parameter, float(a[index]), float(b[index]), slice_, ue))
        return out


@dataclass(frozen=True)
class Change:
    cell: int
    parameter: str
    before: float
    after: float
    slice: str | None = None
    ue: int | None = None  # the UE of a per-UE parameter

    @property
    def direction(self) -> int:
        return int(np.sign(self.after - self.before))


def action_for_change(change: Change) -> Action:
    """The action that sets the changed (cell, parameter[, slice or UE]) to `change.after`: applied to
    the configuration `changes` was called on, the actions for all its changes give `after`."""
    return setter(change.parameter, change.cell, change.after, change.slice, change.ue)


def changed_cells(conf: RanConfiguration, actions: list[Action], cfg: NetworkConfig) -> set[int]:
    """The cells whose configuration the actions would change (a power vector counts only the
    cells whose power it moves); ActionError when the actions cannot apply."""
    after = apply_actions(conf, actions, cfg, check_ranges=False)
    return {c.cell for c in conf.changes(after, [s.name for s in cfg.slices])}


def apply_actions(
    conf: RanConfiguration, actions: list[Action], cfg: NetworkConfig, check_ranges: bool = True
) -> RanConfiguration:
    """A new configuration with the actions applied in order; `conf` is not modified.

    Raises ActionError naming the field for an unknown cell or slice, a non-finite value, or a
    final configuration that breaks a field's invariant or (with check_ranges) the radio's
    hardware range. Ranges and invariants are judged on the batch's final configuration, naming
    the action that last wrote the offending value: the order of a batch never changes whether
    it is valid (`[80 dBm, 46 dBm]` on one cell is 46 dBm, as `[46, 80]` is 80 dBm)."""
    new = conf.copy()
    written: dict[tuple, tuple[ActionKind, str]] = {}  # (field, cell[, slice]) -> (kind, the field that wrote it)
    for index, action in enumerate(actions):
        where = f"actions[{index}]"
        kind = kind_of(type(action))
        if kind is None:
            raise ActionError(f"{where}.type", f"unknown action {type(action).__name__}")
        apply = _apply_vector if kind.vector else _apply_cell
        for key, field in apply(new, kind, action, where, cfg):
            written[(kind.field, *key)] = (kind, field)
    _check_final(new, written, cfg, check_ranges)
    return new


def _apply_vector(c: RanConfiguration, kind: ActionKind, action: Action, where: str, cfg: NetworkConfig) -> list:
    """Set the field of every cell (one finite value per cell); returns each (cell,) written and its field name."""
    target, values = getattr(c, kind.field), np.asarray(getattr(action, kind.value), dtype=float)
    field = f"{where}.{kind.value}"
    if values.shape != target.shape:
        raise ActionError(field, f"expected {len(target)} values, got {len(values)}")
    for cell, value in enumerate(values):
        _check_finite(kind, f"{field}[{cell}]", value)
    target[:] = values
    return [((cell,), f"{field}[{cell}]") for cell in range(len(values))]


def _apply_cell(c: RanConfiguration, kind: ActionKind, action: Action, where: str, cfg: NetworkConfig) -> list:
    """Set one cell's (or one cell's slice's) value; returns the (cell[, slice]) written and its field name."""
    target, cell, field = getattr(c, kind.field), action.cell, f"{where}.{kind.value}"
    if not 0 <= cell < len(target):
        raise ActionError(f"{where}.cell", f"unknown cell {cell}; cells are 0..{len(target) - 1}")
    index = (cell, _slice_index(action.slice, f"{where}.slice", cfg)) if kind.per_slice else (cell,)
    if kind.per_ue:
        if not 0 <= action.ue < target.shape[1]:
            raise ActionError(f"{where}.ue", f"unknown UE {action.ue}; UEs are 0..{target.shape[1] - 1}")
        index = (cell, action.ue)
    value = getattr(action, kind.value)
    _check_finite(kind, field, value)
    target[index] = value if kind.codes is None else kind.codes.index(value)
    return [(index, field)]


def _slice_index(name: str, field: str, cfg: NetworkConfig) -> int:
    names = [s.name for s in cfg.slices]
    if name not in names:
        raise ActionError(field, f"unknown slice {name!r}; known: {names}")
    return names.index(name)


def _check_finite(kind: ActionKind, field: str, value: float) -> None:
    """Values with a hardware range must be finite numbers (whatever a later action writes)."""
    if kind.limits is not None and not np.isfinite(value):
        raise ActionError(field, f"{value} is not a finite number")


def _check_final(c: RanConfiguration, written: dict, cfg: NetworkConfig, check_ranges: bool) -> None:
    """Every written value within its hardware range (with `check_ranges`), then every written
    field's invariant, on the final configuration."""
    for (name, *index), (kind, field) in written.items():
        value = getattr(c, name)[tuple(index)]
        if check_ranges and kind.limits is not None:
            lo, hi = kind.limits(cfg)
            if not lo <= value <= hi:
                raise ActionError(field, f"{value:g} outside [{lo:g}, {hi:g}]")
    for (name, cell, *_), (kind, field) in reversed(written.items()):  # name the latest writer
        if kind.invariant is not None:
            kind.invariant(getattr(c, name), cell, field)
