"""The simulated network: determinism, physics sanity, atomic actions, snapshots and twins."""

import json

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ranpilot.cli import app
from ranpilot.network import (
    ActionError, Hotspot, Mobility, Network, NetworkConfig, SetCellSleep, SetCio, SetPowerVector,
    SetSliceQuota, SetTilt, SetTxPower, parse_actions,
)
from ranpilot.network.config import load_config

SMALL = NetworkConfig(num_ues=126)
MOVING = NetworkConfig(num_ues=126, mobility=Mobility.RANDOM_WAYPOINT, ue_speed_kmh=60.0, fading_subbands=4)


def test_topology_sizes():
    assert Network(SMALL).num_cells == 21
    assert Network(NetworkConfig(num_rings=2, num_ues=57)).num_cells == 57


@pytest.mark.parametrize("cfg", [SMALL, MOVING], ids=["static", "moving"])
def test_same_seed_same_kpis(cfg):
    a, b = Network(cfg, seed=5), Network(cfg, seed=5)
    a.step(8)
    b.step(8)
    assert a.observe().model_dump() == b.observe().model_dump()
    c = Network(cfg, seed=6)
    c.step(8)
    assert c.observe().network != a.observe().network


def test_more_power_on_one_cell_helps_its_ues_and_hurts_neighbours():
    net = Network(SMALL, seed=2)
    net.apply([SetPowerVector(tx_power_dbm=[40.0] * 21)])
    before = net.radio()
    net.apply([SetTxPower(cell=0, tx_power_dbm=49.0)])
    after = net.radio()
    stay = before.serving == after.serving
    own = stay & (before.serving == 0)
    others = stay & (before.serving != 0)
    assert own.sum() > 0 and others.sum() > 0
    assert np.all(after.sinr_db[own] > before.sinr_db[own])
    assert np.all(after.sinr_db[others] <= before.sinr_db[others] + 1e-9)
    assert np.any(after.sinr_db[others] < before.sinr_db[others] - 0.1)


def test_cio_pulls_ues_into_a_cell():
    net = Network(SMALL, seed=2)
    before = int((net.radio().serving == 4).sum())
    net.apply([SetCio(cell=4, cio_db=12.0)])
    net.step()
    assert int((net.radio().serving == 4).sum()) > before


def test_sleeping_cell_hands_over_its_ues_and_saves_energy():
    net = Network(SMALL, seed=2)
    energy = net.observe().network["RANEnergyConsumption"]
    net.apply([SetCellSleep(cell=3, asleep=True)])
    net.step()
    obs = net.observe()
    assert not np.any(net.radio().serving == 3)
    assert obs.cells[3].asleep and obs.cells[3].num_ues == 0
    assert obs.network["RANEnergyConsumption"] < energy
    assert obs.network["NumActiveCells"] == 20


def test_slice_quota_protects_urllc_latency():
    net = Network(SMALL, seed=2)
    latency = {s.slice: s.DlLatency for s in net.observe().slices}["URLLC"]
    net.apply([SetSliceQuota(cell=c, slice="URLLC", min_prb_ratio=0.4) for c in range(21)])
    better = {s.slice: s.DlLatency for s in net.observe().slices}["URLLC"]
    assert better < latency


def test_throughput_scales_with_bandwidth():
    narrow = Network(NetworkConfig(num_ues=126, num_prb=106, bandwidth_mhz=40.0), seed=1)
    wide = Network(NetworkConfig(num_ues=126), seed=1)
    ratio = wide.observe().network["AveDLRANUEThpt"] / narrow.observe().network["AveDLRANUEThpt"]
    assert 2.0 < ratio < 3.2  # 273/106 = 2.58 PRBs, less 4 dB more noise per PRB band


def test_batch_with_one_bad_action_changes_nothing():
    net = Network(SMALL, seed=1)
    before = net.state
    with pytest.raises(ActionError) as err:
        net.apply([SetTxPower(cell=0, tx_power_dbm=43.0), SetTilt(cell=99, tilt_deg=5.0)])
    assert err.value.field == "actions[1].cell"
    assert net.state.equals(before)
    with pytest.raises(ActionError, match=r"actions\[0\].tx_power_dbm"):
        net.apply([SetTxPower(cell=0, tx_power_dbm=80.0)])
    with pytest.raises(ActionError, match="sum to"):
        net.apply([SetSliceQuota(cell=0, slice="eMBB", min_prb_ratio=0.9)])
    with pytest.raises(ActionError, match="unknown slice"):
        net.apply([SetSliceQuota(cell=0, slice="gold", min_prb_ratio=0.1)])
    with pytest.raises(ActionError, match="expected 21 values"):
        net.apply([SetPowerVector(tx_power_dbm=[40.0])])
    with pytest.raises(ActionError, match="stay awake"):
        net.apply([SetCellSleep(cell=c, asleep=True) for c in range(21)])
    assert net.state.equals(before)


def test_malformed_actions_name_the_field():
    with pytest.raises(ValidationError, match="cio_db"):
        parse_actions([{"type": "set_cio", "cell": 1, "cio_db": 40}])
    with pytest.raises(ValidationError, match="does not match any of the expected tags"):
        parse_actions([{"type": "reboot", "cell": 1}])
    assert parse_actions([{"type": "set_tilt", "cell": 2, "tilt_deg": 6}])[0] == SetTilt(cell=2, tilt_deg=6)


def test_snapshot_restore_round_trip_continues_identically():
    net = Network(MOVING, seed=3)
    net.step(2)
    snap = net.snapshot()
    net.step(3)
    reference = net.observe().model_dump()
    net.apply([SetTxPower(cell=1, tx_power_dbm=30.0), SetCellSleep(cell=2, asleep=True)])
    net.step(4)
    net.restore(snap)
    assert net.state.equals(snap.state)
    net.step(3)
    assert net.observe().model_dump() == reference


def test_clone_shares_nothing_mutable():
    net = Network(MOVING, seed=3)
    original = net.state
    twin = net.clone()
    twin.apply([SetTxPower(cell=0, tx_power_dbm=20.0), SetCellSleep(cell=5, asleep=True)])
    twin.step(5)
    assert net.state.equals(original)
    assert twin.observe().model_dump() != net.observe().model_dump()
    net.step(5)
    fresh = Network(MOVING, seed=3)
    fresh.step(5)
    assert net.observe().model_dump() == fresh.observe().model_dump()


def test_hotspot_concentrates_ues():
    cfg = NetworkConfig(num_ues=210, hotspots=(Hotspot(x_m=250.0, y_m=0.0, radius_m=40.0, ue_fraction=0.5),))
    pos = Network(cfg, seed=1).state.ue_pos
    near = np.linalg.norm(pos - np.array([250.0, 0.0]), axis=1) < 120.0
    assert near.sum() >= 100


def test_bad_config_file_names_the_field(tmp_path):
    path = tmp_path / "net.yaml"
    path.write_text("num_ues: -3\n")
    with pytest.raises(ValueError, match="num_ues"):
        load_config(path)
    path.write_text("num_ues: [unclosed\n")
    with pytest.raises(ValueError, match="cannot read"):
        load_config(path)
    with pytest.raises(ValueError, match="tx_power_dbm"):
        NetworkConfig(tx_power_dbm=60.0)


def test_cli_net_show_json(tmp_path):
    cfg = tmp_path / "net.yaml"
    cfg.write_text("num_ues: 42\n")
    result = CliRunner().invoke(app, ["net", "show", "--json", "--config", str(cfg), "--steps", "2"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["time_s"] == 2.0
    assert len(data["cells"]) == 21 and sum(c["num_ues"] for c in data["cells"]) == 42
    for name in ("AveDLRANUEThpt", "WeakRSRPUEShare", "RANEnergyConsumption"):
        assert name in data["network"]
    assert "DRB.UEThpDl" in data["cells"][0]["measurements"]


def test_cli_bad_config_is_a_clear_error(tmp_path):
    cfg = tmp_path / "net.yaml"
    cfg.write_text("num_ues: 0\n")
    result = CliRunner().invoke(app, ["net", "show", "--config", str(cfg)])
    assert result.exit_code == 2
    assert "num_ues" in result.output
