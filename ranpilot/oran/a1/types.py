"""A1 policy types as JSON Schemas (draft 2020-12), written from O-RAN.WG2.A1TD's data model, and
the integer ids the O-RAN SC A1 mediator routes them by.

Two generations of the standard types, as real peers use them:
- `ORAN_QoSTarget_2.0.0`, `ORAN_TrafficSteeringPreference_2.0.0`, `ORAN_SliceSLATarget_1.0.0`,
  `ORAN_UELevelTarget_1.0.0`: the versions ONOS (onos-a1-dm) and the O-RAN SC xApps use (UeId a
  16-hex-digit string; the UE level objectives keep the published key `"dlRlcSduPacketLossRate "`
  and `successProbility`, as those peers send them);
- `ORAN_QoSTarget_6.0.0`, `ORAN_TrafficSteeringPreference_6.0.0`, `ORAN_UELevelTarget_5.0.0`,
  `ORAN_SliceSLATarget_4.0.1`, `ORAN_LoadBalancing_3.0.0`, `ORAN_EnergySaving_3.0.1`: A1TD v11,
  with its common_3.0.0 data types (UeId one of seven globally unique UE ids; `sliceSlaResources` by
  `cellIdList`, as ../shared's transcription has it; the printed schema's typos normalised);
plus ranpilot's own `ranpilot_Intent_1.0.0` (plain text, or a TS 28.312 intent).

Units (A1TD clause 6.3.3): throughputs (gfbr, mfbr, *Thpt*) in kbit/s, delays (pdb,
*PacketDelay*, jitter) in ms, PRB usage in percent, energy (`targetPeeEnergy`) in kWh,
`esPercentage` in percent. Status: the generic policy status schema (A1TD clause 7.1.2.2).

Integer ids (the A1 mediator's `policy_type_id`; the A1 <-> xApp contract allows 1..2^31-1):

| id | policy type |
| --- | --- |
| 21001 | ORAN_QoSTarget_2.0.0 |
| 21002 | ORAN_TrafficSteeringPreference_2.0.0 |
| 21003 | ORAN_SliceSLATarget_1.0.0 |
| 21004 | ORAN_UELevelTarget_1.0.0 |
| 21101 | ORAN_SliceSLATarget_4.0.1 |
| 21102 | ORAN_LoadBalancing_3.0.0 |
| 21103 | ORAN_EnergySaving_3.0.1 |
| 21104 | ORAN_QoSTarget_6.0.0 |
| 21105 | ORAN_TrafficSteeringPreference_6.0.0 |
| 21106 | ORAN_UELevelTarget_5.0.0 |
| 21901 | ranpilot_Intent_1.0.0 |
"""

from __future__ import annotations

from typing import Any

DIALECT = "https://json-schema.org/draft/2020-12/schema"
ENFORCE_REASONS = ("SCOPE_NOT_APPLICABLE", "STATEMENT_NOT_APPLICABLE", "OTHER_REASON")
STATUS_SCHEMA: dict[str, Any] = {
    "$schema": DIALECT, "description": "O-RAN standard policy status (A1TD 7.1.2.2)", "type": "object",
    "properties": {"enforceStatus": {"type": "string", "enum": ["ENFORCED", "NOT_ENFORCED"]},
                   "enforceReason": {"type": "string", "enum": list(ENFORCE_REASONS)}},
    "additionalProperties": False, "required": ["enforceStatus"],
}


def _ref(name: str) -> dict:
    return {"$ref": f"#/$defs/{name}"}


def _obj(properties: dict, required: list[str] | None = None, **extra: Any) -> dict:
    """A closed object (additionalProperties false), as every A1TD structure is."""
    schema: dict[str, Any] = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = required
    return {**schema, **extra}


def _one_of_keys(**alternatives: dict) -> dict:
    """Exactly one of several single-key objects (A1TD presence condition "C": one and only one)."""
    return {"oneOf": [_obj({key: schema}, [key]) for key, schema in alternatives.items()]}


def _int(low: int, high: int) -> dict:
    return {"type": "integer", "minimum": low, "maximum": high}


NUMBER = {"type": "number"}
HEX6 = {"type": "string", "pattern": "^[A-Fa-f0-9]{6}$"}


def _common(cell_list_min_items: bool) -> dict[str, dict]:
    """A1TD common data types (clause 6.3.1, 6.3.2). The ONOS generation's lists have no minItems."""
    cells = {"type": "array", "items": _ref("CellId")}
    areas = {"type": "array", "items": _ref("TaI")}
    if cell_list_min_items:
        cells["minItems"] = areas["minItems"] = 1
    return {
        "PlmnId": _obj({"mcc": {"type": "string", "pattern": "^[0-9]{3}$"},
                        "mnc": {"type": "string", "pattern": "^[0-9]{2,3}$"}}, ["mcc", "mnc"]),
        "SliceId": _obj({"sst": _int(0, 255), "sd": HEX6, "plmnId": _ref("PlmnId")}, ["sst", "plmnId"]),
        "NcI": _int(0, 2**36 - 1),
        "EcI": _int(0, 2**28 - 1),
        "CId": _one_of_keys(ncI=_ref("NcI"), ecI=_ref("EcI")),
        "CellId": _obj({"plmnId": _ref("PlmnId"), "cId": _ref("CId")}, ["plmnId", "cId"]),
        "CellIdList": cells,
        "TaI": _obj({"plmnId": _ref("PlmnId"), "tac": HEX6}, ["plmnId", "tac"]),
        "TaIList": areas,
        "UeId": {"type": "string", "pattern": "^[A-Fa-f0-9]{16}$"},
        "GroupId": _one_of_keys(spId=_int(1, 256), rfspIndex=_int(1, 256)),
        "QosId": _one_of_keys(**{"5qI": _int(1, 256), "qcI": _int(1, 256)}),
        "PreferenceType": {"type": "string", "enum": ["SHALL", "PREFER", "AVOID", "FORBID"]},
        "AvoidanceType": {"type": "string", "enum": ["AVOID", "FORBID"]},
    }


def _ue_ids() -> dict[str, dict]:
    """A1TD v11 common_3.0.0 UE identifiers (clauses 6.3.1.7 to 6.3.1.12): UeId is one of seven
    globally unique UE ids, each a node id with the UE's id on one interface."""

    def hexa(digits: int, first: str = "") -> dict:
        return {"type": "string", "pattern": f"^{first}[A-Fa-f0-9]{{{digits}}}$"}

    def struct(**fields: str) -> dict:
        return _obj({key: _ref(name) for key, name in fields.items()}, list(fields))

    u32 = _int(0, 2**32 - 1)
    return {
        "RanUeId": hexa(16), "MmeGroupId": hexa(4), "MmeCode": hexa(2), "AmfRegionId": hexa(2),
        "AmfSetId": hexa(2, "[0-3]"), "AmfPointer": hexa(1, "[0-3]"),
        "GuMmeI": struct(plmnId="PlmnId", mmeGroupId="MmeGroupId", mmeCode="MmeCode"),
        "MmeUeS1apId": u32, "GuMmeUeS1apId": struct(guMmeI="GuMmeI", mmeUeS1apId="MmeUeS1apId"),
        "GuAmI": struct(plmnId="PlmnId", amfRegionId="AmfRegionId", amfSetId="AmfSetId", amfPointer="AmfPointer"),
        "AmfUeNgapId": _int(0, 2**40 - 1), "GuAmfUeNgapId": struct(guAmI="GuAmI", amfUeNgapId="AmfUeNgapId"),
        "GnbId": _obj({"gnbIdLength": _int(22, 32), "gnbIdValue": u32}, ["gnbIdLength", "gnbIdValue"]),
        "GlobalGnbId": struct(plmnId="PlmnId", gnbId="GnbId"),
        "GuRanUeId": struct(globalGnbId="GlobalGnbId", ranUeId="RanUeId"),
        "GnbCuUeF1apId": u32, "GuGnbCuUeF1apId": struct(globalGnbId="GlobalGnbId", gnbCuUeF1apId="GnbCuUeF1apId"),
        "GnbCuCpUeE1apId": u32,
        "GuGnbCuCpUeE1apId": struct(globalGnbId="GlobalGnbId", gnbCuCpUeE1apId="GnbCuCpUeE1apId"),
        "EnbUeX2apId": _int(0, 4095),
        "EnbId": _one_of_keys(macroEnbId=hexa(5), homeEnbId=hexa(7), shortMacroEnbId=hexa(4, "[0-3]"),
                              longMacroEnbId=hexa(5, "[0-1]")),
        "GlobalEnbId": struct(plmnId="PlmnId", enbId="EnbId"),
        "GuEnbUeX2apId": struct(globalEnbId="GlobalEnbId", enbUeX2apId="EnbUeX2apId"),
        "NgRanNodeUeXnapId": u32,
        "NgEnbId": _one_of_keys(macroNgEnbId=_int(0, 2**20 - 1), shortMacroNgEnbId=_int(0, 2**18 - 1),
                                longMacroNgEnbId=_int(0, 2**21 - 1)),
        "GlobalNgEnbId": struct(plmnId="PlmnId", ngEnbId="NgEnbId"),
        "GlobalNgRanNodeId": _one_of_keys(globalGnbId=_ref("GlobalGnbId"), globalNgEnbId=_ref("GlobalNgEnbId")),
        "GuNgRanNodeUeXnapUeId": struct(globalNgRanNodebId="GlobalNgRanNodeId", ngRanNodeUeXnapId="NgRanNodeUeXnapId"),
        "UeId": _one_of_keys(**{key: _ref(key[0].upper() + key[1:]) for key in (
            "guRanUeId", "guAmfUeNgapId", "guMmeUeS1apId", "guGnbCuUeF1apId", "guGnbCuCpUeE1apId", "guEnbUeX2apId",
            "guNgRanNodeUeXnapUeId")}),
    }


def _policy(description: str, properties: dict, required: list[str], defs: dict, **extra: Any) -> dict:
    return {"$schema": DIALECT, "description": description, **_obj(properties, required, **extra), "$defs": defs}


def _scope(*variants: tuple[list[str], list[str]]) -> dict:
    """`scope` as an anyOf of closed objects: (identifiers allowed, identifiers required) each."""
    return {"anyOf": [_obj({key: _ref(key[0].upper() + key[1:]) for key in allowed}, required)
                      for allowed, required in variants]}


def _reliability(success_key: str, bounded: bool) -> dict:
    probability = {"type": "number", "minimum": 0, "maximum": 1} if bounded else NUMBER
    keys = ["packetSize", "userPlaneLatency", success_key]
    return {"type": "object", "properties": {"packetSize": NUMBER, "userPlaneLatency": NUMBER, success_key: probability},
            "required": keys}


def _objectives(names: list[str], **special: dict) -> dict:
    """At least one of number-valued objectives (A1TD presence condition "C": at least one)."""
    return {"type": "object", "properties": {**{n: NUMBER for n in names}, **special},
            "minProperties": 1, "additionalProperties": False}


def _scoped_types(defs: dict, names: tuple[str, str, str]) -> dict[str, dict]:
    """QoS target, traffic steering preference and UE level target: the same shapes in the ONOS
    generation and A1TD v11, over each generation's common data types; `names` their type ids."""
    qos = _policy("O-RAN standard QoS Target policy", {
        "scope": _scope((["ueId", "groupId", "qosId", "cellId"], ["ueId", "qosId"]),
                        (["ueId", "sliceId", "qosId", "cellId"], ["ueId", "qosId"]),
                        (["groupId", "qosId", "cellId"], ["groupId", "qosId"]),
                        (["sliceId", "qosId", "cellId"], ["sliceId", "qosId"]),
                        (["qosId", "cellId"], ["qosId"])),
        "qosObjectives": _objectives(["gfbr", "mfbr", "priorityLevel", "pdb"])}, ["scope", "qosObjectives"], defs)
    tsp_resource = _obj({"cellIdList": _ref("CellIdList"), "preference": _ref("PreferenceType"),
                         "primary": {"type": "boolean"}}, ["cellIdList", "preference"])
    tsp = _policy("O-RAN standard Traffic Steering Preference policy", {
        "scope": _scope((["ueId", "sliceId", "qosId", "cellId"], ["ueId"]),
                        (["sliceId", "qosId", "cellId"], ["sliceId"])),
        "tspResources": {"type": "array", "items": _ref("TspResource"), "minItems": 1}},
        ["scope", "tspResources"], {**defs, "TspResource": tsp_resource})
    ue_level = _policy("O-RAN standard UE Level Target policy", {
        "scope": _scope((["ueId", "groupId", "sliceId", "cellId"], ["ueId"]),
                        (["ueId", "groupId", "sliceId", "qosId", "cellId"], ["ueId", "qosId"]),
                        (["ueId", "sliceId", "qosId", "cellId"], ["ueId", "sliceId"])),
        "ueLevelObjectives": _objectives(["ulThroughput", "dlThroughput", "ulPacketDelay", "dlPacketDelay",
                                          "ulPdcpSduPacketLossRate", "dlRlcSduPacketLossRate "],
                                         dlReliability=_ref("ReliabilityType"), ulReliability=_ref("ReliabilityType"))},
        ["scope", "ueLevelObjectives"], {**defs, "ReliabilityType": _reliability("successProbility", False)})
    return dict(zip(names, (qos, tsp, ue_level)))


def _onos_types() -> dict[str, dict]:
    defs = _common(cell_list_min_items=False)
    sla = _policy("O-RAN standard slice SLA policy", {
        "scope": _obj({"sliceId": _ref("SliceId")}, ["sliceId"]),
        "sliceSlaObjectives": _objectives(["maxNumberOfUes", "maxNumberOfPduSessions", "guaDlThptPerSlice",
                                           "maxDlThptPerSlice", "maxDlThptPerUe", "guaUlThptPerSlice",
                                           "maxUlThptPerSlice", "maxUlThptPerUe"]),
        "sliceSlaResources": _obj({"cellIdList": _ref("CellIdList"), "taIList": _ref("TaIList")},
                                  oneOf=[{"required": ["cellIdList"]}, {"required": ["taIList"]}])},
        ["scope", "sliceSlaObjectives"], defs)
    names = ("ORAN_QoSTarget_2.0.0", "ORAN_TrafficSteeringPreference_2.0.0", "ORAN_UELevelTarget_1.0.0")
    return {**_scoped_types(defs, names), "ORAN_SliceSLATarget_1.0.0": sla}


def _a1td_v11_types() -> dict[str, dict]:
    defs = {**_common(cell_list_min_items=True), **_ue_ids()}
    loss = {"type": "number", "minimum": 0, "maximum": 1}
    sla = _policy("O-RAN standard slice SLA policy", {
        "scope": _obj({"sliceId": _ref("SliceId")}, ["sliceId"]),
        "sliceSlaObjectives": _objectives(
            ["maxNumberOfUes", "maxNumberOfPduSessions", "guaDlThptPerSlice", "maxDlThptPerSlice", "maxDlThptPerUe",
             "guaUlThptPerSlice", "maxUlThptPerSlice", "maxUlThptPerUe", "maxDlPacketDelayPerUe",
             "maxUlPacketDelayPerUe", "maxDlJitterPerUe", "maxUlJitterPerUe", "maxDlPktSize", "maxUlPktSize"],
            maxDlPdcpSduPacketLossRatePerUe=loss, maxUlRlcSduPacketLossRatePerUe=loss,
            minDlReliabilityPerUe=_ref("ReliabilityType"), minUlReliabilityPerUe=_ref("ReliabilityType"),
            dlSlicePriority={"type": "number", "minimum": 1}, ulSlicePriority={"type": "number", "minimum": 1}),
        "sliceSlaResources": _obj({"cellIdList": _ref("CellIdList"), "taIList": _ref("TaIList")},
                                  oneOf=[{"required": ["cellIdList"]}, {"required": ["taIList"]}])},
        ["scope", "sliceSlaObjectives"], {**defs, "ReliabilityType": _reliability("successProbability", True)})
    percent = {"type": "number", "minimum": 0, "maximum": 100}
    usage_type = {"type": "number", "minimum": 1, "maximum": 4}
    dl = _obj({"dlTargetPrbUsg": percent, "dlPrbUsgType": usage_type}, ["dlTargetPrbUsg", "dlPrbUsgType"])
    ul = _obj({"ulTargetPrbUsg": percent, "ulPrbUsgType": usage_type}, ["ulTargetPrbUsg", "ulPrbUsgType"])
    both = {"dlLbObjective": _ref("DlLbObjective"), "ulLbObjective": _ref("UlLbObjective")}
    lb = _policy("O-RAN standard Load Balancing policy", {
        "scope": _scope((["sliceId", "cellId"], ["cellId"])),
        "lbObjectives": {"anyOf": [_obj(both, list(both), maxProperties=2)] +
                         [_obj({key: schema}, [key], maxProperties=1) for key, schema in both.items()]},
        "lbResources": _obj({"cellIdList": _ref("CellIdList")}, ["cellIdList"])},
        ["scope", "lbResources", "lbObjectives"], {**defs, "DlLbObjective": dl, "UlLbObjective": ul})
    names = ("ORAN_QoSTarget_6.0.0", "ORAN_TrafficSteeringPreference_6.0.0", "ORAN_UELevelTarget_5.0.0")
    return {**_scoped_types(defs, names), "ORAN_SliceSLATarget_4.0.1": sla, "ORAN_LoadBalancing_3.0.0": lb,
            "ORAN_EnergySaving_3.0.1": _energy_saving(defs)}


def _energy_saving(defs: dict) -> dict:
    """ORAN_EnergySaving_3.0.1 (A1TD v11 clause 7.2.9): scope by one cell, a cell list or a TA list;
    esObjectives one of targetPeeEnergy (kWh) or esPercentage; esResources conditions on cells."""
    prb = _int(0, 100)
    operational = {"operationalCells": _ref("CellIdList"), "operationalPreference": _ref("AvoidanceType")}
    coverage = {"coverageCells": _ref("CellIdList"), "coveragePreference": _ref("AvoidanceType")}
    usage = {"dlPrbUsage": prb, "ulPrbUsage": prb}
    resource = {"oneOf": [_obj({**operational, **usage}, list(operational)), _obj({**coverage, **usage}, list(coverage)),
                          _obj({**operational, **coverage, **usage}, [*operational, *coverage])]}
    return _policy("O-RAN standard Energy saving policy", {
        "scope": {"anyOf": [_obj({"cellId": _ref("CellId")}, ["cellId"]),
                            _obj({"cellIdList": _ref("CellIdList")}, ["cellIdList"]),
                            _obj({"taIList": _ref("TaIList")}, ["taIList"])]},
        "esObjectives": _one_of_keys(targetPeeEnergy={"type": "integer"}, esPercentage=_int(0, 100)),
        "esResources": {"type": "array", "items": _ref("EsResource"), "minItems": 1}},
        [], {**defs, "EsResource": resource},
        anyOf=[{"required": ["scope", "esObjectives"]}, {"required": ["scope", "esResources"]}])


INTENT_TYPE = "ranpilot_Intent_1.0.0"
_INTENT = {"$schema": DIALECT, "description": "ranpilot: an intent, as plain text or a TS 28.312 Intent object",
           "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
           "properties": {"text": {"type": "string", "minLength": 1}, "intent": {"type": "object"}}}

POLICY_TYPES: dict[str, dict] = {**_onos_types(), **_a1td_v11_types(), INTENT_TYPE: _INTENT}
TYPE_IDS: dict[str, int] = {
    "ORAN_QoSTarget_2.0.0": 21001, "ORAN_TrafficSteeringPreference_2.0.0": 21002,
    "ORAN_SliceSLATarget_1.0.0": 21003, "ORAN_UELevelTarget_1.0.0": 21004,
    "ORAN_SliceSLATarget_4.0.1": 21101, "ORAN_LoadBalancing_3.0.0": 21102, "ORAN_EnergySaving_3.0.1": 21103,
    "ORAN_QoSTarget_6.0.0": 21104, "ORAN_TrafficSteeringPreference_6.0.0": 21105, "ORAN_UELevelTarget_5.0.0": 21106,
    INTENT_TYPE: 21901,
}
TYPE_NAMES: dict[int, str] = {number: name for name, number in TYPE_IDS.items()}
