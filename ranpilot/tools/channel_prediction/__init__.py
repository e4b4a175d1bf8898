"""channel_prediction: the next 4 slots (0.5 ms each) of CSI from the last 16, per antenna.

Methods: `learned` (the shipped torch model, trained on TR 38.901 TDL channels, 10-120 km/h),
`ar` (least-squares AR(4) per sequence), `repeat` (no prediction). The output carries a
predicted NMSE per future slot as a confidence figure (the model's variance head for
`learned`, the in-sample one-step residual for `ar`).
"""

from __future__ import annotations

import time
from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from ranpilot.tools.base import ComplexArray, ToolInput, ToolOutput
from ranpilot.tools.channel_prediction.baselines import ar_least_squares, repeat_last
from ranpilot.tools.channel_prediction.data import HISTORY, HORIZON
from ranpilot.tools.channel_prediction.model import predict


class ChannelPredictionInput(ToolInput):
    history: ComplexArray = Field(description=f"Past CSI, antennas x {HISTORY} slots (or {HISTORY} values), oldest first.")
    method: Literal["learned", "ar", "repeat"] = "learned"

    @model_validator(mode="after")
    def _shape(self) -> ChannelPredictionInput:
        h = self.history.to_numpy("history")
        if h.ndim not in (1, 2) or h.shape[-1] != HISTORY:
            raise ValueError(f"history: expected shape ({HISTORY},) or (antennas, {HISTORY}), got {h.shape}")
        if not np.any(np.abs(h) > 0):
            raise ValueError("history: all zeros, nothing to predict from")
        return self


class ChannelPredictionOutput(ToolOutput):
    predicted: ComplexArray
    predicted_nmse_db: list[float] = Field(description=f"Expected NMSE of each of the {HORIZON} future slots.")
    method: str


def channel_prediction(inp: ChannelPredictionInput) -> ChannelPredictionOutput:
    h = inp.history.to_numpy("history")
    flat = np.atleast_2d(h).astype(np.complex64)
    start = time.perf_counter()
    if inp.method == "learned":
        pred, var = predict(flat)
        nmse = var.mean(axis=0)
    elif inp.method == "ar":
        pred = ar_least_squares(flat, HORIZON)
        fitted = ar_least_squares(flat[:, :-1], 1)[:, 0]
        one_step = np.mean(np.abs(fitted - flat[:, -1]) ** 2) / np.mean(np.abs(flat) ** 2)
        nmse = one_step * np.arange(1, HORIZON + 1)
    else:
        pred, nmse = repeat_last(flat, HORIZON), np.full(HORIZON, np.nan)
    elapsed = (time.perf_counter() - start) * 1e3
    pred = pred[0] if h.ndim == 1 else pred
    return ChannelPredictionOutput(status="ok", solve_time_ms=elapsed, predicted=ComplexArray.of(pred), method=inp.method,
                                   predicted_nmse_db=(10 * np.log10(np.maximum(nmse, 1e-12))).tolist())
