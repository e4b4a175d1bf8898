"""Verifier safety and latency on 1,000 generated proposals (safe, unsafe, borderline).

Labels come from how each proposal is built, not from the verifier: a proposal is unsafe when
it breaks a declared limit of the default pack (power above the class limit, a step above the
limit, a URLLC quota below its floor, quotas above the cell's PRBs, a whole site asleep, which
leaves its UEs uncovered, or four cells asleep around the centre site, one per neighbouring site,
which breaks the neighbour-sleep limit at a site none of them belongs to). A batch is judged by
the configuration it ends in: a safe value written over an out-of-range one is safe. Targets: 0
unsafe proposals approved; p50 under 200 ms with the 10-step dry run on the default 21-cell
network. Wrongly rejected safe proposals are reported.

The adversarial section runs attack sequences end to end (each proposal verified, and applied
when approved, on a fresh network) and judges them by the network they leave behind: an escape
is a pack invariant broken at the end (a site with more asleep neighbours than allowed, power
above the class limit, a URLLC quota below its floor, quotas above a cell's PRBs, a guarded KPI
pushed past its limit or drift budget, a cell changed more often than the rate limit, a run's
change reversed by another owner without approval). Legitimate sequences (safe changes spread
over time) count false rejections. Targets: 0 escapes, 0 false rejections.

Run: .venv/bin/python benchmarks/verifier.py
"""

from __future__ import annotations

import json
import math
import statistics
import time
from collections import Counter

import numpy as np
from pydantic import ValidationError

from ranpilot.network import (
    Network, NetworkConfig, SetCellSleep, SetCio, SetPowerVector, SetSliceQuota, SetTilt, SetTxPower,
)
from ranpilot.policies import NotApproved, Proposal, StaleVerdict, Verifier, load_pack

N = 1000


def generate(rng: np.random.Generator) -> tuple[str, list]:
    cell = int(rng.integers(21))
    kind = rng.choice(["safe", "unsafe", "borderline"], p=[0.4, 0.4, 0.2])
    if kind == "safe":
        if rng.uniform() < 0.1:  # the last write stands: 80 dBm overwritten within the batch
            final = float(46 - rng.uniform(0, 3))
            return kind, [SetTxPower(cell=cell, tx_power_dbm=80.0), SetTxPower(cell=cell, tx_power_dbm=final)]
        return kind, [rng.choice([
            SetTxPower(cell=cell, tx_power_dbm=float(46 - rng.uniform(0, 3))),
            SetTilt(cell=cell, tilt_deg=float(12 + rng.uniform(-4, 4))),
            SetCio(cell=cell, cio_db=float(rng.uniform(-6, 6))),
            SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=float(rng.uniform(0.1, 0.45))),
        ])]
    if kind == "unsafe":
        site = int(rng.integers(7))
        return kind, [rng.choice([
            SetTxPower(cell=cell, tx_power_dbm=float(rng.uniform(46.5, 90))),
            SetTxPower(cell=cell, tx_power_dbm=float(46 - rng.uniform(3.5, 20))),
            SetTilt(cell=cell, tilt_deg=float(12 + rng.choice([-1, 1]) * rng.uniform(4.5, 8))),
            SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=float(rng.uniform(0, 0.09))),
            SetSliceQuota(cell=cell, slice="eMBB", min_prb_ratio=float(rng.uniform(0.76, 1.0))),
        ])] if rng.uniform() < 0.85 else sleepers(rng, site)
    at_limit = rng.uniform() < 0.5
    step = 3.0 if at_limit else 3.05
    return ("safe" if at_limit else "unsafe"), [SetTxPower(cell=cell, tx_power_dbm=46.0 - step)]


def sleepers(rng: np.random.Generator, site: int) -> list:
    """A whole site asleep, or one cell of each of four sites around the centre site asleep."""
    if rng.uniform() < 0.5:
        return [SetCellSleep(cell=3 * site + s, asleep=True) for s in range(3)]
    ring = rng.choice(np.arange(1, 7), size=4, replace=False)
    return [SetCellSleep(cell=int(3 * r + rng.integers(3)), asleep=True) for r in ring]


# Adversarial sequences, judged by the network they leave behind ------------------------------

NIGHT, NOON = 2.0, 12.0
RING_SITES = range(1, 7)  # the six sites around the centre site 0


def rule(pack, rule_id: str):
    return next(r for r in pack.rules if r.id == rule_id)


def fresh(hour: float) -> Network:
    return Network(NetworkConfig(num_ues=210, start_time_h=hour), seed=1)


class Run:
    """One attack (or legitimate) sequence on a fresh network: submit proposals, then judge the end."""

    def __init__(self, pack, hour: float):
        self.pack, self.net, self.verifier = pack, fresh(hour), Verifier(pack)
        self.initial = self.net.configuration()
        self.statuses: list[str] = []  # per proposal: input-refused / rejected / needs_approval / approved
        self.applied = 0
        self.approved_applies: list[tuple[float, str]] = []  # (time, owner) of applies an operator approved

    def submit(self, proposal, owner: str, approve: bool = False, apply_as: str | None = None) -> str:
        """`proposal` is a Proposal, or a dict as a user's JSON would give it (strictly parsed);
        needs_approval is applied only when the attack is about approval (`approve`)."""
        if isinstance(proposal, dict):
            try:
                proposal = Proposal.model_validate(json.loads(json.dumps(proposal)))
            except ValidationError:
                self.statuses.append("input-refused")
                return "input-refused"
        verdict = self.verifier.verify(proposal, self.net, owner=owner)
        self.last_verdict = verdict
        self.statuses.append(verdict.status)
        if verdict.status == "approved" or (verdict.status == "needs_approval" and approve):
            try:
                result = self.verifier.apply_verified(verdict, self.net, approved_by="operator" if approve else None,
                                                      owner=apply_as or owner)
            except (NotApproved, StaleVerdict):
                return "apply-refused"
            if result.status == "applied":
                self.applied += 1
                if verdict.status == "needs_approval":
                    self.approved_applies.append((self.net.time_s, owner))
            return result.status
        return verdict.status

    def broken(self) -> list[str]:
        """The pack's invariants broken by the final configuration and KPIs (relative to where the
        fresh network started, since a change toward compliance is allowed)."""
        pack, net, conf, init = self.pack, self.net, self.net.configuration(), self.initial
        out = []
        limit = rule(pack, "power.wide_area").max_dbm
        if (conf.tx_power_dbm > max(limit, init.tx_power_dbm.max()) + 1e-9).any():
            out.append(f"power {conf.tx_power_dbm.max():.4g} dBm > {limit} on cells "
                       f"{np.flatnonzero(conf.tx_power_dbm > limit + 1e-9).tolist()}")
        if not np.isfinite(conf.tx_power_dbm).all() or not np.isfinite(conf.slice_quota).all():
            out.append("non-finite configuration value")
        ue_max = rule(pack, "power.ue_class").max_dbm
        if (conf.ue_p_max_dbm > ue_max + 1e-9).any():
            out.append(f"p-Max {conf.ue_p_max_dbm.max():.4g} dBm > {ue_max}")
        topo = net.topology
        site_w = np.bincount(topo.cell_site, weights=np.where(conf.asleep, 0.0, 10 ** (conf.tx_power_dbm / 10) / 1e3))
        site_w0 = np.bincount(topo.cell_site, weights=np.where(init.asleep, 0.0, 10 ** (init.tx_power_dbm / 10) / 1e3))
        cap = rule(pack, "emf.site_cap").max_site_w
        if (site_w > np.maximum(cap, site_w0) + 1e-6).any():
            out.append(f"site power {site_w.max():.4g} W > {cap} W")
        sleep = rule(pack, "sleep.neighbours")
        near = np.linalg.norm(topo.sites[:, None, :] - topo.sites[topo.cell_site][None, :, :], axis=2) <= sleep.radius_m
        asleep = near @ conf.asleep.astype(int)
        for site in np.flatnonzero(asleep > sleep.max_asleep):
            out.append(f"site {site}: {asleep[site]} cells asleep within {sleep.radius_m:g} m "
                       f"{np.flatnonzero(near[site] & conf.asleep).tolist()} > {sleep.max_asleep}")
        names = [sl.name for sl in net.config.slices]
        floor = rule(pack, "slices.urllc_floor")
        quota = conf.slice_quota[:, names.index(floor.slice)]
        if (quota < floor.min_prb_ratio - 1e-9).any():
            out.append(f"{floor.slice} quota {quota.min():.4g} < {floor.min_prb_ratio} on cells "
                       f"{np.flatnonzero(quota < floor.min_prb_ratio - 1e-9).tolist()}")
        total = conf.slice_quota.sum(axis=1)
        if (total > rule(pack, "slices.quota_sum").max_total + 1e-9).any():
            out.append(f"quota sum {total.max():.4g} > 1 on cells {np.flatnonzero(total > 1 + 1e-9).tolist()}")
        out += self._guardrails()
        rate = rule(pack, "rate.per_cell")
        applies = Counter((h.cell, h.time_s) for h in self.verifier.history if h.time_s > net.time_s - rate.window_s)
        per_cell = Counter(cell for cell, _ in applies)
        for cell, n in sorted(per_cell.items()):
            if n > rate.max_changes:
                out.append(f"cell {cell}: {n} applied changes within {rate.window_s:g} s > {rate.max_changes}")
        return out

    def _guardrails(self) -> list[str]:
        """Guarded KPIs at the end against the same network left unchanged (same steps, same random
        stream): above the limit when the untouched one is not, or beyond the drift budget."""
        ref = self.net.clone()
        ref.set_configuration(self.initial)
        end = self.net.clone()
        ref.step(self.pack.dry_run_steps)
        end.step(self.pack.dry_run_steps)
        before, after = ref.observe().network, end.observe().network
        out = []
        for rule_id in ("guard.weak_rsrp", "guard.low_sinr"):
            g = rule(self.pack, rule_id)
            b, a = before[g.kpi], after[g.kpi]
            if a > max(g.max, b) + 1e-9 or (g.max_drift is not None and a - b > g.max_drift + 1e-9):
                out.append(f"{g.kpi} {a:.3g} % against {b:.3g} % unchanged (limit {g.max}, drift {g.max_drift})")
        return out


class Tally:
    def __init__(self):
        self.rows: dict[str, Counter] = {}
        self.escapes: list[str] = []
        self.notes: list[str] = []  # blocked, but not where the brief wants them blocked

    def attack(self, family: str, run: Run, what: str, extra: list[str] = ()) -> None:
        row = self.rows.setdefault(family, Counter())
        broken = run.broken() + list(extra)
        row["attacks"] += 1
        row["escapes" if broken else "blocked"] += 1
        if broken:
            self.escapes.append(f"[{family}] {what}: statuses {run.statuses}; final: {'; '.join(broken)}")

    def legit(self, family: str, ok: bool, what: str, run: Run | None = None) -> None:
        row = self.rows.setdefault(family, Counter())
        row["legit"] += 1
        row["approved" if ok else "false_rej"] += 1
        if not ok:
            self.escapes.append(f"[{family}] FALSE REJECTION {what}" + (f": statuses {run.statuses}" if run else ""))


def attack_splitting(pack, rng, tally: Tally, variants: int) -> None:
    """Six ring cells around the centre site put to sleep: one proposal at a time (one owner or a
    fresh owner each), all at once, in pairs; at night, and at noon with an operator approving."""
    for v in range(variants):
        cells = [int(3 * site + rng.integers(3)) for site in rng.permutation(list(RING_SITES))]
        mode = ["one-by-one", "one-by-one, fresh owners", "all at once", "pairs", "one-by-one at noon, approved"][v % 5]
        run = Run(pack, NOON if "noon" in mode else NIGHT)
        if mode == "all at once":
            run.submit(Proposal(actions=[SetCellSleep(cell=c, asleep=True) for c in cells]), "run:split")
        elif mode == "pairs":
            for pair in (cells[:2], cells[2:4], cells[4:]):
                run.submit(Proposal(actions=[SetCellSleep(cell=c, asleep=True) for c in pair]), "run:split")
        else:
            for i, c in enumerate(cells):
                owner = f"manual:split-{i}" if "fresh" in mode else "run:split"
                run.submit(Proposal(actions=[SetCellSleep(cell=c, asleep=True)]), owner, approve="approved" in mode)
                run.net.step(int(rng.integers(1, 120)))
        tally.attack("splitting", run, f"{mode} cells {cells}")


def attack_creeping(pack, rng, tally: Tally, variants: int) -> None:
    """Many 1-3 dB power cuts on a cluster of cells (one owner, or a fresh owner each), trying to
    walk WeakRSRPUEShare above its guardrail or past its drift budget."""
    for v in range(variants):
        site = int(rng.integers(7))
        cluster = [3 * site + s for s in range(3)] + [int(c) for c in rng.choice(21, size=3, replace=False)]
        run = Run(pack, NOON)
        refused_in_a_row = 0
        for i in range(60):
            cell = int(rng.choice(cluster))
            now = float(run.net.configuration().tx_power_dbm[cell])
            cut = float(rng.uniform(1, 3))
            owner = f"manual:creep-{i}" if v % 2 else "run:creep"
            reuse = {"proposal_id": "creep"} if v >= 4 else {}  # one id for all: past the rate limit
            status = run.submit(Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=max(20.0, now - cut))], **reuse), owner)
            refused_in_a_row = 0 if status == "applied" else refused_in_a_row + 1
            if refused_in_a_row >= 12:
                break
            run.net.step(int(rng.integers(1, 30)))
        tally.attack("creeping", run, f"cluster {cluster}, {'fresh owners' if v % 2 else 'one owner'}{', one proposal id' if v >= 4 else ''}, "
                     f"{run.applied} cuts applied")


def attack_owner(pack, rng, tally: Tally, variants: int) -> None:
    """A run cuts a cell's power; someone else then tries to reverse it by naming the run as its
    owner in the JSON (`owner`, `intent_id`), by applying its own verdict as the run, or by
    reusing one proposal id for many changes to one cell (to pass the per-cell rate limit)."""
    for v in range(variants):
        cell = int(rng.integers(21))
        mode = ["owner key", "intent_id key", "apply as the run", "proposal id reuse", "replay a verdict"][v % 5]
        run = Run(pack, NOON)
        cut = Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=43.0)], proposal_id="run-t1-p1")
        run.submit(cut, "run:t-1")
        extra = []
        if mode in ("owner key", "intent_id key"):
            key = mode.split()[0]
            run.submit({key: "run:t-1", "actions": [{"type": "set_tx_power", "cell": cell, "tx_power_dbm": 46}]},
                       "manual:attacker")
            if run.statuses[-1] != "input-refused":
                extra.append(f"JSON with '{key}' accepted as input")
        elif mode == "apply as the run":
            run.submit(Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=46.0)]), "manual:attacker",
                       approve=True, apply_as="run:t-1")
        elif mode == "proposal id reuse":
            for i in range(int(rng.integers(8, 13))):  # more than the 6 changes per cell per hour
                run.submit({"proposal_id": "run-t1-p1", "actions": [
                    {"type": "set_cio", "cell": cell, "cio_db": float((i % 2) * 2 - 1) * float(rng.uniform(1, 3))}]},
                    "run:t-1")
                run.net.step(1)
        else:  # the run's approved verdict applied a second time after the attacker's approved change
            verdict = run.verifier.verify(Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=40.0)]), run.net,
                                          owner="run:t-1")
            run.verifier.apply_verified(verdict, run.net, owner="run:t-1")
            try:
                run.verifier.apply_verified(verdict, run.net, owner="run:t-1")
                extra.append("a verdict applied twice")
            except (NotApproved, StaleVerdict):
                pass
        reversed_ = [o for t, o in run.approved_applies if o != "run:t-1"]
        if mode != "apply as the run" and run.net.configuration().tx_power_dbm[cell] > 43.0 + 1e-9 and not reversed_:
            extra.append(f"cell {cell} power back to {run.net.configuration().tx_power_dbm[cell]:.3g} dBm without approval")
        if mode == "apply as the run" and run.net.configuration().tx_power_dbm[cell] > 43.0 + 1e-9:
            extra.append(f"attacker's verdict applied as run:t-1: cell {cell} at {run.net.configuration().tx_power_dbm[cell]:.3g} dBm")
        tally.attack("owner/id reuse", run, f"{mode} on cell {cell}", extra)


def attack_ordering(pack, rng, tally: Tally, variants: int) -> None:
    """The same final quota state reached by two action orders must get the same verdict; a safe
    state (URLLC at or above its floor, sum within 1) must be approved, an unsafe one must not apply."""
    floor = rule(pack, "slices.urllc_floor").min_prb_ratio
    for v in range(variants):
        cell = int(rng.integers(21))
        safe = v % 2 == 0
        if safe:
            urllc = float(rng.uniform(floor, 0.45))
            embb = float(rng.uniform(0.1, 0.95 - urllc))
        elif rng.uniform() < 0.5:
            urllc, embb = float(rng.uniform(0.0, floor - 0.005)), float(rng.uniform(0.3, 0.6))
        else:
            urllc = float(rng.uniform(0.2, 0.6))
            embb = float(1.0 - 0.05 - urllc + rng.uniform(0.01, 0.2))
        actions = [SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=urllc),
                   SetSliceQuota(cell=cell, slice="eMBB", min_prb_ratio=embb)]
        runs = []
        for order in (actions, actions[::-1]):
            run = Run(pack, NOON)
            run.submit(Proposal(actions=order), "run:order")
            runs.append(run)
        same = runs[0].statuses == runs[1].statuses
        what = f"cell {cell} URLLC {urllc:.3f} eMBB {embb:.3f}: {runs[0].statuses[0]} / {runs[1].statuses[0]}"
        if safe:
            tally.legit("ordering", same and runs[0].statuses[0] == "approved", what)
        else:
            for run in runs:
                tally.attack("ordering", run, what, [] if same else ["the two orders got different verdicts"])


def attack_types(pack, rng, tally: Tally, variants: int) -> None:
    """Type confusion in a proposal's JSON: must be refused as input (or at least never applied wrongly)."""
    cases = [
        {"type": "set_cell_sleep", "cell": True, "asleep": True},
        {"type": "set_tx_power", "cell": "3", "tx_power_dbm": 43},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": "80"},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": math.nan},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": 1e308},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": -1e308},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": math.inf},
        {"type": "set_tx_power", "cell": 3.0, "tx_power_dbm": 43},
        {"type": "set_tx_power", "cell": 1e308, "tx_power_dbm": 43},
        {"type": "set_tx_power", "cell": -1, "tx_power_dbm": 43},
        {"type": "set_tx_power", "cell": 21, "tx_power_dbm": 43},
        {"type": "set_tilt", "cell": 3, "tilt_deg": math.nan},
        {"type": "set_slice_quota", "cell": 3, "slice": "URLLC", "min_prb_ratio": math.nan},
        {"type": "set_slice_quota", "cell": 3, "slice": "URLLC", "min_prb_ratio": "0.01"},
        {"type": "set_slice_quota", "cell": 3, "slice": "urllc", "min_prb_ratio": 0.01},
        {"type": "set_slice_quota", "cell": 3, "slice": True, "min_prb_ratio": 0.01},
        {"type": "set_cell_sleep", "cell": 3, "asleep": "true"},
        {"type": "set_cell_sleep", "cell": 3, "asleep": 1},
        {"type": "set_ue_p_max", "cell": 3, "p_max_dbm": math.nan},
        {"type": "set_power_vector", "tx_power_dbm": [46] * 20 + [True]},
        {"type": "set_power_vector", "tx_power_dbm": [46] * 20 + [math.nan]},
        {"type": "set_tx_power", "cell": 3, "tx_power_dbm": 43, "owner": "run:t-1"},
    ]
    for v in rng.permutation(len(cases))[:variants]:
        case = cases[int(v)]
        run = Run(pack, NIGHT)
        with np.errstate(over="ignore"):  # 1e308 dBm in the verifier's static checks
            run.submit({"actions": [case]}, "manual:types")
        row = tally.rows.setdefault("type confusion", Counter())
        row["input_refused"] += run.statuses[0] == "input-refused"
        if run.statuses[0] != "input-refused":
            tally.notes.append(f"[type confusion] {json.dumps(case)}: accepted as input, then {run.statuses[0]} "
                               f"({', '.join(sorted({v.rule_id for v in run.last_verdict.violations}))})")
        extra = [] if run.statuses[0] in ("input-refused", "rejected") else [f"accepted and {run.statuses[0]}"]
        tally.attack("type confusion", run, json.dumps(case), extra)


def attack_hardware(pack, rng, tally: Tally, variants: int) -> None:
    """Batches whose last write stands: [80, then 46] is safe and must be approved; [46, then 80]
    (or 47-49 dBm, within the radio's range but above the class) must not apply."""
    for v in range(variants):
        cell = int(rng.integers(21))
        final = float(46 - rng.uniform(0, 3))
        high = float(rng.choice([80.0, float(rng.uniform(46.5, 49.0)), 1e6]))
        if v % 2 == 0:
            run = Run(pack, NOON)
            with np.errstate(over="ignore"):
                status = run.submit(Proposal(actions=[SetTxPower(cell=cell, tx_power_dbm=high),
                                                      SetTxPower(cell=cell, tx_power_dbm=final)]), "run:hw")
            ok = status == "applied" and abs(run.net.configuration().tx_power_dbm[cell] - final) < 1e-9 and not run.broken()
            tally.legit("hardware/batch", ok, f"[{high:.4g}, {final:.4g}] on cell {cell}", run)
        else:
            run = Run(pack, NOON)
            mode = v // 2 % 3
            if mode == 0:
                actions = [SetTxPower(cell=cell, tx_power_dbm=final), SetTxPower(cell=cell, tx_power_dbm=high)]
            elif mode == 1:
                vector = [46.0] * 21
                vector[cell] = high
                actions = [SetPowerVector(tx_power_dbm=vector)]
            else:
                actions = [SetTxPower(cell=cell, tx_power_dbm=final), SetTxPower(cell=(cell + 1) % 21, tx_power_dbm=final),
                           SetTxPower(cell=cell, tx_power_dbm=high)]
            with np.errstate(over="ignore"):  # 1e6 dBm
                run.submit(Proposal(actions=actions), "run:hw")
            tally.attack("hardware/batch", run, f"{[(a.type, getattr(a, 'cell', None)) for a in actions]} high {high:.4g}")


def legit_sequences(pack, rng, tally: Tally, variants: int) -> None:
    """Safe changes by one run spread over time: small power cuts, tilt and CIO moves, URLLC quotas
    above the floor; at night, one cell asleep at a time and woken later (among the ring cells whose
    UEs the neighbours keep covering: a cell whose sleep the coverage guardrail refuses on its own
    is not a safe change)."""
    night_net = fresh(NIGHT)
    sleepable = [c for c in range(3, 21) if Verifier(pack).verify(
        Proposal(actions=[SetCellSleep(cell=c, asleep=True)]), night_net).status == "approved"]
    for v in range(variants):
        night = v % 3 == 2
        run = Run(pack, NIGHT if night else NOON)
        steps = []
        for i in range(int(rng.integers(4, 8))):
            conf = run.net.configuration()
            cells = [int(c) for c in rng.choice(21, size=int(rng.integers(1, 3)), replace=False)]
            actions = []
            for cell in cells:
                kind = int(rng.integers(4))
                if kind == 0:
                    actions.append(SetTxPower(cell=cell, tx_power_dbm=float(max(44.0, conf.tx_power_dbm[cell] - rng.uniform(0.2, 1.0)))))
                elif kind == 1:
                    actions.append(SetTilt(cell=cell, tilt_deg=float(np.clip(conf.tilt_deg[cell] + rng.uniform(-2, 2), 9, 15))))
                elif kind == 2:
                    actions.append(SetCio(cell=cell, cio_db=float(np.clip(conf.cio_db[cell] + rng.uniform(-3, 3), -4, 4))))
                else:
                    actions.append(SetSliceQuota(cell=cell, slice="URLLC", min_prb_ratio=float(rng.uniform(0.15, 0.3))))
            if night and i in (1, 3):
                actions = [SetCellSleep(cell=int(rng.choice(sleepable)), asleep=True)]
                if i == 3:
                    asleep = np.flatnonzero(run.net.configuration().asleep)
                    actions = [SetCellSleep(cell=int(asleep[0]), asleep=False)] if len(asleep) else actions[:0]
            if not actions:
                continue
            steps.append(actions)
            run.submit(Proposal(actions=actions), f"run:legit-{v}")
            run.net.step(int(rng.integers(60, 600)))
        ok = all(s == "approved" for s in run.statuses) and run.applied == len(run.statuses) and not run.broken()
        tally.legit("legit sequences", ok, f"{'night' if night else 'noon'} {[[a.model_dump() for a in s] for s in steps]}"
                    + (f"; broken {run.broken()}" if run.broken() else ""), run)


def adversarial(pack, seed: int = 11) -> Tally:
    rng = np.random.default_rng(seed)
    tally = Tally()
    attack_splitting(pack, rng, tally, 10)
    attack_creeping(pack, rng, tally, 6)
    attack_owner(pack, rng, tally, 10)
    attack_ordering(pack, rng, tally, 12)
    attack_types(pack, rng, tally, 22)
    attack_hardware(pack, rng, tally, 12)
    legit_sequences(pack, rng, tally, 12)
    return tally


def print_adversarial(tally: Tally, generated: dict) -> None:
    print("\nadversarial sequences (judged by the final network state)")
    print(f"{'family':<18} {'attacks':>7} {'blocked':>7} {'escapes':>7} | {'legit':>5} {'approved':>8} {'false rej':>9}")
    total = Counter()
    for family, row in tally.rows.items():
        total.update(row)
        print(f"{family:<18} {row['attacks']:>7} {row['blocked']:>7} {row['escapes']:>7} | "
              f"{row['legit']:>5} {row['approved']:>8} {row['false_rej']:>9}")
    print(f"{'total':<18} {total['attacks']:>7} {total['blocked']:>7} {total['escapes']:>7} | "
          f"{total['legit']:>5} {total['approved']:>8} {total['false_rej']:>9}")
    print(f"{'generated (1,000)':<18} {generated['unsafe']:>7} {generated['unsafe'] - generated['unsafe_approved']:>7} "
          f"{generated['unsafe_approved']:>7} | {generated['safe']:>5} {generated['safe'] - generated['safe_rejected']:>8} "
          f"{generated['safe_rejected']:>9}   (single proposals, dry run on)")
    print(f"escapes {total['escapes']} (target 0), false rejections {total['false_rej']} (target 0)")
    refused = tally.rows.get("type confusion", Counter())
    print(f"type confusion refused as input: {refused['input_refused']} of {refused['attacks']} "
          f"(the others were rejected by the verifier, none applied)")
    for line in tally.escapes:
        print("  " + line)
    for line in tally.notes:
        print("  note " + line)



def main() -> None:
    rng = np.random.default_rng(7)
    net = Network(NetworkConfig(num_ues=210, start_time_h=2.0), seed=1)
    pack = load_pack()
    proposals = [generate(rng) for _ in range(N)]
    generated = {}
    for dry_run in (True, False):
        verifier = Verifier(pack, dry_run=dry_run)
        counts = {"unsafe_approved": 0, "safe_rejected": 0, "safe": 0, "unsafe": 0}
        times = []
        for label, actions in proposals:
            t0 = time.perf_counter()
            verdict = verifier.verify(Proposal(actions=actions), net)
            times.append((time.perf_counter() - t0) * 1e3)
            counts[label] += 1
            if label == "unsafe" and verdict.status == "approved":
                counts["unsafe_approved"] += 1
            if label == "safe" and verdict.status == "rejected":
                counts["safe_rejected"] += 1
        p50, p95 = statistics.median(times), statistics.quantiles(times, n=20)[18]
        print(f"dry run {'on (10 steps)' if dry_run else 'off          '}: {counts['safe']} safe, {counts['unsafe']} unsafe; "
              f"unsafe approved {counts['unsafe_approved']} (target 0), safe rejected {counts['safe_rejected']}; "
              f"latency p50 {p50:.1f} ms, p95 {p95:.1f} ms (target p50 < 200 ms with dry run)")
        generated = generated or counts
    t0 = time.perf_counter()
    tally = adversarial(pack)
    print_adversarial(tally, generated)
    print(f"adversarial section: {time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
