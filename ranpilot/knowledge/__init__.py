"""Knowledge: retrieval over 3GPP text (chromadb + sentence-transformers + BM25)."""

from pathlib import Path

from ranpilot.knowledge.retrieval import Filters, Mode, Passage, QueryError, retrieve
from ranpilot.knowledge.store import KnowledgeStore, StoreMismatch

NOTES_DIR = Path(__file__).with_name("notes")


def ensure_notes(store: KnowledgeStore) -> None:
    """Ingest the shipped notes (a no-op when they are already in the store and unchanged)."""
    store.ingest([NOTES_DIR])


__all__ = ["Filters", "KnowledgeStore", "Mode", "NOTES_DIR", "Passage", "QueryError", "StoreMismatch", "ensure_notes", "retrieve"]
