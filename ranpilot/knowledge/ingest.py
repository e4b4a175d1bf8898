"""Ingest pipeline: read and chunk the next file on a worker thread while this one embeds, add
each batch of passages to chromadb on another thread while the next batch embeds, and show files
and passages with rate and ETA.

Resumable: a passage's id is a content hash, and passages already in the store (from an
interrupted run, or unchanged clauses of an edited file) are not embedded again. A file counts as
done only when all its passages are in and its stale ones are gone (`KnowledgeStore.mark_done`);
until then a re-run picks it up where it stopped.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, ProgressColumn, Task, TextColumn, TimeRemainingColumn
from rich.text import Text

from ranpilot.knowledge.chunking import Chunk, chunk_document
from ranpilot.knowledge.embeddings import embed
from ranpilot.knowledge.readers import UnreadableFile, read_source

if TYPE_CHECKING:
    from ranpilot.knowledge.store import IngestReport, KnowledgeStore

EMBED_BATCH = 256  # passages embedded and added per step: the unit of resumption
ENCODE_BATCH = 32  # passages per model run: per passage, 32 ran as fast as 64 and faster than 128
ID_LOOKUP = 500  # ids per chromadb lookup (SQLite bounds a statement's variables)


@dataclass
class PreparedFile:
    """A file read, hashed and chunked, ready to embed."""

    path: Path
    source: str
    digest: str
    chunks: list[Chunk]


class RateColumn(ProgressColumn):
    """Items per second of a task, from rich's moving estimate."""

    def render(self, task: Task) -> Text:
        return Text(f"{task.speed:6.1f}/s" if task.speed else "     -/s", style="progress.data.speed")


def run(store: KnowledgeStore, paths: list[Path], report: IngestReport, progress: bool) -> None:
    """Ingest `paths` (files or directories) into `store`, filling `report`."""
    from ranpilot.knowledge.store import expand_paths

    files = expand_paths(paths)
    done = store.done_sources()
    bar = _progress() if progress else None
    with bar or nullcontext(), ThreadPoolExecutor(max_workers=1) as pool, ThreadPoolExecutor(max_workers=1) as writer:
        tracker = _Tracker(bar, files)
        for path, future in _prefetched(pool, files, lambda p: _prepare(p, done)):
            try:
                prepared = future.result()
            except (OSError, UnreadableFile, ValueError) as exc:
                report.skipped[str(path.resolve())] = str(exc)
            else:
                if prepared is None:
                    report.unchanged.append(str(path.resolve()))
                else:
                    tracker.chunked(prepared)
                    _store_file(store, prepared, tracker.advance, writer)
                    report.added[prepared.source] = len(prepared.chunks)
            tracker.file_done(path)


def _progress() -> Progress:
    return Progress(TextColumn("{task.description:<9}"), BarColumn(), MofNCompleteColumn(), RateColumn(),
                    TextColumn("ETA"), TimeRemainingColumn(), TextColumn("{task.fields[name]}"),
                    console=Console(stderr=True), refresh_per_second=4)


class _Tracker:
    """Files and passages bars; the passages total is estimated from the bytes still to read."""

    def __init__(self, bar: Progress | None, files: list[Path]):
        self.bar, self.sizes = bar, {f: _size(f) for f in files}
        self.bytes_left, self.bytes_seen, self.passages_seen = sum(self.sizes.values()), 0, 0
        if bar:
            self.files = bar.add_task("files", total=len(files), name="")
            self.passages = bar.add_task("passages", total=None, name="")

    def chunked(self, prepared: PreparedFile) -> None:
        self.bytes_seen += self.sizes.get(prepared.path, 0)
        self.passages_seen += len(prepared.chunks)
        if self.bar:
            left = self.bytes_left - self.sizes.get(prepared.path, 0)
            estimate = self.passages_seen + left * self.passages_seen / max(self.bytes_seen, 1)
            self.bar.update(self.passages, total=round(estimate), name=prepared.path.name)

    def advance(self, n: int) -> None:
        if self.bar:
            self.bar.advance(self.passages, n)

    def file_done(self, path: Path) -> None:
        self.bytes_left -= self.sizes.get(path, 0)
        if self.bar:
            self.bar.advance(self.files, 1)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _prefetched(pool: ThreadPoolExecutor, files: list[Path], prepare: Callable) -> Iterator[tuple[Path, Future]]:
    """(path, future of prepare(path)) in order, the next file prepared while the caller works on
    this one (chunking is Python; onnxruntime and torch release the GIL while they compute)."""
    upcoming = pool.submit(prepare, files[0]) if files else None
    for i, path in enumerate(files):
        current, upcoming = upcoming, pool.submit(prepare, files[i + 1]) if i + 1 < len(files) else None
        yield path, current


def _prepare(path: Path, done: dict[str, str]) -> PreparedFile | None:
    """The chunked file, or None when it is unchanged since its last complete ingest. Raises
    OSError, UnreadableFile or ValueError (no clause found) for a file to skip."""
    from ranpilot.knowledge.store import dedupe

    source = str(path.resolve())
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if done.get(source) == digest:
        return None
    text, markdown = read_source(path)
    return PreparedFile(path, source, digest, dedupe(chunk_document(text, source, markdown=markdown)))


def _store_file(store: KnowledgeStore, prepared: PreparedFile, advance: Callable[[int], None],
                writer: ThreadPoolExecutor) -> None:
    """Embed and add the passages not yet in the store, drop the file's stale ones, mark it done.
    A batch is added on `writer` while the next one embeds (an add takes about 0.7 ms of CPU a
    passage against 15-18 ms to embed it, and waits on the disk); one add at a time, in order."""
    from ranpilot.knowledge.store import chunk_id

    ids = [chunk_id(c) for c in prepared.chunks]
    present = store.present_ids(ids)
    advance(len(present))
    todo = [(i, c) for i, c in zip(ids, prepared.chunks) if i not in present]
    adding: Future | None = None
    for start in range(0, len(todo), EMBED_BATCH):
        part = todo[start : start + EMBED_BATCH]
        vectors = embed([c.embedding_text() for _, c in part], batch_size=ENCODE_BATCH, variant=store.variant)
        if adding:
            advance(adding.result())
        adding = writer.submit(_add, store, part, vectors, prepared.digest)
    if adding:
        advance(adding.result())
    store.drop_stale(prepared.source, set(ids))
    store.mark_done(prepared.source, prepared.digest)


def _add(store: KnowledgeStore, part: list[tuple[str, Chunk]], vectors: np.ndarray, digest: str) -> int:
    store.add(part, vectors, digest)
    return len(part)
