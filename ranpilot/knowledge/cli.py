"""`ranpilot kb ...`: build and query the 3GPP knowledge store. The store and retrieval (chromadb,
the embedding model) load inside the commands, not at CLI start-up."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.knowledge.query import Filters, Mode, Passage, QueryError
from ranpilot.settings import load_settings

if TYPE_CHECKING:
    from ranpilot.knowledge.store import KnowledgeStore

app = typer.Typer(help="3GPP knowledge: ingest specifications, search them.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)


def open_store() -> KnowledgeStore:
    from ranpilot.knowledge.embeddings import ModelMissing
    from ranpilot.knowledge.onnx_model import OnnxModelError
    from ranpilot.knowledge.store import KnowledgeStore, StoreCorrupt, StoreMismatch

    try:
        return KnowledgeStore(load_settings().data_dir)
    except (StoreMismatch, ModelMissing, StoreCorrupt, OnnxModelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc


@app.command("ingest")
def ingest(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="Files (.md, .txt, .docx) or directories.")] = None,
    rebuild: Annotated[bool, typer.Option(help="Delete the store first (after a model change, or when it is "
                                               "corrupt); the shipped notes are added back.")] = False,
) -> None:
    """Add specifications to the store; unchanged files are skipped, changed ones replaced."""
    if not paths and not rebuild:
        raise typer.BadParameter("give PATH... (or --rebuild alone: a new store with the shipped notes)")
    from ranpilot.knowledge import NOTES_DIR
    from ranpilot.knowledge.store import wipe

    if rebuild:
        wipe(load_settings().data_dir)
    from ranpilot.knowledge.onnx_model import OnnxModelError
    from ranpilot.knowledge.store import StoreMismatch

    store = open_store()
    try:
        report = store.ingest([*([NOTES_DIR] if rebuild else []), *(paths or [])], progress=True)
    except (StoreMismatch, OnnxModelError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(1) from exc
    for source, count in report.added.items():
        console.print(f"added {count} passages from {source}")
    for source in report.unchanged:
        console.print(f"unchanged: {source}")
    for source, reason in report.skipped.items():
        err.print(f"[yellow]skipped[/yellow] {reason}")
    console.print(f"store: {store.count()} passages")
    if report.skipped and not (report.added or report.unchanged):
        raise typer.Exit(1)


@app.command("search")
def search(
    query: Annotated[Optional[str], typer.Argument(help="The question.")] = None,
    k: Annotated[int, typer.Option(min=1, max=100)] = 5,
    spec: Annotated[Optional[str], typer.Option(help='Only this spec, e.g. "TS 38.300".')] = None,
    clause: Annotated[Optional[str], typer.Option(help="Only clauses under this prefix, e.g. 5.7.")] = None,
    mode: Annotated[Mode, typer.Option(help="hybrid, dense or lexical.")] = Mode.HYBRID,
    queries: Annotated[Optional[Path], typer.Option(help="One question a line (text or JSON with 'question').")] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Best-first passages for a question, or for every question in --queries."""
    if (query is None) == (queries is None):
        raise typer.BadParameter("give either a QUERY or --queries FILE")
    from ranpilot.knowledge.retrieval import retrieve

    store = open_store()
    filters = Filters(spec=spec, clause_prefix=clause)
    try:
        if queries is not None:
            for question in read_questions(queries):
                results = retrieve(question, k, filters, store, mode)
                print(json.dumps({"question": question, "results": [passage_json(p) for p in results]}))
            return
        results = retrieve(query, k, filters, store, mode)
    except QueryError as exc:
        raise typer.BadParameter(str(exc)) from exc
    if as_json:
        print(json.dumps([passage_json(p) for p in results], indent=2))
    else:
        print_passages(results)


@app.command("stats")
def stats(as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
    """Passages per spec."""
    counts = open_store().stats()
    if as_json:
        print(json.dumps(counts))
        return
    table = Table(title="Knowledge store")
    table.add_column("spec")
    table.add_column("passages", justify="right")
    for spec, count in counts.items():
        table.add_row(spec, str(count))
    console.print(table)


def read_questions(path: Path) -> list[str]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"{path}: {exc}", param_hint="--queries") from exc
    out = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                line = json.loads(line)["question"]
            except (json.JSONDecodeError, KeyError, TypeError) as exc:
                raise typer.BadParameter(f"{path}:{number}: expected a JSON object with 'question'", param_hint="--queries") from exc
        out.append(line)
    return out


def passage_json(p: Passage) -> dict:
    return p.model_dump(include={"spec", "clause", "title", "text", "score", "source"})


def print_passages(passages: list[Passage]) -> None:
    for rank, p in enumerate(passages, start=1):
        console.print(f"[bold]{rank}. {p.spec} {p.clause} {p.title}[/bold]  score {p.score:.4f}")
        console.print(p.text[:400] + ("..." if len(p.text) > 400 else ""), highlight=False)
        console.print()
