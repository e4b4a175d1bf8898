"""`ranpilot tool ...`: list the tools and run one on JSON input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Optional

import typer
from pydantic import ValidationError

from ranpilot.errors import InputError, reported
from ranpilot.inputs import read_json, summary

app = typer.Typer(help="Wireless model tools and optimizers.", no_args_is_help=True)


@app.command("list")
def list_tools(as_json: Annotated[bool, typer.Option("--json", help="Include input JSON schemas.")] = False) -> None:
    """Tool names and what they do."""
    from ranpilot.tools.registry import TOOLS  # torch and cvxpy: loaded when a tool command runs

    if as_json:
        print(json.dumps([{"name": t.name, "description": t.description, "input_schema": t.input_model.model_json_schema()}
                          for t in TOOLS], indent=2))
        return
    for tool in TOOLS:
        print(f"{tool.name:22s} {tool.description}")


@app.command("run")
def run(
    name: Annotated[str, typer.Argument(help="Tool name.")],
    input_path: Annotated[Optional[Path], typer.Option("--input", help="JSON input file (default: stdin).")] = None,
) -> None:
    """Run a tool on JSON input and print its JSON output."""
    from ranpilot.tools.registry import get_tool

    try:
        tool = get_tool(name)
    except KeyError as exc:
        raise typer.BadParameter(str(exc.args[0]), param_hint="NAME") from exc
    with reported():
        arguments = read_json(input_path, "--input")
        try:
            result = tool.call(arguments)
        except ValidationError as exc:
            raise InputError(f"--input: {summary(exc)}") from exc
    print(result.model_dump_json(indent=2))
    if result.status not in ("optimal", "ok"):
        raise typer.Exit(3)
