"""`ranpilot assure`: keep several intents in force on the live network over observation periods
(`ranpilot.agents.assurance`): each activates and deactivates on the network's clock by its time
window, is re-checked every period, and is re-planned when it slips, jointly with the others."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from ranpilot.agents.cli import (
    AreaOption, FallbackOption, agent_errors, check_request, live_agent, parse_areas, runner,
)
from ranpilot.errors import ExitCode, reported
from ranpilot.inputs import check_cells, parse_cells
from ranpilot.settings import load_settings

if TYPE_CHECKING:
    from ranpilot.agents.assurance import StandingIntent
    from ranpilot.agents.runner import AgentRunner
    from ranpilot.network.simulator import Network

MAX_PERIODS = 1000


def assure(
    intents: Annotated[list[str], typer.Argument(help="The intents: plain language or TS 28.312 JSON, each one argument.")],
    periods: Annotated[int, typer.Option(min=1, max=MAX_PERIODS, help="Observation periods to keep them in force.")] = 6,
    period_steps: Annotated[int, typer.Option(min=1, max=100_000, help="Network steps per observation period.")] = 300,
    cells: Annotated[Optional[str], typer.Option(help="Operator scope: cells the agent may touch, e.g. 0,1,2.")] = None,
    area: AreaOption = None,
    fallback: FallbackOption = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print the events and reports as JSON.")] = False,
) -> None:
    """Keep intents in force on the live network: check every one now and after each of PERIODS
    observation periods; an intent with a time window is active only inside it; an active intent
    that slipped is re-planned (verified, applied, confirmed) with the other active intents'
    targets as guards. Exit 0; 2 bad input; 3 an intent is rejected; 6 one needs clarification."""
    settings = load_settings()
    with reported():
        texts = [check_request(t) for t in intents]
        scope, areas = (parse_cells(cells) if cells is not None else None), parse_areas(area)
    agent = None
    standing: list[StandingIntent] = []
    events = []
    with agent_errors():
        for period in range(periods + 1):
            with live_agent(fallback, settings, make_agent=lambda: fresh_history(agent, fallback)) as (agent, network):
                if period == 0:
                    for name, listed in [("--cells", scope or []), *((f"--area {n}", c) for n, c in areas.items())]:
                        check_cells(listed, network.num_cells, name)
                    standing = understood(texts, agent, network, areas)
                else:
                    network.step(period_steps)
                events += check_period(standing, network, agent, scope, areas, as_json)
                final = network
    print_reports(standing, final, events, as_json)


def fresh_history(agent: AgentRunner | None, fallback: bool) -> AgentRunner:
    """The agent (made once) with the change history as the audit log has it now, under the lock."""
    from ranpilot.policies import Verifier

    if agent is None:
        return runner(fallback)
    agent.verifier = Verifier(agent.verifier.pack, agent.audit)
    return agent


def understood(texts: list[str], agent: AgentRunner, network: Network, areas: dict) -> list[StandingIntent]:
    """Each request as a standing intent; a question or a refusal ends the command (exit 6 or 3)
    before anything changes."""
    from ranpilot.agents.assurance import StandingIntent
    from ranpilot.intents.inventory import Inventory, checked
    from ranpilot.intents.ts28312 import read_request, to_intent, understanding_of

    inventory, out = Inventory.of(network.config, areas), []
    for text in texts:
        given = read_request(text)
        parse = checked(understanding_of(given), inventory) if not isinstance(given, str) else \
            agent.planner.parse(given, inventory, agent.verifier.pack)
        if parse.status != "parsed":
            typer.echo(f"{parse.status} ({parse.reason}): {parse.message}", err=True)
            raise typer.Exit(ExitCode.NEEDS_CLARIFICATION if parse.status == "clarify" else ExitCode.REJECTED)
        out.append(StandingIntent.of(given if not isinstance(given, str) else to_intent(parse)))
    return out


def check_period(standing, network, agent, scope, areas, as_json: bool) -> list:
    """One period's check of every standing intent, its events printed as they happen."""
    from ranpilot.agents.assurance import check

    events = check(standing, network, agent, scope, areas)
    if not as_json:
        for event in events:
            typer.echo(event.line())
    return events


def print_reports(standing: list[StandingIntent], network: Network, events: list, as_json: bool) -> None:
    """Each intent's lifecycle state and its targets on the network now."""
    from ranpilot.agents.assurance import reports
    from ranpilot.targets import spec

    found = reports(standing, network)
    if as_json:
        print(json.dumps({"events": [e.model_dump(mode="json") for e in events],
                          "intents": [{**s.model_dump(mode="json", include={"window", "active", "baselines", "thread"}),
                                       "id": s.intent.id, "report": found[s.intent.id].model_dump(mode="json")}
                                      for s in standing]}, indent=2))
        return
    table = Table(title=f"Standing intents at {network.time_of_day_h:05.2f} h")
    for column in ("intent", "window", "state", "target", "achieved", "unit", "status"):
        table.add_column(column)
    for s in standing:
        for exp_id, t in found[s.intent.id].targets():
            table.add_row(s.intent.id, "-" if s.window is None else "-".join(s.window), "active" if s.active else "inactive",
                          f"{exp_id} {t.targetName}", "-" if t.targetAchievedValue is None else f"{t.targetAchievedValue:.4g}",
                          spec(t.targetName).unit, t.targetFulfilmentInfo.fulfilmentStatus.value)
    Console().print(table)
