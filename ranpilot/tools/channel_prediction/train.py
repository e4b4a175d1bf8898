"""Train the CSI predictor on 3GPP TR 38.901 TDL channels (Sionna) with Doppler across
10-120 km/h and CSI estimation noise of 10-30 dB SNR; writes weights.pt beside this file.

Run: python -m ranpilot.tools.channel_prediction.train [--epochs 40] [--out PATH]
CPU: about two minutes on 2 cores. Deterministic for a given --seed.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import torch

from ranpilot.threads import for_batch_work
from ranpilot.tools.channel_prediction.data import HISTORY, add_noise, tdl_sequences
from ranpilot.tools.channel_prediction.model import WEIGHTS, CsiPredictor, to_features

TRAIN_PROFILES = ("A", "B", "C", "D")  # CDL profiles stay unseen, for evaluation


def dataset(per_profile: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    seqs = np.concatenate([tdl_sequences(p, per_profile, (10.0, 120.0), seed=seed + i) for i, p in enumerate(TRAIN_PROFILES)])
    rng = np.random.default_rng(seed)
    snr = rng.uniform(10.0, 30.0, len(seqs))
    return add_noise(seqs[:, :HISTORY], snr, seed + 1), seqs[:, HISTORY:]


def train(epochs: int, per_profile: int, seed: int, out: Path) -> None:
    torch.manual_seed(seed)
    start = time.perf_counter()
    history, future = dataset(per_profile, seed)
    x, scale = to_features(history)
    target = future / scale
    y = torch.as_tensor(np.concatenate([target.real, target.imag], axis=1), dtype=torch.float32)
    print(f"{len(x)} sequences generated in {time.perf_counter() - start:.0f} s")
    model = CsiPredictor()
    optimizer = torch.optim.AdamW(model.parameters(), lr=2e-3, weight_decay=1e-4)
    schedule = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, epochs)
    k = y.shape[1] // 2
    for epoch in range(epochs):
        order = torch.randperm(len(x))
        total = 0.0
        for batch in order.split(1024):
            mean, log_var = model(x[batch])
            err = (mean - y[batch]) ** 2
            err = err[:, :k] + err[:, k:]
            nll = (err.detach() / log_var.exp() + log_var).mean()  # variance head, mean is not pushed by it
            loss = err.mean() + 0.1 * nll
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += err.mean().item() * len(batch)
        schedule.step()
        if epoch % 5 == 4 or epoch == epochs - 1:
            print(f"epoch {epoch + 1}: normalized MSE {total / len(x):.4f}  ({time.perf_counter() - start:.0f} s)")
    torch.save(model.state_dict(), out)
    print(f"wrote {out}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=40)
    parser.add_argument("--per-profile", type=int, default=16384, help="TDL draws per profile (x 4 antennas).")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, default=WEIGHTS)
    args = parser.parse_args()
    with for_batch_work():
        train(args.epochs, args.per_profile, args.seed, args.out)


if __name__ == "__main__":
    main()
