"""Channel prediction NMSE (dB) per speed: no prediction, least-squares AR, the learned model,
and the Wiener predictor with known autocorrelation (the limit) on Jakes channels; then on
Sionna TDL (the training family) and a CDL profile not used in training. History SNR 20 dB,
prediction of the 4 next 0.5 ms slots, NMSE averaged over them.
Targets: learned >= 3 dB better than AR at 60 km/h, and within 3 dB of the Wiener limit.

Run: .venv/bin/python benchmarks/channel_prediction.py
"""

from __future__ import annotations

import time

import numpy as np

from ranpilot.tools.channel_prediction.baselines import ar_least_squares, repeat_last, wiener
from ranpilot.tools.channel_prediction.data import (
    HISTORY, HORIZON, add_noise, cdl_sequences, doppler_hz, jakes_sequences, tdl_sequences,
)
from ranpilot.tools.channel_prediction.model import predict

SPEEDS = (10, 30, 60, 100)
SNR_DB = 20.0
N = 4000


def nmse_db(pred: np.ndarray, truth: np.ndarray) -> float:
    return float(10 * np.log10(np.sum(np.abs(pred - truth) ** 2) / np.sum(np.abs(truth) ** 2)))


def row(name: str, seqs: np.ndarray, speed: float | None) -> dict:
    history, truth = add_noise(seqs[:, :HISTORY], SNR_DB, seed=3), seqs[:, HISTORY:]
    out = {"channel": name,
           "none": nmse_db(repeat_last(history, HORIZON), truth),
           "AR(4)": nmse_db(ar_least_squares(history, HORIZON), truth)}
    start = time.perf_counter()
    out["learned"] = nmse_db(predict(history)[0], truth)
    out["learned us/seq"] = (time.perf_counter() - start) / len(seqs) * 1e6
    out["Wiener limit"] = nmse_db(wiener(history, HORIZON, doppler_hz(speed), SNR_DB), truth) if speed else float("nan")
    return out


def main() -> None:
    rows = [row(f"Jakes {v} km/h", jakes_sequences(N, v, seed=v), v) for v in SPEEDS]
    rows += [row(f"TDL-C {v} km/h", tdl_sequences("C", N // 4, (v, v), seed=100 + v), None) for v in SPEEDS]
    rows += [row(f"CDL-D {v} km/h (unseen)", cdl_sequences("D", N // 4, float(v), seed=200 + v), None) for v in SPEEDS]
    cols = ("none", "AR(4)", "learned", "Wiener limit", "learned us/seq")
    print(f"{'channel':26s}" + "".join(f"{c:>16s}" for c in cols))
    for r in rows:
        print(f"{r['channel']:26s}" + "".join(f"{r[c]:16.2f}" for c in cols))
    at60 = next(r for r in rows if r["channel"] == "Jakes 60 km/h")
    print(f"Jakes 60 km/h: learned vs AR {at60['AR(4)'] - at60['learned']:+.2f} dB (target >= +3), "
          f"gap to Wiener limit {at60['learned'] - at60['Wiener limit']:.2f} dB (target <= 3)")


if __name__ == "__main__":
    main()
