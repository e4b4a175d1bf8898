"""The Gymnasium interface: API conformance and determinism under a seed."""

import numpy as np
from gymnasium.utils.env_checker import check_env

from ranpilot.network import NetworkConfig
from ranpilot.network.env import RanEnv


def test_passes_gymnasium_checker():
    check_env(RanEnv(NetworkConfig(num_ues=42), episode_steps=5), skip_render_check=True)


def test_seeded_episodes_are_identical():
    def rollout():
        env = RanEnv(NetworkConfig(num_ues=42), episode_steps=3)
        obs, _ = env.reset(seed=11)
        rewards = []
        for _ in range(3):
            obs, reward, terminated, truncated, _ = env.step(np.full(21, 43.0, np.float32))
            rewards.append(reward)
        return obs, rewards, truncated

    (obs_a, rew_a, trunc), (obs_b, rew_b, _) = rollout(), rollout()
    assert np.array_equal(obs_a, obs_b) and rew_a == rew_b and trunc


def test_less_power_less_energy_penalty():
    env = RanEnv(NetworkConfig(num_ues=42), energy_weight=10.0)
    env.reset(seed=1)
    _, low, *_ = env.step(np.full(21, 30.0, np.float32))
    env.reset(seed=1)
    _, high, *_ = env.step(np.full(21, 49.0, np.float32))
    assert low > high
