"""A1 policies scoped to one UE: which of the network's UEs an A1 `ueId` names, and what a UE level
target asks of the scheduler.

UE identifiers (A1 `scope/ueId` -> ranpilot's UE number, the index the simulator and the E2 node's
KPM and RC messages use):
- ORAN_*_2.0.0 / UELevelTarget 1.0.0 (ONOS generation): `UeId` is 16 hex digits, read as the number
  (`"00000000000000a1"` is UE 161);
- A1TD v11 (common_3.0.0): `guRanUeId` {globalGnbId, ranUeId (16 hex digits)} or `guGnbCuUeF1apId`
  {globalGnbId, gnbCuUeF1apId} of ranpilot's gNB (PLMN 001-01, 22-bit gNB id 1, as the E2 node's
  E2 Setup says); the F1AP id is the gNB-CU-UE-F1AP-ID E2SM-RC's UE id carries. The other five
  kinds (AMF, MME, E1AP, X2AP, XnAP ids) name a UE through a core or neighbour node ranpilot lacks.
A UE number the network does not have, another gNB or another id kind is a `UeScopeError` with
SCOPE_NOT_APPLICABLE: the policy is stored and reported NOT_ENFORCED (UEs come and go).

UE level target (UELevelTarget 1.0.0 / 5.0.0): `dlThroughput` (kbit/s) becomes the DL rate the UE's
cell guarantees it (`SetUeGuaranteedRate`): the scope's `cellId`, or the cell serving the UE when
the policy arrives. Other objectives (uplink, delay, loss, reliability) are not pursued.
"""

from __future__ import annotations

from ranpilot.network.actions import SetUeGuaranteedRate

PLMN = {"mcc": "001", "mnc": "01"}  # ranpilot's network: the TS 23.003 test PLMN (`a1.policies`)
GNB_ID = {"gnbIdLength": 22, "gnbIdValue": 1}  # the simulated E2 node's gNB (e2.ran_functions.setup_request)
UE_LEVEL_OBJECTIVES = {"dlThroughput"}


class UeScopeError(ValueError):
    """A UE scope ranpilot cannot act on; `reason` is the standard enforceReason."""

    def __init__(self, detail: str, reason: str = "SCOPE_NOT_APPLICABLE"):
        super().__init__(detail)
        self.reason, self.detail = reason, detail


def ue_number(ue_id: str | dict, num_ues: int) -> int:
    """ranpilot's UE number for an A1 UeId (either generation); UeScopeError when it names no UE here."""
    if isinstance(ue_id, str):
        number = int(ue_id, 16)
    else:
        kind, value = next(iter(ue_id.items()))
        local = {"guRanUeId": "ranUeId", "guGnbCuUeF1apId": "gnbCuUeF1apId"}.get(kind)
        if local is None:
            raise UeScopeError(f"scope/ueId: a {kind} names a UE through a node ranpilot's network lacks; "
                               "ranpilot identifies UEs by guRanUeId or guGnbCuUeF1apId")
        gnb = value["globalGnbId"]
        if gnb != {"plmnId": PLMN, "gnbId": GNB_ID}:
            raise UeScopeError(f"scope/ueId/{kind}/globalGnbId: not ranpilot's gNB (PLMN 001-01, gNB id 1 of 22 bits)")
        number = value[local] if isinstance(value[local], int) else int(value[local], 16)
    if not 0 <= number < num_ues:
        raise UeScopeError(f"scope/ueId: no UE {number} on this network; its UEs are 0..{num_ues - 1}")
    return number


def scoped_ue(scope: dict, network) -> int:
    """The UE a UE-scoped policy names, checked against the scope's slice and 5QI (which must be the
    UE's); UeScopeError for a UE group or a scope that does not fit the UE."""
    ue = ue_number(scope["ueId"], len(network.ue_slice()))
    spec = network.config.slices[int(network.ue_slice()[ue])]
    if "groupId" in scope:
        raise UeScopeError("scope/groupId: ranpilot has no UE groups (SPID / RFSP index)")
    if "sliceId" in scope and scope["sliceId"]["sst"] != spec.sst:
        raise UeScopeError(f"scope/sliceId: UE {ue} is in slice {spec.name} (sst {spec.sst})")
    qos = scope.get("qosId", {})
    if "qcI" in qos or qos.get("5qI", spec.five_qi) != spec.five_qi:
        raise UeScopeError(f"scope/qosId: UE {ue}'s slice {spec.name} carries 5QI {spec.five_qi} only")
    return ue


def ue_level_target(body: dict, network) -> list[SetUeGuaranteedRate]:
    """The guaranteed rate a UE level target asks for; UeScopeError for what ranpilot cannot pursue."""
    scope, objectives = body["scope"], body["ueLevelObjectives"]
    ue = scoped_ue(scope, network)
    if extra := sorted(set(objectives) - UE_LEVEL_OBJECTIVES):
        raise UeScopeError(f"ueLevelObjectives: ranpilot does not pursue {extra} (it pursues "
                           f"{sorted(UE_LEVEL_OBJECTIVES)})", "STATEMENT_NOT_APPLICABLE")
    cell = scope["cellId"]["cId"]["ncI"] if "cellId" in scope else int(network.radio().serving[ue])
    return [SetUeGuaranteedRate(cell=cell, ue=ue, dl_kbps=objectives["dlThroughput"])]
