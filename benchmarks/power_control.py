"""Power control sum-rate and time per instance: learned / WMMSE / WMMSE best-of-20 / max power / GP
(max-min SINR), for K = 10, 20, 30, 50 on the Gaussian interference channel and the D2D layout.
References measured here for the Gaussian setup: WMMSE about 2.85, 3.62, 4.15, 4.81 bit/s/Hz,
full power about 1.45. Target: learned >= 98% of WMMSE and >= 10x faster per instance in batch.

Run: .venv/bin/python benchmarks/power_control.py
"""

from __future__ import annotations

import time

import numpy as np

from ranpilot.tools.power_control.gp import max_min_problem
from ranpilot.tools.power_control.learned import learned_powers, load_model
from ranpilot.tools.power_control.train import d2d, gaussian
from ranpilot.tools.power_control.wmmse import rates, wmmse

N = 200
GP_INSTANCES = 20


def timed(fn, repeats: int = 3):
    """(result, ms per instance): the best of `repeats` runs over the whole batch of N."""
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - start)
    return out, best / N * 1e3


def main() -> None:
    load_model()
    print(f"{'setup':9s} {'K':>3s} | {'learned':>8s} {'WMMSE':>8s} {'best-20':>8s} {'maxpow':>8s} {'GP':>8s} | "
          f"{'ratio':>6s} | ms/inst: {'learned':>8s} {'WMMSE':>8s} {'1-by-1':>8s} {'best-20':>8s} {'GP':>8s} | "
          f"speedup: batched 1-by-1")
    for name, make in (("gaussian", gaussian), ("d2d", d2d)):
        for k in (10, 20, 30, 50):
            G, pmax, noise = make(N, k, np.random.default_rng(7 + k))
            total = lambda p: float(rates(G, p, noise).sum(axis=1).mean())  # noqa: E731
            p_learned, t_learned = timed(lambda: learned_powers(G, pmax, noise))
            (p_wmmse, _), t_wmmse = timed(lambda: wmmse(G, pmax, noise))
            (p_best, _), t_best = timed(lambda: wmmse(G, pmax, noise, restarts=19), repeats=1)
            start = time.perf_counter()  # one instance per call, as the tool serves one request
            for i in range(GP_INSTANCES):
                wmmse(G[i:i + 1], pmax[i:i + 1], noise[i:i + 1])
            t_single = (time.perf_counter() - start) / GP_INSTANCES * 1e3
            problem = max_min_problem(k)
            start = time.perf_counter()
            gp = [problem.solve(G[i], pmax[i], noise[i])[2] for i in range(GP_INSTANCES)]
            t_gp = (time.perf_counter() - start) / GP_INSTANCES * 1e3
            gp_rate = float(rates(G[:GP_INSTANCES], np.array(gp), noise[:GP_INSTANCES]).sum(axis=1).mean())
            ratio = total(p_learned) / total(p_wmmse)
            print(f"{name:9s} {k:3d} | {total(p_learned):8.3f} {total(p_wmmse):8.3f} {total(p_best):8.3f} {total(pmax):8.3f} "
                  f"{gp_rate:8.3f} | {ratio:6.3f} | {'':9s}{t_learned:8.3f} {t_wmmse:8.3f} {t_single:8.3f} {t_best:8.3f} "
                  f"{t_gp:8.1f} | {'':9s}{t_wmmse / t_learned:6.1f}x {t_single / t_learned:6.0f}x")
    print("sum-rates in bit/s/Hz per instance (mean of 200; GP over 20); ratio = learned / WMMSE (target >= 0.98); "
          "speedup = WMMSE / learned time per instance, learned batched over the 200 (best of 3 runs; target >= 10x), "
          "WMMSE batched over the same 200 or run one instance per call (1-by-1, over 20). "
          "WMMSE: 100 iterations from full power, numpy float64 batched matmuls; learned: torch float32, 3 graph "
          "rounds + 4 unrolled WMMSE iterations.")


if __name__ == "__main__":
    main()
