"""`ranpilot demo`: the main job on the embedded default (offline, no API key).

Builds the knowledge store from the shipped notes on first run, then carries two operator
intents through the agent on a simulated 21-cell network at 23:00: parse, cite clauses, plan
with the tools, verify on the digital twin, apply, observe, report.
"""

from __future__ import annotations

import uuid

from rich.console import Console
from rich.rule import Rule

from ranpilot.planning.embedded import EmbeddedPlanner
from ranpilot.agents.report import print_run
from ranpilot.agents.runner import AgentRunner
from ranpilot.network import Network, NetworkConfig
from ranpilot.settings import load_settings

INTENTS = (
    "URLLC latency must stay under 10 ms",
    "cut energy consumption by 15% at night while keeping coverage",
)


def demo() -> None:
    console = Console()
    settings = load_settings()
    runner = AgentRunner(settings, EmbeddedPlanner())
    network = Network(NetworkConfig(start_time_h=23.0), seed=settings.seed)
    run_id = uuid.uuid4().hex[:6]
    for index, text in enumerate(INTENTS, start=1):
        console.print(Rule(f"Intent {index}: {text}"))
        print_run(runner.run(text, network, thread_id=f"demo-{run_id}-{index}"), console)
