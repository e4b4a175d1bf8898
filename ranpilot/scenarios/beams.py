"""Link-level beam tracking for fast UEs: RZF precoders from stale CSI (the last estimate) or
from CSI predicted by the learned model, scored by the SINR they give on the true channel
1-4 slots later. Channels: Sionna TR 38.901 TDL with Doppler; CSI estimates at `snr_db`."""

from __future__ import annotations

import numpy as np
from pydantic import BaseModel, ConfigDict, Field



class BeamTracking(BaseModel):
    model_config = ConfigDict(extra="forbid")

    profile: str = Field(default="C", pattern="^[A-E]$")
    antennas: int = Field(default=8, ge=2, le=64)
    users: int = Field(default=4, ge=1, le=16)
    speed_kmh: float = Field(default=60.0, gt=0, le=500)
    snr_db: float = 20.0
    trials: int = Field(default=100, ge=1, le=10_000)
    seed: int = 0


class BeamTrackingResult(BaseModel):
    stale_csi_sinr_db: float
    predicted_csi_sinr_db: float
    perfect_csi_sinr_db: float

    @property
    def gain_db(self) -> float:
        return self.predicted_csi_sinr_db - self.stale_csi_sinr_db


def beam_tracking(cfg: BeamTracking) -> BeamTrackingResult:
    # Sionna and torch load here, not with the scenario model that names this block.
    from ranpilot.tools.beam_solver import rzf, sinr
    from ranpilot.tools.channel_prediction.data import HISTORY, HORIZON, add_noise, tdl_sequences
    from ranpilot.tools.channel_prediction.model import predict

    k, m, n = cfg.users, cfg.antennas, cfg.trials
    seqs = tdl_sequences(cfg.profile, n * k, (cfg.speed_kmh, cfg.speed_kmh), antennas=m, seed=cfg.seed)
    truth = seqs.reshape(n, k, m, HISTORY + HORIZON)
    history = add_noise(seqs[:, :HISTORY], cfg.snr_db, seed=cfg.seed + 1)
    predicted = predict(history)[0].reshape(n, k, m, HORIZON)
    stale = history[:, -1].reshape(n, k, m)
    noise = 10 ** (-cfg.snr_db / 10) * np.mean(np.abs(truth) ** 2) * m  # per-user SNR of snr_db at full array gain
    scores = {"stale": [], "predicted": [], "perfect": []}
    for trial in range(n):
        for step in range(HORIZON):
            actual = truth[trial, :, :, HISTORY + step]
            for name, csi in (("stale", stale[trial]), ("predicted", predicted[trial, :, :, step]), ("perfect", actual)):
                W = rzf(csi, 1.0, noise)
                scores[name].append(np.mean(10 * np.log10(np.maximum(sinr(actual, W, noise), 1e-6))))
    return BeamTrackingResult(stale_csi_sinr_db=float(np.mean(scores["stale"])),
                              predicted_csi_sinr_db=float(np.mean(scores["predicted"])),
                              perfect_csi_sinr_db=float(np.mean(scores["perfect"])))
