"""Int8 ONNX embeddings (built once, cached, rebuilt when corrupt or quantized for another CPU),
the variant a store records (int8 by default), and resumable ingest."""

import json
import shutil

import numpy as np
import pytest

from kb_fixtures import write_corpus
from ranpilot.knowledge import KnowledgeStore, StoreMismatch, ingest, retrieve
from ranpilot.knowledge.embeddings import ONNX_INT8, TORCH, embed, model_dir
from ranpilot.knowledge.onnx_model import OnnxEncoder, cache_dir, ensure_model, int8_weights

SENTENCES = ["Capacity cells may be switched off at night.", "The uplink transmit power follows an open loop.",
             "A neighbour cell is chosen when its level plus the offset exceeds the serving level."]


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One int8 model built for the module: (data dir, model path)."""
    data_dir = tmp_path_factory.mktemp("models")
    return data_dir, ensure_model(model_dir(), data_dir)


def test_int8_embeddings_match_the_float_model(built):
    onnx = OnnxEncoder(built[1], model_dir() / "tokenizer.json", threads=1, max_tokens=192).encode(SENTENCES, batch_size=2)
    torch_vectors = embed(SENTENCES, variant=TORCH)
    assert onnx.shape == (3, 384) and onnx.dtype == np.float32
    assert np.allclose(np.linalg.norm(onnx, axis=1), 1.0, atol=1e-4)
    cosine = (onnx * torch_vectors).sum(axis=1)
    assert cosine.min() > 0.97  # per-tensor signed weights gave 0.88-0.94 here
    assert np.argmax(onnx @ onnx[0]) == 0 and (onnx @ torch_vectors.T).argmax(axis=1).tolist() == [0, 1, 2]


def test_int8_reads_192_tokens_of_a_passage_and_the_float_model_256():
    """Two passages alike for their first 200 words (one token each) and different after them."""
    common = " ".join(["the cell reduces its power when the load is low"] * 20)
    passages = [f"{common} {'handover failure' * 40}", f"{common} {'uplink coverage' * 40}"]
    int8 = [embed([p], variant=ONNX_INT8)[0] for p in passages]
    float_ = [embed([p], variant=TORCH)[0] for p in passages]
    assert float(int8[0] @ int8[1]) > 0.9999
    assert float(float_[0] @ float_[1]) < 0.999


def test_cached_model_is_reused_and_a_corrupt_one_rebuilt(built, tmp_path, capsys):
    data_dir, model = built
    stamp = model.stat().st_mtime_ns
    assert ensure_model(model_dir(), data_dir) == model and model.stat().st_mtime_ns == stamp
    assert capsys.readouterr().err == ""
    copy = tmp_path / "copy"
    shutil.copytree(cache_dir(data_dir), cache_dir(copy))
    rebuilt = cache_dir(copy) / "model.onnx"
    rebuilt.write_bytes(rebuilt.read_bytes()[:1000])
    assert ensure_model(model_dir(), copy) == rebuilt
    assert "is corrupt" in capsys.readouterr().err
    assert rebuilt.stat().st_size == model.stat().st_size
    manifest = json.loads((cache_dir(copy) / "manifest.json").read_text())
    assert manifest["variant"] == ONNX_INT8 and manifest["max_tokens"] == 192
    assert manifest["weights"] == int8_weights() and manifest["build"] == 4


def test_an_int8_model_quantized_for_another_cpu_is_not_used(built, monkeypatch):
    from ranpilot.knowledge import onnx_model

    data_dir, _ = built
    assert onnx_model._cache_problem(cache_dir(data_dir), model_dir(), ONNX_INT8) is None
    other = "u8" if int8_weights() == "s8" else "s8"
    monkeypatch.setattr(onnx_model, "int8_weights", lambda: other)
    assert "quantized for another CPU" in onnx_model._cache_problem(cache_dir(data_dir), model_dir(), ONNX_INT8)


def test_store_records_its_variant_and_refuses_mixing(tmp_path):
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    store.ingest([write_corpus(tmp_path / "corpus")])
    assert store.variant == TORCH and store.count() == 6
    reopened = KnowledgeStore(tmp_path / "kb", variant=ONNX_INT8)
    assert reopened.variant == TORCH  # queries keep embedding with the store's own variant
    assert retrieve("cell sleep at night", 1, store=reopened)[0].clause == "5.1"
    with pytest.raises(StoreMismatch, match="built with the 'torch' embeddings.*RANPILOT_EMBEDDING_BACKEND=torch"):
        reopened.ingest([tmp_path / "corpus"])
    with pytest.raises(ValueError, match="unknown embedding variant 'fp16'"):
        KnowledgeStore(tmp_path / "other", variant="fp16")


def test_new_stores_default_to_int8_and_refuse_float_passages(tmp_path):
    store = KnowledgeStore(tmp_path / "kb")
    store.ingest([write_corpus(tmp_path / "corpus")])
    assert store.variant == ONNX_INT8 and store.count() == 6
    assert KnowledgeStore(tmp_path / "kb").variant == ONNX_INT8  # read back from the store
    with pytest.raises(StoreMismatch, match="built with the 'onnx-int8' embeddings.*EMBEDDING_BACKEND=onnx-int8"):
        KnowledgeStore(tmp_path / "kb", variant=TORCH).ingest([tmp_path / "corpus"])


def test_store_from_before_variants_counts_as_torch(tmp_path):
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    store.ingest([write_corpus(tmp_path / "corpus")])
    store.collection.modify(metadata={"embedding_model": "all-MiniLM-L6-v2", "embedding_dim": 384})
    (store.path / "sources.json").unlink()
    legacy = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    assert legacy.variant == TORCH
    assert len(legacy.ingest([tmp_path / "corpus"]).unchanged) == 2  # completion read from the chunks' hashes


def test_interrupted_ingest_resumes_without_embedding_again(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    embedded: list[str] = []

    def failing_second_batch(texts, **kwargs):
        if embedded:
            raise KeyboardInterrupt
        embedded.extend(texts)
        return embed(texts, **kwargs)

    monkeypatch.setattr(ingest, "EMBED_BATCH", 2)
    monkeypatch.setattr(ingest, "embed", failing_second_batch)
    with pytest.raises(KeyboardInterrupt):
        store.ingest([corpus])
    assert store.count() == 2 and store.done_sources() == {}

    resumed: list[str] = []
    monkeypatch.setattr(ingest, "embed", lambda texts, **kw: (resumed.extend(texts), embed(texts, **kw))[1])
    report = store.ingest([corpus])
    assert len(resumed) == 4 and not set(resumed) & set(embedded)
    assert sum(report.added.values()) == 6 and store.count() == 6 and len(store.done_sources()) == 2
    assert len(store.ingest([corpus]).unchanged) == 2 and len(resumed) == 4


def test_edited_file_embeds_only_its_new_passages_and_drops_stale_ones(tmp_path, monkeypatch):
    corpus = write_corpus(tmp_path / "corpus")
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    store.ingest([corpus])
    spec_b = corpus / "spec_b.md"
    spec_b.write_text(spec_b.read_text().replace("closed-loop commands", "closed-loop TPC commands"))
    embedded: list[str] = []
    monkeypatch.setattr(ingest, "embed", lambda texts, **kw: (embedded.extend(texts), embed(texts, **kw))[1])
    store.ingest([corpus])
    assert len(embedded) == 1 and "TPC" in embedded[0] and store.count() == 6
    texts = store.collection.get(where={"clause": "7.1"}, include=["documents"])["documents"]
    assert len(texts) == 1 and "TPC" in texts[0]


def test_progress_bar_counts_files_and_passages(tmp_path, capsys):
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    store.ingest([write_corpus(tmp_path / "corpus")], progress=True)
    err = capsys.readouterr().err
    assert "files" in err and "2/2" in err and "passages" in err and "6/6" in err and "/s" in err


def test_onnx_queries_run_on_one_thread_and_batches_on_every_core(monkeypatch):
    from ranpilot.knowledge import onnx_model
    from ranpilot.threads import all_cores

    threads_seen = []

    class Recorder:
        def encode(self, texts, batch_size):
            return np.zeros((len(texts), 384), dtype=np.float32)

    monkeypatch.setattr(onnx_model, "encoder", lambda threads: threads_seen.append(threads) or Recorder())
    assert embed(["one query"], variant=ONNX_INT8).shape == (1, 384)
    embed(["passage"] * 100, variant=ONNX_INT8)
    assert threads_seen == [1, all_cores()]


def test_an_existing_store_keeps_its_variant_when_none_is_asked_for(tmp_path, monkeypatch):
    store = KnowledgeStore(tmp_path / "kb", variant=TORCH)
    store.ingest([write_corpus(tmp_path / "corpus")])
    monkeypatch.setenv("RANPILOT_EMBEDDING_BACKEND", ONNX_INT8)  # a newer default must not break an older store
    reopened = KnowledgeStore(tmp_path / "kb")
    assert reopened.variant == TORCH and len(reopened.ingest([tmp_path / "corpus"]).unchanged) == 2


def test_the_float_variant_gives_sentence_transformers_vectors():
    """The intent classifiers were tuned on sentence-transformers' vectors; its ONNX export, which
    ranpilot runs instead (no torch import), must give the same ones."""
    from ranpilot.knowledge.embeddings import load_model

    reference = load_model().encode(SENTENCES, normalize_embeddings=True, convert_to_numpy=True)
    assert np.abs(embed(SENTENCES, variant=TORCH) - reference).max() < 1e-5
    assert np.abs(embed(SENTENCES[:1], variant=TORCH)[0] - reference[0]).max() < 1e-5


def test_fixed_texts_are_embedded_once_per_data_dir(monkeypatch):
    from ranpilot.knowledge import embeddings

    first = embeddings.embed_cached(SENTENCES, variant=TORCH)
    assert np.abs(first - embed(SENTENCES, variant=TORCH)).max() < 1e-6
    monkeypatch.setattr(embeddings, "embed", lambda *args, **kwargs: pytest.fail("embedded again"))
    assert np.array_equal(embeddings.embed_cached(SENTENCES, variant=TORCH), first)
