"""What a scenario run hands back (`ScenarioResult`), and the agent's gains against a baseline:
absolute differences in the KPI's unit, and relative ones only where the baseline is not 0 (a
baseline of 0 has no percent change: 0 -> 1.587 % is +1.587 points, never "+0.0%")."""

from __future__ import annotations

from pydantic import BaseModel

from ranpilot.agents.runner import RunResult
from ranpilot.scenarios.beams import BeamTrackingResult
from ranpilot.targets import RADIO_TARGETS, spec


class Check(BaseModel):
    expectation: str
    passed: bool
    observed: str


class IntentRecord(BaseModel):
    """One scripted intent: when it arrived and when its run ended, its run, its priority (None when it did not parse) and
    its goals re-measured on the agent's network at the scenario's end."""

    id: str
    at_step: int
    started_s: float  # the agent's clock when the intent arrived
    time_s: float  # ... and when its run ended (verify, apply and confirm advance the clock)
    result: RunResult
    priority: int | None = None
    end_status: str | None = None  # FULFILLED / NOT_FULFILLED at the end; None without an intent


class EventRecord(BaseModel):
    at_step: int
    time_s: float
    label: str


class Gain(BaseModel):
    """The agent's value of a KPI at the end against a baseline's."""

    agent: float
    baseline: float
    absolute: float  # agent - baseline, in the KPI's unit
    relative_pct: float | None  # percent of the baseline; None when the baseline is 0 and the agent's is not


class ScenarioResult(BaseModel):
    name: str
    passed: bool
    checks: list[Check]
    intents: list[IntentRecord]
    events: list[EventRecord] = []
    series: dict[str, list[dict[str, float]]]  # 'agent' / 'static' / 'optimizer': KPIs per step
    configuration: dict[str, list[dict[str, float]]] = {}  # the same networks' settings per step
    times_s: list[float]
    gains: dict[str, Gain]  # agent vs static at the end
    gains_vs_optimizer: dict[str, Gain]  # agent vs optimizer-only at the end
    beam_tracking: BeamTrackingResult | None = None


def gain(agent: float, baseline: float) -> Gain:
    relative = 100.0 * (agent - baseline) / abs(baseline) if baseline else (0.0 if agent == baseline else None)
    return Gain(agent=agent, baseline=baseline, absolute=agent - baseline, relative_pct=relative)


def gains(series: dict[str, list[dict[str, float]]], baseline: str, index: int = -1) -> dict[str, Gain]:
    """Every network KPI of the agent against `baseline`'s, at step `index` (the end by default)."""
    return {k: gain(series["agent"][index][k], series[baseline][index][k]) for k in RADIO_TARGETS}


def worse_by(kpi: str, g: Gain) -> float:
    """How much worse the agent is than the baseline, in the KPI's unit (<= 0: not worse)."""
    return -g.absolute if spec(kpi).higher_is_better else g.absolute


def unit_of_difference(kpi: str) -> str:
    """A difference of percentages is in percentage points."""
    unit = spec(kpi).unit
    return "pp" if unit == "%" else unit


def describe(kpi: str, g: Gain) -> str:
    """`+1.587 pp (baseline 0)`, `-0.0861 Mbit/s (-0.3%)`: the sign is the agent's minus the baseline's."""
    relative = f"{g.relative_pct:+.1f}%" if g.relative_pct is not None else "baseline 0"
    return f"{g.absolute:+.4g} {unit_of_difference(kpi)} ({relative})"
