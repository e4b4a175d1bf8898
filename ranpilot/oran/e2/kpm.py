"""The KPM measurements the simulated E2 node reports: TS 28.552 names and units, at the level and
in the ASN.1 type a real gNB reports them (srsRAN's E2SM-KPM provider: INTEGER PRB counts and
percentages, REAL throughput and delay).

| name | level | unit | clause (as srsRAN's KPM definitions cite it) |
| --- | --- | --- | --- |
| `DRB.UEThpDl` | cell (mean over its UEs), UE | kbit/s | 5.1.1.3.1 average DL UE throughput |
| `RRU.PrbUsedDl` | cell | PRBs (INTEGER) | 5.1.1.2.5 mean DL PRB used for data traffic |
| `RRU.PrbAvailDl` | cell | PRBs (INTEGER) | 5.1.1.2.6 DL total available PRB |
| `RRU.PrbTotDl` | cell | % (INTEGER) | 5.1.1.2.1 DL total PRB usage |
| `DRB.RlcSduDelayDl` | cell | 0.1 ms | 5.1.3.3.3 average delay DL in gNB-DU |
| `L1M.DL-SS-RSRP` | cell (mean over its UEs), UE | dBm | 7.10.7 mean DL SS-RSRP (`L1M.SS-RSRP` is the per-SSB distribution) |
| `L1M.DL-SS-SINR` | UE | dB | 7.10.8 mean DL SS-SINR |
| `PEE.AvgPower` | E2 node: the managed element, all its cells | W | 5.1.1.19.2.1 average power |
| `CQI` | UE | wideband CQI index (INTEGER) | none: ranpilot's own name |

These are what the E2 node reports; the network's own KPIs (`ranpilot.network.kpis`, e.g.
`DRB.RlcSduDelayDl` in ms) and the TS 28.312 targets keep their units.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Literal

import numpy as np

from ranpilot.network import Network

Level = Literal["cell", "node", "ue"]
RENAMED = {"L1M.SS-RSRP": "L1M.DL-SS-RSRP", "SINR": "L1M.DL-SS-SINR"}  # old ranpilot names -> TS 28.552


@dataclass(frozen=True)
class KpmMeasurement:
    name: str
    unit: str
    levels: tuple[Level, ...]
    integer: bool = False  # reported as an ASN.1 INTEGER (rounded), else REAL


MEASUREMENTS: dict[str, KpmMeasurement] = {m.name: m for m in (
    KpmMeasurement("DRB.UEThpDl", "kbit/s", ("cell", "ue")),
    KpmMeasurement("RRU.PrbUsedDl", "PRB", ("cell",), integer=True),
    KpmMeasurement("RRU.PrbAvailDl", "PRB", ("cell",), integer=True),
    KpmMeasurement("RRU.PrbTotDl", "%", ("cell",), integer=True),
    KpmMeasurement("DRB.RlcSduDelayDl", "0.1 ms", ("cell",)),
    KpmMeasurement("L1M.DL-SS-RSRP", "dBm", ("cell", "ue")),
    KpmMeasurement("L1M.DL-SS-SINR", "dB", ("ue",)),
    KpmMeasurement("PEE.AvgPower", "W", ("node",)),
    KpmMeasurement("CQI", "CQI index", ("ue",), integer=True),
)}


def offered(level: Level) -> list[str]:
    """The names the node reports at `level`."""
    return [m.name for m in MEASUREMENTS.values() if level in m.levels]


def unknown_measurements(names: list[str], per_ue: bool) -> str | None:
    """Why the node cannot report `names` (None: it can), with the TS 28.552 name of a renamed one."""
    supported = set(offered("cell")) | set(offered("node")) | (set(offered("ue")) if per_ue else set())
    unknown = [n for n in names if n not in supported]
    if not unknown:
        return None
    hints = "".join(f"; {old} is now {new} (TS 28.552)" for old, new in RENAMED.items() if old in unknown)
    return f"does not measure {sorted(unknown)}; it offers {sorted(supported)}{hints} " \
           "(the simulator is downlink-only, so DRB.UEThpUl is not available)"


def reported(name: str, value: float) -> float:
    """A value as the node reports it: INTEGER measurements rounded, NaN (nothing measured) kept."""
    return float(round(value)) if MEASUREMENTS[name].integer and math.isfinite(value) else float(value)


def cell_values(network: Network) -> tuple[dict[int, dict[str, float]], dict[str, float]]:
    """(cell -> cell-level values, node-level values) of the network now, in KPM units."""
    obs = network.observe()
    cells = {}
    for c in obs.cells:
        m = c.measurements
        cells[c.cell] = {"DRB.UEThpDl": m["DRB.UEThpDl"], "RRU.PrbUsedDl": m["RRU.PrbUsedDl"],
                         "RRU.PrbAvailDl": m["RRU.PrbAvailDl"], "RRU.PrbTotDl": m["RRU.PrbTotDl"],
                         "DRB.RlcSduDelayDl": 10.0 * m["DRB.RlcSduDelayDl"],  # ms -> 0.1 ms
                         "L1M.DL-SS-RSRP": m["L1M.SS-RSRP"]}  # the network's per-cell mean RSRP
    node = {"PEE.AvgPower": float(sum(c.measurements["PEE.AvgPower"] for c in obs.cells))}
    return cells, node


UE_VALUES: dict[str, Callable] = {
    "DRB.UEThpDl": lambda r: r.thp_bps / 1e3, "L1M.DL-SS-RSRP": lambda r: r.measured_rsrp_dbm,
    "L1M.DL-SS-SINR": lambda r: r.sinr_db, "CQI": lambda r: r.cqi,
}


def ue_values(network: Network, names: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """(serving cell of each UE, name -> per-UE values) for the UE-level names among `names`."""
    r = network.radio()
    return r.serving, {n: np.asarray(UE_VALUES[n](r), dtype=float) for n in names if n in UE_VALUES}
