"""A read-only copy of a knowledge store's passages and vectors, for processes that only query it.

Why: opening the chromadb store costs a one-shot command more than its whole query (importing
chromadb alone takes about a second), and retrieval reads every passage into memory anyway (for
BM25). The first reader after a change writes the copy (`<store>/snapshot.npz`, one file replaced
atomically); later readers load it when it carries the store's current revision (ingest bumps it
when a file is done), and search its vectors exactly, without chromadb.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

FILE = "snapshot.npz"
FORMAT = 1


@dataclass
class Passages:
    """Every passage of a store: ids, texts and metadata in one order, with their vectors."""

    ids: list[str]
    texts: list[str]
    metas: list[dict]
    vectors: np.ndarray  # (len(ids), dimension), float32, L2-normalised


@dataclass
class Snapshot:
    revision: str
    variant: str  # the embedding variant the store was built with
    passages: Passages


def _encode(value) -> np.ndarray:
    return np.frombuffer(json.dumps(value, ensure_ascii=False).encode(), dtype=np.uint8)


def _decode(array: np.ndarray):
    return json.loads(array.tobytes().decode())


def save(store_path: Path, revision: str, variant: str, passages: Passages) -> None:
    """Write the snapshot of `revision` (a reader of another revision ignores it). A store that
    cannot take it (read-only, disk full) is read from chromadb by every process, as before."""
    header = {"format": FORMAT, "revision": revision, "variant": variant, "count": len(passages.ids)}
    partial = store_path / f"{FILE}.{os.getpid()}.tmp"
    try:
        with partial.open("wb") as f:
            np.savez(f, header=_encode(header), passages=_encode([passages.ids, passages.texts, passages.metas]),
                     vectors=passages.vectors.astype(np.float32))
        os.replace(partial, store_path / FILE)
    except OSError:
        partial.unlink(missing_ok=True)


def read_variant(store_path: Path, revision: str) -> str | None:
    """The store's embedding variant from a snapshot of `revision`, or None (no usable snapshot)."""
    header = _header(store_path, revision)
    return header["variant"] if header else None


def load(store_path: Path, revision: str) -> Snapshot | None:
    """The snapshot of `revision`, or None when there is none, it is of another revision, or it
    cannot be read (the caller reads the store and writes it again)."""
    header = _header(store_path, revision)
    if header is None:
        return None
    try:
        with np.load(store_path / FILE, allow_pickle=False) as data:
            ids, texts, metas = _decode(data["passages"])
            vectors = data["vectors"]
    except (OSError, ValueError, KeyError, EOFError):
        return None
    if not len(ids) == len(texts) == len(metas) == len(vectors) == header["count"]:
        return None
    return Snapshot(revision, header["variant"], Passages(ids, texts, metas, vectors))


def _header(store_path: Path, revision: str) -> dict | None:
    try:
        with np.load(store_path / FILE, allow_pickle=False) as data:
            header = _decode(data["header"])
    except (OSError, ValueError, KeyError, EOFError):
        return None
    return header if header.get("format") == FORMAT and header.get("revision") == revision else None
