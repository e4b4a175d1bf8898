"""Learned power control: a light graph network proposes powers, unrolled WMMSE steps refine them.

Input: normalized gains Ghat[b, k, j] = G[k, j] pmax[j] / noise[k] (B, K, K), any K.
Output: power fractions x (B, K) in [0, 1]; powers are x * pmax.

The graph network is scale-free and permutation-equivariant, so one model serves every K and
both the Gaussian and the path-loss (D2D) setups. Link k starts from its SNR, log Ghat[k, k];
each round it gathers, through the interference-to-signal ratios R[k, j] = Ghat[k, j] / Ghat[k, k],
what its interferers say (sum_j R[k, j] phi(s_j)) and what its victims say (sum_j R[j, k] psi(s_j)).
Aggregation is a batched matrix product, so a round costs about one WMMSE iteration. The
proposal then goes through `refine_steps` WMMSE iterations (Shi et al. 2011) written in torch:
the network picks the basin (which links transmit), WMMSE settles inside it. Trained end to end
on sum-rate after imitating WMMSE (train.py).

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
EPS = 1e-3  # floor inside the log of an aggregated message


class PowerNet(nn.Module):
    """x = WMMSE^refine_steps(head(GNN(Ghat))). Shapes: (B, K, K) -> (B, K)."""

    def __init__(self, hidden: int = 16, rounds: int = 3, channels: int = 4, refine_steps: int = 4):
        super().__init__()
        self.refine_steps = refine_steps
        self.encode = nn.Linear(1, hidden)
        self.senders = nn.ModuleList(nn.Linear(hidden, 2 * channels) for _ in range(rounds))
        self.updates = nn.ModuleList(
            nn.Sequential(nn.Linear(hidden + 2 * channels, hidden), nn.ReLU(), nn.Linear(hidden, hidden))
            for _ in range(rounds))
        self.head = nn.Linear(hidden, 1)
        self.register_buffer("steps", torch.tensor(refine_steps))  # saved with the weights

    def propose(self, ghat: torch.Tensor) -> torch.Tensor:
        """Power fractions (B, K) from the graph network alone."""
        direct = torch.diagonal(ghat, dim1=1, dim2=2).unsqueeze(-1)  # (B, K, 1)
        ratio = ghat / direct  # R[k, j] = Ghat[k, j] / Ghat[k, k]
        ratio.diagonal(dim1=1, dim2=2).zero_()
        ratio_t = ratio.transpose(1, 2).contiguous()  # once: bmm would copy a transposed view every round
        state = self.encode(torch.log10(direct) / 4.0)
        for senders, update in zip(self.senders, self.updates):
            to_victims, to_interferers = torch.sigmoid(senders(state)).chunk(2, dim=-1)
            heard = rows_times(to_victims, ratio_t)  # sum_j R[k, j] phi(s_j): what k suffers
            caused = rows_times(to_interferers, ratio)  # sum_j R[j, k] psi(s_j): the harm k does
            messages = torch.log(torch.cat([heard, caused], dim=-1) + EPS) / 4.0
            state = state + update(torch.cat([state, messages], dim=-1))
        return torch.sigmoid(self.head(state).squeeze(-1))

    def forward(self, ghat: torch.Tensor) -> torch.Tensor:
        return wmmse_steps(ghat, self.propose(ghat), self.refine_steps)


def rows_times(x: torch.Tensor, m: torch.Tensor) -> torch.Tensor:
    """out[b, k, c] = sum_j x[b, j, c] m[b, j, k]: (B, K, C) x (B, K, K) -> (B, K, C).

    Written as row vectors times the matrix, the layout torch's CPU bmm is fast at
    (about 5x faster than the matrix times column vectors at K = 50)."""
    return torch.bmm(x.transpose(1, 2), m).transpose(1, 2)


def wmmse_steps(ghat: torch.Tensor, x: torch.Tensor, steps: int) -> torch.Tensor:
    """`steps` WMMSE iterations on the normalized problem (unit noise, unit power cap); (B, K).
    Vectors are kept as (B, 1, K) rows so each product is a row times the gain matrix."""
    h = torch.sqrt(torch.diagonal(ghat, dim1=1, dim2=2)).unsqueeze(1)
    ghat_t = ghat.transpose(1, 2).contiguous()
    v = torch.sqrt(x.clamp_min(1e-12)).unsqueeze(1)  # not 0: sqrt's gradient there is infinite
    for _ in range(steps):
        hv = h * v
        u = hv / (torch.bmm(v * v, ghat_t) + 1.0)  # sum_j Ghat[k, j] v_j^2 + noise
        wu = u / (1.0 - u * hv).clamp_min(1e-6)
        v = (wu * h / torch.bmm(wu * u, ghat).clamp_min(1e-30)).clamp(0.0, 1.0)  # sum_j Ghat[j, k] w_j u_j^2
    return (v * v).squeeze(1)


def normalized_gains(G: np.ndarray | torch.Tensor, pmax: np.ndarray, noise: np.ndarray) -> torch.Tensor:
    """Ghat = G[k, j] pmax[j] / noise[k] as float32 (B, K, K)."""
    g = torch.as_tensor(G, dtype=torch.float32) * torch.as_tensor(pmax, dtype=torch.float32)[:, None, :]
    return (g / torch.as_tensor(noise, dtype=torch.float32)[:, :, None]).clamp_min(1e-30)


def sum_rate(ghat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-instance sum of log2(1 + SINR) with unit noise, differentiable. (B,)"""
    received = ghat * x.unsqueeze(1)
    signal = torch.diagonal(received, dim1=1, dim2=2)
    return torch.log2(1.0 + signal / (received.sum(dim=2) - signal + 1.0)).sum(dim=1)


def _build(state: dict) -> PowerNet:
    hidden = state["encode.weight"].shape[0]
    rounds = len({key.split(".")[1] for key in state if key.startswith("senders.")})
    channels = state["senders.0.weight"].shape[0] // 2
    return PowerNet(hidden=hidden, rounds=rounds, channels=channels, refine_steps=int(state["steps"]))


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS)) -> PowerNet:
    """The shipped model, loaded once per process."""
    return load_weights(path, _build, "python -m ranpilot.tools.power_control.train")


@torch.inference_mode()
def learned_powers(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Powers (B, K) in watts for a batch of gain matrices (B, K, K)."""
    x = load_model()(normalized_gains(G, pmax, noise)).numpy().astype(float)
    return x * pmax
