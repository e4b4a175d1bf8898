"""The `ranpilot` command line: one root app, one sub-app per room of the package.

Each sub-app's module is imported only when its command runs (or help lists it), and heavy
libraries (torch, cvxpy, chromadb, langgraph, openai, matplotlib, ray) only inside the commands
that use them: `ranpilot run` through a service (RANPILOT_SERVICE_URL) imports none of them."""

from __future__ import annotations

import os

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")

from typing import Annotated  # noqa: E402

import typer  # noqa: E402

from ranpilot.lazy_cli import LazyCommand, LazyGroup  # noqa: E402

#: Every subcommand: the module holding it and the attribute there (a sub-app or a command
#: function; called with `args` when it makes one). The module loads when the command is used.
SUBCOMMANDS = {
    "verify": LazyCommand("ranpilot.policies.cli", "verify"),
    "run": LazyCommand("ranpilot.agents.cli", "run"),
    "assure": LazyCommand("ranpilot.agents.assure_cli", "assure"),
    "approve": LazyCommand("ranpilot.agents.cli", "answer", ("approved",)),
    "reject": LazyCommand("ranpilot.agents.cli", "answer", ("rejected",)),
    "serve": LazyCommand("ranpilot.service.cli", "serve"),
    "net": LazyCommand("ranpilot.network.cli", "app"),
    "kb": LazyCommand("ranpilot.knowledge.cli", "app"),
    "policy": LazyCommand("ranpilot.policies.cli", "app"),
    "tool": LazyCommand("ranpilot.tools.cli", "app"),
    "scenario": LazyCommand("ranpilot.scenarios.cli", "app"),
    "xapp": LazyCommand("ranpilot.oran.cli", "app"),
    "intent": LazyCommand("ranpilot.agents.cli", "intent_app"),
}

app = typer.Typer(help="ranpilot: operator intents in, verified RAN actions out.", no_args_is_help=True,
                  cls=LazyGroup.of(SUBCOMMANDS))


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


@app.command("demo")
def demo() -> None:
    """The main job on the embedded default: offline, no API key."""
    from ranpilot.demo import demo as run_demo

    run_demo()


if __name__ == "__main__":
    app()
