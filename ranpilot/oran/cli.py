"""`ranpilot xapp run` and `ranpilot xapp a1 serve`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError
from rich.console import Console

from ranpilot.network.cli import ConfigOption, build_network
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import A1PolicyRequest
from ranpilot.settings import load_settings

app = typer.Typer(help="O-RAN: the agent as an xApp (E2 KPM/RC, A1 policies).", no_args_is_help=True)
a1_app = typer.Typer(help="The A1-P v2 policy service.", no_args_is_help=True)
app.add_typer(a1_app, name="a1")
console = Console()


@app.command("run")
def run(
    agent: Annotated[str, typer.Option(help="The xApp to host.")] = "ranpilot",
    sim: Annotated[str, typer.Option(help="The simulated RAN behind the E2 node.")] = "default",
    policies: Annotated[Optional[Path], typer.Option(help="JSON list of A1 policy requests to deliver.")] = None,
    steps: Annotated[int, typer.Option(min=0, help="Steps to run after delivering the policies.")] = 10,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Host the ranpilot agent as an xApp against the simulated E2 node; deliver A1 policies."""
    if agent != "ranpilot" or sim != "default":
        raise typer.BadParameter("this build hosts --agent ranpilot against --sim default")
    stack = ranpilot_stack(build_network(config, seed), load_settings())
    try:
        requests = [A1PolicyRequest.model_validate(r) for r in json.loads(policies.read_text())] if policies else []
    except (OSError, json.JSONDecodeError, ValidationError) as exc:
        raise typer.BadParameter(f"{policies}: {exc}", param_hint="--policies") from exc
    stack.runtime.step(1)
    for request in requests:
        reply = stack.runtime.a1(request)
        status = stack.xapp.status(request.policy_instance_id)
        console.print(f"A1 {request.operation} {request.policy_instance_id}: {reply.status}; "
                      f"{status['enforceStatus']} ({status['enforceReason']})", highlight=False)
    stack.runtime.step(steps)
    console.print(f"{stack.runtime.messages} messages exchanged; t = {stack.runtime.node.network.time_s:g} s")


@a1_app.command("serve")
def serve(
    host: Annotated[str, typer.Option()] = "127.0.0.1",
    port: Annotated[int, typer.Option()] = 8000,
    config: ConfigOption = None,
    seed: Annotated[Optional[int], typer.Option()] = None,
) -> None:
    """Serve A1-P v2 under /A1-P/v2, enforcing policies with the ranpilot xApp."""
    import uvicorn

    stack = ranpilot_stack(build_network(config, seed), load_settings())
    uvicorn.run(stack.app, host=host, port=port, log_level="info")
