"""Scenario files (`scenarios/*.yaml`): a network, a timeline of events and intents, expectations."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal, Union

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ranpilot.network import NetworkConfig
from ranpilot.targets import Condition
from ranpilot.scenarios.beams import BeamTracking


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
    at: int | Literal["end"] = "end"
    versus: Literal["absolute", "static_pct"] = Field(
        default="absolute", description="absolute value, or percent change against the static baseline.")


class VerdictExpectation(_Model):
    kind: Literal["verdict"]
    intent: str
    status: Literal["approved", "rejected", "needs_approval", "none"]
    rule: str | None = Field(default=None, description="A rule id some violation must name.")


class OutcomeExpectation(_Model):
    kind: Literal["outcome"]
    intent: str
    parse: Literal["parsed", "clarify", "rejected"] | None = None
    report: Literal["FULFILLED", "NOT_FULFILLED"] | None = None
    applied: bool | None = None


class BeamExpectation(_Model):
    kind: Literal["beams"]
    min_gain_db: float = Field(description="Predicted-CSI SINR over stale-CSI SINR, dB, at least this.")


Expectation = Annotated[Union[KpiExpectation, VerdictExpectation, OutcomeExpectation, BeamExpectation],
                        Field(discriminator="kind")]


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
        fields = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScenarioError(f"{path}: invalid scenario: {fields}") from exc
