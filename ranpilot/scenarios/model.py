"""Scenario files: a network, a timeline of events and intents, and expectations that state what
an operator would call success. The shipped ones are the repository's `scenarios/` folder, which the
package reaches through its `shipped` link (`SHIPPED_DIR`; package data in a wheel), so they are
found from any working directory. A scenario is checked whole before it runs: events, intents and
expectations outside the timeline, unknown or duplicate intent ids, and an intent whose own outcome
no expectation states are errors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ranpilot.network import NetworkConfig
from ranpilot.targets import RADIO_TARGETS, Condition, Target
from ranpilot.scenarios.beams import BeamTracking

SHIPPED_DIR = Path(__file__).resolve().parent / "shipped"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class CellFailure(_Model):
    type: Literal["cell_failure"]
    cell: int = Field(ge=0)


class TrafficSurge(_Model):
    type: Literal["traffic_surge"]
    x_m: float
    y_m: float
    radius_m: float = Field(gt=0)
    ue_fraction: float = Field(gt=0, le=1)


Event = Annotated[Union[CellFailure, TrafficSurge], Field(discriminator="type")]


class EventAt(_Model):
    at: int = Field(ge=0, description="Step at which the event happens.")
    event: Event


class IntentAt(_Model):
    at: int = Field(ge=0)
    id: str
    text: str = Field(description="Plain language, or a TS 28.312 intent as a JSON object.")
    approval: Literal["priority", "approve", "reject"] = Field(
        default="priority", description="How a pending approval is answered: by intent priority, or always.")


class KpiExpectation(_Model):
    kind: Literal["kpi"]
    kpi: str
    condition: Condition
    value: float
    at: int | Literal["end"] = Field(default="end", description="Step index (0-based), or the end.")
    versus: Literal["absolute", "static_abs", "static_pct"] = Field(
        default="absolute", description="The value; its difference from the static baseline's (in the KPI's unit); "
                                        "or that difference in percent of the baseline's (a baseline of 0 fails).")


class VerdictExpectation(_Model):
    kind: Literal["verdict"]
    intent: str
    status: Literal["approved", "rejected", "needs_approval", "none"]
    rule: str | None = Field(default=None, description="A rule id some violation must name.")


class OutcomeExpectation(_Model):
    kind: Literal["outcome"]
    intent: str
    parse: Literal["parsed", "clarify", "rejected"] | None = None
    report: Literal["FULFILLED", "NOT_FULFILLED"] | None = Field(
        default=None, description="The IntentReport when the intent's run ended.")
    end: Literal["FULFILLED", "NOT_FULFILLED"] | None = Field(
        default=None, description="The intent's goals re-measured on the agent's network at the scenario's end "
                                  "(after later intents acted).")
    applied: bool | None = None


class NoRegressionExpectation(_Model):
    """No KPI ends worse than the static baseline's beyond the stated tolerance: worse by at most
    `tolerance_pct` percent of the baseline's value, or by `allow[kpi]` in the KPI's unit (for a
    KPI whose baseline may be 0, or a trade-off the scenario accepts openly)."""

    kind: Literal["no_regression"]
    tolerance_pct: float = Field(ge=0, le=100)
    allow: dict[Target, Annotated[float, Field(ge=0)]] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _radio_targets_only(self) -> NoRegressionExpectation:
        unknown = [k.value for k in self.allow if k not in RADIO_TARGETS]
        if unknown:
            raise ValueError(f"allow: {unknown} are not network KPIs; they are {[t.value for t in RADIO_TARGETS]}")
        return self


class BeamExpectation(_Model):
    kind: Literal["beams"]
    min_gain_db: float = Field(description="Predicted-CSI SINR over stale-CSI SINR, dB, at least this.")


Expectation = Annotated[Union[KpiExpectation, VerdictExpectation, OutcomeExpectation, NoRegressionExpectation,
                              BeamExpectation], Field(discriminator="kind")]


class Scenario(_Model):
    name: str
    description: str
    network: NetworkConfig = NetworkConfig()
    seed: int = 0
    steps: int = Field(default=30, ge=1, le=10_000)
    areas: dict[str, list[int]] = Field(default_factory=dict)
    scope_cells: list[int] | None = None
    events: list[EventAt] = Field(default_factory=list)
    intents: list[IntentAt] = Field(default_factory=list)
    beam_tracking: BeamTracking | None = Field(default=None, description="Link-level beam tracking of fast UEs.")
    expect: list[Expectation] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        problems = timeline_problems(self) + intent_problems(self)
        if problems:
            raise ValueError("; ".join(problems))
        return self


def timeline_problems(s: Scenario) -> list[str]:
    """Events, intents and step-bound expectations outside steps 0..steps-1 would never happen; a
    failing cell must be one of the network's."""
    where = f"outside the timeline (steps 0-{s.steps - 1})"
    out = [f"events.{i}.at: step {e.at} is {where}" for i, e in enumerate(s.events) if e.at >= s.steps]
    out += [f"intents.{i}.at: step {e.at} is {where}" for i, e in enumerate(s.intents) if e.at >= s.steps]
    out += [f"expect.{i}.at: step {e.at} is {where}" for i, e in enumerate(s.expect)
            if isinstance(e, KpiExpectation) and e.at != "end" and e.at >= s.steps]
    cells = s.network.num_cells
    out += [f"events.{i}.event.cell: cell {e.event.cell} is not in the network (cells 0-{cells - 1})"
            for i, e in enumerate(s.events) if isinstance(e.event, CellFailure) and e.event.cell >= cells]
    return out


def intent_problems(s: Scenario) -> list[str]:
    """Intent ids unique and known to the expectations naming them; every intent's own outcome
    stated, and with intents, a no-regression expectation against the static baseline."""
    ids = [i.id for i in s.intents]
    out = [f"intents: id {i!r} is used twice" for i in sorted({i for i in ids if ids.count(i) > 1})]
    out += [f"expect.{n}.intent: no intent {e.intent!r} (intents: {ids})" for n, e in enumerate(s.expect)
            if isinstance(e, (VerdictExpectation, OutcomeExpectation)) and e.intent not in ids]
    stated = {e.intent for e in s.expect if isinstance(e, OutcomeExpectation) and (e.parse or e.report or e.end)}
    out += [f"expect: no outcome expectation (parse, report or end) states intent {i!r}'s own outcome"
            for i in ids if i not in stated]
    if ids and not any(isinstance(e, NoRegressionExpectation) for e in s.expect):
        out.append("expect: a scenario with intents needs a no_regression expectation against the static baseline")
    return out


class ScenarioError(ValueError):
    """A scenario file that cannot be read or does not validate; the message names the field."""


def load_scenario(path: str | Path) -> Scenario:
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ScenarioError(f"{path}: cannot read scenario: {exc}") from exc
    try:
        return Scenario.model_validate(data)
    except ValidationError as exc:
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" if e["loc"] else
                           e["msg"].removeprefix("Value error, ") for e in exc.errors())
        raise ScenarioError(f"{path}: invalid scenario: {fields}") from exc


def shipped_scenarios() -> list[Path]:
    """The scenario files shipped with the package."""
    return sorted(SHIPPED_DIR.glob("*.yaml"))


def find_scenario(name: str | Path) -> Path:
    """A scenario file: the path as given when it exists, else the shipped scenario of that name
    (`night_energy_saving`, with or without `.yaml`); ScenarioError naming the shipped ones."""
    path = Path(name)
    if path.exists():
        return path
    shipped = SHIPPED_DIR / f"{path.stem}.yaml"
    if path.parent == Path(".") and shipped.exists():
        return shipped
    names = ", ".join(p.stem for p in shipped_scenarios())
    raise ScenarioError(f"{name}: no such file, nor a shipped scenario ({names})")
