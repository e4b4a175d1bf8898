"""Intent lifecycle and assurance: standing intents, activated and deactivated on the network's
clock, re-checked every observation period, re-planned when they slip, and planned jointly.

An intent with a time window ("cut power at night, 23:00-06:00") is *active* only while the
network's clock is inside its window; one without is always active. When an intent becomes
active its goals' baselines are fixed, so a relative goal ("10% below today") keeps meaning what
it meant then. Every check, each active intent is measured on the network; one that holds is left
alone; one that slipped is re-planned by the agent (verifier, confirm and rollback as for any run)
with the targets of every *other* active intent among its checks as guards: the search scores
them and the verifier refuses a change that moves one away from its goal, so an energy intent
cannot break an active throughput intent. Changes stay when an intent deactivates.
"""

from __future__ import annotations

from typing import Literal, Protocol

from pydantic import BaseModel

from ranpilot.intents import fulfilment as ff
from ranpilot.intents.model import Intent, IntentReport
from ranpilot.intents.ts28312 import understanding_of
from ranpilot.network.view import NetworkView
from ranpilot.policies import TargetCheck

EventKind = Literal["activated", "deactivated", "held", "slipped", "replanned"]


class StandingIntent(BaseModel):
    """An intent the operator keeps in force, with its lifecycle state."""

    intent: Intent
    window: tuple[str, str] | None = None
    """Daily 'HH:MM'-'HH:MM' window (may wrap midnight) in which it is active; None: always."""
    active: bool = False
    baselines: dict[str, float | None] = {}
    """Its goals' values when it last became active (what its relative goals refer to)."""
    thread: str | None = None
    """The agent thread of its last re-plan."""

    @classmethod
    def of(cls, intent: Intent) -> StandingIntent:
        return cls(intent=intent, window=understanding_of(intent).window)

    def in_window(self, hour: float) -> bool:
        return self.window is None or ff.within(hour, self.window)


class AssuranceEvent(BaseModel):
    """One thing that happened to one standing intent at one check."""

    time_s: float
    clock_h: float
    intent_id: str
    kind: EventKind
    detail: str = ""
    thread: str | None = None

    def line(self) -> str:
        clock = f"{int(self.clock_h):02d}:{int(round(self.clock_h % 1 * 60)) % 60:02d}"
        return f"t={self.time_s:6.0f} s {clock}  {self.intent_id}: {self.kind}" + (f" ({self.detail})" if self.detail else "")


class Replanner(Protocol):
    """What assurance needs of the agent (`AgentRunner.run`)."""

    def run(self, request: Intent, network: NetworkView, thread_id: str | None = ..., scope_cells: list[int] | None = ...,
            areas: dict[str, list[int]] | None = ..., owner: str | None = ...,
            active_checks: list[TargetCheck] | None = ..., baselines: dict[str, float | None] | None = ...): ...


def guards_for(standing: list[StandingIntent], me: StandingIntent) -> list[TargetCheck]:
    """The targets of every other active intent as ENSURE checks: a change planned for `me` may
    not move any of them further from its goal."""
    return [check.model_copy(update={"ensure": True}) for other in standing if other.active and other is not me
            for check in ff.target_checks(other.intent, other.baselines)]


def update_lifecycle(standing: list[StandingIntent], network: NetworkView) -> list[AssuranceEvent]:
    """Activate the intents whose window the clock has entered (fixing their baselines) and
    deactivate those whose window it has left."""
    events = []
    for s in standing:
        now = s.in_window(network.time_of_day_h)
        if now == s.active:
            continue
        s.active = now
        if now:
            s.baselines = ff.baselines(s.intent, network)
        window = f"window {s.window[0]}-{s.window[1]}" if s.window else "no time window"
        events.append(_event(network, s, "activated" if now else "deactivated", window))
    return events


def check(standing: list[StandingIntent], network: NetworkView, agent: Replanner,
          scope_cells: list[int] | None = None, areas: dict[str, list[int]] | None = None) -> list[AssuranceEvent]:
    """One observation period's check: the lifecycle on the clock, then every active intent
    measured, and each that slipped re-planned jointly with the others."""
    events = update_lifecycle(standing, network)
    for s in standing:
        if not s.active:
            continue
        slipped = ff.unmet(s.intent, network, s.baselines)
        if not slipped:
            events.append(_event(network, s, "held"))
            continue
        events.append(_event(network, s, "slipped", "; ".join(
            f"{g.describe()}: {_num(ff.measure(network, g))}" for _, g in slipped)))
        result = agent.run(s.intent, network, scope_cells=scope_cells, areas=areas, owner=f"intent:{s.intent.id}",
                           active_checks=guards_for(standing, s), baselines=s.baselines)
        s.thread = result.thread_id
        events.append(_event(network, s, "replanned", result.outcome, result.thread_id))
    return events


def reports(standing: list[StandingIntent], network: NetworkView) -> dict[str, IntentReport]:
    """Each standing intent's IntentReport on the network now (an inactive one: ACKNOWLEDGED)."""
    return {s.intent.id: ff.report(s.intent, network, {**ff.baselines(s.intent, network), **s.baselines},
                                   state_name=None if s.active else "ACKNOWLEDGED") for s in standing}


def _event(network: NetworkView, s: StandingIntent, kind: EventKind, detail: str = "",
           thread: str | None = None) -> AssuranceEvent:
    return AssuranceEvent(time_s=network.time_s, clock_h=network.time_of_day_h, intent_id=s.intent.id, kind=kind,
                          detail=detail, thread=thread)


def _num(value: float | None) -> str:
    return "no value" if value is None else f"{value:.4g}"
