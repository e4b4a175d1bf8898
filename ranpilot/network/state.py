"""Network state: the fixed topology and the mutable state that snapshots and clones copy."""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass, fields

import numpy as np

from ranpilot.network.config import Mobility, NetworkConfig
from ranpilot.network.geometry import drop_ues, hex_sites, sector_azimuths_deg
from ranpilot.network.mimo.config import PRECODER_CODES, AntennaConfig

#: The MIMO settings of a state saved before they existed: the one-port defaults.
MIMO_DEFAULTS = {
    "precoder": lambda cells: np.full(cells, PRECODER_CODES.index(AntennaConfig().precoder.value)),
    "mu_layers": lambda cells: np.full(cells, AntennaConfig().mu_layers),
    "csi_prediction": lambda cells: np.zeros(cells, dtype=bool),
    "ssb_beams": lambda cells: np.full(cells, AntennaConfig().ssb_beams),
}

#: The per-UE settings of a state saved before they existed: none (zeros of this dtype, cells x UEs).
PER_UE_DEFAULTS = {"ue_steering": int, "ue_gbr_kbps": float}


@dataclass(frozen=True)
class Topology:
    """Sites and cells; arrays are read-only so clones can share them safely."""

    sites: np.ndarray  # (S, 2) site positions, m
    cell_site: np.ndarray  # (C,) site index of each cell
    cell_sector: np.ndarray  # (C,) sector index within its site
    cell_azimuth_deg: np.ndarray  # (C,) boresight azimuth

    @classmethod
    def build(cls, cfg: NetworkConfig) -> Topology:
        sites = hex_sites(cfg.num_rings, cfg.isd_m)
        n_sec = cfg.sectors_per_site
        cell_site = np.repeat(np.arange(len(sites)), n_sec)
        cell_sector = np.tile(np.arange(n_sec), len(sites))
        azimuth = np.tile(sector_azimuths_deg(n_sec), len(sites))
        for arr in (sites, cell_site, cell_sector, azimuth):
            arr.setflags(write=False)
        return cls(sites, cell_site, cell_sector, azimuth)

    @property
    def num_cells(self) -> int:
        return len(self.cell_site)


@dataclass
class NetState:
    """Everything that changes over time or by action. `copy()` shares no mutable data."""

    time_s: float
    ue_pos: np.ndarray  # (N, 2) UE positions, m
    ue_dest: np.ndarray  # (N, 2) waypoint (random waypoint) or unused
    ue_vel: np.ndarray  # (N, 2) velocity, m/s
    ue_slice: np.ndarray  # (N,) slice index
    shadow_z: np.ndarray  # (N, S) standard-normal shadowing per UE and site
    los_u: np.ndarray  # (N, S) uniform draw; link is LoS where los_u < P_LoS(d)
    offered_bps: np.ndarray  # (N,) offered load this step; inf for full buffer
    fading_seed: int  # seed of this step's fading realisation
    serving: np.ndarray  # (N,) serving cell of the step before (handover hysteresis starts from it)
    tx_power_dbm: np.ndarray  # (C,)
    tilt_deg: np.ndarray  # (C,)
    cio_db: np.ndarray  # (C,)
    asleep: np.ndarray  # (C,) bool
    failed: np.ndarray  # (C,) bool: down by fault, asleep, and no action may touch it
    slice_quota: np.ndarray  # (C, L) guaranteed PRB ratio per slice
    slice_steering: np.ndarray  # (C, L) traffic steering preference, index into steering.STEERING_CODES
    ue_steering: np.ndarray  # (C, N) one UE's steering preference (overrides its slice's unless NONE)
    ue_gbr_kbps: np.ndarray  # (C, N) DL bit rate the scheduler guarantees a UE while the cell serves it (0: none)
    ue_p_max_dbm: np.ndarray  # (C,) p-Max broadcast in SIB1 (uplink; configuration only, the simulator is downlink)
    precoder: np.ndarray  # (C,) MU-MIMO precoder, index into mimo.config.PRECODER_CODES (multi-antenna cells)
    mu_layers: np.ndarray  # (C,) at most this many co-scheduled UEs per PRB group (multi-antenna cells)
    csi_prediction: np.ndarray  # (C,) bool: precode with predicted CSI (multi-antenna cells)
    ssb_beams: np.ndarray  # (C,) SSB beams the cell sweeps (multi-antenna cells; mimo.ssb)
    load: np.ndarray  # (C,) PRB utilisation of the step before, which couples this step's interference
    handovers: int  # handovers in the last step
    rng_state: dict  # bit generator state, so restored runs continue identically
    # Which network's history this is: new at each drop of UEs (reset), kept by snapshots, clones,
    # saves and twins, so the verifier counts only changes made to this network.
    network_id: str

    def copy(self) -> NetState:
        return NetState(**{f.name: copy.deepcopy(getattr(self, f.name)) for f in fields(self)})

    def to_json(self) -> dict:
        """A JSON-safe exact copy: arrays as {dtype, shape, data}, with non-finite floats as the
        strings "inf", "-inf", "nan" (standard JSON has no such numbers); `from_json` inverts it."""
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, np.ndarray):
                data = value.ravel().tolist()
                if value.dtype.kind == "f" and not np.isfinite(value).all():
                    data = [x if np.isfinite(x) else str(x) for x in data]
                value = {"dtype": value.dtype.str, "shape": list(value.shape), "data": data}
            out[f.name] = value
        return out

    @classmethod
    def from_json(cls, data: dict) -> NetState:
        """Raises KeyError, TypeError or ValueError for a payload that is not a NetState (every
        field is required, except the MIMO settings, steering preferences and per-UE settings a state
        saved before them lacks: those take the one-port defaults and no preference or guarantee)."""
        values = {}
        cells = len(data["tx_power_dbm"]["data"])
        for f in fields(cls):
            if f.name == "slice_steering" and f.name not in data:  # saved before steering: no preference
                value = np.zeros(data["slice_quota"]["shape"], dtype=int)
            elif f.name in PER_UE_DEFAULTS and f.name not in data:  # saved before per-UE settings: none
                value = np.zeros((cells, len(data["ue_slice"]["data"])), dtype=PER_UE_DEFAULTS[f.name])
            else:
                value = data[f.name] if f.name in data or f.name not in MIMO_DEFAULTS else MIMO_DEFAULTS[f.name](cells)
            if isinstance(value, dict) and set(value) == {"dtype", "shape", "data"}:
                value = np.asarray(value["data"], dtype=np.dtype(value["dtype"])).reshape(value["shape"])
            values[f.name] = value
        return cls(**values)

    def equals(self, other: NetState) -> bool:
        """Exact equality of every field (used to prove rollbacks restore the prior state)."""
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            same = np.array_equal(a, b) if isinstance(a, np.ndarray) else a == b
            if not same:
                return False
        return True


def initial_state(cfg: NetworkConfig, topo: Topology, rng: np.random.Generator) -> NetState:
    """Drop UEs, draw their slices, shadowing and LoS states, and set the initial configuration."""
    n, n_sites, n_cells = cfg.num_ues, len(topo.sites), topo.num_cells
    pos = drop_ues(cfg, topo.sites, rng)
    fractions = np.array([s.ue_fraction for s in cfg.slices])
    ue_slice = rng.choice(len(cfg.slices), size=n, p=fractions / fractions.sum())
    speed = cfg.ue_speed_kmh / 3.6 if cfg.mobility != Mobility.STATIC else 0.0
    heading = rng.uniform(0.0, 2.0 * np.pi, n)
    vel = speed * np.stack([np.cos(heading), np.sin(heading)], axis=1)
    return NetState(
        time_s=0.0,
        ue_pos=pos,
        ue_dest=drop_ues(cfg, topo.sites, rng),
        ue_vel=vel,
        ue_slice=ue_slice,
        shadow_z=rng.standard_normal((n, n_sites)) if cfg.shadowing else np.zeros((n, n_sites)),
        los_u=rng.uniform(size=(n, n_sites)),
        offered_bps=np.full(n, np.inf),
        fading_seed=int(rng.integers(2**31)),
        serving=np.zeros(n, dtype=int),
        tx_power_dbm=np.full(n_cells, cfg.tx_power_dbm),
        tilt_deg=np.full(n_cells, cfg.tilt_deg),
        cio_db=np.zeros(n_cells),
        asleep=np.zeros(n_cells, dtype=bool),
        failed=np.zeros(n_cells, dtype=bool),
        slice_quota=np.tile([s.min_prb_ratio for s in cfg.slices], (n_cells, 1)).astype(float),
        slice_steering=np.zeros((n_cells, len(cfg.slices)), dtype=int),
        ue_steering=np.zeros((n_cells, n), dtype=int),
        ue_gbr_kbps=np.zeros((n_cells, n)),
        ue_p_max_dbm=np.full(n_cells, cfg.ue_p_max_dbm),
        precoder=np.full(n_cells, PRECODER_CODES.index(cfg.antenna.precoder.value)),
        mu_layers=np.full(n_cells, cfg.antenna.mu_layers),
        csi_prediction=np.full(n_cells, cfg.antenna.csi_prediction),
        ssb_beams=np.full(n_cells, cfg.antenna.ssb_beams),
        load=np.zeros(n_cells),  # idle: the network settles the load-coupled interference from here
        handovers=0,
        rng_state=rng.bit_generator.state,
        network_id=uuid.uuid4().hex,
    )
