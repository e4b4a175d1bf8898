"""The action table and what derives from it: E2SM-RC encoding both ways, rollback inverses,
the configuration fields, the pack's parameter names, and the `NetworkView` both networks offer."""

import json
from dataclasses import fields
from typing import get_args

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ranpilot.network import (
    Network, NetworkConfig, NetworkView, RanConfiguration, SetCellSleep, action_for_change, apply_actions,
)
from ranpilot.network.action_table import ACTION_KINDS, PARAMETER_NAMES, ActionKind, per_cell_actions
from ranpilot.network.mimo.config import PRECODER_CODES
from ranpilot.oran.e2.node import RC_CODECS, SimulatedE2Node, control_actions, network_action
from ranpilot.oran.messages import RcControlRequest, decode, encode
from ranpilot.oran.xapp import E2ControlledNetwork, InProcessRuntime
from ranpilot.policies.pack import Parameter

NET = Network(NetworkConfig(num_ues=42), seed=1)
SLICES = [s.name for s in NET.config.slices]
# In-range values of each parameter; RC carries slice quotas in whole percent.
VALUES = {
    "tx_power_dbm": st.floats(20.0, 49.0), "tilt_deg": st.floats(0.0, 20.0), "cio_db": st.floats(-24.0, 24.0),
    "asleep": st.booleans(), "ue_p_max_dbm": st.floats(-30.0, 33.0),
    "min_prb_ratio": st.integers(0, 25).map(lambda percent: percent / 100),
    "precoder": st.sampled_from(PRECODER_CODES), "mu_layers": st.just(1),  # NET has one port
    "csi_prediction": st.booleans(), "slice_steering": st.sampled_from(["NONE", "SHALL", "PREFER", "AVOID", "FORBID"]),
    "ue_steering": st.sampled_from(["NONE", "SHALL", "PREFER", "AVOID", "FORBID"]), "ue_gbr_kbps": st.floats(0.0, 1e5),
    "ssb_beams": st.just(1),  # NET has one port: one SSB beam
}
KINDS = pytest.mark.parametrize("kind", ACTION_KINDS, ids=[k.action.__name__ for k in ACTION_KINDS])
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def actions(kind: ActionKind) -> st.SearchStrategy:
    """Any in-range action of a kind, on the network's cells and slices."""
    value = VALUES[kind.parameter]
    if kind.vector:
        n = NET.num_cells
        return st.lists(value, min_size=n, max_size=n).map(lambda v: kind.action(**{kind.value: v}))
    where = {"cell": st.integers(0, NET.num_cells - 1)} | ({"slice": st.sampled_from(SLICES)} if kind.per_slice else {})
    where |= {"ue": st.integers(0, NET.config.num_ues - 1)} if kind.per_ue else {}
    return st.fixed_dictionaries({**where, kind.value: value}).map(lambda d: kind.action(**d))


def test_the_table_covers_every_configuration_field_and_pack_parameter():
    assert {k.field for k in ACTION_KINDS} == {f.name for f in fields(RanConfiguration)}
    assert get_args(Parameter) == PARAMETER_NAMES == tuple(VALUES)
    assert set(RC_CODECS) == {k.action for k in ACTION_KINDS if not k.vector}


@KINDS
def test_every_action_kind_round_trips_through_rc_controls(kind):
    @SETTINGS
    @given(actions(kind))
    def check(action):
        controls = control_actions([action], NET)
        wire = json.loads(json.dumps(encode(RcControlRequest(meid="m", request_id="r", actions=controls))))
        back = [network_action(c, NET) for c in decode(wire).actions]
        assert back == per_cell_actions(action)
        assert kind.vector or back == [action]
        conf = NET.configuration()
        assert apply_actions(conf, back, NET.config).equals(apply_actions(conf, [action], NET.config))

    check()


@KINDS
def test_the_rollback_inverse_of_every_change_restores_the_configuration(kind):
    @SETTINGS
    @given(actions(kind))
    def check(action):
        before = NET.configuration()
        after = apply_actions(before, [action], NET.config)
        undo = [action_for_change(c) for c in after.changes(before, SLICES)]
        assert all(c.parameter == kind.parameter for c in before.changes(after, SLICES))
        assert apply_actions(after, undo, NET.config).equals(before)

    check()


def e2_network(net: Network) -> E2ControlledNetwork:
    return E2ControlledNetwork(InProcessRuntime(SimulatedE2Node(net), []))


def test_e2_controlled_network_is_a_network_view_without_getattr():
    members = [name for name in vars(NetworkView) if not name.startswith("_")]
    assert {"cell_load", "ue_slice", "set_configuration", "clone"} <= set(members)
    assert all(name in vars(E2ControlledNetwork) for name in members)
    assert not hasattr(E2ControlledNetwork, "__getattr__")
    view: NetworkView = e2_network(Network(NetworkConfig(num_ues=42), seed=1))
    assert isinstance(view, NetworkView) and isinstance(view.clone(), Network)
    simulator: NetworkView = Network(NetworkConfig(num_ues=42), seed=1)
    assert isinstance(simulator, NetworkView)


def test_cell_load_and_ue_slice_are_copies_of_the_state():
    net = Network(NetworkConfig(num_ues=42), seed=1)
    load, ue_slice = net.cell_load(), net.ue_slice()
    assert (load == net.state.load).all() and (ue_slice == net.state.ue_slice).all()
    load[:], ue_slice[:] = -1, -1
    assert (net.cell_load() >= 0).all() and (net.ue_slice() >= 0).all()


def test_an_e2_rollback_wakes_cells_before_putting_others_to_sleep():
    net = Network(NetworkConfig(num_ues=42), seed=1)
    view = e2_network(net)
    target = net.configuration()
    target.asleep[0] = True
    net.set_configuration(target)
    before = net.configuration()
    view.apply([SetCellSleep(cell=c, asleep=c != 0) for c in range(net.num_cells)])  # only cell 0 awake
    view.set_configuration(before)  # cell 0 sleeps again: only after the others woke up
    assert net.configuration().equals(before) and view.configuration().equals(before)
