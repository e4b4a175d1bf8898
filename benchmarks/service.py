"""`ranpilot run` as a user sees it, idle and with the other core busy: through `ranpilot serve`
(the CLI process plus one HTTP call, and the HTTP call alone as an OSS or dashboard makes it)
against the one-shot CLI (a fresh process that loads the agent), and a retrieval query's p50.

Every run starts from the same new network (`--seed 0`), so each does the same work: a goal the
network already meets (the floor of a run), and the README's compound intent, planned and verified
(its outcome, applied or awaiting approval, depends on the planner). Everything happens in a temporary data dir. The
retrieval store is benchmarks/.cache/retrieval (the 12-spec store benchmarks/retrieval.py builds)
when present, else the shipped notes; queries are ../shared's retrieval questions when present.
"Idle" is the machine as it is, without a busy loop of ours (other work on a shared machine goes
on: the load average is printed); "busy" runs a pure-Python busy loop in another process for the
duration. The service's first run builds the embedding models' ONNX files and the store's
snapshot in the data dir, so the one-shot figures are those of every run after the first.

It prints one table: p50 wall time (and for a `ranpilot run` process its own CPU time, which the
machine's other load does not inflate) of each measure, idle and busy side by side, with the
targets of issue 18: through the service < 1 s p50 wall, the one-shot CLI < 5 s, query p50 < 50 ms.
A retrieval query is a new one each time (the service keeps the embeddings of queries it asked).
Run: .venv/bin/python benchmarks/service.py [--runs 5] [--cli-runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from ranpilot.threads import all_cores

ROOT = Path(__file__).resolve().parents[1]
STORE_12_SPECS = ROOT / "benchmarks" / ".cache" / "retrieval"
QUESTIONS = ROOT.parent / "shared" / "corpus" / "retrieval_dev.jsonl"
INTENTS = {  # a goal already met (the floor: parse, retrieve, measure, report) and the README's compound one
    "met": "keep average throughput above 15 Mbps in cells 3-5",
    "compound": "keep average throughput above 25 Mbps in cells 3-5, and keep energy below 6.5 kW",
}
FALLBACK_QUERIES = ["which cells may sleep at night", "cell individual offset handover", "PRB quota of a slice",
                    "RSRP measurement definition", "energy saving state of a cell", "URLLC latency 5QI 82"]


def ranpilot_command() -> list[str]:
    script = Path(sys.executable).with_name("ranpilot")
    return [str(script)] if script.exists() else [sys.executable, "-m", "ranpilot.cli"]


@contextmanager
def other_core_busy(busy: bool) -> Iterator[None]:
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"]) if busy else None
    try:
        yield
    finally:
        if spinner is not None:
            spinner.kill()
            spinner.wait()


@contextmanager
def service(env: dict[str, str], log: Path) -> Iterator[str]:
    """`ranpilot serve` on a free loopback port; yields its URL once it answers."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen([*ranpilot_command(), "serve", "--port", str(port)], env=env, stdout=out, stderr=out)
    try:
        start = time.perf_counter()
        while time.perf_counter() - start < 900:
            if process.poll() is not None:
                raise SystemExit(f"ranpilot serve exited {process.returncode}:\n{log.read_text()[-2000:]}")
            try:
                httpx.get(url + "/ranpilot/health", timeout=2.0).raise_for_status()
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        print(f"service ready in {time.perf_counter() - start:.1f} s (models loaded, notes ingested)")
        yield url
    finally:
        process.terminate()
        process.wait(30)


def cli_run_s(env: dict[str, str], intent: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one `ranpilot run` process. On a shared machine the wall time
    grows with everyone's load; the CPU time (user + system) is what the process itself costs."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([*ranpilot_command(), "run", intent, "--seed", "0", "--json"], env=env,
                          capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode in (1, 2):  # an error; 0, 3 and 5 are outcomes of the run (done, rejected, awaiting approval)
        raise SystemExit(f"ranpilot run exited {done.returncode}: {done.stderr.strip()[-500:]}")
    json.loads(done.stdout)  # the run, as valid JSON
    return elapsed, cpu


def http_run_s(url: str, intent: str) -> float:
    start = time.perf_counter()
    response = httpx.post(url + "/ranpilot/runs", json={"request": intent, "network": {"seed": 0}}, timeout=600)
    elapsed = time.perf_counter() - start
    response.raise_for_status()
    return elapsed


def query_p50_ms(store, queries: list[str]) -> float:
    """A new hybrid retrieval query, as ranpilot runs it (its embedding on one thread, not the one a
    process keeps for a query it asked before)."""
    from ranpilot.knowledge import retrieve
    from ranpilot.knowledge.retrieval import query_vector

    def new_query(query: str) -> None:
        query_vector.cache_clear()
        retrieve(query, 5, store=store)

    return median_ms(new_query, queries)


def encode_p50_ms(queries: list[str], threads: int, variant: str) -> float:
    """One query's MiniLM embedding alone (the store's variant, on onnxruntime), on `threads` threads."""
    from ranpilot.knowledge.embeddings import ONNX_INT8
    from ranpilot.knowledge.onnx_model import FP32, INT8, encoder

    model = encoder(threads, INT8 if variant == ONNX_INT8 else FP32)
    return median_ms(lambda q: model.encode([q], 1), queries)


def median_ms(call, queries: list[str]) -> float:
    times = []
    for query in queries:
        start = time.perf_counter()
        call(query)
        times.append((time.perf_counter() - start) * 1e3)
    return statistics.median(times)


def open_store(data_dir: Path):
    from ranpilot.knowledge import KnowledgeStore, retrieve

    store = KnowledgeStore(STORE_12_SPECS if STORE_12_SPECS.is_dir() else data_dir)
    store.lexical()
    retrieve("warm-up query about handover", 5, store=store)
    queries = [json.loads(line)["question"] for line in QUESTIONS.read_text().splitlines()[:40] if line.strip()] \
        if QUESTIONS.exists() else FALLBACK_QUERIES * 5
    specs = len({meta["spec"] for meta in store.lexical().metas})
    print(f"retrieval store: {STORE_12_SPECS if STORE_12_SPECS.is_dir() else 'shipped notes only'}, {specs} specs, "
          f"{store.count()} passages; {len(queries)} queries")
    return store, queries


def p50(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} s"


def p50_cli(runs: list[tuple[float, float]]) -> str:
    return f"{p50([wall for wall, _ in runs])} (CPU {statistics.median(cpu for _, cpu in runs):.2f} s)"


TARGETS = {"HTTP call alone": "< 1 s", "CLI through service": "< 1 s", "one-shot CLI": "< 5 s",
           "retrieval query": "< 50 ms"}


def measure(data_dir: Path, runs: int, cli_runs: int) -> dict[str, dict[str, str]]:
    """{condition: {row: figure}}, each figure a p50 over the runs (CPU time: the process's own)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("RANPILOT_")}
    env.update(RANPILOT_DATA_DIR=str(data_dir), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    table: dict[str, dict[str, str]] = {}
    with service(env, data_dir / "serve.log") as url:
        via_service = {**env, "RANPILOT_SERVICE_URL": url}
        http_run_s(url, INTENTS["compound"])  # the first run loads the solvers and the learned models
        store, queries = open_store(data_dir)
        for busy in (False, True):
            with other_core_busy(busy):
                load = os.getloadavg()[0]  # other processes on the machine skew every figure: say how busy it was
                condition = f"{'other core busy' if busy else 'idle'} (load {load:.1f})"
                print(f"-- {condition} ...", flush=True)
                rows = table[condition] = {}
                for name, intent in INTENTS.items():
                    rows[f"{name} run, HTTP call alone"] = p50([http_run_s(url, intent) for _ in range(runs)])
                    rows[f"{name} run, CLI through service"] = p50_cli(
                        [cli_run_s(via_service, intent) for _ in range(runs)])
                    rows[f"{name} run, one-shot CLI"] = p50_cli([cli_run_s(env, intent) for _ in range(cli_runs)])
                rows["retrieval query"] = f"{query_p50_ms(store, queries):.1f} ms"
                one = encode_p50_ms(queries, 1, store.variant)
                every = encode_p50_ms(queries, all_cores(), store.variant)
                rows["its embedding alone (1 thread / all)"] = f"{one:.1f} / {every:.1f} ms"
    return table


def print_table(table: dict[str, dict[str, str]]) -> None:
    """Rows of figures, the conditions side by side, then the target."""
    conditions = list(table)
    names = list(table[conditions[0]])
    width = max(map(len, names))
    columns = [max(len(c), *(len(table[c][n]) for n in names)) for c in conditions]
    print(f"{'p50 wall (CPU)':{width}s}  " + "  ".join(f"{c:{w}s}" for c, w in zip(conditions, columns)) + "  target")
    for name in names:
        target = next((t for key, t in TARGETS.items() if name.endswith(key)), TARGETS.get(name, ""))
        figures = "  ".join(f"{table[c][name]:{w}s}" for c, w in zip(conditions, columns))
        print(f"{name:{width}s}  {figures}  {target}")
    print(f"(busy: a busy loop of ours on the other core; load: the 1-minute load average on {all_cores()} cores "
          "when the condition started, others' work included)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5, help="runs through the service per condition")
    parser.add_argument("--cli-runs", type=int, default=3, help="one-shot CLI runs per condition")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ranpilot-bench-") as tmp:
        print_table(measure(Path(tmp), args.runs, args.cli_runs))


if __name__ == "__main__":
    main()
