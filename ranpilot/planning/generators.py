"""The embedded planner's candidate generators: each builds a tool's typed input from network
observations, calls the tool, and turns its typed output into actions.

Every action stays inside the situation's cells and within the pack's step limits scaled by
`step_scale` (halved after a rejection).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from ranpilot.network import Action, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower
from ranpilot.network.radio import db_to_lin, dbm_to_w, rate_per_prb_bps, rsrp_dbm, shannon_se, w_to_dbm
from ranpilot.planning.situation import Plan, Situation, ToolUse
from ranpilot.targets import THROUGHPUT_TARGETS, Target

if TYPE_CHECKING:  # the tools load their solvers (cvxpy) and models (torch) when a strategy first calls one
    from ranpilot.tools.power_control import PowerControlInput
    from ranpilot.tools.slice_allocation import SliceAllocationInput

EDGE_SHARE = 1 / 3  # of each cell's UEs, lowest SINR first: the users an edge target is about
SLICE_QUOTA_STEP = 0.15
#: The CIO linear program holds one variable per UE-cell link; beyond this many it takes minutes
#: (57 cells, 570 UEs: about a minute per solve), so the tool is skipped and local CIO moves serve.
MAX_CIO_LP_LINKS = 6000
MIN_POWER_CHANGE_DB = 0.05
MIN_LATENCY_GOAL_MS = 0.1  # a latency goal of 0 ms still asks for a finite rate


def _used(tool: str, purpose: str, status: str) -> list[ToolUse]:
    return [ToolUse(tool=tool, purpose=purpose, status=status)]


def _set_power(s: Situation, cell: int, new_dbm: float) -> list[Action]:
    now = s.network.configuration().tx_power_dbm[cell]
    return [SetTxPower(cell=cell, tx_power_dbm=round(float(new_dbm), 2))] if abs(new_dbm - now) > MIN_POWER_CHANGE_DB else []


def _uniform_power_change(s: Situation, cells: list[int], delta_db: float) -> list[Action]:
    now = s.network.configuration().tx_power_dbm
    lo = s.network.config.min_tx_power_dbm
    return [a for c in cells for a in _set_power(s, c, np.clip(now[c] + delta_db, lo, s.power_cap_dbm(c)))]


# -- energy: minimum power for (slightly relaxed) current rates -------------------------------
def energy(s: Situation) -> Plan:
    """Least power that keeps 75% of each UE's spectral efficiency; idle cells may sleep."""
    from ranpilot.tools.energy import EnergyInput, energy_min_power

    net, cells = s.network, s.awake_cells()
    ues = s.served_by(cells)
    if not len(ues) or not cells:
        return Plan([], [])
    conf, radio, load = net.configuration(), net.radio(), net.cell_load()
    g = s.gains_linear()
    tx_w = dbm_to_w(conf.tx_power_dbm) * ~conf.asleep
    others = np.setdiff1d(np.arange(net.num_cells), cells)
    fixed = (g[np.ix_(ues, others)] * (tx_w[others] * load[others])[None, :]).sum(axis=1)
    column = {c: i for i, c in enumerate(cells)}
    out = energy_min_power(EnergyInput(
        gain_linear=g[np.ix_(ues, cells)].tolist(),
        serving=[column[c] for c in radio.serving[ues]],
        rate_target_bps_hz=np.clip(0.75 * shannon_se(db_to_lin(radio.sinr_db[ues])), 0.1, 6.0).tolist(),
        noise_w=(net.noise_w() + fixed).tolist(),
        pmax_w=tx_w[cells].tolist(),
        interferer_load=np.clip(load[cells], 0.0, 1.0).tolist(),
    ))
    uses = _used("energy_min_power", "least power that keeps 75% of each UE's spectral efficiency", out.status)
    step = s.step("tx_power_dbm", 3.0)
    if out.status != "optimal":
        return Plan(_uniform_power_change(s, cells, -step), uses)
    actions: list[Action] = []
    for i, cell in enumerate(cells):
        new = max(out.powers_dbm[i], conf.tx_power_dbm[cell] - step, net.config.min_tx_power_dbm)
        if new < conf.tx_power_dbm[cell]:
            actions += _set_power(s, cell, new)
    actions += [SetCellSleep(cell=cells[i], asleep=True) for i in out.sleep_candidates]
    return Plan(actions, uses)


# -- interference-limited users: proportional-fair power control across the scope ----------
def edge_users(s: Situation, cell: int) -> np.ndarray:
    """The cell's worst-served UEs (lowest SINR), at least one when it serves any."""
    radio = s.network.radio()
    ues = np.flatnonzero(radio.serving == cell)
    return ues[np.argsort(radio.sinr_db[ues])[:max(1, round(len(ues) * EDGE_SHARE))]]


def edge_power_control_input(s: Situation) -> PowerControlInput | None:
    """Cell-level proportional fairness on the interference graph that each cell's edge users see.
    Interference from cells outside the scope does not move with this decision, so it counts as
    noise; where in-scope interference outweighs that noise, today's power is the ceiling: raising
    every cell cannot lift the edge users' SINR, only cost energy, so the optimizer re-balances by
    cutting the cells that hurt them most. None with fewer than two awake cells."""
    from ranpilot.tools.power_control import PowerControlInput

    net, cells = s.network, s.awake_cells()
    if len(cells) < 2:
        return None
    conf = net.configuration()
    g = s.gains_linear()
    heard = g * (dbm_to_w(conf.tx_power_dbm) * ~conf.asleep * np.clip(net.cell_load(), 0.0, 1.0))[None, :]
    others = np.setdiff1d(np.arange(net.num_cells), cells)
    rows, noise_w, pmax_w = [], [], []
    for k, cell in enumerate(cells):
        edge = edge_users(s, cell)
        rows.append(g[np.ix_(edge, cells)].mean(axis=0) if len(edge) else np.full(len(cells), 1e-20))
        fixed = net.noise_w() + (heard[np.ix_(edge, others)].sum(axis=1).mean() if len(edge) else 0.0)
        inside = heard[np.ix_(edge, np.delete(cells, k))].sum(axis=1).mean() if len(edge) else 0.0
        ceiling = min(s.power_cap_dbm(cell), conf.tx_power_dbm[cell] if inside > fixed else np.inf)
        noise_w.append(float(fixed))
        pmax_w.append(float(dbm_to_w(ceiling)))
    g_cell = np.array(rows)
    g_cell[np.diag_indices_from(g_cell)] = np.maximum(np.diag(g_cell), 1e-20)
    return PowerControlInput(gain_linear=g_cell.tolist(), pmax_w=pmax_w, noise_w=noise_w, objective="proportional_fair")


def proportional_fair_power(s: Situation) -> Plan:
    """Powers from `edge_power_control_input`, each moved at most one step toward its optimum."""
    from ranpilot.tools.power_control import power_control

    inp = edge_power_control_input(s)
    if inp is None:
        return Plan([], [])
    out = power_control(inp)
    uses = _used("power_control", "proportional-fair powers on the edge users' interference graph", out.status)
    if out.status not in ("optimal", "ok"):
        return Plan([], uses)
    now = s.network.configuration().tx_power_dbm
    step, lo = s.step("tx_power_dbm", 3.0), s.network.config.min_tx_power_dbm
    actions: list[Action] = []
    for cell, p_w in zip(s.awake_cells(), out.powers_w):
        wanted = float(w_to_dbm(max(p_w, 1e-6)))
        actions += _set_power(s, cell, max(np.clip(wanted, now[cell] - step, min(now[cell] + step, s.power_cap_dbm(cell))), lo))
    return Plan(actions, uses)


# -- load and throughput: CIO load balancing, plus power up to the cap ----------------------
def _offload(s: Situation) -> bool:
    """A throughput goal on a sub-area is served by moving its edge UEs to neighbours."""
    return s.target in THROUGHPUT_TARGETS and len(s.cells) < s.network.num_cells


def balance_load_with_cio(s: Situation) -> Plan:
    from ranpilot.tools.load_balance import LoadBalanceInput, load_balance_cio

    net = s.network
    if net.config.num_ues * net.num_cells > MAX_CIO_LP_LINKS:
        return Plan([], _used("load_balance_cio", f"skipped: more than {MAX_CIO_LP_LINKS} UE-cell links", "skipped"))
    radio, conf, cfg = net.radio(), net.configuration(), net.config
    rsrp = rsrp_dbm(conf.tx_power_dbm, net.link_gains_db(), cfg.num_prb)
    rsrp[:, conf.asleep] = -200.0
    rate_per_prb = rate_per_prb_bps(np.maximum(shannon_se(db_to_lin(radio.sinr_db)), 0.2), cfg.prb_bandwidth_hz)
    demand = np.repeat((5e6 / rate_per_prb)[:, None], net.num_cells, axis=1)  # PRBs for 5 Mbit/s per UE
    budget = np.full(net.num_cells, float(cfg.num_prb))
    if _offload(s):
        budget[s.cells] *= 0.5  # a throughput goal in a sub-area: make room there
    max_step = s.step("cio_db", 6.0)
    out = load_balance_cio(LoadBalanceInput(
        rsrp_dbm=rsrp.tolist(), demand_prb=demand.tolist(), prb_budget=budget.tolist(),
        weak_rsrp_dbm=cfg.thresholds.weak_rsrp_dbm, max_cio_db=max_step, hysteresis_db=cfg.handover_hysteresis_db))
    uses = _used("load_balance_cio", "CIOs that even out PRB load without losing coverage", out.status)
    actions: list[Action] = []
    if out.status == "optimal":
        for cell in s.cells:
            new = float(np.clip(out.cio_db[cell], conf.cio_db[cell] - max_step, conf.cio_db[cell] + max_step))
            if _offload(s) and new > conf.cio_db[cell]:
                continue
            if abs(new - conf.cio_db[cell]) >= 0.5:
                actions.append(SetCio(cell=cell, cio_db=round(new, 1)))
    if s.target in THROUGHPUT_TARGETS:
        if not actions and _offload(s):  # balanced already: hand edge UEs to neighbours
            actions = [SetCio(cell=c, cio_db=round(float(max(conf.cio_db[c] - max_step / 2, -24.0)), 1)) for c in s.cells]
        actions += _uniform_power_change(s, s.awake_cells(), +s.step("tx_power_dbm", 3.0))
    return Plan(actions, uses)


# -- coverage: uptilt and more power where UEs are weak --------------------------------------
def improve_coverage_with_tilt(s: Situation) -> Plan:
    net = s.network
    radio, conf = net.radio(), net.configuration()
    weak = radio.measured_rsrp_dbm < (s.threshold or net.config.thresholds.weak_rsrp_dbm)
    weak_cells = sorted({int(c) for c in radio.serving[weak] if c in s.cells})
    lo, _ = net.config.tilt_range_deg
    actions: list[Action] = []
    for cell in weak_cells:
        new_tilt = max(lo, conf.tilt_deg[cell] - min(2.0, s.step("tilt_deg", 4.0)))
        if new_tilt < conf.tilt_deg[cell] - 0.05:
            actions.append(SetTilt(cell=cell, tilt_deg=round(float(new_tilt), 2)))
    return Plan(actions + _uniform_power_change(s, weak_cells, +s.step("tx_power_dbm", 3.0)), [])


# -- slices: PRB quotas from the slice allocation optimizer ----------------------------------
def _slice_input(s: Situation) -> SliceAllocationInput:
    from ranpilot.tools.slice_allocation import SliceAllocationInput

    net = s.network
    radio, cfg, ue_slice = net.radio(), net.config, net.ue_slice()
    names = [sl.name for sl in cfg.slices]
    rate = rate_per_prb_bps(np.maximum(shannon_se(db_to_lin(radio.sinr_db)), 0.1), cfg.prb_bandwidth_hz) / 1e6
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
        delay_s = max(s.goal, MIN_LATENCY_GOAL_MS) / 1e3
        sla[k] = s.goal if s.target == Target.DL_THPT_PER_UE else spec.file_mbit * spec.arrivals_per_s + spec.file_mbit / delay_s
    return SliceAllocationInput(slices=names, ue_count=counts.tolist(), rate_per_prb_mbps=per_prb.tolist(),
                                prb_budget=cfg.num_prb, weight=[3.0 if n == s.slice else 1.0 for n in names], sla_mbps=sla)


def allocate_slice_prbs(s: Situation) -> Plan:
    """Quotas from the optimizer; when its SLA floors are infeasible, move the target slice's
    quota up by SLICE_QUOTA_STEP (scaled) at the expense of the other slices' guarantees."""
    from ranpilot.tools.slice_allocation import slice_prb_allocation

    out = slice_prb_allocation(_slice_input(s))
    uses = _used("slice_prb_allocation", f"PRB quotas that give {s.slice or 'every slice'} its floor", out.status)
    names = [sl.name for sl in s.network.config.slices]
    now = s.network.configuration().slice_quota
    optimal = out.status == "optimal"
    if optimal and s.slice in names:  # the optimum is in place already yet the target is unmet
        optimal = not np.allclose(np.array(out.min_prb_ratio, dtype=float), now[s.cells], atol=0.01)
    if not optimal and s.slice not in names:
        return Plan([], uses)
    floor = np.array([s.pack.slice_floor(n) for n in names])
    actions: list[Action] = []
    for i, cell in enumerate(s.cells):
        if optimal:
            ratios = np.array(out.min_prb_ratio[i], dtype=float)
        else:
            ratios = now[cell].copy()
            k = names.index(s.slice)
            ratios[k] = min(0.9, ratios[k] + SLICE_QUOTA_STEP * s.step_scale)
        ratios = np.maximum(ratios, floor)
        excess = ratios.sum() - 0.98
        if excess > 0:  # take it from the slice with the most room above its floor
            k = int(np.argmax(ratios - floor))
            ratios[k] = max(floor[k], ratios[k] - excess)
        # lower quotas first so the running sum never exceeds the cell's PRBs
        for j in sorted(range(len(names)), key=lambda j: ratios[j] - now[cell, j]):
            if abs(ratios[j] - now[cell, j]) >= 0.01:
                actions.append(SetSliceQuota(cell=cell, slice=names[j], min_prb_ratio=round(float(ratios[j]), 3)))
    return Plan(actions, uses)
