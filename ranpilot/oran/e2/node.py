"""A simulated E2 node (one per simulated RAN, meid `gnb-sim-1`): E2SM-KPM subscriptions and
indications from the network's KPIs, E2SM-RC control requests applied atomically, answered
with an acknowledgement or a failure with its cause."""

from __future__ import annotations

import uuid

from pydantic import BaseModel, Field

from ranpilot.network import (
    Action, ActionError, Network, SetCellSleep, SetCio, SetPowerVector, SetSliceQuota, SetTilt, SetTxPower, SetUePMax,
)
from ranpilot.oran.messages import (
    CellIndividualOffset, CellSleep, Handover, KpmIndication, RcControlAck, RcControlFailure, RcControlRequest,
    SlicePrbQuota, Tilt, TxPower, UeMeasurement, UePMax,
)

CELL_MEASUREMENTS = ("DRB.UEThpDl", "RRU.PrbUsedDl", "RRU.PrbAvailDl", "RRU.PrbTotDl", "DRB.RlcSduDelayDl",
                     "L1M.SS-RSRP", "PEE.AvgPower")
UE_MEASUREMENTS = ("DRB.UEThpDl", "L1M.SS-RSRP", "CQI", "SINR")


class SubscriptionError(ValueError):
    """A subscription asking for something the node does not measure."""


class Subscription(BaseModel):
    subscription_id: str = Field(default_factory=lambda: f"sub-{uuid.uuid4().hex[:8]}")
    report_period_ms: int = Field(ge=100)
    measurements: list[str] = Field(min_length=1)
    per_ue: bool = False
    next_report_s: float = 0.0


class SimulatedE2Node:
    def __init__(self, network: Network, meid: str = "gnb-sim-1"):
        self.network, self.meid = network, meid
        self.subscriptions: dict[str, Subscription] = {}

    def subscribe(self, report_period_ms: int, measurements: list[str], per_ue: bool = False) -> Subscription:
        supported = set(CELL_MEASUREMENTS) | (set(UE_MEASUREMENTS) if per_ue else set())
        unknown = sorted(set(measurements) - supported)
        if unknown:
            raise SubscriptionError(f"{self.meid} does not measure {unknown}; it offers {sorted(supported)} "
                                    "(the simulator is downlink-only, so DRB.UEThpUl is not available)")
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
        obs = self.network.observe()
        cells = {str(c.cell): {m: c.measurements[m] for m in sub.measurements if m in c.measurements} for c in obs.cells}
        ues = []
        if sub.per_ue:
            r = self.network.radio()
            values = {"DRB.UEThpDl": r.thp_bps / 1e3, "L1M.SS-RSRP": r.rsrp_dbm, "CQI": r.cqi, "SINR": r.sinr_db}
            ues = [UeMeasurement(ueId=u, servingCell=int(r.serving[u]),
                                 measurements={m: float(values[m][u]) for m in sub.measurements if m in values})
                   for u in range(len(r.serving))]
        return KpmIndication(meid=self.meid, subscription_id=sub.subscription_id, granulPeriod=sub.report_period_ms,
                             collectStartTime=obs.time_s, measData=cells, ueMeasData=ues)

    def control(self, request: RcControlRequest) -> RcControlAck | RcControlFailure:
        """Apply all of a request's actions or none of them."""
        if request.meid != self.meid:
            return RcControlFailure(request_id=request.request_id, cause=f"unknown meid {request.meid!r}")
        try:
            actions = [network_action(a, self.network) for a in request.actions]
            self.network.apply(actions)
        except (ActionError, ValueError) as exc:
            return RcControlFailure(request_id=request.request_id, cause=str(exc))
        return RcControlAck(request_id=request.request_id)


def network_action(action, network: Network) -> Action:
    if isinstance(action, TxPower):
        return SetTxPower(cell=action.cell, tx_power_dbm=action.txPowerDbm)
    if isinstance(action, CellSleep):
        return SetCellSleep(cell=action.cell, asleep=action.asleep)
    if isinstance(action, CellIndividualOffset):
        return SetCio(cell=action.cell, cio_db=action.cioDb)
    if isinstance(action, Tilt):
        return SetTilt(cell=action.cell, tilt_deg=action.tiltDeg)
    if isinstance(action, UePMax):
        return SetUePMax(cell=action.cell, p_max_dbm=action.pMaxDbm)
    if isinstance(action, SlicePrbQuota):
        names = {s.sst: s.name for s in network.config.slices}
        if action.sst not in names:
            raise ValueError(f"no slice with sst {action.sst}; slices: {names}")
        return SetSliceQuota(cell=action.cell, slice=names[action.sst], min_prb_ratio=action.minPrbPolicyRatio / 100.0)
    if isinstance(action, Handover):
        raise ValueError("UNSUPPORTED_ACTION: the simulated node steers UEs by cell individual offsets, not per-UE handover")
    raise ValueError(f"unknown control action {type(action).__name__}")


def control_actions(actions: list[Action], network: Network) -> list:
    """The RC control actions that carry a list of network actions (inverse of network_action)."""
    sst = {s.name: s.sst for s in network.config.slices}
    out: list = []
    for a in actions:
        if isinstance(a, SetPowerVector):
            out += [TxPower(cell=c, txPowerDbm=p) for c, p in enumerate(a.tx_power_dbm)]
        elif isinstance(a, SetTxPower):
            out.append(TxPower(cell=a.cell, txPowerDbm=a.tx_power_dbm))
        elif isinstance(a, SetCellSleep):
            out.append(CellSleep(cell=a.cell, asleep=a.asleep))
        elif isinstance(a, SetCio):
            out.append(CellIndividualOffset(cell=a.cell, cioDb=a.cio_db))
        elif isinstance(a, SetTilt):
            out.append(Tilt(cell=a.cell, tiltDeg=a.tilt_deg))
        elif isinstance(a, SetUePMax):
            out.append(UePMax(cell=a.cell, pMaxDbm=a.p_max_dbm))
        elif isinstance(a, SetSliceQuota):
            out.append(SlicePrbQuota(cell=a.cell, sst=sst[a.slice], minPrbPolicyRatio=round(100 * a.min_prb_ratio)))
    return out
