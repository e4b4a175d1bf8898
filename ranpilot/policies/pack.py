"""Policy packs: declared rules the verifier enforces, loaded from YAML and validated by pydantic.

The rules themselves are in `ranpilot.policies.rules` (re-exported here). Errors in a pack,
including non-finite or implausible numbers, name the YAML line.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, Field, ValidationError, model_validator

from ranpilot.policies.rules import (  # noqa: F401 (re-exported: the pack's vocabulary)
    PACK_MODEL, BaseRule, BsClass, ChangeRate, Conflict, CoverageKept, EmfSiteCap, KpiLimit, MaintenanceWindow,
    MaxAsleepNeighbours, MaxStep, Mode, Parameter, ProtectedCells, Rule, Severity, SliceMinQuota, SliceQuotaSum,
    SliceSla, TxPowerLimit, UePowerLimit,
)

PACKS_DIR = Path(__file__).with_name("packs")


class ConfirmTolerance(BaseModel):
    """After apply: roll back when the change's live effect on the KPI (paired with a twin without
    it) falls short of the dry run's predicted effect by more than `max_worse` plus the noise
    allowance (`ranpilot.policies.confirm`)."""

    model_config = PACK_MODEL

    kpi: str
    higher_is_better: bool
    max_worse: float = Field(ge=0)


class PolicyPack(BaseModel):
    """A named set of rules with the verifier's dry-run, drift-budget and confirm settings.
    `drift_window_s`: how long a guarded KPI's reference value holds for the `max_drift` budgets
    of its `kpi_limit` rules (network time) before a new window takes a new reference."""

    model_config = PACK_MODEL

    name: str
    version: str
    description: str = ""
    default_bs_class: BsClass = BsClass.WIDE_AREA
    cell_classes: dict[int, BsClass] = Field(default_factory=dict)
    dry_run_steps: int = Field(default=10, ge=1, le=1000)
    confirm_steps: int = Field(default=5, ge=1, le=1000)
    drift_window_s: float = Field(default=3600.0, gt=0)
    confirm: list[ConfirmTolerance] = Field(default_factory=list)
    rules: list[Rule] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> PolicyPack:
        ids = [r.id for r in self.rules]
        duplicates = sorted({i for i in ids if ids.count(i) > 1})
        if duplicates:
            raise ValueError(f"duplicate rule ids: {duplicates}")
        limits: dict[BsClass, float] = {}
        for rule in self.rules:
            if isinstance(rule, TxPowerLimit):
                if rule.bs_class in limits and limits[rule.bs_class] != rule.max_dbm:
                    raise ValueError(f"contradictory tx_power_limit rules for {rule.bs_class.value}: "
                                     f"{limits[rule.bs_class]} dBm and {rule.max_dbm} dBm")
                limits[rule.bs_class] = rule.max_dbm
        return self

    def rule(self, rule_id: str) -> Rule:
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(f"no rule {rule_id!r} in pack {self.name}; rules: {[r.id for r in self.rules]}")

    def bs_class(self, cell: int) -> BsClass:
        return self.cell_classes.get(cell, self.default_bs_class)

    def tx_power_limit(self, bs_class: BsClass | None = None) -> TxPowerLimit | None:
        """The transmit-power rule of a base-station class (default: the pack's default class)."""
        bs_class = bs_class or self.default_bs_class
        return next((r for r in self.rules if isinstance(r, TxPowerLimit) and r.bs_class == bs_class), None)

    def kpi_max(self, kpi: str) -> float | None:
        """The upper limit an enforced guardrail puts on a KPI, if any."""
        limits = [r.max for r in self.rules if isinstance(r, KpiLimit) and r.kpi == kpi and r.max is not None
                  and r.mode == Mode.ENFORCE]
        return min(limits, default=None)

    def slice_floor(self, slice_name: str) -> float:
        """The PRB share a slice keeps in every awake cell (0 where no rule guarantees one)."""
        return max((r.min_prb_ratio for r in self.rules if isinstance(r, SliceMinQuota) and r.slice == slice_name),
                   default=0.0)

    def drift_kpis(self) -> list[str]:
        """The KPIs whose drift some `kpi_limit` rule budgets (`max_drift`), in rule order."""
        return list(dict.fromkeys(r.kpi for r in self.rules if isinstance(r, KpiLimit) and r.max_drift is not None))

    def max_step(self, parameter: str) -> float | None:
        """The largest single move of a parameter the pack allows, if it limits one."""
        return min((r.max_step for r in self.rules if isinstance(r, MaxStep) and r.parameter == parameter), default=None)


class PackError(ValueError):
    """A policy pack that cannot be read or does not validate; the message names the line."""


def load_pack(path: str | Path | None = None) -> PolicyPack:
    """Load a pack (default: the shipped `default.yaml`)."""
    path = Path(path) if path else PACKS_DIR / "default.yaml"
    try:
        text = path.read_text(encoding="utf-8")
        node = yaml.compose(text)
        data = yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise PackError(f"{path}: cannot read policy pack: {exc}") from exc
    try:
        return PolicyPack.model_validate(data)
    except ValidationError as exc:
        lines = [f"{path}:{_line_of(node, e['loc'])}: {'.'.join(map(str, e['loc'])) or 'pack'}: {e['msg']}"
                 for e in exc.errors()]
        raise PackError("invalid policy pack\n" + "\n".join(lines)) from exc


def _line_of(node: yaml.Node | None, loc: tuple) -> int:
    """1-based line of the deepest YAML node along a pydantic error location. Pydantic puts a
    rule's discriminator (its `kind`) into the location after the list index; it is skipped
    once, so a field named like its kind (`max_step` of a `max_step` rule) still resolves."""
    line = node.start_mark.line + 1 if node is not None else 1
    tag_next = False
    for key in loc:
        if isinstance(node, yaml.MappingNode):
            if tag_next and any(k.value == "kind" and v.value == key for k, v in node.value):
                tag_next = False
                continue  # the discriminator tag pydantic inserts, not a YAML key
            match = [v for k, v in node.value if k.value == str(key)]
            if not match:
                break
            node = match[0]
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
        else:
            continue
        tag_next = isinstance(key, int)
        line = node.start_mark.line + 1
    return line
