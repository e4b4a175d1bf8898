"""Gymnasium interface to the simulated network, for RL users.

Observation (C, 5) float32 per cell: PRB load (0..1), mean UE throughput (Mbit/s), number of
UEs, transmit power (dBm), asleep flag. Action (C,) float32: transmit power per cell in dBm
within the hardware range. Reward: mean log2(1 + UE throughput in Mbit/s) minus
`energy_weight` times network power in kW, so an agent trades user experience against energy.
"""

from __future__ import annotations

from typing import Any

import gymnasium as gym
import numpy as np

from ranpilot.network.actions import SetPowerVector
from ranpilot.network.config import NetworkConfig
from ranpilot.network.simulator import Network


class RanEnv(gym.Env):
    """`reset(seed=...)` drops UEs anew; each `step(action)` sets powers and advances one step."""

    metadata = {"render_modes": []}

    def __init__(self, config: NetworkConfig | None = None, episode_steps: int = 50, energy_weight: float = 0.1):
        self.network = Network(config)
        cfg, n = self.network.config, self.network.num_cells
        self.episode_steps = episode_steps
        self.energy_weight = energy_weight
        self.action_space = gym.spaces.Box(cfg.min_tx_power_dbm, cfg.max_tx_power_dbm, (n,), np.float32)
        low = np.tile([0.0, 0.0, 0.0, cfg.min_tx_power_dbm, 0.0], (n, 1)).astype(np.float32)
        high = np.tile([1.0, np.inf, cfg.num_ues, cfg.max_tx_power_dbm, 1.0], (n, 1)).astype(np.float32)
        self.observation_space = gym.spaces.Box(low, high, dtype=np.float32)
        self._t = 0

    def reset(self, *, seed: int | None = None, options: dict[str, Any] | None = None):
        super().reset(seed=seed)
        self.network.reset(int(self.np_random.integers(2**31)) if seed is None else seed)
        self._t = 0
        return self._obs(), {}

    def step(self, action: np.ndarray):
        powers = np.clip(np.asarray(action, dtype=float), self.action_space.low, self.action_space.high)
        self.network.apply([SetPowerVector(tx_power_dbm=powers.tolist())])
        self.network.step()
        self._t += 1
        r = self.network.radio()
        reward = float(np.log2(1.0 + r.thp_bps / 1e6).mean() - self.energy_weight * r.cell_power_w.sum() / 1e3)
        truncated = self._t >= self.episode_steps
        return self._obs(), reward, False, truncated, {"time_s": self.network.time_s}

    def _obs(self) -> np.ndarray:
        r, state, n = self.network.radio(), self.network.state, self.network.num_cells
        counts = np.bincount(r.serving, minlength=n)
        thp = np.bincount(r.serving, weights=r.thp_bps, minlength=n) / np.maximum(counts, 1) / 1e6
        obs = np.stack([r.cell_load, thp, counts, state.tx_power_dbm, state.asleep], axis=1)
        return obs.astype(np.float32)
