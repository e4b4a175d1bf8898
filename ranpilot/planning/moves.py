"""Model-free local search moves: one lever, one step, on the cells that matter for a target.

Levers are transmit power, electrical tilt, CIO, sleep and slice PRB quotas (and, on multi-antenna
cells, the precoder, MU-MIMO layers, CSI prediction and the SSB beam set), each moved by the
pack's step limit (scaled by the round's `step_scale`) and clipped to the radio's ranges. The
cells a move may touch (`lever_cells`) are the target's cells and the strongest interferers of the
UEs they serve, inside the operator's scope: a single-cell target is often served best by its
neighbours. Moves come in two kinds: every lever cell at once (a group move), and each of the few
cells whose UEs fare worst on the target alone (a cell move).
"""

from __future__ import annotations

import numpy as np

from ranpilot.network import Action, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower
from ranpilot.network.actions import SetCsiPrediction, SetMuLayers, SetPrecoder, SetSsbBeams
from ranpilot.network.action_table import kind_of
from ranpilot.network.mimo.config import PRECODER_CODES
from ranpilot.planning.situation import Candidate, Situation
from ranpilot.targets import Target

CIO_RANGE_DB = 24.0  # TS 38.331
QUOTA_STEP = 0.1
QUOTA_TOTAL = 0.98  # the quotas of a cell leave the rest to the scheduler

POWER, TILT, CIO = ("tx_power_dbm", 3.0), ("tilt_deg", 2.0), ("cio_db", 3.0)  # parameter, default step


def lever_cells(s: Situation, scope: list[int], interferers: int) -> list[int]:
    """The target's cells and, for a part of the network, the strongest interferers of the UEs
    they serve (by received power), all inside the operator's `scope`."""
    cells = set(s.cells)
    if len(cells) < s.network.num_cells:
        ues = s.served_by(s.cells)
        if len(ues):
            conf = s.network.configuration()
            heard = s.gains_linear()[ues] * (10 ** (conf.tx_power_dbm / 10) * ~conf.asleep)[None, :]
            order = np.argsort(-heard.sum(axis=0))
            cells |= {int(c) for c in [c for c in order if c not in cells and c in scope][:interferers]}
    return sorted(c for c in cells if c in scope)


def focus_cells(s: Situation, levers: list[int], count: int) -> list[int]:
    """The lever cells whose UEs fare worst on the target (most loaded for load and latency,
    least loaded for energy), at most `count` of them."""
    net = s.network
    radio, load = net.radio(), net.cell_load()
    n = net.num_cells
    served = np.bincount(radio.serving, minlength=n).astype(float)
    mean_sinr = np.bincount(radio.serving, weights=radio.sinr_db, minlength=n) / np.maximum(served, 1)
    badness = {
        Target.AVE_DL_PRB_LOAD: load, Target.HIGH_DL_PRB_LOAD_RATIO: load, Target.DL_LATENCY: load,
        Target.RAN_ENERGY_CONSUMPTION: -load, Target.RAN_ENERGY_EFFICIENCY: -load,
    }.get(s.target, -mean_sinr + 0.01 * served)
    awake = [c for c in levers if not net.configuration().asleep[c]]
    return sorted(awake, key=lambda c: -badness[c])[:count]


def _power(s: Situation, cells: list[int], sign: float) -> list[Action]:
    now, lo = s.network.configuration().tx_power_dbm, s.network.config.min_tx_power_dbm
    step = s.step(*POWER)
    new = {c: float(np.clip(now[c] + sign * step, lo, s.power_cap_dbm(c))) for c in cells}
    return [SetTxPower(cell=c, tx_power_dbm=round(v, 2)) for c, v in new.items() if abs(v - now[c]) > 0.05]


def _tilt(s: Situation, cells: list[int], sign: float) -> list[Action]:
    now, (lo, hi) = s.network.configuration().tilt_deg, s.network.config.tilt_range_deg
    new = {c: float(np.clip(now[c] + sign * s.step(*TILT), lo, hi)) for c in cells}
    return [SetTilt(cell=c, tilt_deg=round(v, 2)) for c, v in new.items() if abs(v - now[c]) > 0.05]


def _cio(s: Situation, cells: list[int], sign: float) -> list[Action]:
    now = s.network.configuration().cio_db
    new = {c: float(np.clip(now[c] + sign * s.step(*CIO), -CIO_RANGE_DB, CIO_RANGE_DB)) for c in cells}
    return [SetCio(cell=c, cio_db=round(v, 1)) for c, v in new.items() if abs(v - now[c]) > 0.05]


def _quota(s: Situation, cells: list[int], sign: float) -> list[Action]:
    """The target slice's PRB quota up (taken from the other slices above their floors) or down."""
    names = [sl.name for sl in s.network.config.slices]
    if s.slice not in names:
        return []
    k = names.index(s.slice)
    now = s.network.configuration().slice_quota
    floor = np.array([s.pack.slice_floor(n) for n in names])
    actions: list[Action] = []
    for c in cells:
        ratios = now[c].copy()
        ratios[k] = float(np.clip(ratios[k] + sign * QUOTA_STEP * s.step_scale, floor[k], 0.9))
        for j in np.argsort(-(ratios - floor)):  # give back from the slices with most room
            excess = ratios.sum() - QUOTA_TOTAL
            if excess <= 0:
                break
            if j != k:
                ratios[j] = max(floor[j], ratios[j] - excess)
        if ratios.sum() > QUOTA_TOTAL + 1e-9:
            continue
        for j in sorted(range(len(names)), key=lambda j: ratios[j] - now[c, j]):  # lower quotas first
            if abs(ratios[j] - now[c, j]) >= 0.005:
                actions.append(SetSliceQuota(cell=c, slice=names[j], min_prb_ratio=round(float(ratios[j]), 3)))
    return actions


# Multi-antenna cells only (a one-port network gets no such moves). Precoders rank by how much
# inter-beam interference they remove, from the UEs' Type-I codebook beams up to sum-rate WMMSE;
# the SOCP and zero forcing over codebook beams are left to the operator, and a cell on one of
# them counts as on the rung of its peer.
PRECODER_LADDER = ("type1", "mrt", "zf", "rzf", "wmmse")
LADDER_PEER = {"socp": "rzf", "type1_zf": "type1"}


def _precoder(s: Situation, cells: list[int], sign: float) -> list[Action]:
    """Each cell's precoder one rung up (or down) PRECODER_LADDER."""
    if s.network.config.antenna.ports == 1:
        return []
    now, top = s.network.configuration().precoder, len(PRECODER_LADDER) - 1
    current = {c: PRECODER_CODES[int(now[c])] for c in cells}
    rung = {c: PRECODER_LADDER.index(LADDER_PEER.get(p, p)) for c, p in current.items()}
    new = {c: PRECODER_LADDER[int(np.clip(rung[c] + sign, 0, top))] for c in cells}
    return [SetPrecoder(cell=c, precoder=p) for c, p in new.items() if p != current[c]]


def _layers(s: Situation, cells: list[int], sign: float) -> list[Action]:
    """One co-scheduled UE more (or fewer) per PRB group, within the cell's ports."""
    ports = s.network.config.antenna.ports
    now = s.network.configuration().mu_layers
    new = {c: int(np.clip(now[c] + sign, 1, ports)) for c in cells}
    return [SetMuLayers(cell=c, layers=v) for c, v in new.items() if ports > 1 and v != now[c]]


def _prediction(s: Situation, cells: list[int], sign: float) -> list[Action]:
    """CSI prediction on (up) or off (down)."""
    now = s.network.configuration().csi_prediction
    return [SetCsiPrediction(cell=c, enabled=sign > 0) for c in cells
            if s.network.config.antenna.ports > 1 and bool(now[c]) != (sign > 0)]


def _ssb_sizes(s: Situation) -> list[int]:
    """The SSB beam-set sizes the pack allows (all when it names none), within the range the
    network takes (its ports and the carrier's L_max)."""
    lo, hi = kind_of(SetSsbBeams).limits(s.network.config)
    rule = next((r for r in s.pack.rules if r.kind == "ssb_beam_sizes"), None)
    allowed = range(int(lo), int(hi) + 1) if rule is None or rule.allowed is None else rule.allowed
    return sorted(n for n in allowed if lo <= n <= hi)


def _ssb(s: Situation, cells: list[int], sign: float) -> list[Action]:
    """Each cell's SSB beam set one allowed size up (a stronger best beam for coverage, more SSB
    overhead) or down."""
    sizes = _ssb_sizes(s) if s.network.config.antenna.ports > 1 else []
    if len(sizes) < 2:
        return []
    now = s.network.configuration().ssb_beams
    rung = {c: int(np.searchsorted(sizes, now[c])) for c in cells}
    new = {c: sizes[int(np.clip(rung[c] + sign, 0, len(sizes) - 1))] for c in cells}
    return [SetSsbBeams(cell=c, n_beams=n) for c, n in new.items() if n != now[c]]


def _sleep(s: Situation, cell: int) -> list[Action]:
    return [SetCellSleep(cell=cell, asleep=True)] if len(s.awake_cells()) > 1 else []


LEVERS = {"power": _power, "tilt": _tilt, "cio": _cio, "quota": _quota, "precoder": _precoder, "layers": _layers,
          "prediction": _prediction, "ssb": _ssb}


def local_moves(s: Situation, levers: list[int], focus: int) -> list[Candidate]:
    """Every lever up and down one step on all lever cells, then on each of `focus` cells alone;
    sleep for the focus cells of an energy target."""
    out: list[Candidate] = []
    groups = [("all", levers)] + [(f"cell {c}", [c]) for c in focus_cells(s, levers, focus)]
    for where, cells in groups:
        for lever, make in LEVERS.items():
            for sign, way in ((+1.0, "up"), (-1.0, "down")):
                actions = make(s, cells, sign)
                if actions:
                    out.append(Candidate(source=f"local: {lever} {way} on {where}", actions=actions))
        if where != "all" and s.target in (Target.RAN_ENERGY_CONSUMPTION, Target.RAN_ENERGY_EFFICIENCY):
            sleep = _sleep(s, cells[0])
            if sleep:
                out.append(Candidate(source=f"local: sleep {where}", actions=sleep))
    return out
