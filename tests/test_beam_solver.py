"""beam_solver against known optima (fixed seeds, stated tolerances)."""

import numpy as np
import pytest
from pydantic import ValidationError

from ranpilot.tools.base import ComplexArray
from ranpilot.tools.beam_solver import BeamInput, beam_solver


def channel(k, m, seed):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal((k, m)) + 1j * rng.standard_normal((k, m))) / np.sqrt(2)


def run(H, **kwargs):
    return beam_solver(BeamInput(channel=ComplexArray.of(H), **kwargs))


def zf_min_power(H, gamma_db, noise=1.0):
    """Power ZF needs to give every user exactly gamma: directions fixed, per-user power."""
    W = H.conj().T @ np.linalg.inv(H @ H.conj().T)
    W /= np.linalg.norm(W, axis=0)
    gain = np.abs(np.diag(H @ W)) ** 2
    return float(np.sum(10 ** (gamma_db / 10) * noise / gain))


@pytest.mark.parametrize("k,m,seed", [(4, 8, 0), (8, 16, 1)])
def test_socp_meets_targets_with_equality_and_beats_zf(k, m, seed):
    H = channel(k, m, seed)
    out = run(H, objective="min_power_sinr", sinr_target_db=10.0, noise_w=1.0)
    assert out.status == "optimal"
    assert out.sinr_db == pytest.approx([10.0] * k, abs=1e-3)
    assert out.total_power_w < zf_min_power(H, 10.0)


def test_zf_nulls_interference_and_mrt_does_not():
    H = channel(4, 8, 2)
    W = run(H, objective="zf", power_budget_w=1.0).precoder
    G = H @ (np.array(W.re) + 1j * np.array(W.im))
    off = G - np.diag(np.diag(G))
    assert np.abs(off).max() < 1e-10
    W = run(H, objective="mrt", power_budget_w=1.0).precoder
    G = H @ (np.array(W.re) + 1j * np.array(W.im))
    assert np.abs(G - np.diag(np.diag(G))).max() > 0.1


def test_max_min_equalizes_sinr_at_the_power_budget():
    H = channel(8, 16, 3)
    out = run(H, objective="max_min_sinr", power_budget_w=10.0, noise_w=1.0)
    assert max(out.sinr_db) - min(out.sinr_db) < 0.02
    assert out.total_power_w == pytest.approx(10.0, rel=0.01)
    assert min(out.sinr_db) > min(run(H, objective="zf", power_budget_w=10.0).sinr_db)


def test_wmmse_sum_rate_beats_linear_baselines():
    H = channel(8, 16, 4)
    rate = lambda out: float(np.log2(1 + 10 ** (np.array(out.sinr_db) / 10)).sum())  # noqa: E731
    wmmse = run(H, objective="sum_rate", power_budget_w=10.0)
    for baseline in ("rzf", "zf", "mrt"):
        assert rate(wmmse) >= rate(run(H, objective=baseline, power_budget_w=10.0)) - 1e-6
    assert wmmse.total_power_w <= 10.0 + 1e-6


@pytest.mark.parametrize("beam", [0, 5, 13, 31])
def test_codebook_picks_the_line_of_sight_beam(beam):
    n1, o1 = 8, 4
    h = np.exp(-2j * np.pi * beam * np.arange(n1) / (o1 * n1))  # ULA, departure angle on the DFT grid
    out = run(h[None, :], objective="codebook", n1=n1, n2=1, o1=o1, o2=1)
    assert out.beams == [[beam, 0, 0]]


def test_codebook_dual_polarized_co_phasing():
    v = np.exp(-2j * np.pi * 3 * np.arange(4) / 16)
    h = np.concatenate([v, -1j * v])  # second polarization rotated by -j: co-phase index 1 (j) aligns
    out = run(h[None, :], objective="codebook", n1=4, n2=1, o1=4, o2=1, dual_polarized=True)
    assert out.beams == [[3, 0, 1]]


def test_infeasible_targets_name_the_users():
    H = channel(8, 16, 0)
    out = run(H, objective="min_power_sinr", sinr_target_db=[10.0] * 7 + [25.0], power_budget_w=12.0)
    assert out.status == "infeasible" and out.failing_users == [7] and out.precoder is None
    crowded = run(channel(6, 2, 0), objective="min_power_sinr", sinr_target_db=20.0)
    assert crowded.status == "infeasible" and len(crowded.failing_users) == 4


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"channel": ComplexArray(re=[[1, 0]], im=[[0]]), "objective": "mrt", "power_budget_w": 1}, "shape"),
        ({"channel": ComplexArray(re=[[1, float("nan")]], im=[[0, 0]]), "objective": "mrt", "power_budget_w": 1}, "NaN"),
        ({"channel": ComplexArray(re=[[1, 0]], im=[[0, 0]]), "objective": "min_power_sinr"}, "sinr_target_db"),
        ({"channel": ComplexArray(re=[[1, 0]], im=[[0, 0]]), "objective": "zf"}, "power_budget_w"),
        ({"channel": ComplexArray(re=[[1, 0]], im=[[0, 0]]), "objective": "codebook", "n1": 4}, "antennas"),
        ({"channel": ComplexArray(re=[], im=[]), "objective": "mrt", "power_budget_w": 1}, "K x M"),
    ],
)
def test_bad_input_names_the_field(kwargs, message):
    with pytest.raises(ValidationError, match=message):
        BeamInput(**kwargs)
