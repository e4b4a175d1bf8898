"""Confirm-and-rollback on a bursty network: how often a good change is rolled back by noise, and
how often a bad one is kept, with the paired statistical confirm (`ranpilot.policies.confirm`)
against the former rule (one live sample after `confirm_steps` against the dry run's one predicted
sample, within the pack's fixed `max_worse`).

Per seed of two bursty 20 MHz networks (the planning benchmark's `crowded` kind with 420 UEs,
and the same with 210 UEs, whose throughput swings more), at several times: the best of a few single-cell changes on the most loaded cell that the verifier
approves with a predicted mean-throughput gain (over 0.3 Mbit/s) (a good change: the twin's prediction is the
truth here), applied and confirmed. A bad change is the same change with a prediction 4 Mbit/s
more optimistic than the truth (a twin that mis-predicts by twice `max_worse`).

Run: .venv/bin/python benchmarks/confirm.py [--seeds N]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))
from planning import network_config  # noqa: E402  (the benchmark networks, one definition)

from ranpilot.network import Network, SetCio, SetTilt, SetTxPower  # noqa: E402
from ranpilot.policies import Proposal, Verifier, load_pack  # noqa: E402
from ranpilot.policies.confirm import Effect  # noqa: E402

KPI = "AveDLRANUEThpt"
OPTIMISM = 4.0  # Mbit/s: how far the bad change's prediction overstates its effect
PACK = load_pack()


def candidates(net: Network) -> list[Proposal]:
    cell = int(np.argmax(net.cell_load()))
    conf = net.configuration()
    return [Proposal(actions=[a]) for a in (
        SetCio(cell=cell, cio_db=float(conf.cio_db[cell]) - 3.0),
        SetCio(cell=cell, cio_db=float(conf.cio_db[cell]) - 6.0),
        SetTilt(cell=cell, tilt_deg=float(conf.tilt_deg[cell]) + 2.0),
        SetTilt(cell=cell, tilt_deg=float(conf.tilt_deg[cell]) - 2.0),
        SetTxPower(cell=cell, tx_power_dbm=float(conf.tx_power_dbm[cell]) - 3.0),
        SetTxPower(cell=cell, tx_power_dbm=float(conf.tx_power_dbm[cell]) + 1.0),
    )]


def best_verdict(net: Network, verifier: Verifier):
    approved = [v for v in (verifier.verify(p, net) for p in candidates(net)) if v.status == "approved"]
    good = [v for v in approved if KPI in v.effects and v.effects[KPI].mean > 0.3]
    return max(good, key=lambda v: v.effects[KPI].mean, default=None)


def former_rule_rolls_back(verdict, kpis_after: dict[str, float]) -> bool:
    """The rule before: a live sample worse than the predicted sample by more than `max_worse`."""
    for tol in PACK.confirm:
        predicted, live = verdict.predicted.get(tol.kpi), kpis_after.get(tol.kpi)
        if predicted is not None and live is not None:
            worse = predicted - live if tol.higher_is_better else live - predicted
            if worse > tol.max_worse:
                return True
    return False


def overstated(verdict):
    """The verdict with its throughput prediction (sample and paired effect) made too optimistic."""
    effect = verdict.effects[KPI]
    return verdict.model_copy(update={
        "predicted": {**verdict.predicted, KPI: verdict.predicted[KPI] + OPTIMISM},
        "effects": {**verdict.effects, KPI: Effect(mean=effect.mean + OPTIMISM, sd=effect.sd, steps=effect.steps)}})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=20)
    parser.add_argument("--times", type=int, default=3, help="trials per seed, 20 steps apart")
    args = parser.parse_args()
    crowded = network_config("crowded")
    for label, config in (("crowded, 420 UEs", crowded), ("bursty, 210 UEs", crowded.model_copy(update={"num_ues": 210}))):
        trial(label, config, args.seeds, args.times)


def trial(label: str, config, seeds: int, times: int) -> None:
    counts = {"good": 0, "good_new_rb": 0, "good_old_rb": 0, "bad_new_kept": 0, "bad_old_kept": 0}
    effects = []
    for seed in range(seeds):
        net = Network(config, seed=seed)
        for _ in range(times):
            net.step(20)
            verdict = best_verdict(net, Verifier(PACK))
            if verdict is None:
                continue
            for bad in (False, True):
                live = net.clone()
                judged = overstated(verdict) if bad else verdict
                result = Verifier(PACK).apply_verified(judged, live)
                old = former_rule_rolls_back(judged, result.kpis_after)
                if bad:
                    counts["bad_new_kept"] += result.status == "applied"
                    counts["bad_old_kept"] += not old
                else:
                    counts["good"] += 1
                    counts["good_new_rb"] += result.status == "rolled_back"
                    counts["good_old_rb"] += old
                    effects.append((verdict.effects[KPI].mean, verdict.effects[KPI].sd, result.kpis_after[KPI]))
    n = counts["good"]
    gain, paired_sd, live = np.array(effects).T if effects else (np.zeros(1),) * 3
    print(f"{label}: {seeds} seeds x {times} times: {n} good changes; predicted mean "
          f"throughput gain {gain.mean():.2f} Mbit/s; per-step sd of the paired difference {paired_sd.mean():.2f}, "
          f"of the live KPI over the trials {live.std():.2f} Mbit/s")
    print(f"  good change rolled back: paired statistical confirm {counts['good_new_rb']}/{n}, "
          f"former one-sample rule {counts['good_old_rb']}/{n}")
    print(f"  bad change (prediction {OPTIMISM:g} Mbit/s too optimistic) kept: paired {counts['bad_new_kept']}/{n}, "
          f"former rule {counts['bad_old_kept']}/{n}")


if __name__ == "__main__":
    main()
