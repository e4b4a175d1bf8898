"""A1 policy types against the standard: ranpilot's schemas are the O-RAN schemas in ../shared
(onos-a1-dm, the A1TD v11 transcription) once references are resolved, so every body ranpilot
accepts or sends validates against them; a standard body of each type is accepted and enforced, or
reported NOT_ENFORCED with the standard reason; statuses and callbacks are the standard status
object; a policy id names one policy across types; goals carry the standard units."""

import json

import jsonschema
import numpy as np
import pytest
from fastapi.testclient import TestClient

from ranpilot.intents.ts28312 import goals_of
from ranpilot.network import Network, NetworkConfig
from ranpilot.network.config import DEFAULT_SLICES, Traffic
from ranpilot.oran.a1.policies import Enforcement, NotApplicable, enforcement
from ranpilot.oran.a1.types import POLICY_TYPES, STATUS_SCHEMA, TYPE_IDS
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.settings import Settings
from ranpilot.targets import Target
from tests.a1_helpers import BASE, PLMN, REPORTS, URLLC_SLA, cell, notification_sink, slice_id
from tests.conftest import shared_path

SHARED_SCHEMAS = {
    "ORAN_QoSTarget_2.0.0": ("onos-a1-dm", "policy_schema_qos_target.json"),
    "ORAN_TrafficSteeringPreference_2.0.0": ("onos-a1-dm", "policy_schema_traffic_steering_preference.json"),
    "ORAN_SliceSLATarget_1.0.0": ("onos-a1-dm", "policy_schema_slice_sla_target.json"),
    "ORAN_UELevelTarget_1.0.0": ("onos-a1-dm", "policy_schema_ue_level_target.json"),
    "ORAN_SliceSLATarget_4.0.1": ("a1td_v11", "ORAN_SliceSLATarget_4.0.1.json"),
    "ORAN_LoadBalancing_3.0.0": ("a1td_v11", "ORAN_LoadBalancing_3.0.0.json"),
}
STATUS_SCHEMAS = [("onos-a1-dm", "policy_status.json"), ("a1td_v11", "policy_status_7.1.2.2.json")]
UE = "0123456789abcdef"  # names no UE of ranpilot's 210
KNOWN_UE = "00000000000000a1"  # UE 161 (an eMBB UE of cell 13, `a1.ues`)
UE_V11 = {"guRanUeId": {"globalGnbId": {"plmnId": PLMN, "gnbId": {"gnbIdLength": 22, "gnbIdValue": 1}},
                        "ranUeId": "00000000000000a1"}}  # A1TD v11: a UE is a node id with its id there (UE 161)
EMBB = slice_id(1)

# A standard body of each type (valid against the shared schema, checked below), and the status it gets
BODIES = [
    ("ORAN_SliceSLATarget_4.0.1", URLLC_SLA, "ENFORCED", None),
    ("ORAN_SliceSLATarget_1.0.0", {"scope": {"sliceId": EMBB}, "sliceSlaObjectives": {"guaDlThptPerSlice": 500000},
                                   "sliceSlaResources": {"cellIdList": [cell(3), cell(4)]}}, "ENFORCED", None),
    ("ORAN_QoSTarget_2.0.0", {"scope": {"sliceId": slice_id(2), "qosId": {"5qI": 82}}, "qosObjectives": {"pdb": 10}},
     "ENFORCED", None),
    ("ORAN_QoSTarget_2.0.0", {"scope": {"ueId": UE, "qosId": {"5qI": 8}}, "qosObjectives": {"gfbr": 5000}},
     "NOT_ENFORCED", "SCOPE_NOT_APPLICABLE"),
    ("ORAN_QoSTarget_2.0.0", {"scope": {"qosId": {"5qI": 8}}, "qosObjectives": {"priorityLevel": 2}},
     "NOT_ENFORCED", "STATEMENT_NOT_APPLICABLE"),
    ("ORAN_TrafficSteeringPreference_2.0.0", {"scope": {"sliceId": EMBB}, "tspResources": [
        {"cellIdList": [cell(1), cell(2)], "preference": "AVOID", "primary": True}]}, "ENFORCED", None),
    ("ORAN_UELevelTarget_1.0.0", {"scope": {"ueId": UE}, "ueLevelObjectives": {"dlThroughput": 20000}},
     "NOT_ENFORCED", "SCOPE_NOT_APPLICABLE"),  # no UE 0x0123456789abcdef on this network
    ("ORAN_UELevelTarget_1.0.0", {"scope": {"ueId": KNOWN_UE}, "ueLevelObjectives": {"dlThroughput": 5000}},
     "ENFORCED", None),
    ("ORAN_SliceSLATarget_1.0.0", {"scope": {"sliceId": EMBB}, "sliceSlaObjectives": {"maxNumberOfUes": 100},
                                   "sliceSlaResources": {"taIList": [{"plmnId": EMBB["plmnId"], "tac": "00A1B2"}]}},
     "NOT_ENFORCED", "SCOPE_NOT_APPLICABLE"),
    ("ORAN_SliceSLATarget_4.0.1", {"scope": {"sliceId": EMBB}, "sliceSlaObjectives": {"maxUlThptPerUe": 1000}},
     "NOT_ENFORCED", "STATEMENT_NOT_APPLICABLE"),
    ("ORAN_LoadBalancing_3.0.0", {"scope": {"cellId": cell(4)}, "lbResources": {"cellIdList": [cell(3)]},
                                  "lbObjectives": {"ulLbObjective": {"ulTargetPrbUsg": 50, "ulPrbUsgType": 1}}},
     "NOT_ENFORCED", "STATEMENT_NOT_APPLICABLE"),
    ("ORAN_EnergySaving_3.0.1", {"scope": {"cellIdList": [cell(1)]}, "esObjectives": {"targetPeeEnergy": 3}},
     "NOT_ENFORCED", "STATEMENT_NOT_APPLICABLE"),
    ("ORAN_QoSTarget_6.0.0", {"scope": {"sliceId": slice_id(2), "qosId": {"5qI": 82}}, "qosObjectives": {"pdb": 10}},
     "ENFORCED", None),
    ("ORAN_TrafficSteeringPreference_6.0.0", {"scope": {"ueId": UE_V11}, "tspResources": [
        {"cellIdList": [cell(2)], "preference": "SHALL"}]}, "ENFORCED", None),
    ("ORAN_UELevelTarget_5.0.0", {"scope": {"ueId": UE_V11, "sliceId": EMBB}, "ueLevelObjectives": {"dlThroughput": 5000}},
     "ENFORCED", None),
    ("ORAN_UELevelTarget_5.0.0", {"scope": {"ueId": UE_V11, "sliceId": EMBB}, "ueLevelObjectives": {"dlPacketDelay": 20}},
     "NOT_ENFORCED", "STATEMENT_NOT_APPLICABLE"),
]


def resolved(node, root):
    """A schema with every local $ref replaced by its target and the annotations dropped."""
    if isinstance(node, dict):
        if "$ref" in node:
            kind, name = node["$ref"].split("/")[1:]
            return resolved(root[kind][name], root)
        return {k: resolved(v, root) for k, v in node.items()
                if k not in ("$schema", "$id", "description", "$defs", "definitions")}
    if isinstance(node, list):
        return [resolved(item, root) for item in node]
    return node


def shared_schema(folder: str, name: str) -> dict:
    return json.loads(shared_path("standards", folder, name).read_text())


def stack(tmp_path, network=None, **settings):
    network = network or Network(NetworkConfig(num_ues=210), seed=1)
    return ranpilot_stack(network, Settings(data_dir=tmp_path, **settings), with_knowledge=False)


def with_transcription_omissions(type_id: str, theirs: dict) -> dict:
    """The shared A1TD v11 transcription of SliceSLATarget 4.0.1 keeps only `cellIdList` in
    `sliceSlaResources` (its README says so); A1TD v11 clause 7.2.7.3.1 has `taIList` (common_3.0.0
    TaIList: at least one TaI {plmnId, tac}) beside it, exactly one of the two."""
    if type_id != "ORAN_SliceSLATarget_4.0.1":
        return theirs
    plmn = {"$ref": "#/$defs/PlmnId"}
    tai = {"type": "object", "properties": {"plmnId": plmn, "tac": {"type": "string", "pattern": "^[A-Fa-f0-9]{6}$"}},
           "additionalProperties": False, "required": ["plmnId", "tac"]}
    resources = theirs["properties"]["sliceSlaResources"]
    resources["properties"]["taIList"] = {"type": "array", "items": tai, "minItems": 1}
    resources["oneOf"] = [{"required": ["cellIdList"]}, {"required": ["taIList"]}]
    return theirs


@pytest.mark.parametrize("type_id", sorted(SHARED_SCHEMAS))
def test_ranpilots_schema_is_the_standard_one(type_id):
    theirs = with_transcription_omissions(type_id, shared_schema(*SHARED_SCHEMAS[type_id]))
    assert resolved(POLICY_TYPES[type_id], POLICY_TYPES[type_id]) == resolved(theirs, theirs)


def test_slice_sla_4_takes_tracking_areas_or_cells_not_both(tmp_path):
    """A1TD v11 7.2.7.3.1: `sliceSlaResources` is a cellIdList or a taIList; ranpilot's network has
    no tracking areas, so a taIList policy is stored and reported SCOPE_NOT_APPLICABLE."""
    areas = {"taIList": [{"plmnId": EMBB["plmnId"], "tac": "00A1B2"}]}
    body = {"scope": {"sliceId": EMBB}, "sliceSlaObjectives": {"maxDlPacketDelayPerUe": 20}, "sliceSlaResources": areas}
    schema = POLICY_TYPES["ORAN_SliceSLATarget_4.0.1"]
    jsonschema.validate(body, schema)
    both = {**body, "sliceSlaResources": {**areas, "cellIdList": [cell(3)]}}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(both, schema)
    with TestClient(stack(tmp_path).app) as client:
        assert client.put(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-ta", json=body).status_code == 201
        assert client.get(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-ta/status").json() == {
            "enforceStatus": "NOT_ENFORCED", "enforceReason": "SCOPE_NOT_APPLICABLE"}
        assert client.put(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-both", json=both).status_code == 400


@pytest.mark.parametrize("folder,name", STATUS_SCHEMAS)
def test_the_status_schema_is_the_standard_one(folder, name):
    theirs = shared_schema(folder, name)
    assert resolved(STATUS_SCHEMA, STATUS_SCHEMA) == resolved(theirs, theirs)


def test_every_type_has_an_integer_id_in_the_contracts_range():
    assert set(TYPE_IDS) == set(POLICY_TYPES) and len(set(TYPE_IDS.values())) == len(TYPE_IDS)
    assert all(1 <= number <= 2**31 - 1 for number in TYPE_IDS.values())


@pytest.mark.parametrize("type_id,body,status,reason", BODIES, ids=[f"{b[0]}-{i}" for i, b in enumerate(BODIES)])
def test_a_standard_body_is_accepted_and_enforced_or_reported(tmp_path, type_id, body, status, reason):
    if type_id in SHARED_SCHEMAS:
        jsonschema.validate(body, shared_schema(*SHARED_SCHEMAS[type_id]))
    statuses = [shared_schema(*where) for where in STATUS_SCHEMAS]
    with TestClient(stack(tmp_path).app) as client:
        put = client.put(f"{BASE}/{type_id}/policies/p-1", json=body)
        assert put.status_code == 201, put.json()
        answered = client.get(f"{BASE}/{type_id}/policies/p-1/status").json()
        assert answered == {"enforceStatus": status, **({"enforceReason": reason} if reason else {})}
        for schema in statuses:
            jsonschema.validate(answered, schema)
        report = client.get(f"{REPORTS}/p-1").json()
        assert report["acted"] and report["enforceStatus"] == status
        assert client.get(f"{BASE}/{type_id}").json()["statusSchema"] == STATUS_SCHEMA


def test_the_callback_posts_the_standard_status_object_only(tmp_path):
    with notification_sink() as (sink, received):
        with TestClient(stack(tmp_path, a1_notification_allowlist=[sink]).app) as client:
            for pid, (type_id, body, _, _) in {"p-1": BODIES[0], "p-2": BODIES[3]}.items():
                put = client.put(f"{BASE}/{type_id}/policies/{pid}", json=body,
                                 params={"notificationDestination": f"{sink}/notify"})
                assert put.status_code == 201
    assert received == [{"enforceStatus": "ENFORCED"},
                        {"enforceStatus": "NOT_ENFORCED", "enforceReason": "SCOPE_NOT_APPLICABLE"}]
    for schema in [shared_schema(*where) for where in STATUS_SCHEMAS]:
        for body in received:
            jsonschema.validate(body, schema)


def test_a_policy_id_names_one_policy_across_types(tmp_path):
    lb = {"scope": {"cellId": cell(4)}, "lbResources": {"cellIdList": [cell(3)]},
          "lbObjectives": {"dlLbObjective": {"dlTargetPrbUsg": 80, "dlPrbUsgType": 2}}}
    with TestClient(stack(tmp_path).app) as client:
        assert client.put(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-1", json=URLLC_SLA).status_code == 201
        clash = client.put(f"{BASE}/ORAN_LoadBalancing_3.0.0/policies/p-1", json=lb)
        assert clash.status_code == 409 and "ORAN_SliceSLATarget_4.0.1" in clash.json()["detail"]
        assert client.get(f"{BASE}/ORAN_LoadBalancing_3.0.0/policies").json() == []
        assert client.get(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-1/status").json() == {"enforceStatus": "ENFORCED"}
        assert client.delete(f"{BASE}/ORAN_SliceSLATarget_4.0.1/policies/p-1").status_code == 204
        assert client.put(f"{BASE}/ORAN_LoadBalancing_3.0.0/policies/p-1", json=lb).status_code == 201
        assert client.get(f"{REPORTS}/p-1").json()["enforceReason"] == "STATEMENT_NOT_APPLICABLE"  # peak PRB usage


def goals(result: Enforcement | NotApplicable) -> list[tuple]:
    assert isinstance(result, Enforcement), result
    return [(g.target, g.bound, g.value, g.change_pct, g.cells, g.slice, g.verb) for _, g in goals_of(result.request)]


def test_goals_carry_the_standard_units():
    network = Network(NetworkConfig(num_ues=210), seed=1)
    qos = {"scope": {"sliceId": EMBB, "qosId": {"5qI": 8}, "cellId": cell(2)}, "qosObjectives": {"gfbr": 2500, "pdb": 30}}
    assert goals(enforcement("ORAN_QoSTarget_2.0.0", qos, network)) == [
        (Target.DL_THPT_PER_UE, "min", 2.5, None, [2], "eMBB", "ENSURE"),  # kbit/s -> Mbit/s
        (Target.DL_LATENCY, "max", 30, None, [2], "eMBB", "ENSURE")]
    sla = {"scope": {"sliceId": EMBB}, "sliceSlaObjectives": {"guaDlThptPerSlice": 600000}}
    embb_ues = int((network.ue_slice() == 0).sum())
    ((target, bound, per_ue, *_),) = goals(enforcement("ORAN_SliceSLATarget_1.0.0", sla, network))
    assert (target, bound) == (Target.DL_THPT_PER_UE, "min") and per_ue == pytest.approx(600 / embb_ues)
    lb = {"scope": {"cellId": cell(4)}, "lbResources": {"cellIdList": [cell(5), cell(3)]},
          "lbObjectives": {"dlLbObjective": {"dlTargetPrbUsg": 60, "dlPrbUsgType": 1}}}
    result = enforcement("ORAN_LoadBalancing_3.0.0", lb, network)
    assert goals(result) == [(Target.AVE_DL_PRB_LOAD, "max", 60, None, [4], None, "ENSURE")]
    assert result.scope_cells == [3, 4, 5]  # the source and the candidate cells only


def test_energy_saving_leaves_operational_cells_alone(tmp_path):
    night = Network(NetworkConfig(num_ues=210, start_time_h=2), seed=1)
    policy = {"scope": {"cellIdList": [cell(c) for c in range(21)]}, "esObjectives": {"esPercentage": 10},
              "esResources": [{"operationalCells": [cell(0), cell(1)], "operationalPreference": "FORBID"}]}
    jsonschema.validate(policy, POLICY_TYPES["ORAN_EnergySaving_3.0.1"])
    result = enforcement("ORAN_EnergySaving_3.0.1", policy, night)
    assert result.scope_cells == list(range(2, 21))
    assert goals(result)[0] == (Target.RAN_ENERGY_CONSUMPTION, "max", None, -10, list(range(2, 21)), None, "DELIVER")
    before = night.configuration()
    energy = night.target_value("RANEnergyConsumption", list(range(2, 21)))
    with TestClient(stack(tmp_path, night).app) as client:
        assert client.put(f"{BASE}/ORAN_EnergySaving_3.0.1/policies/es-1", json=policy).status_code == 201
        assert client.get(f"{BASE}/ORAN_EnergySaving_3.0.1/policies/es-1/status").json() == {"enforceStatus": "ENFORCED"}
    changed = {c.cell for c in before.changes(night.configuration(), [s.name for s in night.config.slices])}
    assert changed and not changed & {0, 1}
    assert night.target_value("RANEnergyConsumption", list(range(2, 21))) <= 0.9 * energy


def test_load_balancing_moves_load_only_through_the_candidate_cells(tmp_path):
    bursty = (DEFAULT_SLICES[0].model_copy(update={"traffic": Traffic.BURSTY, "arrivals_per_s": 12.0}),) + DEFAULT_SLICES[1:]
    network = Network(NetworkConfig(num_ues=210, slices=bursty), seed=1)
    load_before, before = network.target_value("AveDLPrbLoad", [4]), network.configuration()
    policy = {"scope": {"cellId": cell(4)}, "lbResources": {"cellIdList": [cell(3), cell(5)]},
              "lbObjectives": {"dlLbObjective": {"dlTargetPrbUsg": 50, "dlPrbUsgType": 1}}}
    with TestClient(stack(tmp_path, network).app) as client:
        assert client.put(f"{BASE}/ORAN_LoadBalancing_3.0.0/policies/lb-1", json=policy).status_code == 201
        report = client.get(f"{REPORTS}/lb-1").json()
    changed = {c.cell for c in before.changes(network.configuration(), [s.name for s in network.config.slices])}
    assert report["acted"] and changed and changed <= {3, 4, 5}, (report, changed)
    assert network.target_value("AveDLPrbLoad", [4]) < load_before - 10  # RC controls moved load off cell 4


def test_a1td_v11_identifies_ues_by_node_and_interface_ids():
    schema = POLICY_TYPES["ORAN_UELevelTarget_5.0.0"]
    jsonschema.validate({"scope": {"ueId": UE_V11}, "ueLevelObjectives": {"dlThroughput": 1}}, schema)
    for ue in (UE, {"guRanUeId": {**UE_V11["guRanUeId"], "ranUeId": "a1"}}, {**UE_V11, "guAmfUeNgapId": {}}):
        with pytest.raises(jsonschema.ValidationError):  # the ONOS string, a short RAN UE id, two kinds at once
            jsonschema.validate({"scope": {"ueId": ue}, "ueLevelObjectives": {"dlThroughput": 1}}, schema)
    amf = {"guAmfUeNgapId": {"guAmI": {"plmnId": PLMN, "amfRegionId": "80", "amfSetId": "3ff", "amfPointer": "3f"},
                             "amfUeNgapId": 2**40 - 1}}
    jsonschema.validate({"scope": {"ueId": amf, "qosId": {"5qI": 9}}, "qosObjectives": {"gfbr": 1}},
                        POLICY_TYPES["ORAN_QoSTarget_6.0.0"])


@pytest.mark.parametrize("body,reason", [
    ({"scope": {"cellIdList": [cell(1)]}}, "'esObjectives' is a required property"),  # no statement
    ({"scope": {"cellIdList": [cell(1)]}, "esObjectives": {"esPercentage": 10, "targetPeeEnergy": 3}}, "esObjectives"),
    ({"scope": {"cellIdList": [cell(1)]}, "esResources": [{"operationalPreference": "FORBID"}]}, "esResources/0"),
    ({"scope": {"cellIdList": []}, "esObjectives": {"esPercentage": 10}}, "scope/cellIdList"),
    ({"scope": {"cellIdList": [cell(1)]}, "esObjectives": {"esPercentage": 12.5}}, "esObjectives/esPercentage"),
])
def test_energy_saving_bodies_outside_a1td_v11_are_refused(tmp_path, body, reason):
    with TestClient(stack(tmp_path).app) as client:
        put = client.put(f"{BASE}/ORAN_EnergySaving_3.0.1/policies/es-1", json=body)
        assert put.status_code == 400 and reason in put.json()["detail"], put.json()


def test_slice_members_are_counted_in_the_scope_cells():
    network = Network(NetworkConfig(num_ues=210), seed=1)
    serving, embb = network.radio().serving, network.ue_slice() == 0
    in_cells = int((embb & np.isin(serving, [3, 4])).sum())
    sla = BODIES[1][1]  # 500,000 kbit/s for eMBB over cells 3 and 4
    ((_, _, per_ue, _, cells, name, _),) = goals(enforcement("ORAN_SliceSLATarget_1.0.0", sla, network))
    assert (cells, name) == ([3, 4], "eMBB") and per_ue == pytest.approx(500 / in_cells)
