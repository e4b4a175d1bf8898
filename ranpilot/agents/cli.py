"""`ranpilot run`, `ranpilot approve|reject`, `ranpilot intent parse`.

Exit codes (`ranpilot.errors.ExitCode`): 0 done, 1 runtime error, 2 bad input, 3 rejected (the
intent, or the run ended by a rejection: verifier, operator, network, scope), 5 awaiting
approval, 6 the intent needs clarification. `--json` prints the run before exiting."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console

from ranpilot.errors import ExitCode, InputError, reported
from ranpilot.inputs import (
    MAX_FILE_BYTES, check_cells, check_json_depth, check_text, check_thread_id, parse_cells, read_text,
)
from ranpilot.settings import Settings, load_settings

if TYPE_CHECKING:
    from ranpilot.agents.runner import AgentRunner, RunResult
    from ranpilot.agents.state import Outcome
    from ranpilot.network.simulator import Network

# The agent's modules (torch, langgraph, openai, chromadb) and the network's load inside the
# commands, so that `ranpilot --help` and `ranpilot run` through a service start in a fraction of a second.

intent_app = typer.Typer(help="Parse operator intents (nothing touches the network).", no_args_is_help=True)
err = Console(stderr=True)
AreaOption = Annotated[Optional[list[str]], typer.Option("--area", help="Named area: NAME=CELL,CELL,... (repeatable).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print the run as JSON (then exit with its code).")]
FallbackOption = Annotated[bool, typer.Option(help="Fall back to the embedded planner if the LLM is unreachable.")]


def parse_areas(values: list[str] | None) -> dict[str, list[int]]:
    """--area NAME=CELL,CELL,... options as {name: cells}."""
    areas = {}
    for value in values or []:
        name, _, cells = value.partition("=")
        if not name.strip():
            raise InputError(f"--area {value!r}: expected NAME=CELL,CELL")
        areas[name.strip()] = parse_cells(cells, f"--area {name.strip()}")
    return areas


def check_request(text: str) -> str:
    """The intent as given on the command line: valid UTF-8, and plain language of at most the
    parser's MAX_TEXT_CHARS, or a TS 28.312 intent as JSON within the JSON bounds."""
    from ranpilot.intents.parser import MAX_TEXT_CHARS

    if text.lstrip().startswith("{"):
        check_text(text, "the intent", MAX_FILE_BYTES)
        check_json_depth(text, "the intent")
        return text
    return check_text(text, "the intent", MAX_TEXT_CHARS)


def runner(fallback: bool) -> AgentRunner:
    from ranpilot.planning.llm import LlmError, make_planner
    from ranpilot.agents.runner import AgentRunner

    settings = load_settings()
    try:
        return AgentRunner(settings, make_planner(settings, fallback))
    except LlmError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(ExitCode.ERROR) from exc


@contextmanager
def live_agent(fallback: bool, settings: Settings, fresh: Network | None = None,
               make_agent: Callable[[], AgentRunner] | None = None) -> Iterator[tuple[AgentRunner, Network]]:
    """The agent and the live network (or `fresh`, which becomes it), under the live network's lock
    from before the agent reads the change history until the network is saved. Leaving the block
    without an error saves the network and the run's audit entries in one transaction.
    `make_agent` (default: a new runner) is called under the lock: `ranpilot serve` passes its own."""
    from ranpilot import live

    with live.exclusive(settings):
        agent = make_agent() if make_agent is not None else runner(fallback)
        with live.changing(agent.audit, settings, replace=fresh) as network:
            yield agent, network


def outcome_exits() -> dict[Outcome, ExitCode]:
    """The exit code of a finished run, by why it ended: a rejection by the verifier, the operator,
    the network or the operator's scope, and an approval that expired, is REJECTED; otherwise the
    run is done (its report says whether the intent is fulfilled)."""
    from ranpilot.agents.state import Outcome

    rejected = {Outcome.VERIFIER_REJECTED, Outcome.CHANGE_REJECTED, Outcome.OPERATOR_REJECTED, Outcome.REFUSED,
                Outcome.OUT_OF_SCOPE, Outcome.NOT_PARSED, Outcome.EXPIRED}
    return {kind: ExitCode.REJECTED if kind in rejected else ExitCode.OK for kind in Outcome}


def exit_code(result: RunResult) -> ExitCode:
    """5 awaiting approval, 6 a question for the operator, 3 a rejected intent, else by outcome."""
    if result.status == "awaiting_approval":
        return ExitCode.NEEDS_APPROVAL
    parsed = result.parse.status if result.parse is not None else None
    if parsed == "clarify":
        return ExitCode.NEEDS_CLARIFICATION
    if parsed == "rejected":
        return ExitCode.REJECTED
    return outcome_exits()[result.outcome_kind] if result.outcome_kind is not None else ExitCode.OK


def emit(result: RunResult, as_json: bool) -> None:
    """Print the run (JSON or the report), then exit with its code."""
    from ranpilot.agents.report import print_run

    if as_json:
        print(result.model_dump_json(indent=2))
    else:
        print_run(result)
    code = exit_code(result)
    if code:
        raise typer.Exit(code)


def run(
    text: Annotated[Optional[str], typer.Argument(help="The intent, in plain language.")] = None,
    thread: Annotated[Optional[str], typer.Option(help="Thread id: new, or an existing one to show/resume.")] = None,
    config: Annotated[Optional[Path], typer.Option("--config", help="Start a new live network from this NetworkConfig.")] = None,
    seed: Annotated[Optional[int], typer.Option(help="Start a new live network with this seed.")] = None,
    cells: Annotated[Optional[str], typer.Option(help="Operator scope: cells the agent may touch, e.g. 0,1,2.")] = None,
    area: AreaOption = None,
    fallback: FallbackOption = False,
    as_json: JsonOption = False,
) -> None:
    """Carry an intent through to verified, applied actions on the live simulated network. Exit 0 done,
    2 bad input, 3 rejected, 5 awaiting approval, 6 the intent needs clarification (1: an error)."""
    settings = load_settings()
    service = settings.service_url is not None  # a `ranpilot serve` acts on the live network
    with reported():  # every check on the input before anything loads or changes
        if thread is not None:
            check_thread_id(thread)
        if text is None and thread is None:
            raise InputError("give an intent, or --thread ID to show a run")
        request = None if text is None else text if service else check_request(text)  # the service checks it
        scope = parse_cells(cells) if cells is not None else None
        areas = parse_areas(area)
    if service:  # the service builds the new network, if any
        from ranpilot.service.client import run_remote

        raise typer.Exit(run_remote(settings, request, thread, config, seed, scope, areas, as_json))
    from ranpilot import progress
    from ranpilot.network.cli import fresh_network

    with reported():
        fresh = fresh_network(config, seed)
    with agent_errors(), progress.shown(quiet=as_json), progress.task("ranpilot run"):
        if request is None:
            result = runner(fallback).show(thread)
        else:
            result = carry(request, thread, fresh, scope, areas, fallback)
    emit(result, as_json)


def carry(request: str, thread: str | None, fresh: Network | None, scope: list[int] | None,
          areas: dict[str, list[int]], fallback: bool, settings: Settings | None = None,
          make_agent: Callable[[], AgentRunner] | None = None) -> RunResult:
    """Run the request on the live network (or `fresh`) inside the operator's scope and areas,
    every cell of which must be in the network."""
    with live_agent(fallback, settings or load_settings(), fresh, make_agent) as (agent, network):
        for name, listed in [("--cells", scope or []), *((f"--area {n}", c) for n, c in areas.items())]:
            check_cells(listed, network.num_cells, name)
        return agent.run(request, network, thread, scope, areas)


@contextmanager
def agent_errors() -> Iterator[None]:
    """Inside an agent command: an unknown thread, an unreachable LLM, a stale verdict (and what
    `reported` takes) become one line on stderr and their exit code."""
    from ranpilot.agents.runner import RunError
    from ranpilot.planning.llm import LlmError
    from ranpilot.policies import StaleVerdict

    try:
        with reported():
            yield
    except StaleVerdict as exc:
        typer.echo(f"error: {exc}: the live network changed after this proposal was verified; run the intent again",
                   err=True)
        raise typer.Exit(ExitCode.ERROR) from exc
    except (RunError, LlmError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(ExitCode.ERROR) from exc


def answer(verdict: str):
    def command(thread: Annotated[str, typer.Argument(help="Thread waiting for approval.")],
                as_json: JsonOption = False) -> None:
        from ranpilot.policies import StaleVerdict

        with reported():
            check_thread_id(thread)
        with agent_errors(), live_agent(False, load_settings()) as (agent, network):
            try:
                result = agent.resume(thread, verdict, network)
            except StaleVerdict as exc:  # the thread has ended expired: show it as it ended
                err.print(f"{exc}: nothing was applied; run the intent again", highlight=False)
                result = agent.show(thread)
        emit(result, as_json)
    command.__doc__ = (f"Answer a pending approval: {verdict}. Every answered thread ends approved, rejected or "
                       "expired (the network changed since the verdict: nothing applied, exit 3); rejecting an expired "
                       "or rejected thread is accepted. Exits as `ranpilot run` does.")
    return command


@intent_app.command("parse")
def parse(
    text: Annotated[Optional[str], typer.Argument(help="The intent, in plain language or as TS 28.312 JSON.")] = None,
    file: Annotated[Optional[Path], typer.Option(help="One intent per line; prints one JSON line each.")] = None,
    area: AreaOption = None,
    fallback: FallbackOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print compact JSON, one line per intent.")] = False,
) -> None:
    """What a request asks for (goals with their TS 28.312 intent, or configuration changes), a
    clarification request, or a rejection; checked against the default network's cells and slices."""
    if (text is None) == (file is None):
        raise typer.BadParameter("give either TEXT or --file FILE")
    from ranpilot.intents.inventory import Inventory
    from ranpilot.intents.ts28312 import to_intent
    from ranpilot.network import NetworkConfig
    from ranpilot.planning.llm import LlmError, make_planner
    from ranpilot.policies import load_pack

    planner, pack = make_planner(load_settings(), fallback), load_pack()
    with reported():
        inventory = Inventory.of(NetworkConfig(), parse_areas(area))
        lines = [check_request(text)] if text is not None else \
            [ln for ln in read_text(file, "--file").splitlines() if ln.strip()]
    for line in lines:
        try:
            result = planner.parse(line, inventory, pack)
        except LlmError as exc:
            err.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from exc
        intent = to_intent(result) if result.status == "parsed" else None
        row = {**result.model_dump(mode="json"), "intent": intent.model_dump(mode="json") if intent else None}
        print(json.dumps(row, indent=None if (file or as_json) else 2))
