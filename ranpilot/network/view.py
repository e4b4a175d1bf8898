"""`NetworkView`: what the agent and the verifier use of a network.

The simulator (`Network`) implements it, and so does the network an xApp's agent acts on over
E2 (`ranpilot.oran.xapp.E2ControlledNetwork`: reads from the node's network or its twin, changes
sent as RC controls). Code typed against `NetworkView` works with either.
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np

from ranpilot.network.actions import Action
from ranpilot.network.config import NetworkConfig
from ranpilot.network.configuration import RanConfiguration
from ranpilot.network.evaluate import RadioResult
from ranpilot.network.kpis import Observation
from ranpilot.network.simulator import Network, Snapshot
from ranpilot.network.state import Topology


@runtime_checkable
class NetworkView(Protocol):
    """A network to observe, dry-run on twins, and change by actions."""

    @property
    def config(self) -> NetworkConfig: ...

    @property
    def topology(self) -> Topology: ...

    @property
    def seed(self) -> int:
        """With `snapshot()`, what rebuilds the network (e.g. a run saved for approval)."""

    @property
    def num_cells(self) -> int: ...

    @property
    def time_s(self) -> float: ...

    @property
    def time_of_day_h(self) -> float: ...

    @property
    def network_id(self) -> str:
        """Identity of this network's change history (see NetState.network_id)."""

    def configuration(self) -> RanConfiguration:
        """A copy of the operator-controlled settings."""

    def set_configuration(self, conf: RanConfiguration) -> None:
        """Install a whole configuration (a rollback)."""

    def apply(self, actions: list[Action]) -> None:
        """Apply a batch atomically, or raise ActionError and change nothing."""

    def step(self, n: int = 1) -> None:
        """Let `n` steps of simulated time pass."""

    def observe(self) -> Observation: ...

    def radio(self) -> RadioResult: ...

    def target_value(self, name: str, cells: list[int] | None = None, slice: str | None = None,
                     threshold: float | None = None) -> float | None: ...

    def link_gains_db(self) -> np.ndarray: ...

    def noise_w(self) -> float: ...

    def clone(self) -> Network:
        """A plain simulated twin to dry-run on; changing it changes nothing here."""

    def snapshot(self) -> Snapshot: ...

    def cell_load(self) -> np.ndarray:
        """A copy of the per-cell PRB utilisation of the last step."""

    def ue_slice(self) -> np.ndarray:
        """A copy of each UE's slice index."""
