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

from ranpilot.lazy_cli import FastPathTyper, LazyCommand, LazyGroup  # noqa: E402

#: Every subcommand: the module holding it and the attribute there (a sub-app or a command
#: function; called with `args` when it makes one), and the start of its help, which `--help`
#: lists. The module loads when the command is used.
SUBCOMMANDS = {
    "verify": LazyCommand("ranpilot.policies.cli", "verify", summary="Run the verifier on the live network (with its "
                          "change history) and print the verdict; nothing is applied."),
    "run": LazyCommand("ranpilot.agents.cli", "run", summary="Carry an intent through to verified, applied actions "
                       "on the live simulated network."),
    "assure": LazyCommand("ranpilot.agents.assure_cli", "assure", summary="Keep intents in force on the live network"),
    "approve": LazyCommand("ranpilot.agents.cli", "answer", ("approved",),
                           summary="Answer a pending approval: approved."),
    "reject": LazyCommand("ranpilot.agents.cli", "answer", ("rejected",),
                          summary="Answer a pending approval: rejected."),
    "serve": LazyCommand("ranpilot.service.cli", "serve", summary="Serve the TS 28.312 intent interface, runs, "
                         "approvals, verification and network views on the live network"),
    "net": LazyCommand("ranpilot.network.cli", "app", summary="The simulated network: state and KPIs."),
    "kb": LazyCommand("ranpilot.knowledge.cli", "app", summary="3GPP knowledge: ingest specifications, search them."),
    "policy": LazyCommand("ranpilot.policies.cli", "app", summary="Policy packs: validate and explain rules."),
    "tool": LazyCommand("ranpilot.tools.cli", "app", summary="Wireless model tools and optimizers."),
    "scenario": LazyCommand("ranpilot.scenarios.cli", "app",
                            summary="Scripted agent scenarios with expected outcomes."),
    "xapp": LazyCommand("ranpilot.oran.cli", "app", summary="O-RAN: the agent as an xApp (E2 KPM/RC, A1 policies)."),
    "intent": LazyCommand("ranpilot.agents.cli", "intent_app", summary="Parse operator intents (nothing touches the "
                          "network)."),
}

app = FastPathTyper(help="ranpilot: operator intents in, verified RAN actions out.", no_args_is_help=True,
                    cls=LazyGroup.of(SUBCOMMANDS), fast_paths=("ranpilot.service.remote_run:run_through_service",))


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
