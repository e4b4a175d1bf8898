"""The knowledge store: a persistent chromadb collection plus a BM25 index kept beside it.

Ingest (`ranpilot.knowledge.ingest`) is idempotent, incremental and resumable: chunk ids are
content hashes, a file whose bytes are unchanged since it was completely ingested is skipped
(`sources.json`), and a changed file's stale chunks are deleted only after its new ones are in.
The store records the embedding variant that built it (`embedding_variant`) and embeds queries
with that variant; ingesting with another one is refused, as mixing them would skew similarity.
Readers load the passages and vectors from the store's snapshot of its current revision
(`ranpilot.knowledge.snapshot`) and open chromadb only when there is none, or to write.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import bm25s
import numpy as np

from ranpilot.errors import StateError
from ranpilot.knowledge import snapshot
from ranpilot.knowledge.snapshot import Passages
from ranpilot.knowledge.chunking import Chunk
from ranpilot.knowledge.embeddings import DIMENSION, MODEL_NAME, TORCH, check_variant, configured_variant, embed

COLLECTION = "specs"
ADD_BATCH = 2000
META_FIELDS = ("spec", "release", "version", "clause", "title", "source", "heading_path")


@lru_cache(maxsize=1)
def minilm_embedding():
    """chromadb's embedding function over the packaged model (chromadb's default would download
    one), registered under the name stores record; defined when chromadb is first needed."""
    from chromadb import Documents, EmbeddingFunction, Embeddings
    from chromadb.utils.embedding_functions import register_embedding_function

    @register_embedding_function
    class MiniLMEmbedding(EmbeddingFunction[Documents]):
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

    return MiniLMEmbedding()


class StoreMismatch(RuntimeError):
    """The store on disk was built with another embedding model or dimension."""


class StoreCorrupt(StateError):
    """The store on disk cannot be read (chromadb's database is corrupt or missing parts)."""


@dataclass
class IngestReport:
    added: dict[str, int] = field(default_factory=dict)  # source -> chunks
    unchanged: list[str] = field(default_factory=list)
    skipped: dict[str, str] = field(default_factory=dict)  # source -> reason


class LexicalIndex:
    """BM25 over every passage, with the passages' text, metadata and vectors held in memory."""

    def __init__(self, passages: Passages):
        ids, texts, metas = passages.ids, passages.texts, passages.metas
        self.ids, self.texts, self.metas, self.vectors = ids, texts, metas, passages.vectors
        self.specs = np.array([m["spec"] for m in metas]) if metas else np.array([], dtype=str)
        self.clauses = [m["clause"] for m in metas]
        self.bm25 = bm25s.BM25()
        if ids:
            corpus = [f"{m['heading_path']} {t}" for m, t in zip(metas, texts)]
            self.bm25.index(bm25s.tokenize(corpus, stopwords="en", show_progress=False), show_progress=False)

    def search(self, query: str, n: int, mask: np.ndarray | None) -> list[tuple[int, float]]:
        """Top-n (row, score) with score > 0, restricted to rows where mask is true."""
        if not self.ids:
            return []
        tokens = bm25s.tokenize([query], stopwords="en", show_progress=False)
        if not tokens.vocab:
            return []
        n = min(n, len(self.ids))
        weights = None if mask is None else mask.astype(np.float32)
        rows, scores = self.bm25.retrieve(tokens, k=n, weight_mask=weights, show_progress=False, n_threads=1)
        return [(int(r), float(s)) for r, s in zip(rows[0], scores[0]) if s > 0]


class KnowledgeStore:
    """Open (or create) the store under `data_dir/knowledge`. A new store is built with `variant`
    (default: the `embedding_backend` setting); an existing one keeps the variant it was built with,
    and adding to it uses that variant unless another one is asked for explicitly (then refused)."""

    def __init__(self, data_dir: Path, variant: str | None = None):
        self.path = Path(data_dir) / "knowledge"
        self.path.mkdir(parents=True, exist_ok=True)
        self.requested_variant = check_variant(variant or configured_variant())
        self._collection = None
        self._lexical: LexicalIndex | None = None
        self._lexical_revision: str | None = None
        recorded = snapshot.read_variant(self.path, self.revision())  # up to date: chromadb opens only to write
        if recorded is None:
            self._open()
        else:
            self.variant = recorded
        if variant is None:
            self.requested_variant = self.variant  # the setting chooses new stores' variant, not an old store's
        if recorded is None and self.collection.count() == 0 and not (self.path / "sources.json").exists():
            self._write_done({})

    @property
    def collection(self):
        """The chromadb collection, opened on first use."""
        if self._collection is None:
            self._open()
        return self._collection

    def _open(self) -> None:
        from chromadb.errors import ChromaError

        try:
            self._collection = self._open_collection()
        except ChromaError as exc:
            raise StoreCorrupt(f"the knowledge store {self.path} cannot be read ({type(exc).__name__}: {exc}); "
                               "rebuild it with `ranpilot kb ingest --rebuild [PATH...]`") from exc
        except ValueError as exc:
            raise StoreMismatch(f"{self.path}: {exc}. Rebuild the store with `ranpilot kb ingest --rebuild`.") from exc
        self._check_model()

    def _open_collection(self):
        """The chromadb collection of this store, created on first use; chromadb raises its own
        errors (ChromaError) for a database it cannot read."""
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        client = chromadb.PersistentClient(
            path=str(self.path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return client.get_or_create_collection(
            COLLECTION,
            embedding_function=minilm_embedding(),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": MODEL_NAME, "embedding_dim": DIMENSION, "embedding_variant": self.requested_variant},
        )

    def _check_model(self) -> None:
        meta = self.collection.metadata or {}
        model, dim = meta.get("embedding_model"), meta.get("embedding_dim")
        if model != MODEL_NAME or dim != DIMENSION:
            raise StoreMismatch(
                f"{self.path} was built with embedding model {model!r} (dim {dim}); this ranpilot uses "
                f"{MODEL_NAME!r} (dim {DIMENSION}). Mixing them would make similarity scores meaningless: "
                "rebuild with `ranpilot kb ingest --rebuild PATH...` or point RANPILOT_DATA_DIR elsewhere."
            )
        self.variant = str(meta.get("embedding_variant", TORCH))  # stores from before variants were torch-built

    def check_variant_for_ingest(self) -> None:
        """Refuse to add passages embedded by another variant than the store's."""
        if self.variant != self.requested_variant:
            raise StoreMismatch(
                f"{self.path} was built with the {self.variant!r} embeddings and this ingest would add "
                f"{self.requested_variant!r} ones; mixing them would skew similarity. Rebuild with "
                f"`ranpilot kb ingest --rebuild PATH...`, or set RANPILOT_EMBEDDING_BACKEND={self.variant}."
            )

    # -- ingest ------------------------------------------------------------------------------
    def ingest(self, paths: list[Path], progress: bool = False) -> IngestReport:
        """Add files or directories; `progress` shows files and passages with rate and ETA on stderr."""
        from ranpilot.knowledge import ingest

        self.check_variant_for_ingest()
        report = IngestReport()
        ingest.run(self, paths, report, progress)
        return report

    def done_sources(self) -> dict[str, str]:
        """Source -> SHA-256 of the files completely ingested. A store from before this record
        existed ingested each file in one step, so its chunks' `source_hash` says the same."""
        path = self.path / "sources.json"
        if path.exists():
            try:
                return json.loads(path.read_text())
            except (OSError, json.JSONDecodeError) as exc:
                raise StoreCorrupt(f"{path} is unreadable ({exc}); rebuild with `ranpilot kb ingest --rebuild`") from exc
        metas = self.collection.get(include=["metadatas"])["metadatas"] or []
        return {m["source"]: m["source_hash"] for m in metas if "source_hash" in m}

    def mark_done(self, source: str, digest: str) -> None:
        self._write_done(self.done_sources() | {source: digest})
        self._bump_revision()

    def _write_done(self, done: dict[str, str]) -> None:
        tmp = self.path / "sources.json.tmp"
        tmp.write_text(json.dumps(done, indent=0))
        tmp.replace(self.path / "sources.json")

    def present_ids(self, ids: list[str]) -> set[str]:
        out: set[str] = set()
        for start in range(0, len(ids), 500):
            out.update(self.collection.get(ids=ids[start : start + 500], include=[])["ids"])
        return out

    def add(self, part: list[tuple[str, Chunk]], vectors: np.ndarray, digest: str) -> None:
        for start in range(0, len(part), ADD_BATCH):
            rows = part[start : start + ADD_BATCH]
            self.collection.add(
                ids=[i for i, _ in rows],
                embeddings=vectors[start : start + ADD_BATCH],
                documents=[c.text for _, c in rows],
                metadatas=[{**c.model_dump(include=set(META_FIELDS)), "source_hash": digest} for _, c in rows],
            )

    def drop_stale(self, source: str, keep: set[str]) -> None:
        """Delete the source's chunks that its current version no longer has."""
        ids = self.collection.get(where={"source": source}, include=[])["ids"]
        stale = [i for i in ids if i not in keep]
        if stale:
            self.collection.delete(ids=stale)

    def _bump_revision(self) -> None:
        (self.path / "revision").write_text(uuid.uuid4().hex)

    def revision(self) -> str:
        path = self.path / "revision"
        return path.read_text() if path.exists() else ""

    # -- reading -------------------------------------------------------------------------------
    def count(self) -> int:
        return self.collection.count()

    def stats(self) -> dict[str, int]:
        """Number of passages per spec."""
        metas = self.collection.get(include=["metadatas"])["metadatas"] or []
        return dict(sorted(Counter(m["spec"] for m in metas).items()))

    def lexical(self) -> LexicalIndex:
        """The passages in memory with their BM25 index, read on first use and again when the
        store has changed: from the snapshot of this revision, else from chromadb (then the
        snapshot is written for the next process)."""
        revision = self.revision()
        if self._lexical is None or self._lexical_revision != revision:
            current = snapshot.load(self.path, revision)
            passages = current.passages if current is not None else self._read_passages(revision)
            self._lexical = LexicalIndex(passages)
            self._lexical_revision = revision
        return self._lexical

    def _read_passages(self, revision: str) -> Passages:
        data = self.collection.get(include=["documents", "metadatas", "embeddings"])
        ids = data["ids"]
        vectors = np.asarray(data["embeddings"], dtype=np.float32) if ids else np.zeros((0, DIMENSION), np.float32)
        passages = Passages(ids, data["documents"] or [], data["metadatas"] or [], vectors.reshape(len(ids), DIMENSION))
        snapshot.save(self.path, revision, self.variant, passages)
        return passages


def chunk_id(chunk: Chunk) -> str:
    """Content hash: the same passage from the same source always gets the same id."""
    key = json.dumps([chunk.source, chunk.spec, chunk.clause, chunk.text])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def dedupe(chunks: list[Chunk]) -> list[Chunk]:
    seen: set[str] = set()
    out = []
    for chunk in chunks:
        key = chunk_id(chunk)
        if key not in seen:
            seen.add(key)
            out.append(chunk)
    return out


def expand_paths(paths: list[Path]) -> list[Path]:
    """Files as given, and the supported files inside given directories (sorted)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in {".md", ".markdown", ".txt", ".docx"}))
        else:
            out.append(path)
    return out


def wipe(data_dir: Path) -> None:
    """Delete the knowledge store under data_dir (for a rebuild with another model)."""
    shutil.rmtree(Path(data_dir) / "knowledge", ignore_errors=True)
