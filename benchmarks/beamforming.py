"""Beamforming: MRT / ZF / RZF / WMMSE sum-rate at a power budget, and SOCP minimum power
against ZF's power for the same SINR targets, for M x K in {8x4, 16x8, 16x16, 32x8}, with
times. Target: SOCP build + solve under 100 ms at 16x8.

Run: .venv/bin/python benchmarks/beamforming.py
"""

from __future__ import annotations

import time

import numpy as np

from ranpilot.tools.beam_solver import MinPowerProblem, min_power, mrt, rzf, sinr, wmmse_miso, zf

TRIALS = 20
POWER, NOISE, TARGET_DB = 10.0, 1.0, 10.0


def sum_rate(H, W):
    return float(np.log2(1 + sinr(H, W, NOISE)).sum())


def zf_power(H, gamma_db):
    W = zf(H, 1.0)
    W /= np.linalg.norm(W, axis=0)
    return float(np.sum(10 ** (gamma_db / 10) * NOISE / np.abs(np.diag(H @ W)) ** 2))


def main() -> None:
    print(f"{'MxK':7s} | sum-rate bit/s/Hz at {POWER:g} W: {'MRT':>7s} {'ZF':>7s} {'RZF':>7s} {'WMMSE':>7s} | "
          f"power W for {TARGET_DB:g} dB: {'SOCP':>8s} {'ZF':>8s} | build+solve ms {'first':>7s} {'re-solve':>9s}")
    for m, k in ((8, 4), (16, 8), (16, 16), (32, 8)):
        rng = np.random.default_rng(m * 100 + k)
        rates = {n: [] for n in ("MRT", "ZF", "RZF", "WMMSE")}
        socp, zfp, solve_ms = [], [], []
        start = time.perf_counter()
        MinPowerProblem(k, m, slack=False).solve(*_instance(rng, k, m), NOISE)  # a fresh build, timed
        build_ms = (time.perf_counter() - start) * 1e3
        for _ in range(TRIALS):
            H, gamma = _instance(rng, k, m)
            for name, W in (("MRT", mrt(H, POWER)), ("ZF", zf(H, POWER)), ("RZF", rzf(H, POWER, NOISE)),
                            ("WMMSE", wmmse_miso(H, POWER, NOISE))):
                rates[name].append(sum_rate(H, W))
            t0 = time.perf_counter()
            status, _, W, _ = min_power(H, gamma, NOISE)
            solve_ms.append((time.perf_counter() - t0) * 1e3)
            if status == "optimal":
                socp.append(float(np.sum(np.abs(W) ** 2)))
                zfp.append(zf_power(H, TARGET_DB))
        mean = {n: np.mean(v) for n, v in rates.items()}
        print(f"{m}x{k:<5d} | {'':31s}{mean['MRT']:7.2f} {mean['ZF']:7.2f} {mean['RZF']:7.2f} {mean['WMMSE']:7.2f} | "
              f"{'':19s}{np.mean(socp) if socp else float('nan'):8.2f} {np.mean(zfp) if zfp else float('nan'):8.2f} | "
              f"{'':15s}{build_ms:7.1f} {np.median(solve_ms):9.1f}   ({len(socp)}/{TRIALS} feasible)")


def _instance(rng, k, m):
    H = (rng.standard_normal((k, m)) + 1j * rng.standard_normal((k, m))) / np.sqrt(2)
    return H, np.full(k, 10 ** (TARGET_DB / 10))


if __name__ == "__main__":
    main()
