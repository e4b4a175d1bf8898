"""A simulated E2 node (one per simulated RAN, meid `gnb-sim-1`): E2SM-KPM subscriptions and
indications from the network's KPIs (names, units and levels as a real gNB reports them:
`ranpilot.oran.e2.kpm`; node-level values under the key `meid` of `measData`), E2SM-RC control
requests applied atomically, answered with an acknowledgement or a failure with its cause.
`RC_CODECS` is the RC half of the action table (`ranpilot.network.action_table`): both
directions of the RC encoding, in JSON and in E2SM-RC (`e2.asn1.e2sm_rc`), derive from it.

The node enforces the radio's hardware limits itself, whoever sends the control (the verifier
sits in the xApp, not here): `Network.apply` refuses transmit power, p-Max and tilt outside their
hardware ranges, non-finite values, unknown cells and slices, and a batch that would put every cell
to sleep; the CIO and PRB ratios keep their RC ranges. The failure's cause names the RC field
(`actions[i].txPowerDbm`), the value and the limit, and nothing of the request is applied."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from pydantic import BaseModel, Field, ValidationError

from ranpilot.network import (
    Action, ActionError, Network, SetCellSleep, SetCio, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
)
from ranpilot.network.actions import (
    SetCsiPrediction, SetMuLayers, SetPrecoder, SetSliceSteering, SetSsbBeams, SetUeGuaranteedRate, SetUeSteering,
)
from ranpilot.network.action_table import kind_of, per_cell_actions
from ranpilot.oran.e2 import kpm
from ranpilot.oran.messages import (
    KPM_RAN_FUNCTION, RC_RAN_FUNCTION, CellIndividualOffset, CellSleep, Handover, KpmIndication, RcControlAck,
    RcControlFailure, RcControlRequest, SlicePrbQuota, Tilt, TxPower, UeMeasurement, UePMax,
)
from ranpilot.oran.messages import (
    CsiPrediction, MimoLayers, MimoPrecoder, SliceSteering, SsbBeams, UeGuaranteedRate, UeSteering,
)

_ACTION_FIELD = re.compile(r"actions\[(?P<index>\d+)\]\.(?P<name>\w+)")


class SubscriptionError(ValueError):
    """A subscription asking for something the node does not measure."""


class Subscription(BaseModel):
    subscription_id: str = Field(default_factory=lambda: f"sub-{uuid.uuid4().hex[:8]}")
    report_period_ms: int = Field(ge=100)
    measurements: list[str] = Field(min_length=1)
    per_ue: bool = False
    next_report_s: float = 0.0


class SimulatedE2Node:
    """`ran_function_ids`: the RAN functions it serves and advertises in E2 Setup (KPM 2, RC 3;
    `ranpilot.oran.e2.ran_functions`); a request to another is refused."""

    def __init__(self, network: Network, meid: str = "gnb-sim-1",
                 ran_function_ids: tuple[int, ...] = (KPM_RAN_FUNCTION, RC_RAN_FUNCTION)):
        self.network, self.meid, self.ran_function_ids = network, meid, ran_function_ids
        self.subscriptions: dict[str, Subscription] = {}

    def subscribe(self, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> Subscription:
        if KPM_RAN_FUNCTION not in self.ran_function_ids:
            raise SubscriptionError(f"{self.meid} does not serve RAN function {KPM_RAN_FUNCTION} (E2SM-KPM)")
        if (why := kpm.unknown_measurements(measurements, per_ue)) is not None:
            raise SubscriptionError(f"{self.meid} {why}")
        sub = Subscription(report_period_ms=report_period_ms, measurements=measurements, per_ue=per_ue,
                           next_report_s=self.network.time_s)
        self.subscriptions[sub.subscription_id] = sub
        return sub

    def due_indications(self) -> list[KpmIndication]:
        """Indications for every subscription whose report period has elapsed."""
        now, out = self.network.time_s, []
        for sub in self.subscriptions.values():
            if now + 1e-9 >= sub.next_report_s:
                out.append(self.indication(sub))
                sub.next_report_s = now + sub.report_period_ms / 1000.0
        return out

    def indication(self, sub: Subscription) -> KpmIndication:
        cell_values, node_values = kpm.cell_values(self.network)
        data = {str(c): _reported(values, sub.measurements) for c, values in cell_values.items()}
        if node := _reported(node_values, sub.measurements):
            data[self.meid] = node
        ues = []
        if sub.per_ue:
            serving, values = kpm.ue_values(self.network, sub.measurements)
            ues = [UeMeasurement(ueId=u, servingCell=int(serving[u]),
                                 measurements={m: kpm.reported(m, float(v[u])) for m, v in values.items()})
                   for u in range(len(serving))]
        return KpmIndication(meid=self.meid, subscription_id=sub.subscription_id, granulPeriod=sub.report_period_ms,
                             collectStartTime=self.network.time_s, measData=data, ueMeasData=ues)

    def control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        """Apply all of a request's actions or none of them."""
        if request.meid != self.meid:
            return RcControlFailure(request_id=request.request_id, cause=f"unknown meid {request.meid!r}")
        if RC_RAN_FUNCTION not in self.ran_function_ids:
            return RcControlFailure(request_id=request.request_id,
                                    cause=f"{self.meid} does not serve RAN function {RC_RAN_FUNCTION} (E2SM-RC)")
        try:
            actions = [_network_action_at(i, a, self.network) for i, a in enumerate(request.actions)]
            self.network.apply(actions)
        except ActionError as exc:
            return RcControlFailure(request_id=request.request_id, cause=str(_in_rc_terms(exc, request)))
        except ValueError as exc:
            return RcControlFailure(request_id=request.request_id, cause=str(exc))
        return RcControlAck(request_id=request.request_id)


def _reported(values: dict[str, float], wanted: list[str]) -> dict[str, float]:
    return {m: kpm.reported(m, values[m]) for m in wanted if m in values}


def _network_action_at(index: int, control: BaseModel, network: Network) -> Action:
    """`network_action` of the request's control at `index`, an ActionError's field placed there."""
    try:
        return network_action(control, network)
    except ActionError as exc:
        raise ActionError(f"actions[{index}].{exc.field}", exc.message) from None


def _in_rc_terms(exc: ActionError, request: RcControlRequest) -> ActionError:
    """The error with its field named as the client sent it: `actions[2].tx_power_dbm` (the network
    action's attribute) becomes `actions[2].txPowerDbm` (the RC control's field)."""
    match = _ACTION_FIELD.fullmatch(exc.field)
    if match is None:
        return exc
    control = request.actions[int(match["index"])]
    fields = RC_CODECS[_BY_CONTROL[type(control)]].fields if type(control) in _BY_CONTROL else {}
    return ActionError(f"actions[{match['index']}].{fields.get(match['name'], match['name'])}", exc.message)


@dataclass(frozen=True)
class RcCodec:
    """How one kind of network action travels as an E2SM-RC control: the RC message class, the RC
    name of each action attribute (`slice` travels as the slice's `sst`), and the RC unit of the
    action's value: RC value = round(value * scale) when scale != 1 (RC ratios are integer percent)."""

    control: type[BaseModel]
    fields: dict[str, str]
    scale: float = 1.0


RC_CODECS: dict[type[Action], RcCodec] = {
    SetTxPower: RcCodec(TxPower, {"cell": "cell", "tx_power_dbm": "txPowerDbm"}),
    SetCellSleep: RcCodec(CellSleep, {"cell": "cell", "asleep": "asleep"}),
    SetCio: RcCodec(CellIndividualOffset, {"cell": "cell", "cio_db": "cioDb"}),
    SetTilt: RcCodec(Tilt, {"cell": "cell", "tilt_deg": "tiltDeg"}),
    SetUePMax: RcCodec(UePMax, {"cell": "cell", "p_max_dbm": "pMaxDbm"}),
    SetSliceQuota: RcCodec(SlicePrbQuota, {"cell": "cell", "slice": "sst", "min_prb_ratio": "minPrbPolicyRatio"},
                           scale=100.0),
    SetPrecoder: RcCodec(MimoPrecoder, {"cell": "cell", "precoder": "precoderIndex"}),
    SetMuLayers: RcCodec(MimoLayers, {"cell": "cell", "layers": "layers"}),
    SetCsiPrediction: RcCodec(CsiPrediction, {"cell": "cell", "enabled": "enabled"}),
    SetSliceSteering: RcCodec(SliceSteering, {"cell": "cell", "slice": "sst", "preference": "preferenceIndex"}),
    SetUeSteering: RcCodec(UeSteering, {"cell": "cell", "ue": "ueId", "preference": "preferenceIndex"}),
    SetUeGuaranteedRate: RcCodec(UeGuaranteedRate, {"cell": "cell", "ue": "ueId", "dl_kbps": "dlKbps"}),
    SetSsbBeams: RcCodec(SsbBeams, {"cell": "cell", "n_beams": "nBeams"}),
}
_BY_CONTROL = {codec.control: action for action, codec in RC_CODECS.items()}


def network_action(control: BaseModel, network: Network) -> Action:
    """The network action an RC control asks for; ValueError for one the node cannot carry out."""
    if isinstance(control, Handover):
        raise ValueError("UNSUPPORTED_ACTION: the simulated node steers UEs by cell individual offsets, not per-UE handover")
    if type(control) not in _BY_CONTROL:
        raise ValueError(f"unknown control action {type(control).__name__}")
    action = _BY_CONTROL[type(control)]
    names = {s.sst: s.name for s in network.config.slices}
    try:
        return action(**{name: _from_rc(action, name, getattr(control, rc_name), names)
                         for name, rc_name in RC_CODECS[action].fields.items()})
    except ValidationError as exc:  # a value outside the action's own range (CIO, PRB ratio, cell id)
        error = exc.errors()[0]
        raise ActionError(str(error["loc"][0]) if error["loc"] else "control",
                          f"{error['input']!r}: {error['msg']}") from None


def control_actions(actions: list[Action], network: Network) -> list[BaseModel]:
    """The RC controls that carry a list of network actions (inverse of network_action); a vector
    action travels as one control per cell."""
    sst = {s.name: s.sst for s in network.config.slices}
    return [_control(a, sst) for batch in actions for a in per_cell_actions(batch)]


def _control(action: Action, sst: dict[str, int]) -> BaseModel:
    codec = RC_CODECS[type(action)]
    return codec.control(**{rc_name: _to_rc(type(action), name, getattr(action, name), sst)
                            for name, rc_name in codec.fields.items()})


def _from_rc(action: type[Action], name: str, value, slice_names: dict[int, str]):
    """One action attribute from its RC field's value."""
    if name == "slice":
        if value not in slice_names:
            raise ActionError("slice", f"no slice with sst {value}; slices: {slice_names}")
        return slice_names[value]
    codes = kind_of(action).codes
    if codes is not None and name == kind_of(action).value:  # a choice travels as its index
        if not 0 <= value < len(codes):
            raise ActionError(name, f"index {value} names no choice; 0..{len(codes) - 1} are {list(codes)}")
        return codes[value]
    scale = RC_CODECS[action].scale
    return value / scale if name == kind_of(action).value and scale != 1.0 else value


def _to_rc(action: type[Action], name: str, value, sst: dict[str, int]):
    """One RC field's value from its action attribute."""
    if name == "slice":
        if value not in sst:
            raise ActionError("slice", f"unknown slice {value!r}; known: {list(sst)}")
        return sst[value]
    codes = kind_of(action).codes
    if codes is not None and name == kind_of(action).value:
        return codes.index(value)
    scale = RC_CODECS[action].scale
    return round(value * scale) if name == kind_of(action).value and scale != 1.0 else value
