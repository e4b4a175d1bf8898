"""The operator-controlled configuration of the RAN and the pure function that applies actions to it.

`Network.apply` uses `apply_actions` with hardware range checks; the verifier uses it without
them to see what a proposal *asks for* (say 80 dBm) and name the policy rule it breaks.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network.actions import (
    Action, ActionError, SetCellSleep, SetCio, SetPowerVector, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
)
from ranpilot.network.config import NetworkConfig

PARAMETERS = ("tx_power_dbm", "tilt_deg", "cio_db", "asleep", "min_prb_ratio", "ue_p_max_dbm")


@dataclass
class RanConfiguration:
    """Per-cell settings: transmit power, tilt, CIO, sleep, slice PRB quotas (cells x slices) and
    the UEs' maximum uplink power p-Max."""

    tx_power_dbm: np.ndarray
    tilt_deg: np.ndarray
    cio_db: np.ndarray
    asleep: np.ndarray
    slice_quota: np.ndarray
    ue_p_max_dbm: np.ndarray

    def copy(self) -> RanConfiguration:
        return RanConfiguration(*(getattr(self, f).copy() for f in self.__dataclass_fields__))

    def equals(self, other: RanConfiguration) -> bool:
        return all(np.array_equal(getattr(self, f), getattr(other, f)) for f in self.__dataclass_fields__)

    def changes(self, after: RanConfiguration, slices: list[str]) -> list[Change]:
        """Every (cell, parameter) whose value differs in `after`."""
        out = []
        for name in ("tx_power_dbm", "tilt_deg", "cio_db", "asleep", "ue_p_max_dbm"):
            a, b = getattr(self, name), getattr(after, name)
            for cell in np.flatnonzero(a != b):
                out.append(Change(int(cell), name, float(a[cell]), float(b[cell])))
        for cell, index in zip(*np.nonzero(self.slice_quota != after.slice_quota)):
            out.append(Change(int(cell), "min_prb_ratio", float(self.slice_quota[cell, index]),
                              float(after.slice_quota[cell, index]), slices[index]))
        return out


@dataclass(frozen=True)
class Change:
    cell: int
    parameter: str
    before: float
    after: float
    slice: str | None = None

    @property
    def direction(self) -> int:
        return int(np.sign(self.after - self.before))


def apply_actions(
    conf: RanConfiguration, actions: list[Action], cfg: NetworkConfig, check_ranges: bool = True
) -> RanConfiguration:
    """A new configuration with the actions applied in order; `conf` is not modified.

    Raises ActionError naming the field for an unknown cell or slice, an inconsistent batch,
    or (with check_ranges) a value outside the radio's hardware range."""
    new = conf.copy()
    for index, action in enumerate(actions):
        _apply_one(new, action, f"actions[{index}]", cfg, check_ranges)
    return new


def _apply_one(c: RanConfiguration, action: Action, where: str, cfg: NetworkConfig, check: bool) -> None:
    n_cells = len(c.tx_power_dbm)
    if isinstance(action, SetPowerVector):
        values = np.asarray(action.tx_power_dbm, dtype=float)
        if values.shape != c.tx_power_dbm.shape:
            raise ActionError(f"{where}.tx_power_dbm", f"expected {n_cells} values, got {len(values)}")
        for cell, value in enumerate(values):
            _check_range(f"{where}.tx_power_dbm[{cell}]", value, cfg.min_tx_power_dbm, cfg.max_tx_power_dbm, check)
        c.tx_power_dbm[:] = values
        return
    cell = action.cell
    if not 0 <= cell < n_cells:
        raise ActionError(f"{where}.cell", f"unknown cell {cell}; cells are 0..{n_cells - 1}")
    if isinstance(action, SetTxPower):
        _check_range(f"{where}.tx_power_dbm", action.tx_power_dbm, cfg.min_tx_power_dbm, cfg.max_tx_power_dbm, check)
        c.tx_power_dbm[cell] = action.tx_power_dbm
    elif isinstance(action, SetTilt):
        _check_range(f"{where}.tilt_deg", action.tilt_deg, *cfg.tilt_range_deg, check)
        c.tilt_deg[cell] = action.tilt_deg
    elif isinstance(action, SetCio):
        c.cio_db[cell] = action.cio_db
    elif isinstance(action, SetUePMax):
        _check_range(f"{where}.p_max_dbm", action.p_max_dbm, *cfg.ue_p_max_range_dbm, check)
        c.ue_p_max_dbm[cell] = action.p_max_dbm
    elif isinstance(action, SetCellSleep):
        c.asleep[cell] = action.asleep
        if c.asleep.all():
            raise ActionError(f"{where}.asleep", "at least one cell must stay awake")
    elif isinstance(action, SetSliceQuota):
        names = [s.name for s in cfg.slices]
        if action.slice not in names:
            raise ActionError(f"{where}.slice", f"unknown slice {action.slice!r}; known: {names}")
        c.slice_quota[cell, names.index(action.slice)] = action.min_prb_ratio
        total = c.slice_quota[cell].sum()
        if total > 1.0 + 1e-9:
            raise ActionError(f"{where}.min_prb_ratio", f"slice quotas of cell {cell} sum to {total:.3f} > 1")
    else:
        raise ActionError(f"{where}.type", f"unknown action {type(action).__name__}")


def _check_range(field: str, value: float, lo: float, hi: float, check: bool) -> None:
    if not np.isfinite(value):
        raise ActionError(field, f"{value} is not a finite number")
    if check and not lo <= value <= hi:
        raise ActionError(field, f"{value} outside [{lo}, {hi}]")

