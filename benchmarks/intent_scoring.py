"""Scoring an `Understanding` against a corpus label (benchmarks/data/intents/LABELS.md), field by
field, and the corpus parts: generated template families by `intent_corpus.split` (train / test),
the first free-style files (freestyle_*.jsonl) and the ones written blind later (holdout_*.jsonl,
never tuned on).

Run for the misses of one part: .venv/bin/python benchmarks/intent_scoring.py train [N]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from intent_corpus import split  # noqa: E402

from ranpilot.intents.goals import Understanding  # noqa: E402
from ranpilot.intents.inventory import Inventory  # noqa: E402

DATA = Path(__file__).parent / "data" / "intents"
INVENTORY = Inventory(areas={"stadium": [3, 4, 5], "downtown": [0, 1, 2, 6, 7, 8], "airport": [12, 13, 14]})
GOAL_FIELDS = ("target", "bound", "value", "range", "change_pct", "strict", "threshold", "cells", "slice", "verb")
FIELDS = ("status", "reason", "goals", "changes", "window", "priority")


def load(part: str) -> list[dict]:
    """'train' / 'test': generated families of that split; 'freestyle' / 'holdout': those files."""
    if part in ("freestyle", "holdout"):
        return [row for path in sorted(DATA.glob(f"{part}_*.jsonl")) for row in _rows(path)]
    return [row for row in _rows(DATA / "generated.jsonl") if split(row["family"]) == part]


def _rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def same(a, b) -> bool:
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool) and not isinstance(b, bool):
        return math.isclose(a, b, rel_tol=2e-3, abs_tol=0.011)
    if isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return a == b


def as_label(u: Understanding) -> dict:
    goals = [{f: (list(v) if isinstance(v := getattr(g, f), tuple) else v) for f in GOAL_FIELDS} for g in u.goals]
    for goal in goals:
        goal["target"] = goal["target"].value
    return {"status": u.status, "reason": u.reason, "goals": goals,
            "changes": [c.model_dump() for c in u.changes], "window": list(u.window) if u.window else None,
            "priority": u.priority}


def compare(u: Understanding, label: dict) -> dict[str, bool]:
    """Per field: whether the understanding matches the label (goal lists compared in order)."""
    got = as_label(u)
    out = {f: same(got[f], label[f]) for f in ("status", "reason")}
    acted_on = label["status"] in ("parsed", "config")  # a refusal or a question schedules nothing
    out |= {f: not acted_on or same(got[f], label[f]) for f in ("window", "priority")}
    out["goals"] = len(got["goals"]) == len(label["goals"]) and all(
        all(same(g.get(f), w.get(f)) for f in GOAL_FIELDS) for g, w in zip(got["goals"], label["goals"]))
    out["changes"] = len(got["changes"]) == len(label["changes"]) and all(
        all(same(g.get(f), w.get(f)) for f in ("parameter", "cell", "slice", "value", "delta"))
        for g, w in zip(got["changes"], label["changes"]))
    return out


def score(rows: list[dict], parse) -> tuple[dict[str, float], float, list[tuple[dict, dict, dict]]]:
    """(field -> share matching, share exact in every field, misses as (row, got, per-field))."""
    totals, exact, misses = dict.fromkeys(FIELDS, 0), 0, []
    for row in rows:
        u = parse(row["text"])
        fields = compare(u, row)
        for f, ok in fields.items():
            totals[f] += ok
        exact += all(fields.values())
        if not all(fields.values()):
            misses.append((row, as_label(u), fields))
    n = max(len(rows), 1)
    return {f: totals[f] / n for f in FIELDS}, exact / n, misses


if __name__ == "__main__":
    from ranpilot.intents.parser import understand
    from ranpilot.policies import load_pack

    pack = load_pack()
    rows = load(sys.argv[1] if len(sys.argv) > 1 else "train")
    shares, exact, misses = score(rows, lambda text: understand(text, INVENTORY, pack))
    print(f"{len(rows)} rows, exact {exact:.3f}; " + ", ".join(f"{f} {v:.3f}" for f, v in shares.items()))
    for row, got, fields in misses[: int(sys.argv[2]) if len(sys.argv) > 2 else 30]:
        bad = [f for f, ok in fields.items() if not ok]
        print(f"- [{row['family']}] {row['text']!r} wrong {bad}")
        for f in bad:
            print(f"    want {f}: {json.dumps(row[f])}\n    got  {f}: {json.dumps(got[f])}")
