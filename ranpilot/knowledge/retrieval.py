"""Hybrid retrieval: dense (chromadb, MiniLM) and lexical (BM25) fused by weighted reciprocal rank fusion.

Queries are enhanced with 3GPP abbreviation expansions from the shipped glossary, and
passages that contain an information-element name from the query verbatim
(`pusch-PowerControl`, `DRB.UEThpDl`) get an exact-term boost.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from ranpilot.knowledge.embeddings import embed
from ranpilot.knowledge.query import Filters, Mode, Passage, QueryError
from ranpilot.knowledge.store import KnowledgeStore, LexicalIndex

# Weighted reciprocal rank fusion, tuned on the even half of the retrieval questions
# (benchmarks/retrieval.py reports the odd half): BM25 is the stronger ranker on 3GPP text, so
# dense ranks count 0.7 and a small k lets the top ranks decide.
RRF_K = 10
DENSE_WEIGHT = 0.7
BOOST_WEIGHT = 0.5  # of a rank-1 share, for a passage holding an IE name from the query
CANDIDATES = 50
MAX_BOOSTED = 200  # a term found in more passages than this does not discriminate
IE_NAME_RE = re.compile(r"\b(?:[A-Za-z][A-Za-z0-9]*[-.][A-Za-z0-9][A-Za-z0-9.-]*|[a-z]+[A-Z][A-Za-z0-9]*)\b")
TOKEN_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9-]*")
GLOSSARY_PATH = Path(__file__).with_name("glossary.yaml")


@lru_cache(maxsize=1)
def glossary() -> dict[str, str]:
    return {str(k): str(v) for k, v in yaml.safe_load(GLOSSARY_PATH.read_text()).items()}


def enhance(query: str) -> str:
    """Append expansions of 3GPP abbreviations found in the query: 'CIO' -> 'CIO (Cell Individual Offset)'."""
    terms = glossary()
    expansions = [terms[t] for t in dict.fromkeys(TOKEN_RE.findall(query)) if t in terms]
    missing = [e for e in expansions if e.lower() not in query.lower()]
    return f"{query} ({'; '.join(missing)})" if missing else query


def retrieve(
    query: str,
    k: int = 5,
    filters: Filters | None = None,
    store: KnowledgeStore | None = None,
    mode: Mode = Mode.HYBRID,
) -> list[Passage]:
    """Best-first passages for a query. Raises QueryError for an empty query or an unknown filter."""
    if not query or not query.strip():
        raise QueryError("query is empty")
    if k < 1:
        raise QueryError("k must be at least 1")
    store = store or default_store()
    lexical = store.lexical()
    mask = _filter_mask(lexical, filters or Filters())
    text = enhance(query.strip())
    scores: dict[int, float] = {}
    if mode in (Mode.HYBRID, Mode.DENSE):
        _fuse(scores, _dense(store, lexical, text, mask), DENSE_WEIGHT if mode == Mode.HYBRID else 1.0)
    if mode in (Mode.HYBRID, Mode.LEXICAL):
        _fuse(scores, [row for row, _ in lexical.search(text, CANDIDATES, mask)], 1.0)
    if mode == Mode.HYBRID:
        _boost_exact_terms(scores, lexical, query, mask)
    best = sorted(scores.items(), key=lambda item: -item[1])[:k]
    return [_passage(lexical, row, score) for row, score in best]


@lru_cache(maxsize=4)
def _store_for(data_dir: str) -> KnowledgeStore:
    return KnowledgeStore(Path(data_dir))


def default_store() -> KnowledgeStore:
    """The store under the configured data dir, opened once per process."""
    from ranpilot.settings import load_settings

    return _store_for(str(load_settings().data_dir))


def _filter_mask(lexical: LexicalIndex, filters: Filters) -> np.ndarray | None:
    if filters.spec is None and filters.clause_prefix is None:
        return None
    mask = np.ones(len(lexical.ids), dtype=bool)
    if filters.spec is not None:
        mask &= lexical.specs == filters.spec
        if not mask.any():
            known = ", ".join(sorted(set(lexical.specs.tolist()))) or "none (the store is empty)"
            raise QueryError(f"unknown spec {filters.spec!r}; specs in the store: {known}")
    if filters.clause_prefix is not None:
        prefix = filters.clause_prefix.rstrip(".")
        clause_ok = np.array([c == prefix or c.startswith(prefix + ".") for c in lexical.clauses], dtype=bool)
        mask &= clause_ok
        if not mask.any():
            raise QueryError(f"no passage under clause {filters.clause_prefix!r} for these filters")
    return mask


@lru_cache(maxsize=1024)
def query_vector(text: str, variant: str) -> np.ndarray:
    """A query's embedding (read-only), kept: a long-running process (`ranpilot serve`) asks the
    same queries run after run (a rule's clauses, a target's definition, a repeated intent)."""
    vector = embed([text], variant=variant)[0]
    vector.setflags(write=False)
    return vector


def _dense(store: KnowledgeStore, lexical: LexicalIndex, text: str, mask: np.ndarray | None) -> list[int]:
    """The CANDIDATES rows nearest the query by cosine (exact: every vector is in memory), within
    the mask."""
    allowed = len(lexical.ids) if mask is None else int(mask.sum())
    if not allowed:
        return []
    similarity = lexical.vectors @ query_vector(text, store.variant)
    if mask is not None:
        similarity = np.where(mask, similarity, -np.inf)
    n = min(CANDIDATES, allowed)
    top = np.argpartition(-similarity, n - 1)[:n]
    return top[np.argsort(-similarity[top], kind="stable")].tolist()


def _fuse(scores: dict[int, float], ranked: list[int], weight: float) -> None:
    for rank, row in enumerate(ranked, start=1):
        scores[row] = scores.get(row, 0.0) + weight / (RRF_K + rank)


def _boost_exact_terms(scores: dict[int, float], lexical: LexicalIndex, query: str, mask: np.ndarray | None) -> None:
    """Each IE name from the query found verbatim in a passage adds part of a rank-1 RRF share."""
    for term in set(IE_NAME_RE.findall(query)):
        if not is_ie_name(term):
            continue
        rows = [r for r, text in enumerate(lexical.texts) if term in text and (mask is None or mask[r])]
        if len(rows) <= MAX_BOOSTED:
            for row in rows:
                scores[row] = scores.get(row, 0.0) + BOOST_WEIGHT / (RRF_K + 1)


def is_ie_name(term: str) -> bool:
    """Mixed-case identifiers such as `pusch-PowerControl` or `DRB.UEThpDl` (not `e.g.`, not `CSI-RS`)."""
    return len(term) >= 6 and any(c.isupper() for c in term) and any(c.islower() for c in term)


def _passage(lexical: LexicalIndex, row: int, score: float) -> Passage:
    meta = lexical.metas[row]
    return Passage(
        spec=meta["spec"], clause=meta["clause"], title=meta["title"], text=lexical.texts[row],
        score=round(score, 6), source=meta["source"], release=meta.get("release", ""), version=meta.get("version", ""),
    )
