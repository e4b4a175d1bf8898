"""Learned power control: a message-passing network over the interference graph.

Input: normalized gains Ghat[b, k, j] = G[k, j] pmax[j] / noise[k] (B, K, K), any K.
Output: power fractions x (B, K) in [0, 1]; powers are x * pmax. Each link's state starts
from its direct gain; each layer sends, from every link j to link k, a message built from j's
state, the interference j causes at k and the interference k causes at j; a link averages
its incoming messages and updates its state. Permutation-equivariant, so one model serves
every K. Trained unsupervised on sum-rate (train.py).

Example:
    >>> G = np.random.default_rng(0).exponential(size=(2, 10, 10))
    >>> learned_powers(G, np.ones((2, 10)), np.ones((2, 10))).shape
    (2, 10)
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ranpilot.tools.weights import load_weights

WEIGHTS = Path(__file__).with_name("weights.pt")
LOG_FLOOR = -10.0  # log10 of a gain treated as absent


def mlp(n_in: int, n_out: int, hidden: int) -> nn.Sequential:
    return nn.Sequential(nn.Linear(n_in, hidden), nn.GELU(), nn.Linear(hidden, n_out))


class PowerGNN(nn.Module):
    def __init__(self, hidden: int = 64, layers: int = 3):
        super().__init__()
        self.encode = mlp(1, hidden, hidden)
        self.messages = nn.ModuleList(mlp(hidden + 2, hidden, hidden) for _ in range(layers))
        self.updates = nn.ModuleList(mlp(2 * hidden, hidden, hidden) for _ in range(layers))
        self.head = mlp(hidden, 1, hidden)

    def forward(self, log_g: torch.Tensor) -> torch.Tensor:
        """log_g (B, K, K) = log10(Ghat) / 4; returns x (B, K) in [0, 1]."""
        b, k, _ = log_g.shape
        direct = torch.diagonal(log_g, dim1=1, dim2=2)
        state = self.encode(direct.unsqueeze(-1))
        off = 1.0 - torch.eye(k, device=log_g.device)
        edge = torch.stack([log_g, log_g.transpose(1, 2)], dim=-1)  # [k, j]: j's interference at k, k's at j
        for message, update in zip(self.messages, self.updates):
            senders = state.unsqueeze(1).expand(b, k, k, -1)  # [k, j] carries j's state
            m = message(torch.cat([senders, edge], dim=-1)) * off[None, :, :, None]
            incoming = m.sum(dim=2) / max(k - 1, 1)
            state = state + update(torch.cat([state, incoming], dim=-1))
        return torch.sigmoid(self.head(state).squeeze(-1))


def features(G: np.ndarray | torch.Tensor, pmax: np.ndarray, noise: np.ndarray) -> torch.Tensor:
    g = torch.as_tensor(G, dtype=torch.float32) * torch.as_tensor(pmax, dtype=torch.float32)[:, None, :]
    g = g / torch.as_tensor(noise, dtype=torch.float32)[:, :, None]
    return torch.clamp(torch.log10(g.clamp_min(1e-30)), min=LOG_FLOOR) / 4.0


def sum_rate(Ghat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-instance sum of log2(1 + SINR) with unit noise, differentiable. (B,)"""
    received = Ghat * x.unsqueeze(1)
    signal = torch.diagonal(received, dim1=1, dim2=2)
    return torch.log2(1.0 + signal / (received.sum(dim=2) - signal + 1.0)).sum(dim=1)


def _build(state: dict) -> PowerGNN:
    layers = len({key.split(".")[1] for key in state if key.startswith("messages.")})
    return PowerGNN(hidden=state["encode.0.weight"].shape[0], layers=layers)


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS)) -> PowerGNN:
    """The shipped model, loaded once per process."""
    return load_weights(path, _build, "python -m ranpilot.tools.power_control.train")


@torch.no_grad()
def learned_powers(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Powers (B, K) in watts for a batch of gain matrices (B, K, K)."""
    x = load_model()(features(G, pmax, noise)).numpy()
    return x * pmax
