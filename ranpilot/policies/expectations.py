"""An intent's targets as the verifier checks them on the dry run."""

from __future__ import annotations

from pydantic import BaseModel

from ranpilot.targets import Condition


class TargetCheck(BaseModel):
    """One expectation target as the verifier checks it on the dry run: a TS 28.312 target name,
    its condition and values, over a scope of cells and/or a slice, with an optional threshold."""

    target: str
    condition: Condition
    values: list[float]
    cells: list[int] | None = None
    slice: str | None = None
    threshold: float | None = None
    ensure: bool = False  # TS 28.312 ENSURE: the change may not move it further from its goal

    def describe(self) -> str:
        scope = f" on cells {self.cells}" if self.cells is not None else ""
        scope += f" for slice {self.slice}" if self.slice else ""
        return f"{self.target}{scope} {self.condition.value} {self.values}"
