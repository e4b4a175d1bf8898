"""Learned power control: a light graph network proposes powers, over-relaxed WMMSE steps refine them.

Input: normalized gains Ghat[b, k, j] = G[k, j] pmax[j] / noise[k] (B, K, K), any K.
Output: power fractions x (B, K) in [0, 1]; powers are x * pmax.

The graph network is scale-free and permutation-equivariant, so one model serves every K and
both the Gaussian and the path-loss (D2D) setups. It works on the interference-to-signal ratios
R[k, j] = Ghat[k, j] / Ghat[k, k]. Link k starts from its SNR and from how much interference it
suffers and causes at full power, log(1 + sum_j R[k, j]) and log(1 + sum_j R[j, k]). Each round
the links emit gates phi, psi in [0, 1]; link k hears sum_j R[k, j] phi_j (what it suffers) and
sum_j R[j, k] psi_j (the harm it does), and one linear layer updates its state and emits the next
gates. The proposal then takes `refine_steps` WMMSE iterations (Shi et al. 2011) written in torch,
each over-relaxed by a learned weight: v <- v + w_i (v_wmmse - v). The network picks the basin
(which links transmit), the refinement settles inside it. Trained end to end on sum-rate after
imitating WMMSE (train.py).

Every aggregation is a batched row-vector product against R or its transposed view (no K x K
copy beyond R itself), and the per-link layers are kept feature-major so that each is one matrix
product over all links; benchmarks/power_control.py measures what that costs.

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
from torch.nn import functional as F

from ranpilot.threads import for_items
from ranpilot.tools.weights import load_weights

WEIGHTS = Path(__file__).with_name("weights.pt")
EPS = 1e-3  # floor inside the log of an aggregated message
FLOOR = 1e-6  # least amplitude (power 1e-12 of pmax): off for any rate, and no float32 denormals (slow on CPUs)


class PowerNet(nn.Module):
    """x = WMMSE^refine_steps(head(GNN(Ghat))). Shapes: (B, K, K) -> (B, K)."""

    def __init__(self, hidden: int = 8, rounds: int = 2, channels: int = 4, refine_steps: int = 3):
        super().__init__()
        self.hidden, self.channels = hidden, channels
        width = hidden + 2 * channels  # a state update, then the gates for the next round
        self.encode = nn.Linear(3, width)
        self.rounds = nn.ModuleList(nn.Linear(width, width) for _ in range(rounds))
        self.head = nn.Linear(hidden, 1)
        self.relaxation = nn.Parameter(torch.zeros(refine_steps))  # w_i - 1; zeros are plain WMMSE

    def propose(self, ghat: torch.Tensor) -> torch.Tensor:
        """Power fractions (B, K) from the graph network alone."""
        return self.graph(*split(ghat))

    def forward(self, ghat: torch.Tensor) -> torch.Tensor:
        direct, ratio = split(ghat)
        return wmmse_steps(ghat, direct, ratio.mT, self.graph(direct, ratio), 1.0 + self.relaxation)

    def graph(self, direct: torch.Tensor, ratio: torch.Tensor) -> torch.Tensor:
        """The proposal (B, K) from the direct gains (B, K) and R (B, K, K).

        Per-link features are feature-major, (F, B K): each linear layer is one matrix product with
        the weight as stored, and the state and gate blocks are contiguous row slices (link-major
        slices with an inner length of 8 cost elementwise ops 3-5x more)."""
        hidden, c = self.hidden, self.channels
        batch, k = direct.shape
        features = torch.stack([torch.log10(direct) / 4.0, torch.log1p(ratio.sum(2)), torch.log1p(ratio.sum(1))])
        z = _linear(self.encode, features.view(3, batch * k))
        state = z[:hidden]
        for layer in self.rounds:
            gates = F.hardsigmoid(z[hidden:]).view(2 * c, batch, k).transpose(0, 1)  # (B, 2C, K) rows
            heard = torch.bmm(gates[:, :c], ratio.mT)  # sum_j R[k, j] phi_j
            harm = torch.bmm(gates[:, c:], ratio)  # sum_j R[j, k] psi_j
            messages = torch.log(torch.cat([heard, harm], 1).clamp_min(EPS)).transpose(0, 1)  # (2C, B, K)
            z = _linear(layer, torch.cat([state.view(hidden, batch, k), messages]).view(-1, batch * k))
            state = state + torch.relu(z[:hidden])
        return torch.sigmoid(_linear(self.head, state)).view(batch, k)


def _linear(layer: nn.Linear, features: torch.Tensor) -> torch.Tensor:
    """The layer applied to feature-major columns: (F_in, N) -> (F_out, N)."""
    return torch.addmm(layer.bias.unsqueeze(1), layer.weight, features)


def split(ghat: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The direct gains Ghat[k, k] (B, K), contiguous, and R[k, j] = Ghat[k, j] / Ghat[k, k] off
    the diagonal, 0 on it (B, K, K)."""
    direct = torch.diagonal(ghat, dim1=1, dim2=2).contiguous()
    ratio = ghat / direct.unsqueeze(-1)
    ratio.diagonal(dim1=1, dim2=2).zero_()
    return direct, ratio


def wmmse_steps(
    ghat: torch.Tensor, direct: torch.Tensor, ratio_t: torch.Tensor, x: torch.Tensor, weights: torch.Tensor
) -> torch.Tensor:
    """One WMMSE iteration per weight on the normalized problem (unit noise, unit power cap), each
    over-relaxed: v <- v + w (v_wmmse - v); (B, K). Vectors are (B, 1, K) rows, so each product is
    a row times a matrix. Interference is summed off the diagonal (through R transposed), not as
    total minus signal, which cancels in float32 at D2D SNRs of 80 dB."""
    direct = direct.unsqueeze(1)
    noise = torch.ones((1, 1, 1))
    v = torch.sqrt(x.clamp_min(FLOOR**2)).unsqueeze(1)  # not 0: sqrt's gradient there is infinite
    for weight in weights:
        power = v * v
        interference = torch.addcmul(noise, direct, torch.bmm(power, ratio_t))  # 1 + sum_j!=k Ghat[k, j] p_j
        signal = direct * power
        wu2 = signal / (interference * (interference + signal))  # WMMSE's w u^2
        best = direct * v / (interference * torch.bmm(wu2, ghat))  # w u h / sum_j Ghat[j, k] w_j u_j^2
        v = torch.lerp(v, best, weight).clamp(FLOOR, 1.0)
    return (v * v).squeeze(1)


def normalized_gains(G: np.ndarray | torch.Tensor, pmax: np.ndarray, noise: np.ndarray) -> torch.Tensor:
    """Ghat = G[k, j] pmax[j] / noise[k] as float32 (B, K, K): one new tensor, scaled in place
    (three fresh (B, K, K) tensors cost 40% more at B = 1000, K = 50)."""
    g = torch.as_tensor(G).to(torch.float32, copy=True)
    g.mul_(torch.as_tensor(pmax, dtype=torch.float32)[:, None, :])
    g.div_(torch.as_tensor(noise, dtype=torch.float32)[:, :, None])
    return g.clamp_min_(1e-30)


def sum_rate(ghat: torch.Tensor, x: torch.Tensor) -> torch.Tensor:
    """Per-instance sum of log2(1 + SINR) with unit noise, differentiable. (B,)"""
    received = ghat * x.unsqueeze(1)
    signal = torch.diagonal(received, dim1=1, dim2=2)
    interference = (received - torch.diag_embed(signal)).sum(dim=2)  # exact: total - signal cancels in float32
    return torch.log2(1.0 + signal / (interference + 1.0)).sum(dim=1)


def _build(state: dict) -> PowerNet:
    hidden = state["head.weight"].shape[1]
    rounds = len({key.split(".")[1] for key in state if key.startswith("rounds.")})
    channels = (state["encode.weight"].shape[0] - hidden) // 2
    return PowerNet(hidden=hidden, rounds=rounds, channels=channels, refine_steps=len(state["relaxation"]))


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS)) -> PowerNet:
    """The shipped model, loaded once per process."""
    return load_weights(path, _build, "python -m ranpilot.tools.power_control.train")


@torch.inference_mode()
def learned_powers(G: np.ndarray, pmax: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """Powers (B, K) in watts for a batch of gain matrices (B, K, K); a few on one thread (`ranpilot.threads`)."""
    with for_items(len(G)):
        x = load_model()(normalized_gains(G, pmax, noise)).numpy().astype(float)
    return x * pmax
