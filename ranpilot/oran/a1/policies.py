"""What the ranpilot xApp does with an A1 policy: the TS 28.312 goals it asks for (pursued by the
agent like any intent), or the standard reason it cannot be enforced here.

Identifiers: ranpilot's network is one NR PLMN, the TS 23.003 test PLMN 001-01 (`PLMN`); a cell is
`{"plmnId": PLMN, "cId": {"ncI": <cell index>}}`, the NR cell identity being the cell index as in
the TS 28.312 intents (cell 3 is ncI 3, `000000003`); a slice is `{"sst", "plmnId"}` of a slice of
the network (its slices have no SD). `check_identifiers` refuses others (the service answers 400).

What is enforced (units converted from A1TD's):
- QoSTarget 2.0.0 / 6.0.0 on a slice (its 5QI, optionally one cell): `gfbr` kbit/s -> DlThptPerUE
  at least gfbr/1000 Mbit/s; `pdb` ms -> DlLatency at most pdb ms.
- SliceSLATarget 1.0.0 / 4.0.1 (optionally on `sliceSlaResources` cells): `maxDlPacketDelayPerUe` ms
  -> DlLatency at most; `guaDlThptPerSlice` kbit/s -> DlThptPerUE at least the guarantee shared by
  the slice's UEs in scope when the policy arrives (mean x UEs = the slice's aggregate).
- LoadBalancing 3.0.0, DL mean PRB usage (`dlPrbUsgType` 1) of the scope cell: AveDLPrbLoad at most
  `dlTargetPrbUsg` %; the agent may change only that cell and the `lbResources` candidates.
- EnergySaving 3.0.1 with `esPercentage` on a cell or cell list: RANEnergyConsumption cut by that
  share while WeakRSRPUEShare gets no worse there and in `coverageCells`; `operationalCells` and
  cells whose DL PRB usage is above `dlPrbUsage` are left alone (and out of the measured scope).
- ranpilot_Intent_1.0.0: the text or TS 28.312 intent itself.
- TrafficSteeringPreference 2.0.0 / 6.0.0 on a slice (its 5QI, if named, the slice's): each
  `tspResources` cell's preference (SHALL, PREFER, AVOID, FORBID) becomes the slice's steering
  setting of that cell (`ranpilot.network.steering`), a `Configuration` verified and applied as is,
  not pursued by the agent; `primary: false` (a secondary cell) is not applicable. On one UE
  (`scope/ueId`, `a1.ues`): the same, as that UE's own preferences (`SetUeSteering`).
- UELevelTarget 1.0.0 / 5.0.0 `dlThroughput` kbit/s: the UE's guaranteed DL rate in its cell
  (`SetUeGuaranteedRate`, `a1.ues`), a `Configuration` too.
Everything else a schema allows (group and QCI scopes, UE scopes of QoS targets, a TSP's cell
scope, TA lists, uplink, caps, counts, peak PRB, UE delay and loss targets, an unknown UE) is
accepted, stored and reported NOT_ENFORCED with SCOPE_NOT_APPLICABLE or STATEMENT_NOT_APPLICABLE;
a policy is enforced whole or not at all.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator, Literal

import numpy as np

from ranpilot.intents.goals import Goal, Understanding
from ranpilot.intents.model import Intent
from ranpilot.intents.ts28312 import read_request, to_intent
from ranpilot.network.actions import Action, SetSliceSteering, SetUeSteering
from ranpilot.network.config import SliceSpec
from ranpilot.oran.a1.types import INTENT_TYPE
from ranpilot.oran.a1.ues import PLMN, UeScopeError, scoped_ue, ue_level_target
from ranpilot.targets import Target

Reason = Literal["SCOPE_NOT_APPLICABLE", "STATEMENT_NOT_APPLICABLE"]


class IdentifierError(ValueError):
    """A body naming a cell, slice or PLMN this network does not have; `field` is its JSON path."""

    def __init__(self, field: str, reason: str):
        super().__init__(f"{field}: {reason}")
        self.field, self.reason = field, reason


@dataclass(frozen=True)
class Enforcement:
    """The request the agent pursues, and the cells it may change (None: any)."""

    request: str | Intent
    scope_cells: list[int] | None = None


@dataclass(frozen=True)
class Configuration:
    """Settings a policy asks for directly (traffic steering, UE guarantees): verified and applied as they are."""

    actions: list[Action]
    label: str


@dataclass(frozen=True)
class NotApplicable:
    reason: Reason
    detail: str


@dataclass
class _Policy:
    """One policy being read: its goals, and what cannot be enforced (the first reason wins)."""

    goals: list[Goal] = field(default_factory=list)
    settings: list[Action] = field(default_factory=list)
    problems: list[NotApplicable] = field(default_factory=list)

    def cannot(self, reason: Reason, detail: str) -> None:
        self.problems.append(NotApplicable(reason, detail))


def check_identifiers(body: object, num_cells: int, slices: tuple[SliceSpec, ...]) -> None:
    """Every CellId, SliceId and TaI PLMN in `body` must be this network's (IdentifierError)."""
    ssts = sorted(s.sst for s in slices)
    for where, value in _walk(body, ""):
        if isinstance(value, dict) and "plmnId" in value and value["plmnId"] != PLMN:
            raise IdentifierError(f"{where}/plmnId", f"not this network's PLMN {PLMN['mcc']}-{PLMN['mnc']}")
        if where.endswith("sliceId") and isinstance(value, dict):
            if value.get("sst") not in ssts or "sd" in value:
                named = f"sst {value.get('sst')}" + (f" sd {value['sd']}" if "sd" in value else "")
                raise IdentifierError(where, f"no slice {named} on this network; its slices are sst {ssts}, without SD")
        if isinstance(value, dict) and isinstance(value.get("cId"), dict):
            cell = value["cId"].get("ncI")
            if cell is None:
                raise IdentifierError(f"{where}/cId", "an E-UTRA cell (ecI): this network's cells are NR (ncI)")
            if cell >= num_cells:
                raise IdentifierError(f"{where}/cId/ncI",
                                      f"no cell {cell} on this network; cells are 0..{num_cells - 1}")


def _walk(value: object, path: str) -> Iterator[tuple[str, object]]:
    yield path or "(root)", value
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        yield from _walk(item, f"{path}/{key}" if path else str(key))


def enforcement(type_name: str, body: dict, network) -> Enforcement | Configuration | NotApplicable:
    """What to do with a valid policy body on `network` (a NetworkView). ValueError (an
    IntentInputError) for a ranpilot_Intent body that is not a valid TS 28.312 intent."""
    if type_name == INTENT_TYPE:
        return Enforcement(read_request(body["text"] if "text" in body else body["intent"]))
    policy = _Policy()
    scope_cells = _READERS[type_name](body, network, policy)
    if policy.problems:
        return policy.problems[0]
    if policy.settings:
        described = "; ".join(_described(a) for a in policy.settings)
        return Configuration(policy.settings, f"A1 {type_name}: {described}"[:2000])
    if not policy.goals:
        return NotApplicable("STATEMENT_NOT_APPLICABLE", "no objective the ranpilot xApp can pursue")
    label = f"A1 {type_name}: " + "; ".join(goal.describe() for goal in policy.goals)
    return Enforcement(to_intent(Understanding(text=label[:2000], status="parsed", goals=policy.goals)), scope_cells)


def _described(setting: Action) -> str:
    if isinstance(setting, SetSliceSteering):
        return f"{setting.slice} {setting.preference} cell {setting.cell}"
    if isinstance(setting, SetUeSteering):
        return f"UE {setting.ue} {setting.preference} cell {setting.cell}"
    return f"UE {setting.ue} guaranteed {setting.dl_kbps:g} kbit/s in cell {setting.cell}"


def _cells(cell_ids: list[dict] | None) -> list[int] | None:
    return None if cell_ids is None else sorted({c["cId"]["ncI"] for c in cell_ids})


def _slice(network, slice_id: dict) -> SliceSpec:
    return next(s for s in network.config.slices if s.sst == slice_id["sst"])


def _unsupported(policy: _Policy, objectives: dict, supported: set[str], where: str) -> None:
    if extra := sorted(set(objectives) - supported):
        policy.cannot("STATEMENT_NOT_APPLICABLE", f"{where}: ranpilot does not pursue {extra} "
                      f"(it pursues {sorted(supported)})")


def _qos_target(body: dict, network, policy: _Policy) -> None:
    scope, objectives = body["scope"], body["qosObjectives"]
    if {"ueId", "groupId"} & set(scope) or "qcI" in scope["qosId"]:
        policy.cannot("SCOPE_NOT_APPLICABLE", "ranpilot acts on 5G slices and cells, not on UEs, UE groups or QCIs")
        return
    five_qi = scope["qosId"]["5qI"]
    carriers = [s for s in network.config.slices if s.five_qi == five_qi
                and ("sliceId" not in scope or s.sst == scope["sliceId"]["sst"])]
    if len(carriers) != 1:
        policy.cannot("SCOPE_NOT_APPLICABLE", f"5QI {five_qi} is carried by {len(carriers)} slices in scope, not one")
        return
    cells = _cells([scope["cellId"]] if "cellId" in scope else None)
    _unsupported(policy, objectives, {"gfbr", "pdb"}, "qosObjectives")
    name = carriers[0].name
    if "gfbr" in objectives:
        policy.goals.append(_keep(Target.DL_THPT_PER_UE, "min", objectives["gfbr"] / 1000, cells, name))
    if "pdb" in objectives:
        policy.goals.append(_keep(Target.DL_LATENCY, "max", objectives["pdb"], cells, name))


def _slice_sla(body: dict, network, policy: _Policy) -> None:
    objectives, resources = body["sliceSlaObjectives"], body.get("sliceSlaResources", {})
    if "taIList" in resources:
        policy.cannot("SCOPE_NOT_APPLICABLE", "sliceSlaResources/taIList: ranpilot's network has no tracking areas")
        return
    spec, cells = _slice(network, body["scope"]["sliceId"]), _cells(resources.get("cellIdList"))
    _unsupported(policy, objectives, {"maxDlPacketDelayPerUe", "guaDlThptPerSlice"}, "sliceSlaObjectives")
    if "maxDlPacketDelayPerUe" in objectives:
        policy.goals.append(_keep(Target.DL_LATENCY, "max", objectives["maxDlPacketDelayPerUe"], cells, spec.name))
    if "guaDlThptPerSlice" in objectives:
        ues = _slice_ues(network, spec, cells)
        if ues == 0:
            policy.cannot("STATEMENT_NOT_APPLICABLE", f"guaDlThptPerSlice: no {spec.name} UEs in scope")
        else:
            per_ue_mbps = objectives["guaDlThptPerSlice"] / 1000 / ues
            policy.goals.append(_keep(Target.DL_THPT_PER_UE, "min", per_ue_mbps, cells, spec.name))


def _slice_ues(network, spec: SliceSpec, cells: list[int] | None) -> int:
    index = [s.name for s in network.config.slices].index(spec.name)
    members = network.ue_slice() == index
    if cells is not None:
        members &= np.isin(network.radio().serving, cells)
    return int(members.sum())


def _load_balancing(body: dict, network, policy: _Policy) -> list[int]:
    scope, objectives = body["scope"], body["lbObjectives"]
    source = _cells([scope["cellId"]])
    candidates = _cells(body["lbResources"]["cellIdList"])
    if "sliceId" in scope:
        policy.cannot("SCOPE_NOT_APPLICABLE", "scope/sliceId: ranpilot balances whole cells, not one slice's load")
    _unsupported(policy, objectives, {"dlLbObjective"}, "lbObjectives")
    dl = objectives.get("dlLbObjective")
    if dl is not None and dl["dlPrbUsgType"] != 1:
        policy.cannot("STATEMENT_NOT_APPLICABLE", f"dlPrbUsgType {dl['dlPrbUsgType']:g}: ranpilot measures the mean "
                      "DL PRB usage of a cell (type 1) only")
    elif dl is not None:
        policy.goals.append(_keep(Target.AVE_DL_PRB_LOAD, "max", dl["dlTargetPrbUsg"], source, None))
    return sorted(set(source) | set(candidates))


def _energy_saving(body: dict, network, policy: _Policy) -> list[int] | None:
    scope, objectives, resources = body["scope"], body.get("esObjectives", {}), body.get("esResources", [])
    if "taIList" in scope:
        policy.cannot("SCOPE_NOT_APPLICABLE", "scope/taIList: ranpilot's network has no tracking areas")
        return None
    _unsupported(policy, objectives, {"esPercentage"}, "esObjectives")
    if any("ulPrbUsage" in r for r in resources):
        policy.cannot("STATEMENT_NOT_APPLICABLE", "esResources ulPrbUsage: ranpilot does not measure the uplink")
    kept = {c for r in resources for c in _cells(r.get("operationalCells")) or []}
    load = network.cell_load() * 100
    kept |= {c for r in resources if "dlPrbUsage" in r for c in range(network.num_cells) if load[c] > r["dlPrbUsage"]}
    cells = [c for c in _cells([scope["cellId"]] if "cellId" in scope else scope["cellIdList"]) if c not in kept]
    coverage = sorted({c for r in resources for c in _cells(r.get("coverageCells")) or []} - kept)
    if "esPercentage" in objectives and not cells:
        policy.cannot("STATEMENT_NOT_APPLICABLE", "every scope cell is to stay operational or is too loaded")
    elif "esPercentage" in objectives:
        cut = -objectives["esPercentage"]
        policy.goals.append(Goal(target=Target.RAN_ENERGY_CONSUMPTION, bound="max", change_pct=cut, cells=cells))
        for guarded in [cells] + ([coverage] if coverage else []):
            policy.goals.append(Goal(target=Target.WEAK_RSRP_UE_SHARE, bound="max", change_pct=0.0, cells=guarded,
                                     verb="ENSURE"))
    return [c for c in range(network.num_cells) if c not in kept]


def _ue_level_target(body: dict, network, policy: _Policy) -> None:
    try:
        policy.settings += ue_level_target(body, network)
    except UeScopeError as exc:
        policy.cannot(exc.reason, exc.detail)


def _traffic_steering(body: dict, network, policy: _Policy) -> None:
    scope = body["scope"]
    if "cellId" in scope:
        policy.cannot("SCOPE_NOT_APPLICABLE", "scope/cellId: ranpilot steers UEs wherever they are, "
                      "not while in one cell")
    if "ueId" in scope:
        try:
            ue = scoped_ue(scope, network)
        except UeScopeError as exc:
            policy.cannot(exc.reason, exc.detail)
            return
        policy.settings += [SetUeSteering(cell=c, ue=ue, preference=p) for c, p in _preferences(body, policy)]
        return
    spec = _slice(network, scope["sliceId"])
    if "qosId" in scope and scope["qosId"].get("5qI") != spec.five_qi:
        policy.cannot("SCOPE_NOT_APPLICABLE", f"scope/qosId: slice {spec.name} carries 5QI {spec.five_qi} only")
    policy.settings += [SetSliceSteering(cell=c, slice=spec.name, preference=p) for c, p in _preferences(body, policy)]


def _preferences(body: dict, policy: _Policy) -> list[tuple[int, str]]:
    """(cell, preference) of each `tspResources` cell, sorted by cell; a secondary cell or a cell
    given two preferences is not applicable."""
    preferences: dict[int, str] = {}
    for i, resource in enumerate(body["tspResources"]):
        if resource.get("primary") is False:
            policy.cannot("STATEMENT_NOT_APPLICABLE", f"tspResources/{i}/primary: ranpilot's UEs have one "
                          "(primary) serving cell, no secondary cells")
        for cell in _cells(resource["cellIdList"]):
            if preferences.setdefault(cell, resource["preference"]) != resource["preference"]:
                policy.cannot("STATEMENT_NOT_APPLICABLE", f"tspResources: cell {cell} is both "
                              f"{preferences[cell]} and {resource['preference']}")
    return sorted(preferences.items())


def _keep(target: Target, bound: Literal["min", "max"], value: float, cells: list[int] | None,
          slice_name: str | None) -> Goal:
    return Goal(target=target, bound=bound, value=value, cells=cells, slice=slice_name, verb="ENSURE")


_READERS = {
    "ORAN_QoSTarget_2.0.0": _qos_target,
    "ORAN_QoSTarget_6.0.0": _qos_target,
    "ORAN_SliceSLATarget_1.0.0": _slice_sla,
    "ORAN_SliceSLATarget_4.0.1": _slice_sla,
    "ORAN_LoadBalancing_3.0.0": _load_balancing,
    "ORAN_EnergySaving_3.0.1": _energy_saving,
    "ORAN_TrafficSteeringPreference_2.0.0": _traffic_steering,
    "ORAN_TrafficSteeringPreference_6.0.0": _traffic_steering,
    "ORAN_UELevelTarget_1.0.0": _ue_level_target,
    "ORAN_UELevelTarget_5.0.0": _ue_level_target,
}
