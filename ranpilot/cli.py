"""The `ranpilot` command line: one root app, one sub-app per room of the package.

Heavy libraries (torch, cvxpy, chromadb, langgraph, openai, matplotlib, ray) are imported inside
the commands that use them, so `ranpilot --help` and light commands start quickly."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from ranpilot.agents import cli as agent_cli  # noqa: E402
from ranpilot.knowledge.cli import app as kb_app  # noqa: E402
from ranpilot.network.cli import app as net_app  # noqa: E402
from ranpilot.oran.cli import app as xapp_app  # noqa: E402
from ranpilot.policies.cli import app as policy_app  # noqa: E402
from ranpilot.policies.cli import verify  # noqa: E402
from ranpilot.scenarios.cli import app as scenario_app  # noqa: E402
from ranpilot.service.cli import serve  # noqa: E402
from ranpilot.tools.cli import app as tool_app  # noqa: E402

app = typer.Typer(help="ranpilot: operator intents in, verified RAN actions out.", no_args_is_help=True)


def print_version(value: bool) -> None:
    """`--version`: the installed package's version, then exit."""
    if value:
        from importlib.metadata import version

        typer.echo(f"ranpilot {version('ranpilot')}")
        raise typer.Exit()


@app.callback()
def main(version: Annotated[bool, typer.Option("--version", callback=print_version, is_eager=True,
                                               help="Print ranpilot's version and exit.")] = False) -> None:
    """ranpilot: operator intents in, verified RAN actions out."""


app.add_typer(net_app, name="net")
app.add_typer(kb_app, name="kb")
app.add_typer(policy_app, name="policy")
app.add_typer(tool_app, name="tool")
app.add_typer(scenario_app, name="scenario")
app.add_typer(xapp_app, name="xapp")
app.command("verify")(verify)
app.add_typer(agent_cli.intent_app, name="intent")
app.command("run")(agent_cli.run)
app.command("approve")(agent_cli.answer("approved"))
app.command("reject")(agent_cli.answer("rejected"))
app.command("serve")(serve)


@app.command("demo")
def demo() -> None:
    """The main job on the embedded default: offline, no API key."""
    from ranpilot.demo import demo as run_demo

    run_demo()


if __name__ == "__main__":
    app()
