"""SSB beam sets (`ranpilot.network.mimo.ssb`): beam-level SS-RSRP from the CDL rays, the SSB
overhead taken from the cells' capacity, the `SetSsbBeams` action through the network, the
verifier's `mimo.ssb_beams` rule and its E2SM-RC control on both wires."""

import re

import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.network import ActionError, Network, NetworkConfig, SliceSpec, parse_actions
from ranpilot.network.actions import SetSsbBeams
from ranpilot.network.mimo.channels import Links, RayDraw
from ranpilot.network.mimo.config import AntennaConfig, ssb_l_max
from ranpilot.network.mimo.downlink import serving_links
from ranpilot.network.mimo.ssb import beam_gains, beam_grid, best_beams, overhead_fraction
from ranpilot.network.state import NetState
from ranpilot.oran.e2.node import SimulatedE2Node
from ranpilot.oran.messages import RcControlAck, RcControlFailure, RcControlRequest, SsbBeams
from ranpilot.oran.xapp import E2ControlledNetwork, InProcessRuntime
from ranpilot.planning.moves import _ssb
from ranpilot.planning.situation import Situation
from ranpilot.policies import Proposal, Verifier, load_pack
from ranpilot.targets import Target

PANEL = dict(panel_rows=4, panel_cols=8, mu_layers=4)  # 32 ports
EMBB_ONLY = (SliceSpec(name="eMBB", sst=1, five_qi=8, ue_fraction=1.0, min_prb_ratio=0.5),)


@pytest.fixture(scope="module")
def net() -> Network:
    return Network(NetworkConfig(num_ues=105, slices=EMBB_ONLY, antenna=AntennaConfig(**PANEL)), seed=2)


def every_cell(net: Network, n_beams: int) -> Network:
    twin = net.clone()
    twin.apply([SetSsbBeams(cell=c, n_beams=n_beams) for c in range(twin.num_cells)])
    return twin


def test_the_best_of_more_beams_is_never_below_the_wide_beam(net):
    geom, radio = net._geom(), net.radio()
    links = serving_links(geom, net.topology, radio.serving, net.state.ue_vel)
    wide = beam_gains(geom.rays, links, net.config, 1)
    np.testing.assert_allclose(wide, 1.0, rtol=1e-5)  # one port: the single-antenna reference
    np.testing.assert_allclose(radio.ssb_rsrp_dbm, radio.rsrp_dbm, atol=1e-5)  # the default is one beam
    for n in (4, 8):
        gains = beam_gains(geom.rays, links, net.config, n)
        assert gains.shape == (105, n)
        assert np.all(gains.max(axis=1) >= 1.0 - 1e-5)  # a complete DFT basis: the best is at least the mean
        np.testing.assert_allclose(gains.sum(axis=1), n, rtol=1e-4)  # ... and the beams share n
    eight = every_cell(net, 8).radio()
    assert np.all(eight.ssb_rsrp_dbm >= radio.ssb_rsrp_dbm - 1e-5)
    assert 3.0 < np.median(eight.ssb_rsrp_dbm - radio.ssb_rsrp_dbm) < 10 * np.log10(8)


def single_ray_ues(sin_azimuths: list[float], cfg: NetworkConfig) -> tuple[RayDraw, Links]:
    """UEs each reached by one line-of-sight ray at the horizon, at these sin(azimuth) off boresight."""
    n = len(sin_azimuths)
    zeros = np.zeros((2, n, 1))
    draw = RayDraw(aod=zeros, zod=zeros, aoa=zeros, zoa=zeros + np.pi / 2, power=np.ones((2, 1)),
                   phase0=np.zeros((n, 1, 1)))
    links = Links(az_off=np.arcsin(sin_azimuths), zenith=np.full(n, np.pi / 2), to_site_az=np.zeros(n),
                  site=np.zeros(n, int), los=np.ones(n, bool), velocity=np.zeros((n, 2)))
    return draw, links


def test_a_line_of_sight_ray_gains_the_beam_gain():
    cfg = NetworkConfig(num_ues=3, num_rings=0, sectors_per_site=1, antenna=AntennaConfig(**PANEL))
    # on DFT beam 1 of 8 columns, on beam 6 (sin = 12/8 - 2), and halfway between beams 0 and 1
    draw, links = single_ray_ues([0.25, -0.5, 0.125], cfg)
    rsrp, index = best_beams(draw, links, cfg, np.full(3, 8), np.full(3, -100.0))
    straddle = 1 / np.sin(np.pi / 16) ** 2 / 8  # |sum_c exp(j pi c / 8)|^2 / 8
    np.testing.assert_allclose(rsrp, -100.0 + 10 * np.log10([8.0, 8.0, straddle]), atol=1e-4)
    assert index.tolist()[:2] == [1, 6]
    one, _ = best_beams(draw, links, cfg, np.full(3, 1), np.full(3, -100.0))
    np.testing.assert_allclose(one, -100.0, atol=1e-5)
    # 32 beams on a 4 x 8 panel split vertically; the ray at the horizon is on vertical beam 0
    np.testing.assert_allclose(beam_gains(draw, links, cfg, 32).max(axis=1)[:2], 32.0, rtol=1e-4)
    assert beam_grid(32, cfg) == (8, 4) and beam_grid(4, cfg) == (4, 1)


def test_the_ssb_overhead_follows_the_formula_and_comes_off_the_capacity(net):
    cfg = net.config  # 30 kHz: 40 slots per 20 ms, 273 PRBs
    assert overhead_fraction(8, cfg) == pytest.approx(8 * 4 * 20 / (40 * 14 * 273))
    assert overhead_fraction(1, cfg.model_copy(update={"scs_khz": 15.0, "num_prb": 52})) == pytest.approx(
        4 * 20 / (20 * 14 * 52))
    eight = every_cell(net, 8)
    kpis, base = eight.observe().network, net.observe().network
    assert kpis["SsbOverhead"] == pytest.approx(100 * 8 * 80 / 152880)
    assert base["SsbOverhead"] == pytest.approx(100 * 80 / 152880)
    assert kpis["SsbRsrpMean"] > base["SsbRsrpMean"] + 3 and kpis["SsbRsrpP5"] > base["SsbRsrpP5"]
    # full buffer only: the same PRBs, each carrying the share the SSBs leave
    ratio = (1 - overhead_fraction(8, cfg)) / (1 - overhead_fraction(1, cfg))
    np.testing.assert_allclose(eight.radio().thp_bps, net.radio().thp_bps * ratio, rtol=1e-9)


def test_a_one_port_network_has_one_wide_beam_and_no_ssb_kpis():
    net = Network(NetworkConfig(num_ues=42), seed=1)
    assert net.radio().ssb_rsrp_dbm is None and "SsbRsrpMean" not in net.observe().network
    with pytest.raises(ActionError, match=r"actions\[0\]\.n_beams: 4 outside \[1, 1\]"):
        net.apply([SetSsbBeams(cell=0, n_beams=4)])
    old = {k: v for k, v in net.state.to_json().items() if k != "ssb_beams"}  # saved before SSB beams
    assert NetState.from_json(old).equals(net.state)


def test_bad_input_is_refused(net):
    for bad in (0, -4, True, "8", 65, 4.0):
        with pytest.raises(ValidationError, match="n_beams"):
            parse_actions([{"type": "set_ssb_beams", "cell": 0, "n_beams": bad}])
    with pytest.raises(ActionError, match=r"actions\[0\]\.cell: unknown cell 99"):
        net.clone().apply([SetSsbBeams(cell=99, n_beams=4)])
    with pytest.raises(ActionError, match=r"16 outside \[1, 8\]"):  # L_max 8 at 3.5 GHz
        net.clone().apply([SetSsbBeams(cell=0, n_beams=16)])
    with pytest.raises(ValueError, match="0 SSB beams"):
        beam_grid(0, net.config)
    with pytest.raises(ValidationError, match="ssb_beams 8 exceeds the 4 ports"):
        AntennaConfig(panel_cols=4, ssb_beams=8)
    with pytest.raises(ValidationError, match="exceeds L_max 4 at 2.6 GHz"):
        NetworkConfig(carrier_ghz=2.6, antenna=AntennaConfig(**PANEL, ssb_beams=8))
    assert [ssb_l_max(f) for f in (2.6, 3.5, 28.0)] == [4, 8, 64]


def pack_with_ssb_sizes(allowed: list[int] | None = None):
    """The default pack for a one-slice network (no URLLC floor), the SSB beam sizes as given."""
    pack = load_pack()
    rules = [r.model_copy(update={"allowed": allowed or r.allowed}) if r.id == "mimo.ssb_beams" else r
             for r in pack.rules if r.id != "slices.urllc_floor"]
    return pack.model_copy(update={"rules": rules})


def test_the_verifier_names_the_rule_and_the_margin(net):
    verifier = Verifier(pack_with_ssb_sizes())
    assert verifier.verify(Proposal(actions=[SetSsbBeams(cell=0, n_beams=8)]), net).status != "rejected"
    for n, limit, text in ((6, "1, 4, 8, 64", "2 from the nearest, 4"),
                           (64, 8, "exceed the limit of 8 (L_max at 3.5 GHz) by 56")):
        verdict = verifier.verify(Proposal(actions=[SetSsbBeams(cell=1, n_beams=n)]), net)
        assert verdict.status == "rejected"
        (found,) = [v for v in verdict.violations if v.rule_id == "mimo.ssb_beams"]
        assert (found.observed, found.limit) == (n, limit) and text in found.message
    verdict = Verifier(pack_with_ssb_sizes([1, 4])).verify(Proposal(actions=[SetSsbBeams(cell=0, n_beams=8)]), net)
    (found,) = [v for v in verdict.violations if v.rule_id == "mimo.ssb_beams"]
    assert "4 from the nearest, 4" in found.message


@pytest.mark.parametrize("wire", ["json", "asn1"])
def test_ssb_beams_travel_as_an_rc_control_and_roll_back(net, wire):
    node = SimulatedE2Node(net.clone())
    runtime = InProcessRuntime(node, [], wire=wire)
    assert 12 in runtime.ran_functions[3].controlStyles[1000]  # advertised in E2 Setup
    reply = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="s", actions=[
        SsbBeams(cell=2, nBeams=8)]))
    assert isinstance(reply, RcControlAck) and node.network.configuration().ssb_beams[2] == 8
    view, before = E2ControlledNetwork(runtime), node.network.configuration()
    view.apply([SetSsbBeams(cell=5, n_beams=4)])
    assert node.network.configuration().ssb_beams[5] == 4
    view.set_configuration(before)
    assert node.network.configuration().equals(before)
    for n_beams, cause in ((16, r"actions\[0\]\.nBeams: 16 outside \[1, 8\]"), (0, "greater than or equal to 1")):
        bad = runtime.send_control(RcControlRequest(meid=runtime.meid, request_id="b", actions=[
            SsbBeams(cell=2, nBeams=n_beams)]))
        assert isinstance(bad, RcControlFailure)
        assert re.search(cause, bad.cause), bad.cause
    assert node.network.configuration().equals(before)


def test_coverage_targets_count_the_rsrp_the_ue_measures_on_its_best_ssb_beam(net):
    """Weak-RSRP shares use SS-RSRP on multi-antenna cells, so more SSB beams lift coverage."""
    threshold = float(np.percentile(net.radio().rsrp_dbm, 20))
    wide = net.target_value(Target.WEAK_RSRP_UE_SHARE, threshold=threshold)
    eight = every_cell(net, 8)
    np.testing.assert_allclose(eight.radio().measured_rsrp_dbm, eight.radio().ssb_rsrp_dbm)
    assert wide == pytest.approx(20.0, abs=1.5)
    assert eight.target_value(Target.WEAK_RSRP_UE_SHARE, threshold=threshold) < wide / 2


def test_the_planner_steps_the_ssb_beam_set_through_the_allowed_sizes(net):
    def moves(network: Network, sign: float) -> list:
        s = Situation(network=network, target=Target.WEAK_RSRP_UE_SHARE, goal=1.0, cells=[3], slice=None,
                      threshold=None, pack=load_pack(), step_scale=1.0)
        return _ssb(s, [3], sign)

    assert moves(net, +1) == [SetSsbBeams(cell=3, n_beams=4)]  # 1 -> 4: the pack allows 1, 4, 8, 64
    assert moves(net, -1) == []
    assert moves(every_cell(net, 8), +1) == []  # L_max is 8 at 3.5 GHz
    assert moves(every_cell(net, 8), -1) == [SetSsbBeams(cell=3, n_beams=4)]
