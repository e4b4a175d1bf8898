"""Embeddings of real 3GPP passages (../shared/corpus): the float variant, encoded by parallel
workers, gives sentence-transformers' vectors; the int8 variant stays close to them. And an add
that fails on the writer thread stops the ingest before the file counts as done."""

import numpy as np
import pytest

from conftest import shared_path
from kb_fixtures import write_corpus
from ranpilot.knowledge import KnowledgeStore, ingest
from ranpilot.knowledge.chunking import chunk_document
from ranpilot.knowledge.embeddings import ONNX_INT8, TORCH, embed, load_model
from ranpilot.knowledge.readers import read_source


@pytest.fixture(scope="module")
def passages() -> list[str]:
    """48 passages spread over TS 38.300, as ingest embeds them (most run to the 256-token cap)."""
    path = next(shared_path("corpus", "3gpp").glob("38.300_*.md"))
    text, markdown = read_source(path)
    chunks = chunk_document(text, str(path), markdown=markdown)
    return [c.embedding_text() for c in chunks[:: max(1, len(chunks) // 48)][:48]]


@pytest.fixture(scope="module")
def reference(passages) -> np.ndarray:
    return load_model().encode(passages, batch_size=64, normalize_embeddings=True, convert_to_numpy=True)


def test_parallel_float_encoding_gives_sentence_transformers_vectors(passages, reference):
    from ranpilot.knowledge.onnx_model import FP32, encoder

    parallel = encoder(2, FP32).encode(passages, batch_size=8)  # 6 batches over 2 workers
    assert np.abs(parallel - reference).max() < 1e-5
    assert np.abs(encoder(1, FP32).encode(passages, batch_size=8) - parallel).max() < 1e-6
    assert np.abs(embed(passages, variant=TORCH) - reference).max() < 1e-5


@pytest.fixture(scope="module")
def reference_cut(passages) -> np.ndarray:
    """The float model's vectors of the passages cut where int8 cuts them (192 tokens)."""
    from ranpilot.knowledge.embeddings import model_dir
    from ranpilot.knowledge.onnx_model import FP32, INT8, MAX_TOKENS, OnnxEncoder, ensure_model
    from ranpilot.settings import load_settings

    model = ensure_model(model_dir(), load_settings().data_dir, FP32)
    return OnnxEncoder(model, model_dir() / "tokenizer.json", 1, MAX_TOKENS[INT8]).encode(passages, 16)


def test_int8_vectors_stay_close_to_the_float_model_on_real_passages(passages, reference_cut):
    """Quantization moves a vector little, against the float model reading as many tokens (what the
    shorter cut costs in retrieval is measured by benchmarks/ingest.py: none on held-out recall@5)."""
    int8 = embed(passages, variant=ONNX_INT8)
    cosine = (int8 * reference_cut).sum(axis=1)
    assert cosine.min() > 0.98 and cosine.mean() > 0.99
    float_sims, int8_sims = reference_cut @ reference_cut.T, int8 @ int8.T
    assert np.abs(float_sims - int8_sims).max() < 0.06
    # each passage's nearest other passage under the float model is among its 5 nearest under int8
    int8_sims -= 2 * np.eye(len(passages))
    nearest = (float_sims - 2 * np.eye(len(passages))).argmax(axis=1)
    closer = (int8_sims > int8_sims[np.arange(len(passages)), nearest][:, None]).sum(axis=1)
    assert closer.max() < 5


def test_a_failed_add_stops_the_ingest_before_the_file_counts_as_done(tmp_path, monkeypatch):
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    added = []

    def add_then_fail(part, vectors, digest):
        if added:
            raise OSError("disk full")
        added.append(len(part))
        KnowledgeStore.add(store, part, vectors, digest)

    monkeypatch.setattr(ingest, "EMBED_BATCH", 2)
    monkeypatch.setattr(store, "add", add_then_fail)
    with pytest.raises(OSError, match="disk full"):
        store.ingest([write_corpus(tmp_path / "corpus")])
    assert store.count() == 2 and store.done_sources() == {}
