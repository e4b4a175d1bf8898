"""`ranpilot run`, `ranpilot approve|reject`, `ranpilot intent parse`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from ranpilot.network.cli import build_network, live_network
from ranpilot.network.live import save_live
from ranpilot.settings import load_settings

if TYPE_CHECKING:
    from ranpilot.agents.runner import AgentRunner, RunResult

# The agent's modules (torch, langgraph, openai, chromadb) load inside the commands, so that
# `ranpilot --help` and the light commands start in a fraction of a second.

intent_app = typer.Typer(help="Parse operator intents (nothing touches the network).", no_args_is_help=True)
err = Console(stderr=True)
AreaOption = Annotated[Optional[list[str]], typer.Option("--area", help="Named area: NAME=CELL,CELL,... (repeatable).")]


def parse_areas(values: list[str] | None) -> dict[str, list[int]]:
    areas = {}
    for value in values or []:
        name, _, cells = value.partition("=")
        try:
            areas[name.strip()] = [int(c) for c in cells.split(",") if c.strip()]
        except ValueError as exc:
            raise typer.BadParameter(f"{value!r}: expected NAME=CELL,CELL", param_hint="--area") from exc
    return areas


def runner(fallback: bool) -> AgentRunner:
    from ranpilot.planning.llm import LlmError, make_planner
    from ranpilot.agents.runner import AgentRunner

    settings = load_settings()
    try:
        return AgentRunner(settings, make_planner(settings, fallback))
    except LlmError as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def emit(result: RunResult, as_json: bool) -> None:
    from ranpilot.agents.report import print_run

    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_run(result)


def run(
    text: Annotated[Optional[str], typer.Argument(help="The intent, in plain language.")] = None,
    thread: Annotated[Optional[str], typer.Option(help="Thread id: new, or an existing one to show/resume.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Start a new live network from this NetworkConfig.")] = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
    cells: Annotated[Optional[str], typer.Option(help="Operator scope: cells the agent may touch, e.g. 0,1,2.")] = None,
    area: AreaOption = None,
    fallback: Annotated[bool, typer.Option(help="Fall back to the embedded planner if the LLM is unreachable.")] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Carry an intent through to verified, applied actions on the live simulated network."""
    from ranpilot.agents.runner import RunError
    from ranpilot.planning.llm import LlmError

    agent = runner(fallback)
    try:
        if text is None:
            if thread is None:
                raise typer.BadParameter("give an intent, or --thread ID to show a run")
            emit(agent.show(thread), as_json)
            return
        scope = [int(c) for c in cells.split(",")] if cells else None
        network = build_network(config, seed) if (config or seed is not None) else live_network()
        result = agent.run(text, network, thread, scope, parse_areas(area))
        save_live(load_settings().data_dir, network)
        emit(result, as_json)
    except (RunError, LlmError) as exc:
        err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from exc


def answer(verdict: str):
    def command(thread: Annotated[str, typer.Argument(help="Thread waiting for approval.")],
                as_json: Annotated[bool, typer.Option("--json")] = False) -> None:
        from ranpilot.agents.runner import RunError
        from ranpilot.policies import StaleVerdict

        network = live_network()
        try:
            result = runner(False).resume(thread, verdict, network)
        except StaleVerdict as exc:
            err.print(f"[red]error:[/red] {exc}: the live network changed after this proposal was verified; "
                      "run the intent again")
            raise typer.Exit(1) from exc
        except RunError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        save_live(load_settings().data_dir, network)
        emit(result, as_json)
    command.__doc__ = f"Answer a pending approval: {verdict}."
    return command


@intent_app.command("parse")
def parse(
    text: Annotated[Optional[str], typer.Argument()] = None,
    file: Annotated[Optional[Path], typer.Option(help="One intent per line; prints one JSON line each.")] = None,
    area: AreaOption = None,
    fallback: Annotated[bool, typer.Option()] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Structured TS 28.312 intent, a clarification request, or a rejection."""
    if (text is None) == (file is None):
        raise typer.BadParameter("give either TEXT or --file FILE")
    from ranpilot.planning.llm import LlmError, make_planner
    from ranpilot.policies import load_pack

    planner, pack = make_planner(load_settings(), fallback), load_pack()
    areas = parse_areas(area)
    try:
        lines = [text] if text is not None else [ln for ln in file.read_text(encoding="utf-8").splitlines() if ln.strip()]
    except (OSError, UnicodeDecodeError) as exc:
        raise typer.BadParameter(f"{file}: {exc}", param_hint="--file") from exc
    for line in lines:
        try:
            result = planner.parse(line, areas, pack)
        except LlmError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        row = {"text": result.text, "status": result.status,
               "intent": result.intent.model_dump(mode="json") if result.intent else None, "reason": result.reason}
        print(json.dumps(row, indent=None if (file or as_json) else 2))
