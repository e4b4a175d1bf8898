"""Ingest speed and retrieval quality: the torch baseline against ranpilot's embeddings, side by side.

`sentence-transformers` is the baseline (the float model on torch, its threads as ranpilot sets
them); `torch` is the same float model as ranpilot runs it now (its ONNX export on onnxruntime,
the same vectors to 1e-5); `onnx-int8` its int8 quantization (the default for new stores). Both
ONNX variants run one batch of 32 passages per core on single-threaded sessions, and ingest adds
each batch to chromadb while the next one embeds. Each variant ingests the same specs of
../shared/corpus/3gpp/ into a fresh store (the models are loaded and the ONNX files built before
the clock starts), once with the machine as it is ("idle": no busy loop of ours, other work on the
machine goes on; the load average is printed) and once with a busy loop holding one core
("busy"). Compare the ratios of one run: on a shared machine the wall time grows with everyone's
load; passages per CPU second show what the embedding itself costs. Recall is measured on the
questions of ../shared/corpus/retrieval_dev.jsonl whose spec is among those ingested: all of
them, and the held-out ones (odd positions in the file; the fusion weights were tuned on the even
ones). With --specs all that is benchmarks/retrieval.py's held-out figure.

Measured 2 Dec 2026 15:24, 3 specs (2,281 passages), nothing else running (the load average of
1.7-2.8 is the benchmark's own): idle, sentence-transformers 24.2 passages/s (12.3 per CPU s), torch
40.8 (1.69x), onnx-int8 117.3 (4.86x; 64.2 per CPU s); a second run 25.0 and 122.7 (4.91x); int8
reading 256 tokens (before 2 Dec 14:00) 93.9. Busy: 12.1, 29.7 (2.46x), 83.0 (6.88x).
--specs all, onnx-int8 (192 tokens): held-out recall@5 0.923, the float model's (all 130 questions:
0.892 against 0.915; 160 tokens: held-out 0.908).

Run: nice -n 10 .venv/bin/python benchmarks/ingest.py [--specs 38.300,38.401,37.340] [--loads idle,busy]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from contextlib import nullcontext
from pathlib import Path
from unittest import mock

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
from retrieval import SHARED, label_clauses, rank_of_hit, scores  # noqa: E402

from ranpilot.knowledge import KnowledgeStore, ingest, retrieve  # noqa: E402
from ranpilot.knowledge.embeddings import ONNX_INT8, TORCH, embed, load_model  # noqa: E402
from ranpilot.threads import for_items  # noqa: E402

BUSY_LOOP = "while True: pass"
BASELINE = "sentence-transformers"


def baseline_embed(texts: list[str], batch_size: int = 64, variant: str | None = None) -> np.ndarray:
    """The float model through sentence-transformers on torch, threads as ranpilot set them."""
    with for_items(len(texts)):
        return load_model().encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                   convert_to_numpy=True).astype(np.float32)


def embedder(variant: str):
    """While ingesting with `variant`: the baseline swapped in for ranpilot's embeddings, or nothing."""
    return mock.patch.object(ingest, "embed", baseline_embed) if variant == BASELINE else nullcontext()


def spec_files(specs: str) -> list[Path]:
    files = sorted((SHARED / "3gpp").glob("*.md"))
    if specs == "all":
        return files
    wanted = specs.split(",")
    chosen = [f for f in files if f.name.split("_")[0] in wanted]
    if len(chosen) != len(wanted):
        raise SystemExit(f"unknown spec in {specs!r}; corpus has {', '.join(f.name.split('_')[0] for f in files)}")
    return chosen


def timed_ingest(variant: str, files: list[Path], busy: bool) -> tuple[KnowledgeStore, int, float, float]:
    """A fresh store of `files`: (store, passages, wall seconds, CPU seconds of this process's
    threads), a core busy or not. On a shared machine the wall time grows with everyone's load;
    passages per CPU second show what the embedding itself costs."""
    store = KnowledgeStore(Path(tempfile.mkdtemp(prefix="ingest-")), variant=TORCH if variant == BASELINE else variant)
    spinner = subprocess.Popen([sys.executable, "-c", BUSY_LOOP]) if busy else None
    try:
        start, cpu_start = time.perf_counter(), time.process_time()
        with embedder(variant):
            report = store.ingest(files, progress=sys.stderr.isatty())
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu_start
    finally:
        if spinner:
            spinner.kill()
            spinner.wait()
    return store, sum(report.added.values()), seconds, cpu


def recall(store: KnowledgeStore, questions: list[dict]) -> tuple[str, str]:
    ranks = [rank_of_hit(retrieve(q["question"], 10, store=store), q["spec"], label_clauses(q["section"]))
             for q in questions]
    held_out = [r for q, r in zip(questions, ranks) if q["held_out"]]
    return scores(ranks), scores(held_out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--specs", default="38.300,38.401,37.340", help="comma-separated spec numbers, or 'all'")
    parser.add_argument("--loads", default="idle,busy", help="idle, busy or both")
    parser.add_argument("--variants", default=f"{BASELINE},{TORCH},{ONNX_INT8}")
    args = parser.parse_args()
    if not SHARED.exists():
        print(f"skipped: {SHARED} is absent")
        return
    files = spec_files(args.specs)
    specs = {f"TS {f.name.split('_')[0]}" for f in files}
    lines = (SHARED / "retrieval_dev.jsonl").read_text().splitlines()
    questions = [{**json.loads(line), "held_out": i % 2 == 1} for i, line in enumerate(lines) if line.strip()]
    questions = [q for q in questions if q["spec"] in specs]
    print(f"specs: {', '.join(sorted(specs))}; {len(questions)} questions ({sum(q['held_out'] for q in questions)} held out)")
    print(f"load before: {os.getloadavg()[0]:.2f} (1-min load average, {os.cpu_count()} cores)")
    rates: dict[tuple[str, str], float] = {}
    rows = []
    for variant in args.variants.split(","):
        warm_up = ["warm-up: load the model, build the ONNX file if missing"] * 20
        if variant == BASELINE:
            baseline_embed(warm_up)
        else:
            embed(warm_up, variant=variant)
        for load in args.loads.split(","):
            store, passages, seconds, cpu = timed_ingest(variant, files, busy=load == "busy")
            rates[variant, load] = passages / seconds
            print(f"  {variant:21s} {load:4s} {passages} passages in {seconds:.1f} s, {passages / cpu:.1f} per CPU s "
                  f"(load {os.getloadavg()[0]:.2f})", flush=True)
        if questions:
            rows.append((variant, *recall(store, questions)))
    print(f"\n{'variant':22s} " + " ".join(f"{'p/s ' + load:>10s} {'x':>5s}" for load in args.loads.split(",")))
    for variant in args.variants.split(","):
        cells = [f"{rates[variant, load]:10.1f} {rates[variant, load] / rates[BASELINE, load]:5.2f}"
                 if (BASELINE, load) in rates else f"{rates[variant, load]:10.1f}     -" for load in args.loads.split(",")]
        print(f"{variant:22s} " + " ".join(cells))
    if not rows:
        return
    print(f"\n{'variant':22s} {'R@1':>6s} {'R@3':>6s} {'R@5':>6s} {'MRR@10':>7s}   held-out: {'R@1':>6s} {'R@3':>6s} {'R@5':>6s} {'MRR@10':>7s}")
    for variant, everything, held_out in rows:
        print(f"{variant:22s} {everything}             {held_out}")


if __name__ == "__main__":
    main()
