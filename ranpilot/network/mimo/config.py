"""Antenna configuration of every cell: the port array, MU-MIMO layers, precoder and CSI reporting.

The default (one port) is the single-antenna simulator exactly: nothing of `ranpilot.network.mimo`
runs. With more ports each cell has a uniform planar panel of `panel_rows` x `panel_cols` ports at
half-wavelength spacing (`panel_rows: 1` is a horizontal ULA); port index = col * rows + row, the
TS 38.214 Type-I (N1 = cols, N2 = rows) order.
"""

from __future__ import annotations

from enum import Enum

from pydantic import BaseModel, ConfigDict, Field, model_validator

#: CSI is sampled once per 0.5 ms slot (30 kHz SCS), the grid of `channel_prediction`.
CSI_SLOT_MS = 0.5
MAX_PORTS = 64
#: TS 38.213 4.1: at most 64 SSBs in a half-frame burst (FR2); fewer in FR1 (`ssb_l_max`).
MAX_SSB_BEAMS = 64


class Precoder(str, Enum):
    """How a cell computes the beams of its co-scheduled UEs (each through `beam_solver`)."""

    MRT = "mrt"
    ZF = "zf"
    RZF = "rzf"
    SOCP = "socp"  # min-power SOCP at ZF's SINRs, the saved power spread over the beams
    TYPE1 = "type1"  # each UE's reported TS 38.214 Type-I PMI beam, the power split equally
    WMMSE = "wmmse"  # sum-rate WMMSE beams and powers under the cell's budget, from RZF
    TYPE1_ZF = "type1_zf"  # zero forcing over the UEs' reported Type-I beams


#: Integer codes of the precoders, as a cell's configuration stores them (in `Precoder` order;
#: new precoders are appended, so a stored code keeps its meaning).
PRECODER_CODES: tuple[str, ...] = tuple(p.value for p in Precoder)


def ssb_l_max(carrier_ghz: float) -> int:
    """L_max, the most SSBs a half-frame burst can hold (TS 38.213 4.1): 4 in FR1 up to 3 GHz, 8 in
    FR1 above 3 GHz, 64 above FR1 (7.125 GHz; FR2)."""
    return 4 if carrier_ghz <= 3.0 else 8 if carrier_ghz <= 7.125 else MAX_SSB_BEAMS


class AntennaConfig(BaseModel):
    """The array, scheduling and CSI settings every cell starts with (actions change them per cell)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    panel_rows: int = Field(default=1, ge=1, le=16, description="Vertical ports of the panel.")
    panel_cols: int = Field(default=1, ge=1, le=32, description="Horizontal ports of the panel.")
    mu_layers: int = Field(default=1, ge=1, le=16, description="At most this many UEs share a PRB group.")
    precoder: Precoder = Precoder.ZF
    csi_report_period_ms: float = Field(default=2.0, ge=0.0, le=20.0, description=(
        "Age of the CSI a cell precodes with (0: ideal CSI); a multiple of 0.5 ms."))
    csi_prediction: bool = Field(default=False, description="Precode with CSI predicted to now (channel_prediction).")
    predicted_beams: int = Field(default=8, ge=1, le=MAX_PORTS, description=(
        "With prediction, the strongest DFT beams of each UE that are predicted (the rest stay as reported)."))
    max_correlation: float = Field(default=0.5, gt=0.0, le=1.0, description=(
        "Semi-orthogonal user selection: a UE joins a group only if its CSI's correlation with each member is below this."))
    rays_per_link: int = Field(default=24, ge=1, le=200, description="TR 38.901 CDL rays drawn per UE-site link.")
    ssb_beams: int = Field(default=1, ge=1, le=MAX_SSB_BEAMS, description=(
        "SSB beams each cell sweeps (`mimo.ssb`): 1 is one wide beam; at most the ports and TS 38.213's L_max."))

    @model_validator(mode="after")
    def _consistent(self) -> AntennaConfig:
        if self.ports > MAX_PORTS:
            raise ValueError(f"panel_rows x panel_cols is {self.ports}; at most {MAX_PORTS} ports")
        if self.mu_layers > self.ports:
            raise ValueError(f"mu_layers {self.mu_layers} exceeds the {self.ports} ports")
        if self.ssb_beams > self.ports:
            raise ValueError(f"ssb_beams {self.ssb_beams} exceeds the {self.ports} ports")
        slots = self.csi_report_period_ms / CSI_SLOT_MS
        if abs(slots - round(slots)) > 1e-9:
            raise ValueError(f"csi_report_period_ms must be a multiple of {CSI_SLOT_MS} ms")
        return self

    @property
    def ports(self) -> int:
        return self.panel_rows * self.panel_cols

    @property
    def csi_delay_slots(self) -> int:
        return int(round(self.csi_report_period_ms / CSI_SLOT_MS))
