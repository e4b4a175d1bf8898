"""How many threads torch computes with, chosen by the work at hand (ground floor: imports nothing
from ranpilot; torch is imported only when a block runs).

Single-item inference (a query's embedding, one intent's clauses, one learned-model call on a few
instances) is small and latency-bound: torch's intra-op worker threads add nothing but spinning,
and when another process busies a core they stall the call (a 17k-passage retrieval query: 26 ms
on one thread, 546 ms on two with the other core busy). It runs on one thread. Batch work
(ingest, training, large batches) uses every core this process may run on. The previous setting
is restored after the block, so a long-running process (`ranpilot serve`) keeps its default."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

SMALL_BATCH = 16  # up to this many items: one thread


def all_cores() -> int:
    """The cores this process may run on (its CPU affinity), at least 1."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@contextmanager
def torch_threads(n: int) -> Iterator[None]:
    """Run the block with `n` torch intra-op threads, then restore the previous setting."""
    import torch

    before = torch.get_num_threads()
    if n != before:
        torch.set_num_threads(n)
    try:
        yield
    finally:
        if n != before:
            torch.set_num_threads(before)


def for_items(count: int):
    """The threads for a call on `count` items: one up to SMALL_BATCH, else every core."""
    return torch_threads(1 if count <= SMALL_BATCH else all_cores())


def for_batch_work():
    """Every core, for ingest and training, whatever the process's default."""
    return torch_threads(all_cores())
