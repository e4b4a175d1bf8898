"""A1 policies scoped to one UE: the simulator's per-UE levers (a UE's own steering preference per
cell, a guaranteed DL rate in the PF scheduler), their typed actions through configuration changes,
rollbacks and the verifier's pack rule, their RC controls with the UE id on both E2 wires, the A1
UE id -> UE number mapping, and TSP / UELevelTarget policies on a UE enforced by the ranpilot xApp."""

import json

import jsonschema
import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.network import Network, NetworkConfig, parse_actions
from ranpilot.network.actions import ActionError, SetSliceSteering, SetUeGuaranteedRate, SetUeSteering
from ranpilot.network.state import NetState
from ranpilot.network.steering import STEERING_OFFSET_DB, ue_bias_db
from ranpilot.oran.a1.types import POLICY_TYPES
from ranpilot.oran.a1.ues import UeScopeError, ue_number
from ranpilot.oran.e2.asn1.codec import decode_type
from ranpilot.oran.e2.asn1.e2sm_rc import control_payloads, read_control
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import A1PolicyRequest, RcControlAck, RcControlRequest, UeGuaranteedRate, UeSteering
from ranpilot.oran.xapp import E2ControlledNetwork, InProcessRuntime
from ranpilot.policies.pack import load_pack
from ranpilot.policies.verifier import Proposal, Verifier
from ranpilot.settings import Settings
from tests.a1_helpers import PLMN, cell, slice_id
from tests.conftest import shared_path

UE, CELL = 85, 16  # on the network below: an eMBB UE of the busiest cell, 23.08 Mbit/s at its fair share
FAIR_MBPS = 23.079161


def network() -> Network:
    return Network(NetworkConfig(num_ues=210), seed=1)


def hex_id(ue: int) -> str:
    return f"{ue:016x}"


def v11_id(ue: int, gnb: int = 1, kind: str = "guRanUeId") -> dict:
    node = {"plmnId": PLMN, "gnbId": {"gnbIdLength": 22, "gnbIdValue": gnb}}
    local = {"ranUeId": hex_id(ue)} if kind == "guRanUeId" else {"gnbCuUeF1apId": ue}
    return {kind: {"globalGnbId": node, **local}}


def test_a_ues_own_preference_overrides_its_slices_for_that_ue_only():
    slice_steering, ue_steering = np.zeros((3, 2), dtype=int), np.zeros((3, 2), dtype=int)
    slice_steering[0, 0] = 2  # slice 0 PREFERs cell 0
    ue_steering[0, 1], ue_steering[2, 0] = 4, 3  # UE 1 FORBIDs cell 0, UE 0 AVOIDs cell 2
    bias = ue_bias_db(slice_steering, np.array([0, 0]), ue_steering)
    assert bias[0].tolist() == [STEERING_OFFSET_DB, 0.0, -STEERING_OFFSET_DB]
    assert bias[1].tolist() == [-np.inf, 0.0, 0.0]
    assert ue_bias_db(np.zeros((3, 2), dtype=int), np.array([0, 0]), np.zeros((3, 2), dtype=int)) is None


def test_forbid_moves_that_ue_off_its_cell_and_no_other_ue():
    net = network()
    before = net.radio().serving.copy()
    configuration = net.configuration()
    net.apply([SetUeSteering(cell=CELL, ue=UE, preference="FORBID")])
    after = net.radio().serving
    assert before[UE] == CELL and after[UE] != CELL
    assert np.array_equal(np.delete(after, UE), np.delete(before, UE))
    net.apply([SetSliceSteering(cell=int(after[UE]), slice="eMBB", preference="SHALL")])
    assert net.radio().serving[UE] != CELL  # the UE's FORBID outranks its slice's SHALL elsewhere
    changes = configuration.changes(net.configuration(), [s.name for s in net.config.slices])
    assert [(c.parameter, c.cell, c.slice, c.ue, c.after) for c in changes] == [
        ("slice_steering", int(after[UE]), "eMBB", None, 1.0), ("ue_steering", CELL, None, UE, 4.0)]
    net.set_configuration(configuration)
    assert net.configuration().equals(configuration) and net.radio().serving[UE] == CELL


def test_a_guaranteed_rate_lifts_the_ue_to_it_at_its_cell_neighbours_expense():
    net, plain = network(), network()
    served = plain.radio().serving == CELL
    others = served & (np.arange(len(served)) != UE)
    base = plain.radio()
    assert base.thp_bps[UE] / 1e6 == pytest.approx(FAIR_MBPS, abs=1e-5)
    net.apply([SetUeGuaranteedRate(cell=CELL, ue=UE, dl_kbps=40000)])
    lifted = net.radio()
    assert lifted.thp_bps[UE] / 1e6 == pytest.approx(40.0)
    assert lifted.thp_bps[others].mean() < base.thp_bps[others].mean()  # 18.96 -> 18.10 Mbit/s
    assert lifted.cell_prb_used[CELL] == pytest.approx(net.config.num_prb)
    assert np.array_equal(lifted.thp_bps[~served], base.thp_bps[~served])  # other cells untouched this step
    below = network()
    below.apply([SetUeGuaranteedRate(cell=CELL, ue=UE, dl_kbps=20000)])  # under its fair share: nothing changes
    assert np.array_equal(below.radio().thp_bps, base.thp_bps)


def test_the_pack_bounds_one_ues_guarantee_and_a_cells_guarantees_together():
    net = network()
    radio = net.radio()
    ues = np.flatnonzero((radio.serving == CELL) & (net.ue_slice() == 0))[:3]  # eMBB: full buffer
    verdict = Verifier(load_pack(), dry_run=False).verify(
        Proposal(actions=[SetUeGuaranteedRate(cell=CELL, ue=UE, dl_kbps=90000)]), net)
    assert [(v.rule_id, v.object) for v in verdict.violations] == [("ue.guarantee_share", f"cell {CELL} UE {UE}")]
    many = [SetUeGuaranteedRate(cell=CELL, ue=int(u), dl_kbps=0.19 * 273 * rate_kbps(net, int(u))) for u in ues]
    verdict = Verifier(load_pack(), dry_run=False).verify(Proposal(actions=many), net)
    assert [(v.rule_id, v.object) for v in verdict.violations] == [("ue.guarantee_share", f"cell {CELL}")]  # 57%
    verdict = Verifier(load_pack(), dry_run=False).verify(Proposal(actions=many[:2]), net)
    assert verdict.status == "approved"  # 19% each, 38% together


def rate_kbps(net: Network, ue: int) -> float:
    """A full-buffer UE's DL kbit/s per PRB now: its throughput over its PRBs."""
    radio = net.radio()
    return radio.thp_bps[ue] / radio.prb[ue] / 1e3


def test_per_ue_actions_are_typed_and_checked_and_old_states_load():
    with pytest.raises(ValidationError):
        parse_actions([{"type": "set_ue_guaranteed_rate", "cell": 1, "ue": 3, "dl_kbps": -5}])
    with pytest.raises(ValidationError):
        parse_actions([{"type": "set_ue_steering", "cell": 1, "ue": True, "preference": "AVOID"}])
    with pytest.raises(ActionError, match="unknown UE 210; UEs are 0..209"):
        network().apply([SetUeSteering(cell=1, ue=210, preference="AVOID")])
    old = network().state.to_json()
    del old["ue_steering"], old["ue_gbr_kbps"]  # a state saved before per-UE settings existed
    state = NetState.from_json(old)
    assert state.ue_gbr_kbps.shape == (21, 210) and not state.ue_steering.any() and not state.ue_gbr_kbps.any()


@pytest.mark.parametrize("wire", ["json", "asn1"])
def test_per_ue_settings_travel_as_rc_controls_with_the_ue_id(wire):
    node = SimulatedE2Node(network())
    runtime = InProcessRuntime(node, [], wire=wire)
    assert {10, 11} <= set(runtime.ran_functions[3].controlStyles[1000])  # advertised in E2 Setup
    before = node.network.configuration()
    reply = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="u", actions=[
        UeSteering(cell=CELL, ueId=UE, preferenceIndex=4), UeGuaranteedRate(cell=3, ueId=7, dlKbps=5000.0)]))
    conf = node.network.configuration()
    assert isinstance(reply, RcControlAck) and conf.ue_steering[CELL, UE] == 4 and conf.ue_gbr_kbps[3, 7] == 5000.0
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="b", actions=[
        UeSteering(cell=CELL, ueId=999, preferenceIndex=4)]))
    assert "unknown UE 999" in bad.cause
    E2ControlledNetwork(runtime).set_configuration(before)  # a rollback over E2
    assert node.network.configuration().equals(before)


def test_a_lone_per_ue_control_names_its_ue_in_the_rc_header():
    control = UeGuaranteedRate(cell=CELL, ueId=UE, dlKbps=40000.0)
    header, message = control_payloads([control])
    _, head = decode_type("E2SM-RC-ControlHeader", header)["ric-controlHeader-formats"]
    assert head["ueID"] == ("gNB-DU-UEID", {"gNB-CU-UE-F1AP-ID": UE})
    assert read_control(header, message) == [control]


def test_a1_ue_ids_map_to_ue_numbers_or_a_clear_refusal():
    assert ue_number("00000000000000a1", 210) == 161
    assert ue_number(v11_id(161), 210) == ue_number(v11_id(161, kind="guGnbCuUeF1apId"), 210) == 161
    for ue_id, message in [(hex_id(210), "no UE 210 on this network; its UEs are 0..209"),
                           (v11_id(5, gnb=2), "not ranpilot's gNB"),
                           ({"guAmfUeNgapId": {}}, "guAmfUeNgapId names a UE through a node")]:
        with pytest.raises(UeScopeError, match=message) as caught:
            ue_number(ue_id, 210)
        assert caught.value.reason == "SCOPE_NOT_APPLICABLE"


def stack(tmp_path):
    return ranpilot_stack(network(), Settings(data_dir=tmp_path), with_knowledge=False)


def request(operation: str, body: dict, pid: str, type_id: int) -> A1PolicyRequest:
    return A1PolicyRequest(operation=operation, policy_type_id=type_id, policy_instance_id=pid, payload=body)


def tsp_on(ue_id, preference: str = "FORBID", cell_: int = CELL) -> dict:
    return {"scope": {"ueId": ue_id}, "tspResources": [{"cellIdList": [cell(cell_)], "preference": preference}]}


def target_on(ue_id, kbps: float, **scope) -> dict:
    return {"scope": {"ueId": ue_id, **scope}, "ueLevelObjectives": {"dlThroughput": kbps}}


@pytest.mark.parametrize("type_id,ue_id", [(21002, hex_id(UE)), (21105, v11_id(UE))])
def test_the_xapp_enforces_a_ue_tsp_and_gives_it_back(tmp_path, type_id, ue_id):
    s = stack(tmp_path)
    net = s.runtime.node.network
    assert s.runtime.a1(request("CREATE", tsp_on(ue_id), "tsp-ue", type_id)).status == "OK"
    assert s.xapp.status("tsp-ue").status().body() == {"enforceStatus": "ENFORCED"}
    assert net.radio().serving[UE] != CELL and len(s.xapp.runner.audit.events("a1:tsp-ue", "apply")) == 1
    assert s.runtime.a1(request("DELETE", {}, "tsp-ue", type_id)).status == "DELETED"
    assert not net.configuration().ue_steering.any() and net.radio().serving[UE] == CELL


def test_the_xapp_enforces_a_ue_level_target_within_the_pack_bound(tmp_path):
    s = stack(tmp_path)
    net = s.runtime.node.network
    others = (net.radio().serving == CELL) & (np.arange(net.config.num_ues) != UE)
    before = net.radio().thp_bps
    assert s.runtime.a1(request("CREATE", target_on(hex_id(UE), 40000), "ue-1", 21004)).status == "OK"
    assert s.xapp.status("ue-1").status().body() == {"enforceStatus": "ENFORCED"}
    after = net.radio().thp_bps
    assert after[UE] / 1e6 == pytest.approx(40.0) and after[others].sum() < before[others].sum()
    too_much = target_on(hex_id(UE), 90000)  # 74 of cell 16's 273 PRBs: above the pack's 25%
    assert s.runtime.a1(request("UPDATE", too_much, "ue-1", 21004)).status == "ERROR"
    report = s.xapp.status("ue-1")
    assert report.status().body() == {"enforceStatus": "NOT_ENFORCED", "enforceReason": "OTHER_REASON"}
    assert "ue.guarantee_share" in report.detail and net.configuration().ue_gbr_kbps[CELL, UE] == 40000
    assert s.runtime.a1(request("DELETE", {}, "ue-1", 21004)).status == "DELETED"
    assert not net.configuration().ue_gbr_kbps.any()


def test_guarantees_of_different_ues_of_one_cell_do_not_conflict(tmp_path):
    s = stack(tmp_path)
    net = s.runtime.node.network
    other = int(np.flatnonzero((net.radio().serving == CELL) & (net.ue_slice() == 0))[0])
    assert s.runtime.a1(request("CREATE", target_on(hex_id(UE), 40000), "a", 21004)).status == "OK"
    assert s.runtime.a1(request("CREATE", target_on(hex_id(other), 10000), "b", 21004)).status == "OK"
    assert s.runtime.a1(request("DELETE", {}, "b", 21004)).status == "DELETED"  # down, while "a" went up: no conflict
    gbr = net.configuration().ue_gbr_kbps
    assert gbr[CELL, other] == 0 and gbr[CELL, UE] == 40000 and np.count_nonzero(gbr) == 1


@pytest.mark.parametrize("type_id,body,reason", [
    (21004, target_on(hex_id(999), 5000), "SCOPE_NOT_APPLICABLE"),
    (21106, target_on(v11_id(UE, gnb=7), 5000), "SCOPE_NOT_APPLICABLE"),
    (21106, target_on(v11_id(UE), 5000, sliceId=slice_id(2)), "SCOPE_NOT_APPLICABLE"),  # the UE is eMBB
    (21004, {"scope": {"ueId": hex_id(UE)}, "ueLevelObjectives": {"dlPacketDelay": 20}}, "STATEMENT_NOT_APPLICABLE"),
    (21002, tsp_on(hex_id(999)), "SCOPE_NOT_APPLICABLE"),
])
def test_what_a_ue_policy_cannot_reach_is_refused_with_the_standard_reason(tmp_path, type_id, body, reason):
    s = stack(tmp_path)
    assert s.runtime.a1(request("CREATE", body, "p", type_id)).status == "ERROR"
    assert s.xapp.status("p").status().body() == {"enforceStatus": "NOT_ENFORCED", "enforceReason": reason}
    conf = s.runtime.node.network.configuration()
    assert not conf.ue_gbr_kbps.any() and not conf.ue_steering.any()


SHARED = {21002: "policy_schema_traffic_steering_preference.json", 21004: "policy_schema_ue_level_target.json"}
TYPE_NAMES = {21002: "ORAN_TrafficSteeringPreference_2.0.0", 21004: "ORAN_UELevelTarget_1.0.0",
              21105: "ORAN_TrafficSteeringPreference_6.0.0", 21106: "ORAN_UELevelTarget_5.0.0"}
BODIES = [(21002, tsp_on(hex_id(UE))), (21004, target_on(hex_id(UE), 40000)), (21105, tsp_on(v11_id(UE))),
          (21106, target_on(v11_id(UE), 40000, sliceId=slice_id(1)))]


@pytest.mark.parametrize("type_id,body", BODIES)
def test_the_bodies_enforced_here_are_standard_ones(type_id, body):
    jsonschema.validate(body, POLICY_TYPES[TYPE_NAMES[type_id]])
    if type_id in SHARED:  # the ONOS generation's published schema (A1TD v11's is transcribed in types.py)
        jsonschema.validate(body, json.loads(shared_path("standards", "onos-a1-dm", SHARED[type_id]).read_text()))
