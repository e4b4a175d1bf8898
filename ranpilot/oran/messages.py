"""O-RAN message vocabulary with JSON inside, shaped on the O-RAN SC RMR message types.

| mtype | name | model |
| --- | --- | --- |
| 12050 | RIC_INDICATION | `KpmIndication` (E2SM-KPM style 4: per-cell `measData`, per-UE `ueMeasData`) |
| 12040 | RIC_CONTROL_REQ | `RcControlRequest` (E2SM-RC style 3 action 1 handover, style 2 action 6 slice PRB quota, ranpilot extensions for transmit power and cell sleep) |
| 12041 | RIC_CONTROL_ACK | `RcControlAck` |
| 12042 | RIC_CONTROL_FAILURE | `RcControlFailure` (with a cause) |
| 20010 | A1_POLICY_REQ | `A1PolicyRequest` (the O-RAN SC A1 mediator <-> xApp contract) |
| 20011 | A1_POLICY_RESP | `A1PolicyResponse` |
| 20012 | A1_POLICY_QUERY | `A1PolicyQuery`: an xApp asks the mediator to send again the policies of a type |
| 12001 | RIC_E2_SETUP_REQ | `E2SetupRequest`: the node's global id and RAN functions (E2AP 8.3.1), sent by the node on connect |
| 12002 | RIC_E2_SETUP_RESP | `E2SetupResponse`: the RAN functions the RIC accepted and rejected |
| 12003 | RIC_E2_SETUP_FAILURE | `E2SetupFailure` (with an E2AP cause) |
| 12010 | RIC_SUB_REQ | `SubscriptionRequest` (E2SM-KPM report subscription) |
| 12011 | RIC_SUB_RESP | `SubscriptionResponse` |
| 12012 | RIC_SUB_FAILURE | `SubscriptionFailure` (with a cause) |
| 34010 | RP_SIM_STEP_REQ | `SimStepRequest`: ranpilot extension, advance a simulated node's clock (co-simulation) |
| 34011 | RP_SIM_STEP_RESP | `SimStepResponse` |
| 34020 | RP_TWIN_REQ | `TwinRequest`: ranpilot extension, ask a simulated node for its digital-twin state |
| 34021 | RP_TWIN_RESP | `TwinState`: network config, seed and exact state, to build the xApp's twin |
| 34030 | RP_AUTH_REQ | `AuthRequest`: ranpilot extension, the token a TCP client sends first (`e2.server`) |
| 34031 | RP_AUTH_RESP | `AuthResponse`: accepted, or refused with a cause (the node then closes the connection) |

ranpilot's extensions sit in RMR's application range 30000-39999 (RIC_message_types.h), clear of
the numbers it assigns there (30000-30004, 30010, 33001, 33002).

A1 messages are defined in `ranpilot.oran.a1_messages` (the ric-plt-a1 mediator <-> xApp contract).

`encode` / `decode` give the wire form: {"mtype": int, "payload": {...}}.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, Field

from ranpilot.oran.a1_messages import A1PolicyQuery, A1PolicyRequest, A1PolicyResponse
from ranpilot.oran.message_base import Message
from ranpilot.oran.setup_messages import E2SetupFailure, E2SetupRequest, E2SetupResponse

RIC_INDICATION, RIC_CONTROL_REQ, RIC_CONTROL_ACK, RIC_CONTROL_FAILURE = 12050, 12040, 12041, 12042
RIC_SUB_REQ, RIC_SUB_RESP, RIC_SUB_FAILURE = 12010, 12011, 12012
RIC_E2_SETUP_REQ, RIC_E2_SETUP_RESP, RIC_E2_SETUP_FAILURE = 12001, 12002, 12003
A1_POLICY_REQ, A1_POLICY_RESP, A1_POLICY_QUERY = 20010, 20011, 20012
SIM_STEP_REQ, SIM_STEP_RESP, TWIN_REQ, TWIN_RESP = 34010, 34011, 34020, 34021
AUTH_REQ, AUTH_RESP = 34030, 34031
KPM_RAN_FUNCTION, RC_RAN_FUNCTION = 2, 3


_Msg = Message  # every message forbids unknown fields


class UeMeasurement(_Msg):
    ueId: int
    servingCell: int
    measurements: dict[str, float]


class KpmIndication(_Msg):
    meid: str
    ran_function_id: Literal[2] = KPM_RAN_FUNCTION
    kpm_style: Literal[4] = 4
    subscription_id: str
    granulPeriod: int = Field(description="ms")
    collectStartTime: float = Field(description="simulated time, s")
    measData: dict[str, dict[str, float]] = Field(description="cell id -> TS 28.552 measurement -> value")
    ueMeasData: list[UeMeasurement] = Field(default_factory=list)


class Handover(_Msg):
    """E2SM-RC style 3, action 1: move a UE to a target cell."""

    style: Literal[3] = 3
    action: Literal[1] = 1
    ueId: int
    targetCell: int


class SlicePrbQuota(_Msg):
    """E2SM-RC style 2, action 6: slice-level PRB quota (ratios in percent, as in the RC spec)."""

    style: Literal[2] = 2
    action: Literal[6] = 6
    cell: int
    sst: int
    sd: str | None = None
    minPrbPolicyRatio: int = Field(ge=0, le=100)
    maxPrbPolicyRatio: int = Field(default=100, ge=0, le=100)
    dedicatedPrbPolicyRatio: int = Field(default=0, ge=0, le=100)


class TxPower(_Msg):
    """ranpilot extension: set a cell's transmit power."""

    style: Literal[1000] = 1000
    action: Literal[1] = 1
    cell: int
    txPowerDbm: float


class CellSleep(_Msg):
    """ranpilot extension: put a cell to sleep or wake it."""

    style: Literal[1000] = 1000
    action: Literal[2] = 2
    cell: int
    asleep: bool


class CellIndividualOffset(_Msg):
    """ranpilot extension: a cell's CIO for A3 ranking (the handover lever at cell level)."""

    style: Literal[1000] = 1000
    action: Literal[3] = 3
    cell: int
    cioDb: float


class Tilt(_Msg):
    """ranpilot extension: a cell's electrical downtilt."""

    style: Literal[1000] = 1000
    action: Literal[4] = 4
    cell: int
    tiltDeg: float


class UePMax(_Msg):
    """ranpilot extension: a cell's p-Max, the UEs' maximum uplink power."""

    style: Literal[1000] = 1000
    action: Literal[5] = 5
    cell: int
    pMaxDbm: float


class MimoPrecoder(_Msg):
    """ranpilot extension: a multi-antenna cell's MU-MIMO precoder, by its index in
    `ranpilot.network.mimo.config.PRECODER_CODES` (0 mrt, 1 zf, 2 rzf, 3 socp, 4 type1, 5 wmmse,
    6 type1_zf)."""

    style: Literal[1000] = 1000
    action: Literal[6] = 6
    cell: int
    precoderIndex: int


class MimoLayers(_Msg):
    """ranpilot extension: how many UEs a multi-antenna cell co-schedules per PRB group."""

    style: Literal[1000] = 1000
    action: Literal[7] = 7
    cell: int
    layers: int


class CsiPrediction(_Msg):
    """ranpilot extension: a multi-antenna cell precodes with predicted (or last reported) CSI."""

    style: Literal[1000] = 1000
    action: Literal[8] = 8
    cell: int
    enabled: bool


class SliceSteering(_Msg):
    """ranpilot extension: how a slice's UEs treat a cell in serving-cell selection, by its index in
    `ranpilot.network.steering.STEERING_CODES` (0 NONE, 1 SHALL, 2 PREFER, 3 AVOID, 4 FORBID)."""

    style: Literal[1000] = 1000
    action: Literal[9] = 9
    cell: int
    sst: int
    preferenceIndex: int


class UeSteering(_Msg):
    """ranpilot extension: how one UE (`ueId`, ranpilot's UE number; the control header's UE id on the
    ASN.1 wire) treats a cell in serving-cell selection, by its index in STEERING_CODES (0 NONE: its
    slice's preference applies)."""

    style: Literal[1000] = 1000
    action: Literal[10] = 10
    cell: int
    ueId: int
    preferenceIndex: int


class UeGuaranteedRate(_Msg):
    """ranpilot extension: the DL bit rate (kbit/s) a cell's scheduler guarantees one UE while serving
    it (0: none)."""

    style: Literal[1000] = 1000
    action: Literal[11] = 11
    cell: int
    ueId: int
    dlKbps: float = Field(ge=0)


class SsbBeams(_Msg):
    """ranpilot extension: how many SSB beams a multi-antenna cell sweeps per burst."""

    style: Literal[1000] = 1000
    action: Literal[12] = 12
    cell: int
    nBeams: int


ControlAction = Annotated[Union[Handover, SlicePrbQuota, TxPower, CellSleep, CellIndividualOffset, Tilt, UePMax,
                                MimoPrecoder, MimoLayers, CsiPrediction, SliceSteering, UeSteering, UeGuaranteedRate,
                                SsbBeams],
                          Field(union_mode="left_to_right")]


class RcControlRequest(_Msg):
    meid: str
    ran_function_id: Literal[3] = RC_RAN_FUNCTION
    request_id: str
    intent_id: str = ""
    actions: list[ControlAction] = Field(min_length=1, description="Applied atomically: all or none.")


class RcControlAck(_Msg):
    request_id: str


class RcControlFailure(_Msg):
    request_id: str
    cause: str


class SubscriptionRequest(_Msg):
    meid: str
    ran_function_id: Literal[2] = KPM_RAN_FUNCTION
    report_period_ms: int = Field(ge=100)
    measurements: list[str] = Field(min_length=1)
    per_ue: bool = False


class SubscriptionResponse(_Msg):
    subscription_id: str


class SubscriptionFailure(_Msg):
    cause: str


class SimStepRequest(_Msg):
    """Advance the simulated network `steps` steps; with `indicate`, due KPM indications are sent
    (before the response) to the subscribers, as the in-process runtime's `step` delivers them."""

    steps: int = Field(ge=0, le=100_000)
    indicate: bool = True


class SimStepResponse(_Msg):
    time_s: float


class TwinRequest(_Msg):
    meid: str = Field(default="", description="empty: whichever node answers")


class TwinState(_Msg):
    """Everything an xApp needs to run an exact digital twin of a simulated node's network."""

    meid: str
    config: dict[str, Any] = Field(description="NetworkConfig")
    seed: int
    state: dict[str, Any] = Field(description="NetState.to_json(): arrays as {dtype, shape, data}")


class AuthRequest(_Msg):
    """The first line a client sends to an E2 node server that has a token (`RANPILOT_E2_TOKEN`)."""

    token: str = Field(max_length=4096)


class AuthResponse(_Msg):
    """The node's answer to an AuthRequest, or to a first line that is not one (refused: the
    node closes the connection without acting on it)."""

    accepted: bool
    cause: str = ""


MESSAGE_TYPES: dict[int, type[BaseModel]] = {
    RIC_INDICATION: KpmIndication, RIC_CONTROL_REQ: RcControlRequest, RIC_CONTROL_ACK: RcControlAck,
    RIC_CONTROL_FAILURE: RcControlFailure, A1_POLICY_REQ: A1PolicyRequest, A1_POLICY_RESP: A1PolicyResponse,
    A1_POLICY_QUERY: A1PolicyQuery,
    RIC_E2_SETUP_REQ: E2SetupRequest, RIC_E2_SETUP_RESP: E2SetupResponse, RIC_E2_SETUP_FAILURE: E2SetupFailure,
    RIC_SUB_REQ: SubscriptionRequest, RIC_SUB_RESP: SubscriptionResponse, RIC_SUB_FAILURE: SubscriptionFailure,
    SIM_STEP_REQ: SimStepRequest, SIM_STEP_RESP: SimStepResponse, TWIN_REQ: TwinRequest, TWIN_RESP: TwinState,
    AUTH_REQ: AuthRequest, AUTH_RESP: AuthResponse,
}
MTYPE_OF = {model: mtype for mtype, model in MESSAGE_TYPES.items()}


def encode(message: BaseModel) -> dict:
    return {"mtype": MTYPE_OF[type(message)], "payload": message.model_dump(mode="json")}


def decode(data: dict) -> BaseModel:
    """Raises KeyError for an unknown mtype and pydantic.ValidationError for a bad payload."""
    return MESSAGE_TYPES[int(data["mtype"])].model_validate(data["payload"])
