"""Intent understanding and the agent's end-to-end figures, on the embedded planner.

1. Dev set (benchmarks/data/intents_dev.jsonl, 83 intents we wrote): exact-match rates of the
   status (parse / clarify / reject decision), targetName, condition, value and object per
   expectation, and whole intents. Target >= 95%. The same on a second set (intents_heldout.jsonl,
   30 intents written after the parser was frozen). It scored 0.900 while held out; its three misses
   (two vague requests parsed, a 200% share of users accepted) were then fixed, so it is held out no more.
2. End-to-end latency of `ranpilot run` per node on the default 21-cell network, excluding
   process start and model load (one warm-up run first). Target p50 under 2 s.
3. Fulfilment of the demo intents: KPI before and after, and whether each expectation is met.

Run: .venv/bin/python benchmarks/intents.py
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path

from ranpilot.intents.parser import parse_intent
from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.agents.runner import AgentRunner
from ranpilot.demo import INTENTS
from ranpilot.network import Network, NetworkConfig
from ranpilot.settings import Settings

DEV = Path(__file__).parent / "data" / "intents_dev.jsonl"
HELD_OUT = Path(__file__).parent / "data" / "intents_heldout.jsonl"
AREAS = {"stadium": [0, 1, 2], "station": [9, 10, 11]}


def fields(intent) -> list[tuple]:
    return [(t.targetName, t.targetCondition.value, [float(v) for v in t.targetValueRange], e.expectationObject.objectInstance)
            for e in intent.intentExpectations for t in e.expectationTargets]


def labelled_set(path: Path, label: str) -> None:
    rows = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    hits = {"status": 0, "targetName": 0, "condition": 0, "value": 0, "object": 0}
    exact, expectations, misses = 0, 0, []
    start = time.perf_counter()
    for row in rows:
        result = parse_intent(row["text"], AREAS)
        hits["status"] += result.status == row["status"]
        ok = result.status == row["status"]
        if row["status"] == "parsed":
            want = [(t, c, [float(x) for x in v], o) for t, c, v, o in row["expectations"]]
            got = fields(result.intent) if result.intent else []
            expectations += len(want)
            for i, w in enumerate(want):
                g = got[i] if i < len(got) else (None, None, None, None)
                for k, name in enumerate(("targetName", "condition", "value", "object")):
                    hits[name] += g[k] == w[k]
            ok = ok and got == want
        exact += ok
        if not ok:
            misses.append((row["text"], result.status, fields(result.intent) if result.intent else result.reason))
    ms = (time.perf_counter() - start) / len(rows) * 1e3
    print(f"{label}: {len(rows)} intents ({expectations} expected expectations), {ms:.1f} ms per parse")
    print(f"  status (parse/clarify/reject) {hits['status'] / len(rows):.3f}")
    for name in ("targetName", "condition", "value", "object"):
        print(f"  {name:10s} {hits[name] / expectations:.3f}")
    print(f"  whole intent exact match {exact / len(rows):.3f}  (target >= 0.95)")
    for text, status, detail in misses:
        print(f"  miss: {text!r} -> {status}: {detail}")


def end_to_end() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        runner = AgentRunner(Settings(data_dir=Path(tmp)), EmbeddedPlanner())
        runner.run("cut energy consumption by 5%", Network(seed=9), thread_id="warm-up")
        totals, nodes = [], {}
        for i in range(5):
            for j, text in enumerate(INTENTS):
                result = runner.run(text, Network(NetworkConfig(start_time_h=23.0), seed=i), thread_id=f"b{i}-{j}")
                totals.append(sum(result.node_ms.values()))
                for node, ms in result.node_ms.items():
                    nodes.setdefault(node, []).append(ms)
                if i == 0:
                    fulfilment(text, result)
        print(f"end-to-end run latency over {len(totals)} runs: p50 {statistics.median(totals):.0f} ms, "
              f"max {max(totals):.0f} ms (target p50 < 2000 ms)")
        print("  per node p50 ms: " + ", ".join(f"{n} {statistics.median(v):.1f}" for n, v in nodes.items()))


def fulfilment(text: str, result) -> None:
    print(f"fulfilment: {text!r}: {result.report.fulfilmentStatus.value} ({result.outcome})")
    for e in result.report.expectationFulfilmentResults:
        for t in e.targetFulfilmentResults:
            print(f"  {t.targetName}: {t.baselineValue:.4g} -> {t.targetAchievedValue:.4g} {t.targetFulfilmentStatus.value}")


if __name__ == "__main__":
    labelled_set(DEV, "dev set")
    labelled_set(HELD_OUT, "second set (held out until its misses were fixed)")
    end_to_end()
