"""Traffic steering preferences: the simulator's per-UE lever (each UE ranks cells with its slice's
preferences), the typed action that sets them (through the action table, rollbacks and old saved
states), its RC control on both E2 wires, and A1 Traffic Steering Preference policies on a slice
enforced by the ranpilot xApp through the verifier, with the standard status."""

import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.network import Network, NetworkConfig, parse_actions
from ranpilot.network.actions import SetSliceSteering
from ranpilot.network.state import NetState
from ranpilot.network.steering import STEERING_OFFSET_DB, ue_bias_db
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import A1PolicyRequest, RcControlAck, RcControlRequest, SliceSteering
from ranpilot.oran.xapp import E2ControlledNetwork, InProcessRuntime
from ranpilot.settings import Settings
from tests.a1_helpers import cell, slice_id

EMBB = 0


def network() -> Network:
    return Network(NetworkConfig(num_ues=210), seed=1)


def busiest_embb_cell(net: Network) -> tuple[int, int]:
    """(cell serving most eMBB UEs, how many)."""
    counts = np.bincount(net.radio().serving[net.ue_slice() == EMBB], minlength=net.num_cells)
    return int(counts.argmax()), int(counts.max())


def served(net: Network, cell_: int, slice_: int = EMBB) -> int:
    return int((net.radio().serving[net.ue_slice() == slice_] == cell_).sum())


def test_preferences_bias_each_ues_ranking_by_its_slice():
    steering = np.zeros((3, 2), dtype=int)
    assert ue_bias_db(steering, np.array([0, 1])) is None  # no preference: the unsteered ranking, bit for bit
    steering[0, 0], steering[1, 0], steering[2, 1], steering[1, 1] = 2, 3, 4, 1  # slice 0: PREFER 0, AVOID 1
    bias = ue_bias_db(steering, np.array([0, 1]))  # slice 1: FORBID 2, SHALL 1
    assert bias[0].tolist() == [STEERING_OFFSET_DB, -STEERING_OFFSET_DB, 0.0]
    assert bias[1].tolist() == [-np.inf, 0.0, -np.inf]  # SHALL 1 rules out every other cell


def test_forbid_moves_a_slices_ues_off_a_cell_and_none_is_the_unsteered_network_bit_for_bit():
    net, twin = network(), network()
    net.step(2)
    twin.step(2)
    cell_, before = busiest_embb_cell(net)
    urllc_before = served(net, cell_, 1)
    configuration = net.configuration()
    net.apply([SetSliceSteering(cell=cell_, slice="eMBB", preference="FORBID")])
    assert before > 0 and served(net, cell_) == 0 and served(net, cell_, 1) == urllc_before  # eMBB only
    net.set_configuration(configuration)
    assert net.configuration().equals(configuration)
    steered, plain = network(), network()
    steered.apply([SetSliceSteering(cell=cell_, slice="eMBB", preference="NONE")])
    steered.step(3)
    plain.step(3)
    a, b = steered.radio(), plain.radio()
    assert np.array_equal(a.serving, b.serving) and np.array_equal(a.thp_bps, b.thp_bps)


def test_shall_pins_a_slice_to_its_cells_unless_they_sleep():
    net = network()
    cell_, _ = busiest_embb_cell(net)
    net.apply([SetSliceSteering(cell=cell_, slice="URLLC", preference="SHALL")])
    urllc = net.radio().serving[net.ue_slice() == 1]
    assert (urllc == cell_).all()
    net.apply([parse_actions([{"type": "set_cell_sleep", "cell": cell_, "asleep": True}])[0]])
    assert not (net.radio().serving[net.ue_slice() == 1] == cell_).any()  # asleep: served elsewhere, not stranded


def test_the_action_is_typed_and_rolls_back_with_the_configuration():
    with pytest.raises(ValidationError):
        parse_actions([{"type": "set_slice_steering", "cell": 1, "slice": "eMBB", "preference": "MAYBE"}])
    net = network()
    before = net.configuration()
    net.apply(parse_actions([{"type": "set_slice_steering", "cell": 4, "slice": "mMTC", "preference": "AVOID"}]))
    (change,) = before.changes(net.configuration(), [s.name for s in net.config.slices])
    assert (change.cell, change.parameter, change.slice, change.after) == (4, "slice_steering", "mMTC", 3.0)
    with pytest.raises(Exception, match="slice"):
        net.apply([SetSliceSteering(cell=4, slice="gaming", preference="AVOID")])
    old = net.state.to_json()
    del old["slice_steering"]  # a state saved before steering existed
    assert not NetState.from_json(old).slice_steering.any()


@pytest.mark.parametrize("wire", ["json", "asn1"])
def test_steering_travels_as_an_rc_control_and_rolls_back_over_e2(wire):
    node = SimulatedE2Node(network())
    runtime = InProcessRuntime(node, [], wire=wire)
    assert 9 in runtime.ran_functions[3].controlStyles[1000]  # advertised in E2 Setup
    reply = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="s", actions=[
        SliceSteering(cell=2, sst=2, preferenceIndex=4)]))
    assert isinstance(reply, RcControlAck) and node.network.configuration().slice_steering[2].tolist() == [0, 4, 0]
    view, before = E2ControlledNetwork(runtime), node.network.configuration()
    view.apply([SetSliceSteering(cell=5, slice="eMBB", preference="PREFER")])
    assert node.network.configuration().slice_steering[5, 0] == 2
    view.set_configuration(before)
    assert node.network.configuration().equals(before)
    bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="b", actions=[
        SliceSteering(cell=2, sst=2, preferenceIndex=7)]))
    assert "index 7 names no choice" in bad.cause


def policy(operation: str, body: dict, pid: str = "tsp-1", type_id: int = 21002) -> A1PolicyRequest:
    return A1PolicyRequest(operation=operation, policy_type_id=type_id, policy_instance_id=pid, payload=body)


def tsp(*resources: dict, **scope) -> dict:
    return {"scope": {"sliceId": slice_id(1), **scope}, "tspResources": list(resources)}


def test_the_xapp_enforces_a_slice_tsp_through_the_verifier_and_gives_it_back(tmp_path):
    stack = ranpilot_stack(network(), Settings(data_dir=tmp_path), with_knowledge=False)
    runtime, xapp = stack.runtime, stack.xapp
    net = runtime.node.network
    cell_, before = busiest_embb_cell(net)
    other = (cell_ + 1) % net.num_cells
    body = tsp({"cellIdList": [cell(cell_)], "preference": "FORBID"}, {"cellIdList": [cell(other)], "preference": "PREFER"})
    assert runtime.a1(policy("CREATE", body)).status == "OK"
    assert xapp.status("tsp-1").status().body() == {"enforceStatus": "ENFORCED"}
    assert net.configuration().slice_steering[[cell_, other], 0].tolist() == [4, 2] and served(net, cell_) == 0
    assert len(xapp.runner.audit.events("a1:tsp-1", "apply")) == 1  # verified and audited under the policy
    update = tsp({"cellIdList": [cell(other)], "preference": "AVOID"})  # no longer forbids cell_
    assert runtime.a1(policy("UPDATE", update)).status == "OK"
    assert net.configuration().slice_steering[[cell_, other], 0].tolist() == [0, 3]
    assert runtime.a1(policy("DELETE", {})).status == "DELETED"
    assert not net.configuration().slice_steering.any()


@pytest.mark.parametrize("body,reason", [
    (tsp({"cellIdList": [cell(1)], "preference": "AVOID", "primary": False}), "STATEMENT_NOT_APPLICABLE"),
    (tsp({"cellIdList": [cell(1)], "preference": "AVOID"}, {"cellIdList": [cell(1)], "preference": "SHALL"}),
     "STATEMENT_NOT_APPLICABLE"),
    (tsp({"cellIdList": [cell(1)], "preference": "AVOID"}, cellId=cell(2)), "SCOPE_NOT_APPLICABLE"),
    (tsp({"cellIdList": [cell(1)], "preference": "AVOID"}, qosId={"5qI": 82}), "SCOPE_NOT_APPLICABLE"),
    ({"scope": {"ueId": "0123456789abcdef"}, "tspResources": [{"cellIdList": [cell(1)], "preference": "SHALL"}]},
     "SCOPE_NOT_APPLICABLE"),
])
def test_what_slice_steering_cannot_express_is_reported_with_the_standard_reason(tmp_path, body, reason):
    stack = ranpilot_stack(network(), Settings(data_dir=tmp_path), with_knowledge=False)
    assert stack.runtime.a1(policy("CREATE", body)).status == "ERROR"
    assert stack.xapp.status("tsp-1").status().body() == {"enforceStatus": "NOT_ENFORCED", "enforceReason": reason}
    assert not stack.runtime.node.network.configuration().slice_steering.any()


def test_a_tsp_6_policy_on_a_slice_with_its_own_5qi_is_enforced(tmp_path):
    stack = ranpilot_stack(network(), Settings(data_dir=tmp_path), with_knowledge=False)
    body = {"scope": {"sliceId": slice_id(2), "qosId": {"5qI": 82}},
            "tspResources": [{"cellIdList": [cell(3)], "preference": "PREFER"}]}
    assert stack.runtime.a1(policy("CREATE", body, "tsp-6", 21105)).status == "OK"
    assert stack.runtime.node.network.configuration().slice_steering[3].tolist() == [0, 2, 0]
