"""Configuration of the simulated network: topology, radio, UEs, traffic and KPI thresholds.

Every field carries its unit in its name. Defaults describe a 3.5 GHz, 100 MHz NR macro
layout (TR 38.901 UMa, 7 sites x 3 sectors, 500 m inter-site distance).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ranpilot.errors import InputError
from ranpilot.inputs import read_text, summary
from ranpilot.network.mimo.config import AntennaConfig, ssb_l_max

# Bounds on a network's size, so that a config file cannot ask for more memory than a host has:
# the simulator holds float arrays per UE-cell link and fading subband (20 million: 160 MB each).
MAX_UES = 20_000
MAX_UE_LINKS = 20_000_000


class Scenario(str, Enum):
    """TR 38.901 deployment scenario used for path loss and LoS probability."""

    UMA = "UMa"
    UMI = "UMi"


class Mobility(str, Enum):
    STATIC = "static"
    LINEAR = "linear"
    RANDOM_WAYPOINT = "random_waypoint"


class Traffic(str, Enum):
    FULL_BUFFER = "full_buffer"
    BURSTY = "bursty"


class SliceSpec(BaseModel):
    """A network slice (S-NSSAI SST with a 5QI) and its default share of each cell's PRBs."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    sst: int = Field(ge=1, le=255)
    five_qi: int = Field(ge=1, le=255)
    ue_fraction: float = Field(ge=0.0, le=1.0)
    min_prb_ratio: float = Field(ge=0.0, le=1.0, description="Guaranteed PRB share per cell.")
    sla_thp_mbps: float = Field(default=0.0, ge=0.0, description="SLA floor on mean UE throughput.")
    traffic: Traffic = Traffic.FULL_BUFFER
    file_mbit: float = Field(default=1.0, gt=0.0, description="Bursty traffic: mean file size.")
    arrivals_per_s: float = Field(default=1.0, gt=0.0, description="Bursty traffic: files per UE per s.")


DEFAULT_SLICES = (
    SliceSpec(name="eMBB", sst=1, five_qi=8, ue_fraction=0.8, min_prb_ratio=0.5, sla_thp_mbps=5.0),
    SliceSpec(
        name="URLLC", sst=2, five_qi=82, ue_fraction=0.1, min_prb_ratio=0.2, sla_thp_mbps=2.0,
        traffic=Traffic.BURSTY, file_mbit=0.1, arrivals_per_s=20.0,
    ),
    SliceSpec(
        name="mMTC", sst=3, five_qi=9, ue_fraction=0.1, min_prb_ratio=0.05,
        traffic=Traffic.BURSTY, file_mbit=0.01, arrivals_per_s=1.0,
    ),
)


class Hotspot(BaseModel):
    """A Gaussian cluster of UEs (stadium, station) centred at (x_m, y_m)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    x_m: float
    y_m: float
    radius_m: float = Field(gt=0.0)
    ue_fraction: float = Field(gt=0.0, le=1.0)


class KpiThresholds(BaseModel):
    """Thresholds behind the TS 28.312 ratio targets."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low_thp_mbps: float = Field(default=5.0, ge=0.0)
    weak_rsrp_dbm: float = -110.0
    low_sinr_db: float = 0.0
    high_prb_load_pct: float = Field(default=80.0, ge=0.0, le=100.0)


class PowerModel(BaseModel):
    """EARTH base-station power model per cell: P_in = P0 + delta_p * load * P_tx; P_sleep asleep."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    p0_w: float = Field(default=130.0, ge=0.0)
    delta_p: float = Field(default=4.7, ge=0.0)
    p_sleep_w: float = Field(default=75.0, ge=0.0)


class NetworkConfig(BaseModel):
    """Everything that defines a simulated network, besides the seed."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    num_rings: int = Field(default=1, ge=0, le=4, description="Hex rings: 1 -> 7 sites, 2 -> 19, at most 4 (61).")
    sectors_per_site: int = Field(default=3, ge=1, le=6)
    isd_m: float = Field(default=500.0, gt=0.0)
    scenario: Scenario = Scenario.UMA
    carrier_ghz: float = Field(default=3.5, ge=0.5, le=100.0)
    bandwidth_mhz: float = Field(default=100.0, gt=0.0)
    scs_khz: float = Field(default=30.0, gt=0.0)
    num_prb: int = Field(default=273, ge=1)
    bs_height_m: float = Field(default=25.0, gt=0.0)
    ue_height_m: float = Field(default=1.5, ge=1.0, le=22.5)
    tx_power_dbm: float = Field(default=46.0, description="Initial per-cell transmit power.")
    min_tx_power_dbm: float = 20.0
    max_tx_power_dbm: float = Field(default=49.0, description="Hardware limit of the radio unit.")
    tilt_deg: float = Field(default=12.0, description="Initial electrical downtilt.")
    tilt_range_deg: tuple[float, float] = (0.0, 20.0)
    ue_p_max_dbm: float = Field(default=23.0, description="Initial p-Max: the UEs' maximum uplink power in each cell.")
    ue_p_max_range_dbm: tuple[float, float] = Field(default=(-30.0, 33.0), description="TS 38.331 P-Max range.")
    antenna_gain_dbi: float = 17.0
    h_beamwidth_deg: float = Field(default=70.0, gt=0.0)
    v_beamwidth_deg: float = Field(default=10.0, gt=0.0)
    front_back_db: float = Field(default=25.0, ge=0.0)
    side_lobe_v_db: float = Field(default=20.0, ge=0.0)
    noise_figure_db: float = 9.0
    shadowing: bool = True
    fading_subbands: int = Field(default=0, ge=0, le=64, description="0 disables Rayleigh fading.")
    handover_hysteresis_db: float = Field(default=2.0, ge=0.0)
    num_ues: int = Field(default=210, ge=1, le=MAX_UES, description=(
        f"UEs in the network, at most {MAX_UES:,} (the 57-cell benchmark network has 2,850), and at most "
        f"{MAX_UE_LINKS:,} UE-cell links counting fading subbands: the simulator holds arrays of that size."))
    hotspots: tuple[Hotspot, ...] = ()
    mobility: Mobility = Mobility.STATIC
    ue_speed_kmh: float = Field(default=3.0, ge=0.0, le=500.0)
    slices: tuple[SliceSpec, ...] = DEFAULT_SLICES
    step_s: float = Field(default=1.0, gt=0.0)
    start_time_h: float = Field(default=12.0, ge=0.0, lt=24.0, description="Time of day at t = 0.")
    thresholds: KpiThresholds = KpiThresholds()
    power_model: PowerModel = PowerModel()
    antenna: AntennaConfig = Field(default=AntennaConfig(), exclude_if=lambda a: a == AntennaConfig(), description=(
        "Ports, MU-MIMO layers, precoder and CSI of every cell (ranpilot.network.mimo); one port by default, "
        "left out of a config's dump then, so one-port configs read and write as before."))

    @model_validator(mode="after")
    def _consistent(self) -> NetworkConfig:
        if not self.min_tx_power_dbm <= self.tx_power_dbm <= self.max_tx_power_dbm:
            raise ValueError("tx_power_dbm must lie within [min_tx_power_dbm, max_tx_power_dbm]")
        lo, hi = self.tilt_range_deg
        if not lo <= self.tilt_deg <= hi:
            raise ValueError("tilt_deg must lie within tilt_range_deg")
        if abs(sum(s.ue_fraction for s in self.slices) - 1.0) > 1e-6:
            raise ValueError("slices: ue_fraction must sum to 1")
        if sum(s.min_prb_ratio for s in self.slices) > 1.0 + 1e-9:
            raise ValueError("slices: min_prb_ratio must sum to at most 1")
        if sum(h.ue_fraction for h in self.hotspots) > 1.0 + 1e-9:
            raise ValueError("hotspots: ue_fraction must sum to at most 1")
        if self.antenna.ports > 1 and self.fading_subbands:
            raise ValueError("fading_subbands must be 0 with multi-port antennas: their channels carry the fading")
        if self.antenna.ssb_beams > ssb_l_max(self.carrier_ghz):
            raise ValueError(f"antenna.ssb_beams {self.antenna.ssb_beams} exceeds L_max {ssb_l_max(self.carrier_ghz)} "
                             f"at {self.carrier_ghz:g} GHz (TS 38.213 4.1)")
        rays = self.num_ues * self.num_sites * self.antenna.rays_per_link * (self.antenna.ports > 1)
        if rays > MAX_UE_LINKS:
            raise ValueError(f"num_ues x sites x antenna.rays_per_link is {rays:,}; at most {MAX_UE_LINKS:,}")
        links = self.num_ues * self.num_cells * max(1, self.fading_subbands)
        if links > MAX_UE_LINKS:
            raise ValueError(f"num_ues x cells x fading_subbands is {links:,}; at most {MAX_UE_LINKS:,}")
        return self

    @property
    def num_sites(self) -> int:
        return 1 + 3 * self.num_rings * (self.num_rings + 1)

    @property
    def num_cells(self) -> int:
        return self.num_sites * self.sectors_per_site

    @property
    def prb_bandwidth_hz(self) -> float:
        return 12 * self.scs_khz * 1e3


def load_config(path: str | Path | None) -> NetworkConfig:
    """Read a NetworkConfig from a YAML or JSON file (None gives the defaults): UTF-8, at most
    `ranpilot.inputs.MAX_FILE_BYTES`. Raises ValueError naming the file and the offending field."""
    if path is None:
        return NetworkConfig()
    path = Path(path)
    try:
        data = yaml.safe_load(read_text(path, "network config")) or {}
    except (yaml.YAMLError, RecursionError) as exc:
        raise ValueError(f"{path}: cannot read network config: {type(exc).__name__}: {exc}") from exc
    try:
        return NetworkConfig.model_validate(data)
    except ValidationError as exc:
        raise ValueError(f"{path}: invalid network config: {summary(exc)}") from exc


def config_option(path: str | Path | None) -> NetworkConfig:
    """`--config`'s NetworkConfig (the defaults without one); InputError naming the option and the file."""
    try:
        return load_config(path)
    except InputError:
        raise
    except ValueError as exc:
        raise InputError(f"--config {exc}") from exc
