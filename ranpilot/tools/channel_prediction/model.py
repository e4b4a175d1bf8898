"""The learned CSI predictor: an MLP over RMS-normalized histories, with a variance head.

Input: history (B, 16) complex (one antenna each; antennas are a batch dimension).
Output: prediction (B, 4) complex for the next four 0.5 ms slots, and the predicted error
variance (B, 4) relative to the history's power (an uncertainty / confidence figure).

Example:
    >>> import numpy as np
    >>> h = np.exp(1j * 0.3 * np.arange(16))[None, :].astype(np.complex64)
    >>> mean, var = predict(h)
    >>> mean.shape, var.shape
    ((1, 4), (1, 4))
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import numpy as np
import torch
from torch import nn

from ranpilot.threads import for_items
from ranpilot.tools.channel_prediction.data import HISTORY, HORIZON
from ranpilot.tools.weights import load_weights

WEIGHTS = Path(__file__).with_name("weights.pt")


class CsiPredictor(nn.Module):
    def __init__(self, history: int = HISTORY, horizon: int = HORIZON, width: int = 256):
        super().__init__()
        self.horizon = horizon
        self.body = nn.Sequential(
            nn.Linear(2 * history, width), nn.GELU(), nn.Linear(width, width), nn.GELU(), nn.Linear(width, width), nn.GELU(),
        )
        self.mean = nn.Linear(width, 2 * horizon)
        self.log_var = nn.Linear(width, horizon)

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x (B, 2 * history) real: [re..., im...] of the normalized history."""
        z = self.body(x)
        return self.mean(z), self.log_var(z)


def to_features(history: np.ndarray) -> tuple[torch.Tensor, np.ndarray]:
    scale = np.sqrt(np.mean(np.abs(history) ** 2, axis=1, keepdims=True)) + 1e-12
    h = history / scale
    return torch.as_tensor(np.concatenate([h.real, h.imag], axis=1), dtype=torch.float32), scale


def from_output(mean: torch.Tensor, scale: np.ndarray) -> np.ndarray:
    m = mean.detach().numpy()
    k = m.shape[1] // 2
    return (m[:, :k] + 1j * m[:, k:]) * scale


@lru_cache(maxsize=1)
def load_model(path: str = str(WEIGHTS)) -> CsiPredictor:
    """The shipped model, loaded once per process."""
    return load_weights(path, lambda state: CsiPredictor(width=state["body.0.weight"].shape[0]),
                        "python -m ranpilot.tools.channel_prediction.train")


@torch.no_grad()
def predict(history: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(prediction (B, 4) complex, error variance relative to history power (B, 4)); a few
    histories on one thread (`ranpilot.threads`)."""
    x, scale = to_features(history)
    with for_items(len(history)):
        mean, log_var = load_model()(x)
    return from_output(mean, scale), np.exp(log_var.numpy())
