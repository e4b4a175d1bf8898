"""Planning benchmark: the search planner against the fixed-strategy table and an oracle.

Tasks are generated: every target of `ranpilot.targets.Target`, over the four scopes (the whole
network, the three cells worst on the target, the worst cell alone, a slice), on three network
kinds of 21 cells (day at noon; the same layout at 02:00; a crowded 20 MHz network at 20:00 with
bursty eMBB traffic) and, every 13th task, the day network at 57 cells. PRB load targets run on
the crowded network only (full-buffer cells are always fully loaded). Each goal asks for 10%,
25% or 50% better than the task's baseline; every fifth task adds an ENSURE guard (throughput,
or for throughput targets energy, no worse than today). A task whose goal already holds is
dropped.

Each task runs three ways through the agent graph with the verifier (in-process, fresh network,
same seed): `old` (the planner's one fixed strategy per round, `search=False`), `new` (the
search, default budget) and the oracle (the search with every lever cell's moves at two step
sizes and the strategies on every unmet target, 6 rounds instead of 5, its primary goal pushed
beyond reach so that it keeps improving until nothing does: over ten times the twin evaluations). A task is achievable when any of them fulfils it; the best value is the
best any of them reached. The gap of a run is the share of the achievable shortfall reduction it
left: (s_run - s_best) / (s_base - s_best), 0 for a fulfilled task. Twin evaluations count the
network clones (the search's predictions and the verifier's dry runs).

Split: tasks of odd seed families are the untouched part (never looked at while tuning).
Oracle results are cached in benchmarks/data/planning_oracle_<part>.json, keyed by the task's
definition only: an entry is computed when its task is not in the cache. A change to the simulator
that leaves a task's definition as it was therefore keeps the old entry; `--recompute day,night`
drops the entries of those network kinds first so that they are computed again.

Run: .venv/bin/python benchmarks/planning.py [--limit N] [--part tuning|untouched|all] [--recompute KINDS]
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
import uuid
from pathlib import Path

import numpy as np
from langgraph.checkpoint.memory import InMemorySaver
from pydantic import BaseModel

from ranpilot.agents.context import MAX_ROUNDS, AgentContext
from ranpilot.agents.graph import build_graph
from ranpilot.intents import fulfilment as ff
from ranpilot.intents.goals import Goal, Understanding
from ranpilot.intents.inventory import Inventory, checked
from ranpilot.intents.ts28312 import to_intent, understanding_of
from ranpilot.network import Network, NetworkConfig, SliceSpec
from ranpilot.network.config import DEFAULT_SLICES, Traffic
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.planning.scoring import scale
from ranpilot.planning.search import SearchBudget
from ranpilot.policies import Verifier, load_pack
from ranpilot.targets import TARGETS, Target, shortfall, spec

CACHE = Path(__file__).parent / "data" / "planning_oracle_{part}.json"
N_TASKS = 156  # 12 seed families x 13 targets
LEVELS = (0.10, 0.25, 0.50)
ORACLE = SearchBudget(focus_cells=8, interferers=6, combine=10, finer=(0.5,), always_finer=True,
                      tools_on_every_target=True)
PACK = load_pack()
LOAD_TARGETS = (Target.AVE_DL_PRB_LOAD, Target.HIGH_DL_PRB_LOAD_RATIO)


def network_config(kind: str) -> NetworkConfig:
    if kind == "night":
        return NetworkConfig(start_time_h=2.0)
    if kind == "crowded":
        embb = DEFAULT_SLICES[0].model_copy(update={"traffic": Traffic.BURSTY, "file_mbit": 1.2, "arrivals_per_s": 1.0})
        return NetworkConfig(bandwidth_mhz=20.0, num_prb=51, num_ues=420, start_time_h=20.0,
                             slices=(SliceSpec(**embb.model_dump()), *DEFAULT_SLICES[1:]))
    return NetworkConfig(num_rings=2, num_ues=570) if kind == "day57" else NetworkConfig()


class Task(BaseModel):
    task_id: str
    kind: str
    seed: int
    family: int
    goals: list[Goal]

    @property
    def untouched(self) -> bool:
        return self.family % 2 == 1


def worst_cells(net: Network, target: Target, count: int) -> list[int]:
    """The cells whose UEs fare worst (lowest mean SINR; most loaded for load and latency)."""
    radio = net.radio()
    n = net.num_cells
    served = np.bincount(radio.serving, minlength=n)
    sinr = np.bincount(radio.serving, weights=radio.sinr_db, minlength=n) / np.maximum(served, 1)
    key = -net.cell_load() if target in (Target.AVE_DL_PRB_LOAD, Target.HIGH_DL_PRB_LOAD_RATIO) else sinr
    return [int(c) for c in np.argsort(key) if served[c] > 0][:count]


def make_goal(net: Network, target: Target, scope: str, level: float) -> Goal | None:
    """A goal `level` better than today on `scope`, or None where that cannot be asked."""
    s = spec(target)
    cells, slice_ = None, None
    if s.scope == "service" or scope == "slice":
        if not s.per_ue:
            return None
        slice_ = "URLLC" if target == Target.DL_LATENCY else "eMBB"
    elif scope == "cells":
        cells = sorted(worst_cells(net, target, 3))
    elif scope == "cell":
        cells = worst_cells(net, target, 1)
    now = net.target_value(target, cells, slice_)
    if now is None or (not s.higher_is_better and now <= 0):
        return None
    value = now * (1 + level) if s.higher_is_better else now * (1 - level)
    return Goal(target=target, bound="min" if s.higher_is_better else "max", value=round(value, 4), cells=cells,
                slice=slice_)


def tasks() -> list[Task]:
    out, scopes = [], ("network", "cells", "cell", "slice")
    targets = list(TARGETS)
    for i in range(N_TASKS):
        family, target = i // len(targets), targets[i % len(targets)]
        kind = "day57" if i % 13 == 0 and family % 3 == 0 else ("day", "night", "crowded")[(i + family) % 3]
        if target in LOAD_TARGETS:  # full-buffer cells are always fully loaded: only bursty traffic has room
            kind = "crowded"
        seed = 100 + family
        net = Network(network_config(kind), seed=seed)
        goal = make_goal(net, target, scopes[(i + family) % 4], LEVELS[(i // 4) % 3])
        if goal is None:
            goal = make_goal(net, target, "network", LEVELS[(i // 4) % 3])
        if goal is None:
            continue
        goals = [goal]
        if i % 5 == 0:
            guard = Target.RAN_ENERGY_CONSUMPTION if target in (Target.AVE_DL_RAN_UE_THPT, Target.DL_THPT_PER_UE) \
                else Target.AVE_DL_RAN_UE_THPT
            goals.append(Goal(target=guard, bound="max" if guard == Target.RAN_ENERGY_CONSUMPTION else "min",
                              change_pct=0.0, verb="ENSURE"))
        out.append(Task(task_id=f"t{i:03d}-{kind}-{target.value}", kind=kind, seed=seed, family=family, goals=goals))
    return out


class Outcome(BaseModel):
    fulfilled: bool
    values: list[float | None]  # each goal's value at the end
    seconds: float
    evaluations: int
    baselines: list[float | None]


class CountingNetwork(Network):
    """Counts the twins made of it: every prediction and dry run starts with a clone."""

    clones = 0

    def clone(self) -> Network:
        self.clones += 1
        return super().clone()


GRAPH = build_graph(InMemorySaver())


def stretched(goal: Goal, config: NetworkConfig) -> Goal:
    """The goal pushed beyond reach (the farthest value the intent checks accept as plausible),
    so the oracle keeps improving until nothing does."""
    factors = (3.0, 2.0, 1.5) if spec(goal.target).higher_is_better else (0.0, 0.1, 0.3, 0.5)
    for factor in factors:
        bigger = goal.model_copy(update={"value": goal.value * factor})
        intent = to_intent(Understanding(text="x", status="parsed", goals=[bigger]))
        if checked(understanding_of(intent), Inventory.of(config, {})).status == "parsed":
            return bigger
    return goal


def run(task: Task, how: str) -> Outcome:
    net = CountingNetwork(network_config(task.kind), seed=task.seed)
    goals = [stretched(task.goals[0], net.config), *task.goals[1:]] if how == "oracle" else task.goals
    intent = to_intent(Understanding(text=task.task_id, status="parsed", goals=goals))
    base = ff.baselines(intent, net)
    ctx = AgentContext(network=net, verifier=Verifier(PACK), planner=EmbeddedPlanner(), search=how != "old",
                       budget=ORACLE if how == "oracle" else SearchBudget(), verify_top=6 if how == "oracle" else 3,
                       max_rounds=6 if how == "oracle" else MAX_ROUNDS)
    start = time.perf_counter()
    out = GRAPH.invoke({"text": task.task_id, "intent": intent, "scope_cells": list(range(net.num_cells)), "owner": how},
                       {"configurable": {"thread_id": uuid.uuid4().hex}}, context=ctx)
    seconds = time.perf_counter() - start
    pairs = list(ff.goals_of(intent))
    values, baselines = [ff.measure(net, g) for _, g in pairs], [base[ff.key(e, g)] for e, g in pairs]
    fulfilled = all(ff.met(g, v, b) for g, v, b in zip(task.goals, values, baselines))
    return Outcome(fulfilled=fulfilled, seconds=seconds, evaluations=net.clones, values=values, baselines=baselines)


def cache_path(untouched: bool) -> Path:
    return Path(str(CACHE).format(part="untouched" if untouched else "tuning"))


def oracle(task: Task, caches: dict[bool, dict]) -> Outcome:
    """The task's cached oracle outcome, computed and saved when the task is not in the cache."""
    cache, key = caches[task.untouched], task.model_dump_json()
    if key not in cache:
        cache[key] = run(task, "oracle").model_dump()
        cache_path(task.untouched).write_text(json.dumps(cache))
    return Outcome(**cache[key])


def load_caches(recompute: set[str]) -> dict[bool, dict]:
    """Both parts' oracle caches, without the entries of the network kinds in `recompute`."""
    caches = {}
    for untouched in (False, True):
        path = cache_path(untouched)
        cache = json.loads(path.read_text()) if path.exists() else {}
        caches[untouched] = {k: v for k, v in cache.items() if Task.model_validate_json(k).kind not in recompute}
    return caches


def primary_shortfall(task: Task, value: float | None, baseline: float | None) -> float:
    goal = task.goals[0]
    check = ff.target_checks(to_intent(Understanding(text="x", status="parsed", goals=[goal])),
                             {f"exp-1.{goal.target.value}": baseline})[0]
    return 1.0 if value is None else shortfall(check.condition, value, check.values) / scale(check)


def gap(task: Task, run_: Outcome, best: float, base: float) -> float:
    if run_.fulfilled:
        return 0.0
    mine = primary_shortfall(task, run_.values[0], run_.baselines[0])
    return float(np.clip((mine - best) / (base - best), 0.0, 1.0)) if base > best else 0.0


def summarize(rows: list[tuple[Task, dict[str, Outcome]]], label: str) -> None:
    achievable = [(t, r) for t, r in rows if any(o.fulfilled for o in r.values())]
    print(f"\n{label}: {len(rows)} tasks, {len(achievable)} achievable")
    print(f"  {'planner':8s} {'fulfilled/achievable':>22s} {'mean gap':>9s} {'p50 s':>7s} {'mean s':>7s} {'twins':>7s}")
    for how in ("old", "new", "oracle"):
        gaps = []
        for t, r in rows:
            base = primary_shortfall(t, r[how].baselines[0], r[how].baselines[0])
            best = min(primary_shortfall(t, o.values[0], o.baselines[0]) for o in r.values())
            if base > best:
                gaps.append(gap(t, r[how], best, base))
        done = sum(1 for _, r in achievable if r[how].fulfilled)
        secs = [r[how].seconds for _, r in rows]
        print(f"  {how:8s} {done:>10d}/{len(achievable):<11d} {100 * statistics.fmean(gaps or [0]):8.1f}% "
              f"{statistics.median(secs):7.2f} {statistics.fmean(secs):7.2f} {statistics.fmean(r[how].evaluations for _, r in rows):7.0f}")
    by_target: dict[str, list[str]] = {}
    for t, r in achievable:
        by_target.setdefault(t.goals[0].target.value, []).append(f"{int(r['old'].fulfilled)}{int(r['new'].fulfilled)}")
    print("  by target (achievable: old fulfilled / new fulfilled):")
    for name, marks in sorted(by_target.items()):
        print(f"    {name:22s} old {sum(m[0] == '1' for m in marks)}/{len(marks)}  new {sum(m[1] == '1' for m in marks)}/{len(marks)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--limit", type=int, default=0, help="run only the first N tasks of the part")
    parser.add_argument("--part", choices=("tuning", "untouched", "all"), default="all")
    parser.add_argument("--budget-s", type=float, default=0.0, help="start no new task after this many seconds")
    parser.add_argument("--recompute", default="", help="network kinds whose cached oracle entries are computed again, "
                        "e.g. day,night,day57 (after a simulator change)")
    args = parser.parse_args()
    kinds = {k for k in args.recompute.split(",") if k}
    if kinds - {"day", "night", "crowded", "day57"}:
        parser.error(f"unknown network kinds in --recompute: {sorted(kinds - {'day', 'night', 'crowded', 'day57'})}")
    caches = load_caches(kinds)
    chosen = [t for t in tasks() if args.part == "all" or t.untouched == (args.part == "untouched")]
    chosen = sorted(chosen, key=lambda t: t.kind == "day57")  # the slow 57-cell tasks last
    chosen = chosen[:args.limit] if args.limit else chosen
    rows, start = [], time.perf_counter()
    for task in chosen:
        if args.budget_s and time.perf_counter() - start > args.budget_s:
            print(f"time budget reached: {len(rows)} of {len(chosen)} tasks run")
            break
        results = {"old": run(task, "old"), "new": run(task, "new"), "oracle": oracle(task, caches)}
        rows.append((task, results))
        print(f"{task.task_id:40s} " + " ".join(f"{h}={'F' if o.fulfilled else '-'}"
                                                 f"{'' if o.values[0] is None else f'{o.values[0]:.4g}'}"
                                                 f"({o.seconds:.1f}s,{o.evaluations})" for h, o in results.items())
              + f" base={task.goals[0].value}", flush=True)
    for label, part in (("tuning part (even seed families)", False), ("untouched part (odd seed families)", True)):
        picked = [(t, r) for t, r in rows if t.untouched == part]
        if picked:
            summarize(picked, label)


if __name__ == "__main__":
    main()
