"""A1 policy types (JSON Schemas) and how an instance becomes an intent for the agent.

Standard-shaped types: ORAN_QoSTarget_2.0.0, ORAN_TrafficSteeringPreference_2.0.0,
ORAN_SliceSLATarget_1.0.0, ORAN_LoadBalancing_1.0.0 (shaped on the O-RAN A1TD examples,
reduced to the fields the simulated network can act on); ranpilot types:
ranpilot_EnergySaving_1.0.0 and ranpilot_Intent_1.0.0 (a TS 28.312 intent, or plain text).
"""

from __future__ import annotations

from ranpilot.intents.model import Intent
from ranpilot.intents.ts28312 import read_request

_CELLS = {"type": "array", "items": {"type": "integer", "minimum": 0}, "minItems": 1}
STATUS_SCHEMA = {
    "type": "object",
    "properties": {"enforceStatus": {"enum": ["ENFORCED", "NOT_ENFORCED"]}, "enforceReason": {"type": "string"},
                   "fulfilmentStatus": {"enum": ["FULFILLED", "NOT_FULFILLED"]}},
    "required": ["enforceStatus"],
}

POLICY_TYPES: dict[str, dict] = {
    "ORAN_QoSTarget_2.0.0": {
        "type": "object", "additionalProperties": False, "required": ["scope", "qosObjectives"],
        "properties": {
            "scope": {"type": "object", "properties": {"sliceId": {"type": "object", "properties": {"sst": {"type": "integer"}}},
                                                        "cellIdList": _CELLS}},
            "qosObjectives": {"type": "object", "additionalProperties": False,
                              "properties": {"gfbr": {"type": "number", "minimum": 0}, "pdb": {"type": "number", "minimum": 0}}},
        },
    },
    "ORAN_TrafficSteeringPreference_2.0.0": {
        "type": "object", "additionalProperties": False, "required": ["scope", "tspResources"],
        "properties": {"scope": {"type": "object"},
                       "tspResources": {"type": "array", "items": {"type": "object", "required": ["cellIdList", "preference"],
                                                                   "properties": {"cellIdList": _CELLS,
                                                                                  "preference": {"enum": ["SHALL", "PREFER", "AVOID", "FORBID"]}}}}},
    },
    "ORAN_SliceSLATarget_1.0.0": {
        "type": "object", "additionalProperties": False, "required": ["scope", "sliceSlaObjectives"],
        "properties": {
            "scope": {"type": "object", "required": ["sliceId"],
                      "properties": {"sliceId": {"type": "object", "required": ["sst"], "properties": {"sst": {"type": "integer"}}}}},
            "sliceSlaObjectives": {"type": "object", "additionalProperties": False, "minProperties": 1,
                                   "properties": {"maxDlLatency": {"type": "number", "exclusiveMinimum": 0},
                                                  "guaDlThptPerUe": {"type": "number", "minimum": 0}}},
        },
    },
    "ORAN_LoadBalancing_1.0.0": {
        "type": "object", "additionalProperties": False, "required": ["cellIdList", "maxPrbLoadPct"],
        "properties": {"cellIdList": _CELLS, "maxPrbLoadPct": {"type": "number", "minimum": 0, "maximum": 100}},
    },
    "ranpilot_EnergySaving_1.0.0": {
        "type": "object", "additionalProperties": False, "required": ["reductionPct"],
        "properties": {"reductionPct": {"type": "number", "exclusiveMinimum": 0, "maximum": 90}, "cellIdList": _CELLS,
                       "maxWeakRsrpRatioPct": {"type": "number", "minimum": 0, "maximum": 100}},
    },
    "ranpilot_Intent_1.0.0": {
        "type": "object", "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
        "properties": {"text": {"type": "string", "minLength": 1}, "intent": {"type": "object"}},
    },
}
SLICES_BY_SST = {1: "eMBB", 2: "URLLC", 3: "mMTC"}
# The types the ranpilot xApp turns into intents; the others are validated and stored only.
ENFORCED_TYPES = ("ORAN_SliceSLATarget_1.0.0", "ORAN_LoadBalancing_1.0.0", "ranpilot_EnergySaving_1.0.0",
                  "ranpilot_Intent_1.0.0")
NOT_ACTED_ON = {"enforceStatus": "NOT_ENFORCED", "enforceReason": "not yet acted on"}


def _cells(ids: list[int] | None) -> str:
    return f" in cells {', '.join(map(str, ids))}" if ids else ""


def intent_request(type_id: str, payload: dict) -> str | Intent:
    """The intent (plain language, or a TS 28.312 intent) a validated policy instance asks for;
    ValueError for an invalid TS 28.312 intent or a type the xApp does not enforce."""
    if type_id == "ranpilot_Intent_1.0.0":
        return read_request(payload["text"] if "text" in payload else payload["intent"])
    if type_id == "ranpilot_EnergySaving_1.0.0":
        guard = payload.get("maxWeakRsrpRatioPct")
        tail = f" while keeping the weak-RSRP ratio under {guard:g}%" if guard is not None else " while keeping coverage"
        return f"cut energy consumption by {payload['reductionPct']:g}%{_cells(payload.get('cellIdList'))}{tail}"
    if type_id == "ORAN_SliceSLATarget_1.0.0":
        name = SLICES_BY_SST.get(payload["scope"]["sliceId"]["sst"])
        if name is None:
            raise ValueError(f"no slice with sst {payload['scope']['sliceId']['sst']}")
        goals = payload["sliceSlaObjectives"]
        parts = []
        if "maxDlLatency" in goals:
            parts.append(f"{name} latency must stay under {goals['maxDlLatency']:g} ms")
        if "guaDlThptPerUe" in goals:
            parts.append(f"{name} users need at least {goals['guaDlThptPerUe']:g} Mbps each")
        return " and also ".join(parts)
    if type_id == "ORAN_LoadBalancing_1.0.0":
        return f"keep the average PRB load{_cells(payload['cellIdList'])} at most {payload['maxPrbLoadPct']:g}%"
    raise ValueError(f"policy type {type_id} is accepted and stored, but the ranpilot xApp does not enforce it yet")
