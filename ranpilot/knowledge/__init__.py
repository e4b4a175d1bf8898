"""Knowledge: retrieval over 3GPP text (chromadb + sentence-transformers + BM25).

The store and retrieval names load on first use (PEP 562), so importing the package or a light
submodule, as the CLI does at start-up, does not load chromadb (0.7 s).
"""

from __future__ import annotations

from importlib import import_module
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ranpilot.knowledge.query import Filters, Mode, Passage, QueryError

if TYPE_CHECKING:
    from ranpilot.knowledge.retrieval import retrieve
    from ranpilot.knowledge.store import KnowledgeStore, StoreMismatch

NOTES_DIR = Path(__file__).with_name("notes")
_LAZY = {"retrieve": "retrieval", "KnowledgeStore": "store", "StoreMismatch": "store"}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        return getattr(import_module(f"ranpilot.knowledge.{_LAZY[name]}"), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def ensure_notes(store: KnowledgeStore) -> None:
    """Ingest the shipped notes (a no-op when they are already in the store and unchanged)."""
    store.ingest([NOTES_DIR])


__all__ = ["Filters", "KnowledgeStore", "Mode", "NOTES_DIR", "Passage", "QueryError", "StoreMismatch", "ensure_notes", "retrieve"]
