"""The knowledge store and hybrid retrieval, on a real chromadb store and the real MiniLM model."""

import json

import pytest
from typer.testing import CliRunner

from kb_fixtures import write_corpus
from ranpilot.cli import app
from ranpilot.knowledge import Filters, KnowledgeStore, Mode, QueryError, StoreMismatch, ensure_notes, retrieve
from ranpilot.knowledge.retrieval import enhance


@pytest.fixture
def store(tmp_path):
    store = KnowledgeStore(tmp_path / "data")
    report = store.ingest([write_corpus(tmp_path / "corpus")])
    assert len(report.added) == 2 and not report.skipped
    return store


def test_ingest_is_idempotent_and_incremental(store, tmp_path):
    count = store.count()
    assert count == 6
    again = store.ingest([tmp_path / "corpus"])
    assert not again.added and len(again.unchanged) == 2 and store.count() == count
    spec_b = tmp_path / "corpus" / "spec_b.md"
    spec_b.write_text(spec_b.read_text().replace("## 7.2Downlink power", "## 7.2Downlink power\n\nNew sentence about tilt."))
    changed = store.ingest([tmp_path / "corpus"])
    assert list(changed.added) == [str(spec_b.resolve())] and store.count() == count
    texts = store.collection.get(where={"clause": "7.2"}, include=["documents"])["documents"]
    assert len(texts) == 1 and "tilt" in texts[0]


def test_corrupt_file_is_skipped_and_store_stays_consistent(store, tmp_path):
    (tmp_path / "corpus" / "broken.docx").write_bytes(b"PK\x03\x04 not a zip")
    report = store.ingest([tmp_path / "corpus", tmp_path / "missing.md"])
    assert len(report.skipped) == 2 and store.count() == 6
    assert retrieve("cell sleep at night", 1, store=store)[0].clause == "5.1"


@pytest.mark.parametrize("mode", list(Mode))
def test_each_mode_ranks_the_right_clause_first(store, mode):
    top = retrieve("Which cells may be switched off at night to save energy?", 3, store=store, mode=mode)
    assert (top[0].spec, top[0].clause, top[0].title) == ("TS 99.901", "5.1", "Cell sleep")
    assert all(a.score >= b.score for a, b in zip(top, top[1:]))


def test_filters(store):
    only_b = retrieve("power", 5, Filters(spec="TS 99.902"), store=store)
    assert {p.spec for p in only_b} == {"TS 99.902"}
    under_4 = retrieve("cells", 5, Filters(clause_prefix="4"), store=store)
    assert under_4 and all(p.clause.startswith("4.") for p in under_4)
    with pytest.raises(QueryError, match="unknown spec 'TS 1.1'"):
        retrieve("power", 5, Filters(spec="TS 1.1"), store=store)
    with pytest.raises(QueryError, match="no passage under clause"):
        retrieve("power", 5, Filters(clause_prefix="9.9"), store=store)
    with pytest.raises(QueryError, match="empty"):
        retrieve("   ", 5, store=store)


def test_exact_term_boost(store):
    plain = retrieve("which field configures uplink power", 6, store=store, mode=Mode.DENSE)
    boosted = retrieve("which field is pusch-PowerControl", 1, store=store)
    assert boosted[0].clause == "4.1"
    assert plain[0].clause != "4.1"


def test_query_enhancement():
    assert enhance("raise the CIO of cell 3") == "raise the CIO of cell 3 (Cell Individual Offset)"
    assert enhance("Cell Individual Offset CIO") == "Cell Individual Offset CIO"


def test_store_built_with_another_model_is_refused(store, tmp_path):
    store.collection.modify(metadata={"embedding_model": "other-model", "embedding_dim": 768})
    with pytest.raises(StoreMismatch, match="other-model"):
        KnowledgeStore(tmp_path / "data")


def test_shipped_notes_are_ingested_and_cited(tmp_path):
    store = KnowledgeStore(tmp_path / "notes-store")
    ensure_notes(store)
    assert {"TS 28.312", "TS 38.213", "TS 38.104", "TR 38.901", "TS 28.552", "TS 38.214", "TS 38.300"} <= set(store.stats())
    top = retrieve("maximum output power of a local area base station", 1, store=store)[0]
    assert (top.spec, top.clause) == ("TS 38.104", "6.2")
    top = retrieve("Which measurement is DRB.UEThpDl?", 1, store=store)[0]
    assert top.spec == "TS 28.552"


def test_cli_search_json_batch_and_stats(tmp_path, monkeypatch):
    monkeypatch.setenv("RANPILOT_DATA_DIR", str(tmp_path / "cli-data"))
    runner = CliRunner()
    corpus = write_corpus(tmp_path / "corpus")
    assert runner.invoke(app, ["kb", "ingest", str(corpus)]).exit_code == 0
    result = runner.invoke(app, ["kb", "search", "cell sleep at night", "--k", "2", "--json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert len(rows) == 2 and set(rows[0]) == {"spec", "clause", "title", "text", "score", "source"}
    queries = tmp_path / "q.txt"
    queries.write_text('cell sleep at night\n{"question": "uplink power loop"}\n')
    batch = runner.invoke(app, ["kb", "search", "--queries", str(queries), "--k", "1", "--json"])
    lines = [json.loads(line) for line in batch.output.splitlines()]
    assert [line["question"] for line in lines] == ["cell sleep at night", "uplink power loop"]
    assert lines[1]["results"][0]["clause"] == "7.1"
    stats = runner.invoke(app, ["kb", "stats", "--json"])
    assert json.loads(stats.output) == {"TS 99.901": 4, "TS 99.902": 2}
    bad = runner.invoke(app, ["kb", "search", "power", "--spec", "TS 0"])
    assert bad.exit_code == 2 and "unknown spec" in bad.output


def test_cli_start_up_loads_no_heavy_library():
    """Every command pays for what `ranpilot.cli` imports: chromadb alone cost 0.7 s of it."""
    import subprocess
    import sys

    heavy = ("chromadb", "sentence_transformers", "torch", "cvxpy", "langgraph", "openai", "ray")
    probe = f"import sys, ranpilot.cli; print([m for m in {heavy!r} if m in sys.modules])"
    loaded = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"


def test_a_new_reader_queries_the_snapshot_and_sees_later_changes(store, tmp_path):
    """The first reader writes the snapshot; a later process reads it without opening chromadb,
    with the same results, until an ingest changes the store."""
    first = [(p.spec, p.clause, p.score) for p in retrieve("cell sleep at night", 3, store=store)]
    reader = KnowledgeStore(tmp_path / "data")
    assert [(p.spec, p.clause, p.score) for p in retrieve("cell sleep at night", 3, store=reader)] == first
    assert reader._collection is None and reader.variant == store.variant
    spec_b = tmp_path / "corpus" / "spec_b.md"
    spec_b.write_text(spec_b.read_text().replace("## 7.2Downlink power", "## 7.2Downlink power\n\nNew sentence about tilt."))
    store.ingest([tmp_path / "corpus"])
    top = retrieve("New sentence about tilt", 1, store=KnowledgeStore(tmp_path / "data"))[0]
    assert top.clause == "7.2" and "tilt" in top.text
