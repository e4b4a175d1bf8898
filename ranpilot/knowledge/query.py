"""What a knowledge query is made of: the retrieval modes, filters, the passages it returns and
its error. Kept apart from retrieval (which loads chromadb and the embedding model) so the CLI
can declare its options and the agent its state without that start-up cost."""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel


class Mode(str, Enum):
    """How passages are ranked: dense and BM25 fused, or either alone."""

    HYBRID = "hybrid"
    DENSE = "dense"
    LEXICAL = "lexical"


class Filters(BaseModel):
    """Restrict retrieval to a spec (e.g. `TS 38.300`) and/or a clause prefix (e.g. `5.7`)."""

    spec: str | None = None
    clause_prefix: str | None = None


class Passage(BaseModel):
    """A retrieved passage with its provenance and fused score (higher is better)."""

    spec: str
    clause: str
    title: str
    text: str
    score: float
    source: str
    release: str = ""
    version: str = ""
    why: str = ""
    """Why a report cites it (`defines AveDLRANUEThpt`, `behind rule step.power`); empty from a plain search."""


class QueryError(ValueError):
    """An empty query or a filter that matches nothing in the store."""
