"""The embedded planner's strategies: for each TS 28.312 target, which tools to call with which
arguments (built from network observations), and how their results become actions.

Every action stays inside the operator's scope (the cells the intent names, or all) and
within the pack's step limits scaled by `step_scale` (halved after a rejection).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
from pydantic import BaseModel

from ranpilot.network import Action, Network, SetCio, SetSliceQuota, SetTilt, SetTxPower, SetCellSleep
from ranpilot.network.radio import OVERHEAD_DL_FR1, SHANNON_GAP_DB, db_to_lin
from ranpilot.policies import PolicyPack
from ranpilot.policies.pack import MaxStep, SliceMinQuota, TxPowerLimit


class ToolCall(BaseModel):
    tool: str
    arguments: dict
    purpose: str


@dataclass(frozen=True)
class Situation:
    """What a strategy sees: the network, the target with its resolved goal, and the scope."""

    network: Network
    target: str
    goal: float
    cells: list[int]
    slice: str | None
    threshold: float | None
    pack: PolicyPack
    step_scale: float

    def step(self, parameter: str, default: float) -> float:
        steps = [r.max_step for r in self.pack.rules if isinstance(r, MaxStep) and r.parameter == parameter]
        return min(steps, default=default) * self.step_scale

    def power_cap_dbm(self, cell: int) -> float:
        caps = [r.max_dbm for r in self.pack.rules if isinstance(r, TxPowerLimit) and r.bs_class == self.pack.bs_class(cell)]
        return min(caps + [self.network.config.max_tx_power_dbm])

    def awake_cells(self) -> list[int]:
        asleep = self.network.configuration().asleep
        return [c for c in self.cells if not asleep[c]]


Strategy = tuple[Callable[[Situation], list[ToolCall]], Callable[[Situation, list[dict]], list[Action]]]


def gains_linear(net: Network) -> np.ndarray:
    return db_to_lin(net.link_gains_db())


def served_by(net: Network, cells: list[int]) -> np.ndarray:
    return np.flatnonzero(np.isin(net.radio().serving, cells))


# -- energy: minimum power for (slightly relaxed) current rates -------------------------------
def energy_calls(s: Situation) -> list[ToolCall]:
    net, cells = s.network, s.awake_cells()
    ues = served_by(net, cells)
    if not len(ues) or not cells:
        return []
    conf, radio = net.configuration(), net.radio()
    g = gains_linear(net)
    tx_w = db_to_lin(conf.tx_power_dbm - 30.0) * ~conf.asleep
    others = np.setdiff1d(np.arange(net.num_cells), cells)
    fixed = (g[np.ix_(ues, others)] * (tx_w[others] * net.state.load[others])[None, :]).sum(axis=1)
    se_now = np.log2(1.0 + db_to_lin(radio.sinr_db[ues]) / db_to_lin(SHANNON_GAP_DB))
    column = {c: i for i, c in enumerate(cells)}
    return [ToolCall(tool="energy_min_power", purpose="least power that keeps 75% of each UE's spectral efficiency",
                     arguments={
                         "gain_linear": g[np.ix_(ues, cells)].tolist(),
                         "serving": [column[c] for c in radio.serving[ues]],
                         "rate_target_bps_hz": np.clip(0.75 * se_now, 0.1, 6.0).tolist(),
                         "noise_w": (net.noise_w() + fixed).tolist(),
                         "pmax_w": tx_w[cells].tolist(),
                         "interferer_load": np.clip(net.state.load[cells], 0.0, 1.0).tolist(),
                     })]


def energy_actions(s: Situation, results: list[dict]) -> list[Action]:
    cells = s.awake_cells()
    if not results or results[0]["status"] != "optimal":
        return _uniform_power_change(s, cells, -s.step("tx_power_dbm", 3.0))
    now = s.network.configuration().tx_power_dbm
    target = np.array(results[0]["powers_dbm"])
    actions: list[Action] = []
    for i, cell in enumerate(cells):
        new = max(target[i], now[cell] - s.step("tx_power_dbm", 3.0), s.network.config.min_tx_power_dbm)
        if new < now[cell] - 0.05:
            actions.append(SetTxPower(cell=cell, tx_power_dbm=round(float(new), 2)))
    actions += [SetCellSleep(cell=cells[i], asleep=True) for i in results[0]["sleep_candidates"]]
    return actions


def _uniform_power_change(s: Situation, cells: list[int], delta_db: float) -> list[Action]:
    now = s.network.configuration().tx_power_dbm
    out: list[Action] = []
    for cell in cells:
        new = float(np.clip(now[cell] + delta_db, s.network.config.min_tx_power_dbm, s.power_cap_dbm(cell)))
        if abs(new - now[cell]) > 0.05:
            out.append(SetTxPower(cell=cell, tx_power_dbm=round(new, 2)))
    return out


# -- interference-limited users: proportional-fair power control across the scope ----------
EDGE_SHARE = 1 / 3  # of each cell's UEs, lowest SINR first: the users an edge target is about


def edge_users(net: Network, cell: int) -> np.ndarray:
    """The cell's worst-served UEs (lowest SINR), at least one when it serves any."""
    radio = net.radio()
    ues = np.flatnonzero(radio.serving == cell)
    return ues[np.argsort(radio.sinr_db[ues])[:max(1, round(len(ues) * EDGE_SHARE))]]


def power_control_calls(s: Situation) -> list[ToolCall]:
    """Cell-level proportional fairness on the interference graph that each cell's edge users see.
    Interference from cells outside the scope does not move with this decision, so it counts as
    noise; where in-scope interference outweighs that noise, today's power is the ceiling: raising
    every cell cannot lift the edge users' SINR, only cost energy, so the optimizer re-balances by
    cutting the cells that hurt them most."""
    net, cells = s.network, s.awake_cells()
    if len(cells) < 2:
        return []
    conf = net.configuration()
    g = gains_linear(net)
    heard = g * (db_to_lin(conf.tx_power_dbm - 30.0) * ~conf.asleep * np.clip(net.state.load, 0.0, 1.0))[None, :]
    others = np.setdiff1d(np.arange(net.num_cells), cells)
    rows, noise_w, pmax_w = [], [], []
    for k, cell in enumerate(cells):
        edge = edge_users(net, cell)
        rows.append(g[np.ix_(edge, cells)].mean(axis=0) if len(edge) else np.full(len(cells), 1e-20))
        fixed = net.noise_w() + (heard[np.ix_(edge, others)].sum(axis=1).mean() if len(edge) else 0.0)
        inside = heard[np.ix_(edge, np.delete(cells, k))].sum(axis=1).mean() if len(edge) else 0.0
        ceiling = min(s.power_cap_dbm(cell), conf.tx_power_dbm[cell] if inside > fixed else np.inf)
        noise_w.append(float(fixed))
        pmax_w.append(float(db_to_lin(ceiling - 30.0)))
    g_cell = np.array(rows)
    g_cell[np.diag_indices_from(g_cell)] = np.maximum(np.diag(g_cell), 1e-20)
    return [ToolCall(tool="power_control", purpose="proportional-fair powers on the edge users' interference graph",
                     arguments={"gain_linear": g_cell.tolist(), "pmax_w": pmax_w, "noise_w": noise_w,
                                "objective": "proportional_fair"})]


def power_control_actions(s: Situation, results: list[dict]) -> list[Action]:
    if not results or results[0]["status"] not in ("optimal", "ok"):
        return []
    now, step = s.network.configuration().tx_power_dbm, s.step("tx_power_dbm", 3.0)
    out: list[Action] = []
    for cell, p_w in zip(s.awake_cells(), results[0]["powers_w"]):
        wanted = 10 * np.log10(max(p_w, 1e-6)) + 30
        new = float(np.clip(wanted, now[cell] - step, min(now[cell] + step, s.power_cap_dbm(cell))))
        new = max(new, s.network.config.min_tx_power_dbm)
        if abs(new - now[cell]) > 0.05:
            out.append(SetTxPower(cell=cell, tx_power_dbm=round(new, 2)))
    return out


# -- load and throughput: CIO load balancing, plus power up to the cap ----------------------
def load_balance_calls(s: Situation) -> list[ToolCall]:
    net = s.network
    radio, conf = net.radio(), net.configuration()
    rsrp = conf.tx_power_dbm[None, :] - 10 * np.log10(12 * net.config.num_prb) + net.link_gains_db()
    rsrp[:, conf.asleep] = -200.0
    se = np.log2(1.0 + db_to_lin(radio.sinr_db) / db_to_lin(SHANNON_GAP_DB))
    rate_per_prb = np.maximum(se, 0.2) * net.config.prb_bandwidth_hz * (1 - OVERHEAD_DL_FR1)
    demand = np.repeat((5e6 / rate_per_prb)[:, None], net.num_cells, axis=1)  # PRBs for 5 Mbit/s per UE
    budget = np.full(net.num_cells, float(net.config.num_prb))
    if _offload(s):
        budget[s.cells] *= 0.5  # a throughput goal in a sub-area: make room there
    return [ToolCall(tool="load_balance_cio", purpose="CIOs that even out PRB load without losing coverage",
                     arguments={"rsrp_dbm": rsrp.tolist(), "demand_prb": demand.tolist(), "prb_budget": budget.tolist(),
                                "weak_rsrp_dbm": net.config.thresholds.weak_rsrp_dbm,
                                "max_cio_db": s.step("cio_db", 6.0), "hysteresis_db": net.config.handover_hysteresis_db})]


def load_balance_actions(s: Situation, results: list[dict]) -> list[Action]:
    out: list[Action] = []
    if results and results[0]["status"] == "optimal":
        now, step = s.network.configuration().cio_db, s.step("cio_db", 6.0)
        for cell in s.cells:
            new = float(np.clip(results[0]["cio_db"][cell], now[cell] - step, now[cell] + step))
            if _offload(s) and new > now[cell]:
                continue
            if abs(new - now[cell]) >= 0.5:
                out.append(SetCio(cell=cell, cio_db=round(new, 1)))
    if s.target in ("AveDLRANUEThpt", "DlThptPerUE"):
        if not out and _offload(s):  # balanced already: hand edge UEs to neighbours
            now, step = s.network.configuration().cio_db, s.step("cio_db", 6.0) / 2
            out = [SetCio(cell=c, cio_db=round(float(max(now[c] - step, -24.0)), 1)) for c in s.cells]
        out += _uniform_power_change(s, s.awake_cells(), +s.step("tx_power_dbm", 3.0))
    return out


def _offload(s: Situation) -> bool:
    """A throughput goal on a sub-area is served by moving its edge UEs to neighbours."""
    return s.target in ("AveDLRANUEThpt", "DlThptPerUE") and len(s.cells) < s.network.num_cells


# -- coverage: uptilt and more power where UEs are weak --------------------------------------
def coverage_actions(s: Situation, results: list[dict]) -> list[Action]:
    net = s.network
    radio, conf, th = net.radio(), net.configuration(), net.config.thresholds.weak_rsrp_dbm
    weak_cells = sorted({int(c) for c in radio.serving[radio.rsrp_dbm < (s.threshold or th)] if c in s.cells})
    lo, _ = net.config.tilt_range_deg
    out: list[Action] = []
    for cell in weak_cells:
        new_tilt = max(lo, conf.tilt_deg[cell] - min(2.0, s.step("tilt_deg", 4.0)))
        if new_tilt < conf.tilt_deg[cell] - 0.05:
            out.append(SetTilt(cell=cell, tilt_deg=round(float(new_tilt), 2)))
    return out + _uniform_power_change(s, weak_cells, +s.step("tx_power_dbm", 3.0))


# -- slices: PRB quotas from the slice allocation optimizer ----------------------------------
def slice_calls(s: Situation) -> list[ToolCall]:
    net = s.network
    radio, cfg = net.radio(), net.config
    names = [sl.name for sl in cfg.slices]
    ue_slice = net.state.ue_slice
    se = np.log2(1.0 + db_to_lin(radio.sinr_db) / db_to_lin(SHANNON_GAP_DB))
    rate = np.maximum(se, 0.1) * cfg.prb_bandwidth_hz * (1 - OVERHEAD_DL_FR1) / 1e6
    counts = np.zeros((len(s.cells), len(names)), dtype=int)
    per_prb = np.ones((len(s.cells), len(names)))
    for i, cell in enumerate(s.cells):
        for j in range(len(names)):
            members = (radio.serving == cell) & (ue_slice == j)
            counts[i, j] = int(members.sum())
            # harmonic mean: n UEs at rate r each need sum(r / r_u) = n r / HM PRBs
            per_prb[i, j] = float(1.0 / np.mean(1.0 / rate[members])) if members.any() else 1.0
    sla = [sl.sla_thp_mbps for sl in cfg.slices]
    if s.slice in names:
        k = names.index(s.slice)
        spec = cfg.slices[k]
        sla[k] = s.goal if s.target == "DlThptPerUE" else spec.file_mbit * spec.arrivals_per_s + spec.file_mbit / (s.goal / 1e3)
    weights = [3.0 if n == s.slice else 1.0 for n in names]
    return [ToolCall(tool="slice_prb_allocation", purpose=f"PRB quotas that give {s.slice or 'every slice'} its floor",
                     arguments={"slices": names, "ue_count": counts.tolist(), "rate_per_prb_mbps": per_prb.tolist(),
                                "prb_budget": cfg.num_prb, "weight": weights, "sla_mbps": sla})]


SLICE_QUOTA_STEP = 0.15


def slice_actions(s: Situation, results: list[dict]) -> list[Action]:
    """Quotas from the optimizer; when its SLA floors are infeasible, move the target slice's
    quota up by SLICE_QUOTA_STEP (scaled) at the expense of the other slices' guarantees."""
    names = [sl.name for sl in s.network.config.slices]
    floors = {r.slice: r.min_prb_ratio for r in s.pack.rules if isinstance(r, SliceMinQuota)}
    now = s.network.configuration().slice_quota
    optimal = bool(results) and results[0]["status"] == "optimal"
    if optimal and s.slice in names:  # the optimum is in place already yet the target is unmet
        wanted = np.array(results[0]["min_prb_ratio"], dtype=float)
        optimal = not np.allclose(wanted, now[s.cells], atol=0.01)
    if not optimal and s.slice not in names:
        return []
    out: list[Action] = []
    for i, cell in enumerate(s.cells):
        if optimal:
            ratios = np.array(results[0]["min_prb_ratio"][i], dtype=float)
        else:
            ratios = now[cell].copy()
            ratios[names.index(s.slice)] = min(0.9, ratios[names.index(s.slice)] + SLICE_QUOTA_STEP * s.step_scale)
        floor = np.array([floors.get(n, 0.0) for n in names])
        ratios = np.maximum(ratios, floor)
        excess = ratios.sum() - 0.98
        if excess > 0:  # take it from the slice with the most room above its floor
            k = int(np.argmax(ratios - floor))
            ratios[k] = max(floor[k], ratios[k] - excess)
        # lower quotas first so the running sum never exceeds the cell's PRBs
        for j in sorted(range(len(names)), key=lambda j: ratios[j] - now[cell, j]):
            if abs(ratios[j] - now[cell, j]) >= 0.01:
                out.append(SetSliceQuota(cell=cell, slice=names[j], min_prb_ratio=round(float(ratios[j]), 3)))
    return out


#: Strategies by name (what an LLM planner chooses among) ...
STRATEGIES: dict[str, Strategy] = {
    "energy_min_power": (energy_calls, energy_actions),
    "proportional_fair_power": (power_control_calls, power_control_actions),
    "balance_load_with_cio": (load_balance_calls, load_balance_actions),
    "improve_coverage_with_tilt": (lambda s: [], coverage_actions),
    "allocate_slice_prbs": (slice_calls, slice_actions),
}
STRATEGY_DESCRIPTIONS = {
    "energy_min_power": "Lower transmit power to the least that keeps users' rates (LP); idle cells may sleep.",
    "proportional_fair_power": "Re-balance cell powers for proportional fairness (WMMSE): helps cell-edge and low-SINR users.",
    "balance_load_with_cio": "Move users between cells with cell individual offsets (LP) to relieve loaded cells.",
    "improve_coverage_with_tilt": "Uptilt and power up cells with weak-RSRP users.",
    "allocate_slice_prbs": "Re-split PRB quotas between slices (CVXPY) to meet a slice's throughput or latency.",
}
#: ... and the embedded planner's choice for each target.
DEFAULT_STRATEGY = {
    "RANEnergyConsumption": "energy_min_power", "RANEnergyEfficiency": "energy_min_power",
    "LowDLRANUEThptRatio": "proportional_fair_power", "LowSINRRatio": "proportional_fair_power",
    "AveDLRANUEThpt": "balance_load_with_cio", "AveDLPrbLoad": "balance_load_with_cio",
    "HighDLPrbLoadRatio": "balance_load_with_cio", "WeakRSRPRatio": "improve_coverage_with_tilt",
    "DlThptPerUE": "allocate_slice_prbs", "DlLatency": "allocate_slice_prbs",
}
