"""Multi-antenna cells (`ranpilot.network.mimo`): channels, MU-MIMO grouping and precoding, CSI
aging and prediction, the one-port default, and the MIMO actions through the verifier."""

import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.network import ActionError, Network, NetworkConfig, parse_actions
from ranpilot.network.actions import SetCsiPrediction, SetMuLayers, SetPrecoder
from ranpilot.network.mimo.channels import Links, RayDraw, draw_rays
from ranpilot.network.mimo.config import AntennaConfig, Precoder
from ranpilot.network.mimo.csi import true_and_reported
from ranpilot.network.mimo.downlink import CellMimo, downlink, precoder, serving_links
from ranpilot.network.mimo.grouping import semi_orthogonal_groups
from ranpilot.network.state import NetState
from ranpilot.policies import Proposal, Verifier, load_pack

ULA8 = dict(panel_rows=1, panel_cols=8, mu_layers=4)


def mimo_network(speed_kmh: float = 3.0, num_ues: int = 105, **antenna) -> Network:
    config = NetworkConfig(num_ues=num_ues, mobility="linear", ue_speed_kmh=speed_kmh,
                           antenna=AntennaConfig(**{**ULA8, **antenna}))
    return Network(config, seed=3)


def test_channels_have_unit_power_per_port_and_follow_the_ue():
    net = mimo_network(num_ues=210, csi_report_period_ms=0.0)
    geom, radio = net._geom(), net.radio()
    links = serving_links(geom, net.topology, radio.serving, net.state.ue_vel)
    now, _ = true_and_reported(geom.rays, links, net.time_s, net.config, np.zeros(210, bool))
    assert now.shape == (210, 8)
    assert np.mean(np.abs(now) ** 2) == pytest.approx(1.0, abs=0.15)  # E|h_m|^2 = 1 over 1,680 draws
    # temporally consistent: the channel 0.1 ms later at 3 km/h is nearly the same vector
    later, _ = true_and_reported(geom.rays, links, net.time_s + 1e-4, net.config, np.zeros(210, bool))
    assert np.linalg.norm(later - now) / np.linalg.norm(now) < 0.01


def test_zero_forcing_leaves_no_interference_between_co_scheduled_ues():
    net = mimo_network(num_ues=210, csi_report_period_ms=0.0)
    geom, radio = net._geom(), net.radio()
    links = serving_links(geom, net.topology, radio.serving, net.state.ue_vel)
    now, _ = true_and_reported(geom.rays, links, net.time_s, net.config, np.zeros(210, bool))
    group = semi_orthogonal_groups(now, radio.serving, np.full(net.num_cells, 4), 0.5)
    key = radio.serving * 1000 + group
    groups = [np.flatnonzero(key == k) for k in np.unique(key)]
    fours = np.array([g for g in groups if len(g) == 4])
    assert len(fours) >= 5
    gains = np.abs(now[fours] @ precoder(Precoder.ZF, now[fours].astype(complex), np.ones((len(fours), 4)))) ** 2
    leak = gains * (1 - np.eye(4))
    assert leak.max() <= 1e-6 * np.diagonal(gains, axis1=1, axis2=2).min()


def orthogonal_group(layers: int) -> tuple:
    """Four UEs of one cell whose single rays leave an 8-port ULA on orthogonal DFT beams."""
    n, m = 4, 8
    cfg = NetworkConfig(num_ues=n, num_rings=0, sectors_per_site=1, antenna=AntennaConfig(**ULA8))
    zeros = np.zeros((2, n, 1))
    draw = RayDraw(aod=zeros, zod=zeros, aoa=zeros, zoa=zeros + np.pi / 2, power=np.ones((2, 1)),
                   phase0=np.zeros((n, 1, 1)))
    links = Links(az_off=np.arcsin(2 * np.arange(n) / m - 0.5), zenith=np.full(n, np.pi / 2),
                  to_site_az=np.zeros(n), site=np.zeros(n, int), los=np.zeros(n, bool), velocity=np.zeros((n, 2)))
    settings = CellMimo(precoder=np.array([1]), layers=np.array([layers]), prediction=np.array([False]))
    return draw, links, cfg, settings


def test_orthogonal_channels_give_layers_times_the_single_user_rate():
    q = np.array([0.5, 1.0, 2.0, 4.0])  # normalized interference plus noise of each UE
    draw, links, cfg, one_layer = orthogonal_group(1)
    single = downlink(draw, links, 0.0, cfg, np.zeros(4, int), 1 / q, one_layer)
    # the same power per layer as a single user has: each of 4 layers gets 1/4 of the cell's power
    multi = downlink(draw, links, 0.0, cfg, np.zeros(4, int), 4 / q, orthogonal_group(4)[3])
    assert np.all(single.layers == 1) and np.all(multi.layers == 4)
    np.testing.assert_allclose(single.sinr, 8 / q, rtol=1e-5)  # array gain M = 8, no interference
    np.testing.assert_allclose(multi.sinr, single.sinr, rtol=1e-5)  # no inter-beam interference
    rate = np.log2(1 + single.sinr)
    np.testing.assert_allclose(multi.layers * np.log2(1 + multi.sinr), 4 * rate, rtol=1e-5)


def test_mu_mimo_beats_one_port_and_zf_beats_mrt():
    values = {}
    for name, antenna in {"one port": dict(panel_cols=1, mu_layers=1), "mrt": dict(precoder="mrt"),
                          "zf": dict(precoder="zf")}.items():
        net = mimo_network(num_ues=210, csi_report_period_ms=0.0, **antenna)
        values[name] = net.observe().network["AveDLRANUEThpt"]
    assert values["zf"] > values["mrt"] > 1.5 * values["one port"]


def test_aged_csi_loses_at_120_kmh_and_prediction_recovers_part_of_it():
    thp = {}
    for name, antenna in {"fresh": dict(csi_report_period_ms=0.0), "aged": dict(csi_report_period_ms=1.0),
                          "predicted": dict(csi_report_period_ms=1.0, csi_prediction=True)}.items():
        net = mimo_network(speed_kmh=120.0, num_ues=210, **antenna)
        net.step(2)
        thp[name] = net.observe().network["AveDLRANUEThpt"]
    assert thp["fresh"] > thp["predicted"] > 1.1 * thp["aged"]


def test_one_port_is_the_single_antenna_simulator():
    net = Network(NetworkConfig(num_ues=63), seed=1)
    assert draw_rays(net.config, 1) is None and net.radio().layers is None
    assert "antenna" not in NetworkConfig().model_dump()  # configs read and write as before
    observed = net.observe().network
    assert "MimoMeanLayers" not in observed
    # the MIMO settings of a one-port cell change nothing
    twin = net.clone()
    twin.apply([SetPrecoder(cell=0, precoder="mrt"), SetCsiPrediction(cell=1, enabled=True),
                SetPrecoder(cell=2, precoder="wmmse"), SetPrecoder(cell=3, precoder="type1"),
                SetPrecoder(cell=4, precoder="type1_zf")])
    twin.step(3), net.step(3)
    np.testing.assert_array_equal(twin.radio().thp_bps, net.radio().thp_bps)
    # a state saved before the MIMO settings existed still loads, with the defaults
    old = {k: v for k, v in net.state.to_json().items() if k not in ("precoder", "mu_layers", "csi_prediction")}
    assert NetState.from_json(old).equals(net.state)


def test_mimo_kpis_and_actions_apply_atomically():
    net = mimo_network(num_ues=105, csi_report_period_ms=0.0)
    kpis = net.observe().network
    assert 1.0 < kpis["MimoMeanLayers"] <= 4.0 and kpis["DLSpectralEfficiency"] > 0
    before = net.configuration()
    with pytest.raises(ActionError, match=r"actions\[1\]\.layers: 9 outside \[1, 8\]"):
        net.apply([SetPrecoder(cell=0, precoder="rzf"), SetMuLayers(cell=0, layers=9)])
    assert net.configuration().equals(before)
    net.apply([SetMuLayers(cell=2, layers=1)])
    served = net.radio().serving == 2
    assert np.all(net.radio().layers[served] == 1)


def test_invalid_mimo_actions_are_rejected_by_the_verifier():
    net = mimo_network(num_ues=105)
    with pytest.raises(ValidationError, match="precoder"):
        parse_actions([{"type": "set_precoder", "cell": 0, "precoder": "magic"}])
    verdict = Verifier(load_pack()).verify(Proposal(actions=[SetMuLayers(cell=0, layers=12)]), net)
    assert verdict.status == "rejected"
    (found,) = [v for v in verdict.violations if v.rule_id == "mimo.layers"]
    assert (found.observed, found.limit) == (12, 8) and "by 4" in found.message
    pack = load_pack()
    only_zf = [r.model_copy(update={"allowed": ["zf"]}) if r.id == "mimo.precoders" else r for r in pack.rules]
    verdict = Verifier(pack.model_copy(update={"rules": only_zf})).verify(
        Proposal(actions=[SetPrecoder(cell=0, precoder="socp")]), net)
    assert verdict.status == "rejected" and {v.rule_id for v in verdict.violations} >= {"mimo.precoders"}
    assert Verifier(load_pack()).verify(Proposal(actions=[SetPrecoder(cell=0, precoder="rzf")]), net).status != "rejected"


def test_bad_antenna_configs_are_refused():
    with pytest.raises(ValidationError, match="mu_layers 9 exceeds the 8 ports"):
        AntennaConfig(panel_cols=8, mu_layers=9)
    with pytest.raises(ValidationError, match="multiple of 0.5 ms"):
        AntennaConfig(panel_cols=8, csi_report_period_ms=0.7)
    with pytest.raises(ValidationError, match="fading_subbands must be 0"):
        NetworkConfig(fading_subbands=4, antenna=AntennaConfig(panel_cols=8))
