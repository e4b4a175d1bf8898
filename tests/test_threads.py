"""Single-item inference runs on one thread (torch or onnxruntime), batch work on every core, and the process's
own setting comes back afterwards (`ranpilot.threads`)."""

import numpy as np
import torch

from ranpilot.knowledge import embeddings
from ranpilot.threads import SMALL_BATCH, all_cores, for_batch_work, for_items, torch_threads
from ranpilot.tools.power_control.learned import learned_powers


def test_a_few_items_run_on_one_thread_and_a_batch_on_every_core():
    before = torch.get_num_threads()
    with for_items(1):
        assert torch.get_num_threads() == 1
    with for_items(SMALL_BATCH + 1):
        assert torch.get_num_threads() == all_cores()
    with torch_threads(1), for_batch_work():
        assert torch.get_num_threads() == all_cores()
    assert torch.get_num_threads() == before


def test_query_embeddings_and_learned_powers_run_on_one_thread(monkeypatch):
    seen = []

    class Encoder:
        def __init__(self, threads):
            self.threads = threads

        def encode(self, texts, batch_size):
            seen.append(self.threads)
            return np.zeros((len(texts), embeddings.DIMENSION), dtype=np.float32)

    from ranpilot.knowledge import onnx_model

    monkeypatch.setattr(onnx_model, "encoder", lambda threads, variant=onnx_model.INT8: Encoder((threads, variant)))
    embeddings.embed(["one query"], variant=embeddings.TORCH)  # the float model, from its ONNX export
    embeddings.embed(["passage"] * 100, variant=embeddings.TORCH)
    assert seen == [(1, onnx_model.FP32), (all_cores(), onnx_model.FP32)]
    seen.clear()

    class PowerNet:
        def __call__(self, gains):
            seen.append(torch.get_num_threads())
            return torch.ones(gains.shape[0], gains.shape[1])

    monkeypatch.setattr("ranpilot.tools.power_control.learned.load_model", lambda: PowerNet())
    gains = np.random.default_rng(0).random((1, 4, 4))
    assert learned_powers(gains, np.full((1, 4), 2.0), np.full((1, 4), 1e-3)).tolist() == [[2.0] * 4]
    assert seen[-1] == 1
