"""Loading shipped model weights, with one clear error when they are missing or unreadable."""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import torch
from torch import nn


class ModelMissing(RuntimeError):
    """Shipped weights are missing or unreadable; the message names the training command."""


def load_weights(path: str | Path, build: Callable[[dict], nn.Module], retrain: str) -> nn.Module:
    """`build(state)` makes the module for a state dict; returns it loaded and in eval mode."""
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
        model = build(state)
        model.load_state_dict(state)
    except (OSError, RuntimeError, KeyError) as exc:
        raise ModelMissing(f"cannot load model weights from {path} ({exc}); retrain: {retrain}") from exc
    return model.eval()
