"""The Type-I codebook and WMMSE precoders of multi-antenna cells (`Precoder.TYPE1`, `TYPE1_ZF`,
`WMMSE`): codebook beams chosen on the reported CSI, WMMSE's sum rate and power budget against
known optima, and the new names through the actions, the verifier, E2SM-RC and the planner."""

from dataclasses import replace
from unittest import mock

import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.network import Network, NetworkConfig
from ranpilot.network.actions import SetPrecoder
from ranpilot.network.mimo import downlink as mimo_downlink
from ranpilot.network.mimo.config import PRECODER_CODES, AntennaConfig, Precoder
from ranpilot.network.mimo.downlink import CellMimo, downlink, precoder, type1_beams
from ranpilot.oran.e2.node import control_actions, network_action
from ranpilot.planning.moves import _precoder
from ranpilot.planning.situation import Situation
from ranpilot.policies import Proposal, Verifier, load_pack
from ranpilot.targets import Target
from ranpilot.tools.beam_solver import sinr, wmmse_miso
from ranpilot.tools.codebook import type1_codebook

NEW = ("type1", "wmmse", "type1_zf")


def random_groups(groups: int, k: int, m: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    csi = (rng.standard_normal((groups, k, m)) + 1j * rng.standard_normal((groups, k, m))) / np.sqrt(2)
    return csi, rng.uniform(0.02, 2.0, (groups, k))  # normalised interference plus noise per UE


def sum_rate(csi: np.ndarray, q: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Per group, sum of log2(1 + SINR) with each UE's interference plus noise q (the downlink's SINR)."""
    return np.log2(1 + sinr(csi / np.sqrt(q)[..., None], weights, 1.0)).sum(axis=-1)


def test_new_precoders_keep_the_existing_codes():
    assert PRECODER_CODES == ("mrt", "zf", "rzf", "socp", "type1", "wmmse", "type1_zf")


def test_type1_beams_are_the_codebook_columns_each_ue_reports():
    csi, q = random_groups(6, 3, 8, seed=0)
    book, _ = type1_codebook(4, 2, 4, 4, False)  # a 2 x 4 panel: N1 = 4 columns, N2 = 2 rows
    assert book.shape == (8, 128) and np.array_equal(type1_beams(2, 4), book)
    weights = precoder(Precoder.TYPE1, csi, q, panel=(2, 4))
    for g in range(6):
        for k in range(3):
            pmi = max(range(book.shape[1]), key=lambda b: abs(csi[g, k] @ book[:, b]) ** 2)
            np.testing.assert_allclose(weights[g, :, k], book[:, pmi] / np.sqrt(3), atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(weights, axis=(1, 2)), 1.0)


def test_type1_zf_nulls_the_other_ues_reported_beams():
    csi, q = random_groups(4, 3, 8, seed=1)
    beams = precoder(Precoder.TYPE1, csi, q)
    zf = precoder(Precoder.TYPE1_ZF, csi, q)
    seen = np.swapaxes(beams, 1, 2).conj() @ zf  # UE k's beam against every ZF beam
    np.testing.assert_allclose(seen * (1 - np.eye(3)), 0.0, atol=1e-12)
    np.testing.assert_allclose(np.linalg.norm(zf, axis=(1, 2)), 1.0)


def dft_channel(beam: int, ports: int = 8) -> np.ndarray:
    """A ULA channel h with h^T w largest for Type-I beam `beam` (O1 = 4), |h_m| = 1."""
    return np.exp(-2j * np.pi * beam * np.arange(ports) / (4 * ports))


def test_the_pmi_comes_from_the_reported_csi_not_the_channel_now():
    """One UE, one port group: the channel has moved from beam 4 (reported) to beam 8 (now, a
    DFT beam orthogonal to 4); Type-I serves the reported beam and gets |h_now^T w_4|^2 / q = 0."""
    now, reported = dft_channel(8)[None, :], dft_channel(4)[None, :]
    settings = CellMimo(precoder=np.array([PRECODER_CODES.index("type1")]), layers=np.array([1]),
                        prediction=np.array([False]))
    cfg = NetworkConfig(num_ues=1, num_rings=0, sectors_per_site=1, antenna=AntennaConfig(panel_cols=8))
    with mock.patch.object(mimo_downlink, "true_and_reported", return_value=(now, reported)):
        stale = downlink(None, None, 0.0, cfg, np.zeros(1, int), np.array([2.0]), settings)
    with mock.patch.object(mimo_downlink, "true_and_reported", return_value=(now, now)):
        fresh = downlink(None, None, 0.0, cfg, np.zeros(1, int), np.array([2.0]), settings)
    assert stale.sinr[0] == pytest.approx(0.0, abs=1e-20)
    assert fresh.sinr[0] == pytest.approx(8 * 2.0)  # array gain 8 on the matching beam


def test_wmmse_raises_the_sum_rate_over_rzf_within_the_cell_budget():
    csi, q = random_groups(40, 4, 8, seed=2)
    rzf = sum_rate(csi, q, precoder(Precoder.RZF, csi, q))
    weights = precoder(Precoder.WMMSE, csi, q)
    wmmse = sum_rate(csi, q, weights)
    assert np.all(wmmse >= rzf - 1e-9)
    assert wmmse.mean() > rzf.mean() + 0.1  # bit/s/Hz per group
    np.testing.assert_allclose(np.sum(np.abs(weights) ** 2, axis=(1, 2)), 1.0, rtol=1e-9)


def test_wmmse_never_lowers_the_sum_rate_from_one_iteration_to_the_next():
    csi, q = random_groups(20, 4, 8, seed=3)
    whitened = csi / np.sqrt(q)[..., None]
    start = precoder(Precoder.RZF, csi, q)
    rates = [sum_rate(csi, q, wmmse_miso(whitened, 1.0, 1.0, iterations=n, tol=0.0, start=start)) for n in range(6)]
    assert np.all(np.diff(rates, axis=0) >= -1e-9)


def test_wmmse_water_fills_two_orthogonal_ues():
    """h_1 = sqrt(10) e_1, h_2 = sqrt(2) e_2, unit noise, unit power: the sum-rate optimum is water
    filling, p_k = nu - 1/a_k with nu = 0.8: p = (0.7, 0.3)."""
    H = np.zeros((2, 4), complex)
    H[0, 0], H[1, 1] = np.sqrt(10.0), np.sqrt(2.0)
    W = wmmse_miso(H, 1.0, 1.0, iterations=2000, tol=1e-12)
    np.testing.assert_allclose(np.sum(np.abs(W) ** 2, axis=0), [0.7, 0.3], atol=1e-4)


def test_the_batched_wmmse_is_the_per_group_wmmse():
    csi, _ = random_groups(3, 3, 6, seed=4)
    noise = np.array([0.5, 1.0, 2.0])
    batched = wmmse_miso(csi, 2.0, noise, iterations=30, tol=0.0)
    for g in range(3):
        np.testing.assert_allclose(batched[g], wmmse_miso(csi[g], 2.0, float(noise[g]), iterations=30, tol=0.0),
                                   atol=1e-10)


def mimo_network(**antenna) -> Network:
    config = NetworkConfig(num_ues=63, antenna=AntennaConfig(panel_rows=1, panel_cols=8, mu_layers=4, **antenna))
    return Network(config, seed=3)


@pytest.mark.parametrize("name", NEW)
def test_the_new_precoders_run_on_a_network_and_pass_the_verifier(name):
    net = mimo_network()
    proposal = Proposal(actions=[SetPrecoder(cell=c, precoder=name) for c in range(net.num_cells)])
    assert Verifier(load_pack()).verify(proposal, net).status != "rejected"
    net.apply(proposal.actions)
    assert net.observe().network["AveDLRANUEThpt"] > 0


def test_the_verifier_refuses_precoders_outside_the_pack_and_names_it_does_not_know():
    net = mimo_network()
    pack = load_pack()
    no_wmmse = [r.model_copy(update={"allowed": ["zf", "type1"]}) if r.id == "mimo.precoders" else r
                for r in pack.rules]
    verdict = Verifier(pack.model_copy(update={"rules": no_wmmse})).verify(
        Proposal(actions=[SetPrecoder(cell=0, precoder="wmmse")]), net)
    assert verdict.status == "rejected" and "mimo.precoders" in {v.rule_id for v in verdict.violations}
    with pytest.raises(ValidationError, match="precoder"):
        SetPrecoder(cell=0, precoder="type2")
    rule = next(r for r in pack.rules if r.id == "mimo.precoders")
    with pytest.raises(ValidationError, match="allowed"):
        type(rule).model_validate(rule.model_dump() | {"allowed": ["type2"]})


@pytest.mark.parametrize("name", NEW)
def test_e2sm_rc_carries_the_new_precoders_by_their_codes(name):
    net = mimo_network()
    (control,) = control_actions([SetPrecoder(cell=2, precoder=name)], net)
    assert control.precoderIndex == PRECODER_CODES.index(name)
    assert network_action(control, net) == SetPrecoder(cell=2, precoder=name)


@pytest.mark.parametrize("now,up,down", [("zf", "rzf", "mrt"), ("rzf", "wmmse", "zf"), ("wmmse", None, "rzf"),
                                         ("type1", "mrt", None), ("type1_zf", "mrt", "type1"), ("socp", "wmmse", "zf")])
def test_the_planner_moves_a_cell_one_rung_along_the_precoder_ladder(now, up, down):
    net = mimo_network()
    configured = replace(net.configuration(), precoder=np.full(net.num_cells, PRECODER_CODES.index(now)))
    net.configuration = lambda: configured  # the cell's precoder as set (a SOCP network would solve one per group)
    s = Situation(network=net, target=Target.AVE_DL_RAN_UE_THPT, goal=100.0, cells=[1], slice=None, threshold=None,
                  pack=load_pack(), step_scale=1.0)
    assert _precoder(s, [1], +1) == ([SetPrecoder(cell=1, precoder=up)] if up else [])
    assert _precoder(s, [1], -1) == ([SetPrecoder(cell=1, precoder=down)] if down else [])
