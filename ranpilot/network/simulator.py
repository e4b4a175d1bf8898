"""`Network`: the simulated multi-cell downlink that agents act on, and its digital-twin clones.

Example:
    >>> net = Network(NetworkConfig(num_ues=63), seed=1)
    >>> net.apply([SetTxPower(cell=0, tx_power_dbm=43.0)])
    >>> net.step(5)
    >>> round(net.observe().network["AveDLRANUEThpt"], 1) > 0
    True
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ranpilot.network.actions import Action, ActionError
from ranpilot.network.config import NetworkConfig
from ranpilot.network.configuration import RanConfiguration, apply_actions
from ranpilot.network.dynamics import draw_traffic, move_ues
from ranpilot.network.evaluate import Geometry, RadioResult, compute_geometry, evaluate
from ranpilot.network.mimo.channels import draw_rays
from ranpilot.network.geometry import keep_min_distance, min_distance_m, sector_gain_db
from ranpilot.network.radio import noise_mw
from ranpilot.network.kpis import Observation, observation
from ranpilot.network.state import NetState, Topology, initial_state
from ranpilot.network.targets import target_value

#: At most this many load passes settle a new network; it is settled when no cell's load moves by
#: more than SETTLED_LOAD (a share of its PRBs) in a pass.
SETTLE_PASSES = 50
SETTLED_LOAD = 1e-4


@dataclass(frozen=True)
class Snapshot:
    """An immutable copy of a network's mutable state, for rollback."""

    state: NetState


class Network:
    """Multi-cell, multi-UE system-level downlink simulator, deterministic for a given seed.

    Implements `ranpilot.network.view.NetworkView` (what agents and the verifier use of a network)."""

    def __init__(self, config: NetworkConfig | None = None, seed: int = 0) -> None:
        self.config = config or NetworkConfig()
        self.topology = Topology.build(self.config)
        self.seed = seed
        self.reset(seed)

    # -- lifecycle -------------------------------------------------------------------------
    def reset(self, seed: int | None = None) -> None:
        """Drop UEs anew from `seed` (default: the network's seed) and attach them."""
        self.seed = self.seed if seed is None else seed
        rng = np.random.default_rng(self.seed)
        self._state = initial_state(self.config, self.topology, rng)
        self._rng = rng
        draw_traffic(self._state, self.config, rng)
        self._geometry: Geometry | None = None
        self._settle()
        self._state.handovers = 0
        self._save_rng()

    def step(self, n: int = 1) -> None:
        """Advance `n` steps of `config.step_s`: move UEs, draw traffic, schedule, hand over."""
        if n < 0:
            raise ValueError("step: n must be >= 0")
        for _ in range(n):
            now = self.radio()  # this step's serving cells and loads are where the next one starts
            self._state.serving, self._state.load = now.serving, now.cell_load
            if move_ues(self._state, self.config, self.topology, self._rng):
                self._geometry = None
            draw_traffic(self._state, self.config, self._rng)
            self._state.time_s += self.config.step_s
            self._result = evaluate(self._state, self._geom(), self.config, self.topology)
            self._state.handovers = self._result.handovers
        self._save_rng()

    def observe(self) -> Observation:
        """KPIs of the current state and configuration (pure: advances nothing)."""
        return observation(self.radio(), self._state, self.config, self.topology)

    def target_value(
        self, name: str, cells: list[int] | None = None, slice: str | None = None, threshold: float | None = None
    ) -> float | None:
        """A TS 28.312 target over a scope of cells and/or one slice (None if unknown or empty)."""
        names = [s.name for s in self.config.slices]
        index = names.index(slice) if slice in names else None
        if slice is not None and index is None:
            return None
        return target_value(name, self.radio(), self._state, self.config, cells, index, threshold)

    def link_gains_db(self) -> np.ndarray:
        """(N, C) antenna gain minus path loss and shadowing from every cell to every UE, dB
        (independent of transmit power: received power = tx power + this)."""
        site = self.topology.cell_site
        geom = self._geom()
        gain = sector_gain_db(geom.az_off_deg, geom.elev_down_deg[:, site], self._state.tilt_deg[None, :], self.config)
        return gain - geom.pl_db[:, site]

    def noise_w(self) -> float:
        """Thermal noise plus noise figure over the carrier, W."""
        cfg = self.config
        return noise_mw(cfg.num_prb * cfg.prb_bandwidth_hz, cfg.noise_figure_db) / 1e3

    def radio(self) -> RadioResult:
        """Per-UE and per-cell arrays of the current state (cached until the state changes)."""
        if self._result is None:
            self._result = evaluate(self._state, self._geom(), self.config, self.topology)
        return self._result

    # -- actions ---------------------------------------------------------------------------
    def apply(self, actions: list[Action]) -> None:
        """Apply a batch atomically: every action is checked on a copy first; on any error
        an `ActionError` naming the field is raised and the network is unchanged."""
        new = apply_actions(self.configuration(), actions, self.config)
        for cell in np.flatnonzero(self._state.failed):
            if new.asleep[cell] != self._state.asleep[cell] or new.tx_power_dbm[cell] != self._state.tx_power_dbm[cell]:
                raise ActionError("actions", f"cell {cell} has failed; it cannot be configured until repaired")
        self.set_configuration(new)

    # -- events (faults and traffic, not operator actions) --------------------------------
    def fail_cell(self, cell: int) -> None:
        """A fault takes the cell down: it stops transmitting and no action can change that."""
        if not 0 <= cell < self.num_cells:
            raise ActionError("cell", f"unknown cell {cell}")
        self._state.asleep[cell] = True
        self._state.failed[cell] = True
        self._result = None

    def traffic_surge(self, x_m: float, y_m: float, radius_m: float, ue_fraction: float, seed: int = 0) -> None:
        """A crowd gathers: a random `ue_fraction` of UEs moves into a Gaussian cluster at (x, y)."""
        rng = np.random.default_rng(seed)
        n = self.config.num_ues
        movers = rng.choice(n, size=int(round(ue_fraction * n)), replace=False)
        pos = self._state.ue_pos.copy()
        pos[movers] = np.array([x_m, y_m]) + rng.normal(0.0, radius_m, (len(movers), 2))
        self._state.ue_pos = keep_min_distance(pos, self.topology.sites, min_distance_m(self.config))
        self._geometry, self._result = None, None

    def configuration(self) -> RanConfiguration:
        """A copy of the operator-controlled settings."""
        return RanConfiguration.of(self._state)

    def set_configuration(self, conf: RanConfiguration) -> None:
        """Install a whole configuration (already validated, e.g. one taken before a change)."""
        conf.install(self._state)
        self._result = None

    def cell_load(self) -> np.ndarray:
        """A copy of the per-cell PRB utilisation now (the current evaluation's)."""
        return self.radio().cell_load.copy()

    def ue_slice(self) -> np.ndarray:
        """A copy of each UE's slice index (cheaper than `state.ue_slice`)."""
        return self._state.ue_slice.copy()

    # -- snapshots and twins ---------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        return Snapshot(self._state.copy())

    def restore(self, snap: Snapshot) -> None:
        """Return exactly to a snapshot (state, configuration and random stream)."""
        self._state = snap.state.copy()
        self._rng = np.random.default_rng()
        self._rng.bit_generator.state = self._state.rng_state
        self._geometry = None
        self._result = None

    def clone(self) -> Network:
        """A digital twin: same config, topology and state, sharing nothing mutable."""
        twin = Network.__new__(Network)
        twin.config, twin.topology, twin.seed = self.config, self.topology, self.seed
        twin.restore(self.snapshot())
        twin._geometry, twin._result = self._geometry, self._result  # frozen, safe to share
        return twin

    @classmethod
    def from_state(cls, config: NetworkConfig, seed: int, state: NetState) -> Network:
        """A network at exactly `state` (a twin of one kept elsewhere, e.g. by a remote E2 node)."""
        network = cls.__new__(cls)
        network.config, network.topology, network.seed = config, Topology.build(config), seed
        network.restore(Snapshot(state))
        return network

    @property
    def state(self) -> NetState:
        """A copy of the current state (mutating it does not affect the network)."""
        return self._state.copy()

    @property
    def network_id(self) -> str:
        """This network's identity for change history (see NetState.network_id)."""
        return self._state.network_id

    @property
    def time_s(self) -> float:
        return self._state.time_s

    @property
    def time_of_day_h(self) -> float:
        """Local clock: `config.start_time_h` at t = 0."""
        return (self.config.start_time_h + self._state.time_s / 3600.0) % 24.0

    @property
    def num_cells(self) -> int:
        return self.topology.num_cells

    # -- internals -------------------------------------------------------------------------
    def _geom(self) -> Geometry:
        if self._geometry is None:
            rays = draw_rays(self.config, self.seed)  # None with one port
            self._geometry = compute_geometry(self._state, self.config, self.topology, rays)
        return self._geometry

    def _settle(self) -> None:
        """Attach every UE to its best cell and iterate the load-coupled interference from idle
        cells to its fixed point, so a new network starts in steady state (starting all-busy
        inflated the loads). Loads rise monotonically to the least fixed point, so this converges."""
        for _ in range(SETTLE_PASSES):
            result = evaluate(self._state, self._geom(), self.config, self.topology, initial=True)
            settled = np.abs(result.cell_load - self._state.load).max() < SETTLED_LOAD
            self._state.serving, self._state.load = result.serving, result.cell_load
            if settled:
                break
        self._result = None

    def _save_rng(self) -> None:
        self._state.rng_state = self._rng.bit_generator.state
