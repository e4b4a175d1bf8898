"""Which TS 28.312 target each clause of an intent is about.

MiniLM similarity to exemplars we wrote (`exemplars.yaml`), nudged by units and keywords; cell
numbers are left out of the embedding, since they are scope, not a KPI. (A clause without a
subject, '... and below 10 Mbps', keeps the previous clause's target: see `clauses.py`.)
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import numpy as np
import yaml

from ranpilot.targets import Target
from ranpilot.intents import extraction as ex
from ranpilot.knowledge.embeddings import TORCH, embed, embed_cached

EXEMPLARS = Path(__file__).with_name("exemplars.yaml")
MIN_SCORE = 0.30
CLASSIFIER_VARIANT = TORCH  # the embedding variant the exemplars and thresholds were tuned with
UNIT_HINTS = {"Mbit/s": {Target.AVE_DL_RAN_UE_THPT: 0.12, Target.LOW_DL_THPT_UE_SHARE: 0.08, Target.DL_THPT_PER_UE: 0.12},
              "ms": {Target.DL_LATENCY: 0.3}, "kW": {Target.RAN_ENERGY_CONSUMPTION: 0.3}, "bit/J": {Target.RAN_ENERGY_EFFICIENCY: 0.3}}
KEYWORD_HINTS = [
    (re.compile(r"\b(?:users?|ues?|subscribers|devices)\s+(?:\S+\s+){0,3}?(?:below|under|beneath|with less than|<)\s*[\d.]+\s*mbit/s|"
                r"percentile|\b(?:bottom|worst|lowest|slowest)\s+[\d.]+%", re.I), Target.LOW_DL_THPT_UE_SHARE, 0.35),
    (re.compile(r"\b(?:hot|overloaded|congested|busy)\s+cells\b|\bcells\b[^.;]{0,30}\b(?:run(?:ning)?\s+hot|overloaded|congested|"
                r"loaded (?:above|over|beyond)|(?:above|over|beyond)\s+[\d.]+\s*%\s+(?:prb\s+)?(?:load|util))", re.I),
     Target.HIGH_DL_PRB_LOAD_RATIO, 0.35),
    (re.compile(r"\b(?:weak(?:ly)?|poor(?:ly)?|badly) cover(?:ed|age)\b", re.I), Target.WEAK_RSRP_UE_SHARE, 0.3),
    (re.compile(r"\b(average|mean)\b[^.]{0,30}\b(throughput|speed|data rate)\b", re.I), Target.AVE_DL_RAN_UE_THPT, 0.2),
    (re.compile(r"\b(throughput|thruput|thru|t-?put|downloads?|data rates?)\b", re.I), Target.AVE_DL_RAN_UE_THPT, 0.1),
    (re.compile(rf"\b(?:{ex.FASTER_WORDS}|slow(?:er)?)\b", re.I), Target.AVE_DL_RAN_UE_THPT, 0.15),
    (re.compile(r"\boverload\w*[- ]cells?\b|\bhot[- ]cells?\b", re.I), Target.HIGH_DL_PRB_LOAD_RATIO, 0.3),
    # the cell edge is a throughput matter unless the clause is about coverage there ('improve
    # coverage at the cell edge so that fewer than 2% of users have weak RSRP')
    (re.compile(r"^(?!.*\b(?:coverage|covered|rsrp)\b).*?(?:\bcell[- ]edge|\bedge (users|throughput|rates?|speeds?)\b|"
                r"\bworst users|\bevery user|\ball users\b)", re.I | re.S), Target.LOW_DL_THPT_UE_SHARE, 0.2),
    (re.compile(r"\befficien", re.I), Target.RAN_ENERGY_EFFICIENCY, 0.25),
    (re.compile(r"\b(energy(?! efficien)|power consumption|power draw|electricity|kwh)\b", re.I), Target.RAN_ENERGY_CONSUMPTION, 0.15),
    (re.compile(r"\bconsum\w*|\bdraw\b|\bbill\b", re.I), Target.RAN_ENERGY_CONSUMPTION, 0.1),
    (re.compile(r"\b(coverage|covered|rsrp|weak signal|reception)\b", re.I), Target.WEAK_RSRP_UE_SHARE, 0.2),
    (re.compile(r"\bsignal\b(?!\s+(?:quality|to))|\bsignal strength\b|\bbars\b", re.I), Target.WEAK_RSRP_UE_SHARE, 0.15),
    (re.compile(r"\bcongest\w*", re.I), Target.AVE_DL_PRB_LOAD, 0.25),
    (re.compile(r"\b(?:greener|carbon|co2|emissions?)\b", re.I), Target.RAN_ENERGY_CONSUMPTION, 0.3),
    (re.compile(r"\b(sinr|interference)\b", re.I), Target.LOW_SINR_UE_SHARE, 0.2),
    (re.compile(rf"\b(latency|delay|{ex.LAG_WORDS})\b", re.I), Target.DL_LATENCY, 0.25),
    (re.compile(r"\b(overloaded|congested) cells\b|\bcells (above|over) \d+\s*%", re.I), Target.HIGH_DL_PRB_LOAD_RATIO, 0.2),
    (re.compile(r"\b(prb|resource block|utili[sz]ation|load)\b", re.I), Target.AVE_DL_PRB_LOAD, 0.1),
]


@lru_cache(maxsize=1)
def exemplar_matrix() -> tuple[list[str], np.ndarray]:
    data = yaml.safe_load(EXEMPLARS.read_text())
    labels = [target for target, texts in data.items() for _ in texts]
    vectors = embed_cached([t for texts in data.values() for t in texts], variant=CLASSIFIER_VARIANT)
    return labels, vectors


def classify(clauses: list[str]) -> list[tuple[str | None, float]]:
    """Best target per clause with its score (None below MIN_SCORE)."""
    if not clauses:
        return []
    labels, vectors = exemplar_matrix()
    sims = embed([ex.CELLS_RE.sub(" ", c) for c in clauses], variant=CLASSIFIER_VARIANT) @ vectors.T
    out = []
    for clause, row in zip(clauses, sims):
        scores: dict[str, float] = {}
        for label, sim in zip(labels, row):
            scores[label] = max(scores.get(label, -1.0), float(sim))
        for q in ex.quantities(clause):
            for target, bonus in UNIT_HINTS.get(q.unit, {}).items():
                scores[target] = scores.get(target, 0.0) + bonus
        for pattern, target, bonus in KEYWORD_HINTS:
            if pattern.search(clause):
                scores[target] = scores.get(target, 0.0) + bonus
        for target in Target:  # the TS 28.312 name itself ('WeakRSRPRatio target ...'), exemplars or not
            if re.search(rf"\b{target.value}\b", clause, re.I):
                scores[target] = scores.get(target, 0.0) + 1.0
        best = max(scores, key=scores.get)
        out.append((best if scores[best] >= MIN_SCORE else None, scores[best]))
    return out
