"""The knowledge store: a persistent chromadb collection plus a BM25 index kept beside it.

Ingest is idempotent and incremental: chunk ids are content hashes, and a file whose bytes
are unchanged is skipped; a changed file has its old chunks replaced. Embeddings are
computed before anything is deleted, so a failure mid-ingest leaves the old chunks in place.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import bm25s
import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings
from chromadb.errors import ChromaError
from rich.progress import track

from ranpilot.errors import StateError
from ranpilot.knowledge.chunking import Chunk, chunk_document
from ranpilot.knowledge.embeddings import DIMENSION, MODEL_NAME, MiniLMEmbedding, embed
from ranpilot.knowledge.readers import UnreadableFile, read_source

COLLECTION = "specs"
ADD_BATCH = 2000
META_FIELDS = ("spec", "release", "version", "clause", "title", "source", "heading_path")


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
    """BM25 over every passage, with the passages' text and metadata held in memory."""

    def __init__(self, ids: list[str], texts: list[str], metas: list[dict]):
        self.ids, self.texts, self.metas = ids, texts, metas
        self.row = {chunk_id: i for i, chunk_id in enumerate(ids)}
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
    """Open (or create) the store under `data_dir/knowledge`."""

    def __init__(self, data_dir: Path):
        self.path = Path(data_dir) / "knowledge"
        self.path.mkdir(parents=True, exist_ok=True)
        try:
            self.collection = self._open_collection()
        except ChromaError as exc:
            raise StoreCorrupt(f"the knowledge store {self.path} cannot be read ({type(exc).__name__}: {exc}); "
                               "rebuild it with `ranpilot kb ingest --rebuild [PATH...]`") from exc
        except ValueError as exc:
            raise StoreMismatch(f"{self.path}: {exc}. Rebuild the store with `ranpilot kb ingest --rebuild`.") from exc
        self._check_model()
        self._lexical: LexicalIndex | None = None
        self._lexical_revision: str | None = None

    def _open_collection(self):
        """The chromadb collection of this store, created on first use; chromadb raises its own
        errors (ChromaError) for a database it cannot read."""
        client = chromadb.PersistentClient(
            path=str(self.path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False)
        )
        return client.get_or_create_collection(
            COLLECTION,
            embedding_function=MiniLMEmbedding(),
            configuration={"hnsw": {"space": "cosine"}},
            metadata={"embedding_model": MODEL_NAME, "embedding_dim": DIMENSION},
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

    # -- ingest ------------------------------------------------------------------------------
    def ingest(self, paths: list[Path], progress: bool = False) -> IngestReport:
        report = IngestReport()
        for path in expand_paths(paths):
            self._ingest_file(path, report, progress)
        return report

    def _ingest_file(self, path: Path, report: IngestReport, progress: bool) -> None:
        source = str(path.resolve())
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()
            existing = self.collection.get(where={"source": source}, include=["metadatas"], limit=1)
            if existing["metadatas"] and existing["metadatas"][0].get("source_hash") == digest:
                report.unchanged.append(source)
                return
            text, markdown = read_source(path)
            chunks = _dedupe(chunk_document(text, source, markdown=markdown))
        except (OSError, UnreadableFile, ValueError) as exc:
            report.skipped[source] = str(exc)
            return
        vectors = embed([c.embedding_text() for c in chunks], progress=progress)
        self.collection.delete(where={"source": source})
        batches = range(0, len(chunks), ADD_BATCH)
        for start in track(batches, description=f"storing {path.name}") if progress else batches:
            part = chunks[start : start + ADD_BATCH]
            self.collection.add(
                ids=[chunk_id(c) for c in part],
                embeddings=vectors[start : start + ADD_BATCH],
                documents=[c.text for c in part],
                metadatas=[{**c.model_dump(include=set(META_FIELDS)), "source_hash": digest} for c in part],
            )
        report.added[source] = len(chunks)
        self._bump_revision()

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
        """The BM25 index, built on first use and rebuilt when the store has changed."""
        revision = self.revision()
        if self._lexical is None or self._lexical_revision != revision:
            data = self.collection.get(include=["documents", "metadatas"])
            self._lexical = LexicalIndex(data["ids"], data["documents"] or [], data["metadatas"] or [])
            self._lexical_revision = revision
        return self._lexical


def chunk_id(chunk: Chunk) -> str:
    """Content hash: the same passage from the same source always gets the same id."""
    key = json.dumps([chunk.source, chunk.spec, chunk.clause, chunk.text])
    return hashlib.sha256(key.encode()).hexdigest()[:32]


def _dedupe(chunks: list[Chunk]) -> list[Chunk]:
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
