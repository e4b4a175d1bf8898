"""Traffic steering preferences (the lever of an A1 Traffic Steering Preference policy, A1TD
clause 7.2.3): per cell and slice, a preference the serving-cell selection of each UE of that
slice applies (`select_serving`'s `ue_bias_db`).

| preference | effect on the A3 ranking (RSRP + CIO) of the cell, for UEs of the slice |
| --- | --- |
| NONE | none (the default: the network behaves as without steering) |
| PREFER / AVOID | + / - `STEERING_OFFSET_DB` |
| SHALL | the UE is served by a SHALL cell of its slice: every other cell is ruled out |
| FORBID | the cell is ruled out |

A UE for which every awake cell is ruled out is ranked without steering (it is never left
unserved). Preferences are stored by index into `STEERING_CODES` (NetState.slice_steering, C x L).

A preference may also be set for one UE (NetState.ue_steering, C x N: an A1 policy scoped to a UE);
where it is not NONE it replaces that UE's slice preference for the cell, then the same rules apply.
"""

from __future__ import annotations

import numpy as np

STEERING_CODES = ("NONE", "SHALL", "PREFER", "AVOID", "FORBID")
STEERING_OFFSET_DB = 6.0
_NONE, _SHALL, _PREFER, _AVOID, _FORBID = range(len(STEERING_CODES))


def ue_bias_db(slice_steering: np.ndarray, ue_slice: np.ndarray,
               ue_steering: np.ndarray | None = None) -> np.ndarray | None:
    """(N, C) dB added to each UE's ranking of each cell (-inf: ruled out); None without any preference.
    `ue_steering` (C, N) or None: per-UE preferences, overriding the slice's where not NONE."""
    per_ue = ue_steering is not None and ue_steering.any()
    if not slice_steering.any() and not per_ue:
        return None
    codes = slice_steering.T[ue_slice]  # (N, C): the preference for each cell of the UE's slice
    if per_ue:
        codes = np.where(ue_steering.T != _NONE, ue_steering.T, codes)
    bias = np.zeros(codes.shape)
    bias[codes == _PREFER] = STEERING_OFFSET_DB
    bias[codes == _AVOID] = -STEERING_OFFSET_DB
    bias[codes == _FORBID] = -np.inf
    bound = (codes == _SHALL).any(axis=1)
    bias[bound[:, None] & (codes != _SHALL)] = -np.inf
    return bias


def with_fallback(metric: np.ndarray, steered: np.ndarray) -> np.ndarray:
    """`steered` ranking, except for UEs it leaves without any cell, which keep `metric`."""
    stranded = ~np.isfinite(steered).any(axis=1) & np.isfinite(metric).any(axis=1)
    return np.where(stranded[:, None], metric, steered)
