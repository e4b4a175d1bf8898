"""Saved networks: exact JSON round trips, and refusal of anything else (no code runs on load)."""

import json
import math
import re

import numpy as np
import pytest

from ranpilot import live
from ranpilot.live import LiveNetworkError
from ranpilot.network import Mobility, Network, NetworkConfig, SetCellSleep
from ranpilot.network.live import SavedNetworkError, load_network, save_network
from ranpilot.settings import Settings

MOVING = NetworkConfig(num_ues=126, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=60.0, fading_subbands=4)


def names_file(path) -> str:
    return re.escape(str(path))


@pytest.fixture
def saved(tmp_path):
    net = Network(MOVING, seed=3)
    net.step(2)
    path = tmp_path / "net.json"
    save_network(path, net, areas={"north": [1, 2]})
    return net, path


def test_round_trip_continues_identically(saved):
    net, path = saved
    loaded, extra = load_network(path)
    assert extra == {"areas": {"north": [1, 2]}}
    assert loaded.seed == net.seed and loaded.config == net.config and loaded.network_id == net.network_id
    net.step(5)
    loaded.step(5)
    assert loaded.state.equals(net.state)
    assert loaded.observe().model_dump() == net.observe().model_dump()


def test_file_is_standard_json_with_the_schema(saved):
    _, path = saved
    def refuse(token):
        raise AssertionError(f"non-standard JSON number {token}")
    data = json.loads(path.read_text(), parse_constant=refuse)  # offered_bps is inf: written as a string
    assert data["schema"] == "ranpilot.network/1" and set(data) == {"schema", "config", "seed", "state", "extra"}
    assert not list(path.parent.glob("*.tmp"))


def test_planted_code_payload_is_refused_without_running(tmp_path):
    marker = tmp_path / "marker"
    # Python's protocol-0 object serialisation of a call open(marker, "w"): loading it with that
    # format's loader would create the marker file.
    payload = b"cbuiltins\nopen\n(V" + str(marker).encode() + b"\nVw\ntR."
    path = tmp_path / "net.json"
    path.write_bytes(payload)
    with pytest.raises(SavedNetworkError, match=names_file(path)):
        load_network(path)
    assert not marker.exists()


def test_truncated_file_names_the_file(saved):
    _, path = saved
    text = path.read_text()
    path.write_text(text[: len(text) // 2])
    with pytest.raises(SavedNetworkError, match=f"cannot read the saved network {names_file(path)}: JSONDecodeError"):
        load_network(path)


@pytest.mark.parametrize("schema", ["ranpilot.network/0", None])
def test_other_schema_version_is_refused(saved, schema):
    _, path = saved
    data = json.loads(path.read_text())
    data["schema"] = schema
    path.write_text(json.dumps(data))
    with pytest.raises(SavedNetworkError, match=f"{names_file(path)} has format version {re.escape(repr(schema))}"
                                                r".*`ranpilot net reset` starts a new network"):
        load_network(path)


def test_missing_state_field_is_refused(saved):
    _, path = saved
    data = json.loads(path.read_text())
    del data["state"]["network_id"]  # no defaults: a missing field is an error, not an old format to fill in
    path.write_text(json.dumps(data))
    with pytest.raises(SavedNetworkError, match=f"{names_file(path)}: KeyError: 'network_id'"):
        load_network(path)


def test_invalid_config_and_missing_file_name_the_file(saved, tmp_path):
    _, path = saved
    data = json.loads(path.read_text())
    data["config"]["num_ues"] = -1
    path.write_text(json.dumps(data))
    with pytest.raises(SavedNetworkError, match=f"{names_file(path)}: ValidationError"):
        load_network(path)
    with pytest.raises(SavedNetworkError, match=f"{names_file(tmp_path / 'none.json')}: FileNotFoundError"):
        load_network(tmp_path / "none.json")


def test_non_finite_floats_in_extra_round_trip(tmp_path):
    net = Network(NetworkConfig(num_ues=126), seed=1)
    net.apply([SetCellSleep(cell=0, asleep=True)])
    empty_cell = net.observe().cells[0].measurements
    assert math.isnan(empty_cell["L1M.SS-RSRP"])  # an empty cell has no RSRP
    before = {**empty_cell, "up": math.inf, "down": -math.inf, "nested": [math.nan, 1.5]}
    save_network(tmp_path / "net.json", net, before=before, areas={})
    _, extra = load_network(tmp_path / "net.json")
    np.testing.assert_equal(extra, {"before": before, "areas": {}})


def test_strings_that_would_load_as_floats_are_refused(tmp_path):
    with pytest.raises(ValueError, match="'nan'"):
        save_network(tmp_path / "net.json", Network(NetworkConfig(num_ues=126)), note="nan")
    assert not list(tmp_path.iterdir())


def test_live_network_is_json_in_the_audit_database_and_a_bad_one_says_how_to_reset(tmp_path):
    settings = Settings(data_dir=tmp_path, seed=2)
    audit = live.open_audit(settings)
    net = Network(NetworkConfig(num_ues=126), seed=2)
    with live.changing(audit, settings, replace=net):
        pass
    assert json.loads(audit.read_network())["schema"] == "ranpilot.network/1"
    with live.reading(audit, settings) as loaded:
        assert loaded.state.equals(net.state)
    for text in (json.dumps({"schema": "ranpilot.network/2"}), "{", "[" * 100_000):
        audit.write_network(text)
        with pytest.raises(LiveNetworkError) as err, live.reading(audit, settings):
            pass
        assert str(err.value).count("`ranpilot net reset` starts a new network") == 1 and audit.path in str(err.value)
