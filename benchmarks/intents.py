"""Intent understanding and the agent's end-to-end figures, on the embedded planner.

1. Understanding, field by field and exact in every field (status, reason, goals, changes, window,
   priority; benchmarks/data/intents/LABELS.md), on four parts of the corpus:
   - generated, train: the template families the parser was first tuned on (benchmarks/intent_corpus.py);
   - generated, test: families kept untouched until 2026-12-02 (0.854 then), since tuned on;
   - free-style: requests by authors who never saw the parser, each untouched until its first
     measurement and tuned on since: fs-noc and fs-mgmt (320, 0.738 at first touch), fs-c and fs-d
     (400: 0.775 and 0.650), ho-a and ho-b (320, held out until 2026-12-02: 0.866), ho-c and ho-d
     (320 written blind from LABELS.md alone: field RF engineer, planning manager, NOC lead, vendor
     consultant, non-native writer; energy manager, event planner, enterprise slice customer,
     optimisation engineer, long emails; held out until 2026-12-02 08:00: 0.925), ho-e and ho-f (320
     written blind: field and RF engineers; managers, SLA text and non-native writers; held out until
     2026-12-02 08:45: 0.925, and 0.9125 with the parser of that morning); ho-g and ho-h (240 written
     blind: NOC night shift and automation engineers; customers, regulators, event organisers and
     executives; held out until 2026-12-02 10:50: 0.929); ho-i and ho-j (240 written blind: chat-ops,
     tickets, sales engineers, students, SRE, non-native writers; voice transcripts, key: value
     forms, planners, marketing, hidden overrides, translations; held out until 2026-12-02 12:32:
     0.892, with the parser tuned to 0.999 on the free-style files before them); ho-k and ho-l (240
     written blind: shift notes, managers' emails, field SMS, compliance, customer success; user
     stories, architects, symbol-writers, call centres, trainees, executives' headlines; held out
     until 2026-12-02 13:02: 0.933); ho-p and ho-q (240 written blind
     for tuning: field and night-shift staff; a red team and confused users: 0.883 at first touch);
     tu6 and tu6b (variants the session-6 tuners wrote of each phenomenon they fixed);
   - held out: requests written blind from LABELS.md alone by authors who never saw the parser
     (holdout_*.jsonl, 600 hand-written; the authors were told a style each: ho-m, NOC chat with
     abbreviations and typos; ho-n, managers' and customer-facing emails with context and asides;
     ho-o, ticket forms, non-native writers, planners, context traps; ho-r, voice transcripts and
     text messages; ho-s, 3GPP and vendor jargon, SLA clauses, change tickets, newcomers), never
     looked at while tuning: only their aggregate is printed. This is the untouched figure; target
     >= 0.95. m, n, o were chosen as the untouched sets before any tuning (r, s were written an hour
     later as a second reading); measured once, 2026-12-02 15:22: m/n/o 0.964, r/s 0.983, all 0.972
     (the parser of that morning: 0.877 on the same 600).
2. End-to-end latency of `ranpilot run` per node on the default 21-cell network, excluding
   process start and model load (one warm-up run first). Target p50 under 2 s.
3. Fulfilment of the demo intents: each target before and after, and whether it is met.

Run: .venv/bin/python benchmarks/intents.py
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from intent_scoring import FIELDS, INVENTORY, load, score  # noqa: E402

from ranpilot.agents.runner import AgentRunner  # noqa: E402
from ranpilot.demo import INTENTS  # noqa: E402
from ranpilot.intents.parser import understand  # noqa: E402
from ranpilot.network import Network, NetworkConfig  # noqa: E402
from ranpilot.planning.embedded import EmbeddedPlanner  # noqa: E402
from ranpilot.policies import load_pack  # noqa: E402
from ranpilot.settings import Settings  # noqa: E402


def understanding() -> None:
    pack = load_pack()
    print(f"{'part':28s} {'n':>5s} {'exact':>6s} " + " ".join(f"{f:>8s}" for f in FIELDS))
    for part, label in (("train", "generated, train (tuned)"), ("test", "generated, test (tuned)"),
                        ("freestyle", "free-style (tuned)"), ("holdout", "held out (untouched)")):
        rows = load(part)
        start = time.perf_counter()
        shares, exact, _ = score(rows, lambda text: understand(text, INVENTORY, pack))
        ms = (time.perf_counter() - start) / max(len(rows), 1) * 1e3
        print(f"{label:28s} {len(rows):5d} {exact:6.3f} " + " ".join(f"{shares[f]:8.3f}" for f in FIELDS)
              + f"   {ms:.0f} ms per request")
    print("target: exact >= 0.95 on the untouched parts")


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
    print(f"fulfilment: {text!r}: {'FULFILLED' if result.report.fulfilled else 'NOT_FULFILLED'} ({result.outcome})")
    for exp_id, t in result.report.targets():
        before = result.baselines.get(f"{exp_id}.{t.targetName}")
        print(f"  {t.targetName}: {before:.4g} -> {t.targetAchievedValue:.4g} {t.targetFulfilmentInfo.fulfilmentStatus.value}")


if __name__ == "__main__":
    understanding()
    end_to_end()
