"""Tools against known optima, with stated tolerances and fixed seeds; bad input names the field."""

import json

import numpy as np
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from ranpilot.cli import app
from ranpilot.tools.energy import EnergyInput, energy_min_power
from ranpilot.tools.load_balance import LoadBalanceInput, load_balance_cio
from ranpilot.tools.power_control import PowerControlInput, PowerControlOutput, power_control
from ranpilot.tools.power_control.gp import perron_frobenius_max_min
from ranpilot.tools.power_control.wmmse import rates, wmmse
from ranpilot.tools.registry import get_tool
from ranpilot.tools.slice_allocation import SliceAllocationInput, slice_prb_allocation


def rayleigh_gains(batch, k, seed):
    rng = np.random.default_rng(seed)
    h = (rng.standard_normal((batch, k, k)) + 1j * rng.standard_normal((batch, k, k))) / np.sqrt(2)
    return np.abs(h) ** 2


@pytest.mark.parametrize("k,published", [(10, 2.85), (20, 3.62)])
def test_wmmse_matches_published_sum_rate(k, published):
    """Gaussian interference channel, Pmax = 1, noise = 1, 300 instances: mean within 3%."""
    G = rayleigh_gains(300, k, seed=k)
    ones = np.ones((300, k))
    p, _ = wmmse(G, ones, ones)
    assert rates(G, p, ones).sum(axis=1).mean() == pytest.approx(published, rel=0.03)
    assert rates(G, ones, ones).sum(axis=1).mean() == pytest.approx(1.45, rel=0.05)  # full power


def test_wmmse_is_monotone_and_restarts_never_hurt():
    G = rayleigh_gains(20, 10, seed=1)
    ones = np.ones((20, 10))
    objectives = [rates(G, wmmse(G, ones, ones, iterations=n)[0], ones).sum() for n in (1, 3, 10, 30, 100)]
    assert all(b >= a - 1e-9 for a, b in zip(objectives, objectives[1:]))
    single = rates(G, wmmse(G, ones, ones)[0], ones).sum(axis=1)
    best_of = rates(G, wmmse(G, ones, ones, restarts=10)[0], ones).sum(axis=1)
    assert np.all(best_of >= single - 1e-9)


def test_gp_max_min_equals_perron_frobenius():
    G = rayleigh_gains(1, 8, seed=3)[0] + np.eye(8) * 3
    pmax = np.array([1.0, 2, 1, 1, 3, 1, 1, 0.5])
    out = power_control(PowerControlInput(gain_linear=G.tolist(), pmax_w=pmax.tolist(), noise_w=0.1, objective="max_min_sinr"))
    expected = 10 * np.log10(perron_frobenius_max_min(G, pmax, np.full(8, 0.1)))
    assert out.status == "optimal" and out.method == "gp"
    assert out.min_sinr_db == pytest.approx(expected, abs=1e-3)
    assert max(out.sinr_db) - min(out.sinr_db) < 1e-3  # max-min equalizes every link
    assert out.binding and all(p <= q * (1 + 1e-6) for p, q in zip(out.powers_w, pmax))


def test_closed_form_max_min_matches_the_gp_and_takes_over_where_the_solver_stalls(monkeypatch):
    from ranpilot.tools.power_control.gp import max_min_problem, perron_frobenius_solution
    from ranpilot.tools.power_control.train import gaussian

    G = rayleigh_gains(1, 8, seed=3)[0] + np.eye(8) * 3
    pmax, noise = np.array([1.0, 2, 1, 1, 3, 1, 1, 0.5]), np.full(8, 0.1)
    problem = max_min_problem(8)
    reason, _, p_gp = problem.solve(G, pmax, noise)
    value, p_closed, binding = perron_frobenius_solution(G, pmax, noise)
    assert reason == "" and problem.method == "gp" and np.allclose(p_closed, p_gp, rtol=1e-4)
    assert np.allclose(binding, problem.power_binding(), atol=1e-3)  # the duals are these sensitivities
    G, pmax, noise = (a[8] for a in gaussian(20, 50, np.random.default_rng(57)))  # Clarabel can stall on this one
    inp = PowerControlInput(gain_linear=G.tolist(), pmax_w=pmax.tolist(), noise_w=noise.tolist(), objective="max_min_sinr")
    expected = 10 * np.log10(perron_frobenius_solution(G, pmax, noise)[0])
    out = power_control(inp)
    assert out.status == "optimal" and out.min_sinr_db == pytest.approx(expected, abs=1e-4) and out.solve_time_ms < 5000
    monkeypatch.setattr("ranpilot.tools.power_control.gp.solve", lambda *a, **k: ("failed", "solver error", 100.0))
    out = power_control(inp)  # as when the interior point stops with insufficient progress
    assert out.status == "optimal" and out.method == "perron_frobenius" and "solver error" in out.reason
    assert out.min_sinr_db == pytest.approx(expected, abs=1e-9) and max(out.sinr_db) - min(out.sinr_db) < 1e-6
    assert [b.constraint for b in out.binding] == [f"pmax[{int(np.argmax(out.powers_w / pmax))}]"]


@pytest.mark.parametrize("seed", [5, 6, 7])
def test_proportional_fair_beats_sum_rate_and_full_power_on_its_utility(seed):
    G = rayleigh_gains(1, 10, seed=seed)[0]
    utility = lambda r: float(np.log(np.maximum(r, 1e-12)).sum())  # noqa: E731
    sum_rate = power_control(PowerControlInput(gain_linear=G.tolist(), pmax_w=1, noise_w=1, objective="sum_rate"))
    fair = power_control(PowerControlInput(gain_linear=G.tolist(), pmax_w=1, noise_w=1, objective="proportional_fair"))
    full = rates(G[None], np.ones((1, 10)), np.ones((1, 10)))[0]
    assert min(fair.rate_bps_hz) > min(sum_rate.rate_bps_hz)
    assert utility(np.array(fair.rate_bps_hz)) >= max(utility(full), utility(np.array(sum_rate.rate_bps_hz))) - 1e-9
    assert fair.sum_rate_bps_hz <= sum_rate.sum_rate_bps_hz + 1e-6


@pytest.mark.parametrize(
    "args,field",
    [
        ({"gain_linear": [[1, float("nan")], [0.1, 1]]}, "NaN"),
        ({"gain_linear": [[1, -0.1], [0.1, 1]]}, ">= 0"),
        ({"gain_linear": [[1, 0.1, 0.2], [0.1, 1, 0.1]]}, "square"),
        ({"gain_linear": []}, "gain_linear"),
        ({"gain_linear": [[0, 0.1], [0.1, 1]]}, "diagonal"),
        ({"noise_w": -1}, "noise_w"),
        ({"pmax_w": [1, 1, 1]}, "pmax_w"),
        ({"method": "gp"}, "max_min_sinr objective only"),
    ],
)
def test_power_control_bad_input(args, field):
    base = {"gain_linear": [[1, 0.1], [0.1, 1]], "pmax_w": 1, "noise_w": 1}
    with pytest.raises(ValidationError, match=field):
        PowerControlInput(**{**base, **args})


def test_slice_allocation_closed_form_and_sla_floor():
    args = dict(slices=["eMBB", "URLLC"], ue_count=[[6, 2], [5, 5]], rate_per_prb_mbps=[[0.5, 0.5], [0.5, 0.5]], prb_budget=100)
    free = slice_prb_allocation(SliceAllocationInput(**args))
    assert np.allclose(free.prb_fractional, [[75, 25], [50, 50]], atol=0.05)  # x proportional to UE counts
    args["ue_count"] = [[6, 2], [8, 1]]
    floor = slice_prb_allocation(SliceAllocationInput(**args, sla_mbps=[0, 10]))  # URLLC needs 10 x n / 0.5 PRBs
    assert floor.status == "optimal"
    assert floor.prb[0][1] >= 40 and floor.prb[1][1] >= 20
    assert all(sum(row) <= 100 for row in floor.prb)
    assert floor.binding[0].constraint.startswith("prb_budget")
    assert any(b.constraint == "sla_floor[cell 0, URLLC]" for b in floor.binding)
    impossible = slice_prb_allocation(SliceAllocationInput(**args, sla_mbps=[0, 30]))
    assert impossible.status == "infeasible" and "cell 0" in impossible.reason


def test_energy_two_cell_closed_form():
    """Two UEs, each served by its own cell, both rate targets tight: solve the 2x2 system."""
    G = np.array([[1.0, 0.1], [0.2, 1.0]])
    out = energy_min_power(EnergyInput(gain_linear=G.tolist(), serving=[0, 1], rate_target_bps_hz=1.0, noise_w=0.1, pmax_w=10))
    gamma = 10 ** 0.15 * (2**1 - 1)
    A = np.array([[G[0, 0], -gamma * G[0, 1]], [-gamma * G[1, 0], G[1, 1]]])
    expected = np.linalg.solve(A, gamma * 0.1 * np.ones(2))
    assert out.status == "optimal"
    assert out.powers_w == pytest.approx(expected.tolist(), rel=1e-5)
    assert {b.constraint for b in out.binding} == {"rate_target[ue 0]", "rate_target[ue 1]"}
    infeasible = energy_min_power(EnergyInput(gain_linear=G.tolist(), serving=[0, 1], rate_target_bps_hz=12.0, noise_w=0.1, pmax_w=1))
    assert infeasible.status == "infeasible" and "pmax_w" in infeasible.reason


def test_energy_reports_idle_cells_as_sleep_candidates():
    G = np.array([[1.0, 0.5, 0.01], [0.3, 1.0, 0.01]])
    out = energy_min_power(EnergyInput(gain_linear=G.tolist(), serving=[0, 1], rate_target_bps_hz=0.5, noise_w=0.01, pmax_w=10))
    assert out.sleep_candidates == [2] and out.powers_w[2] == pytest.approx(0.0, abs=1e-7)


def test_load_balance_moves_edge_ues_out_of_the_hotspot():
    rng = np.random.default_rng(0)
    users = 40
    rsrp = np.full((users, 3), -100.0)
    rsrp[:, 0] = -80 + rng.uniform(-2, 2, users)  # everyone hears cell 0 best ...
    rsrp[:20, 1] = -83 + rng.uniform(-1, 1, 20)  # ... half are within 6 dB of cell 1
    rsrp[20:, 2] = -115.0  # cell 2 is too weak for the rest: coverage forbids moving them
    out = load_balance_cio(LoadBalanceInput(rsrp_dbm=rsrp.tolist(), demand_prb=np.full((users, 3), 10.0).tolist(), prb_budget=273))
    assert out.status == "optimal"
    assert out.max_load_before == pytest.approx(400 / 273, rel=1e-6)
    assert out.max_load_after == pytest.approx(200 / 273, rel=0.05) and out.moved_ues == 20
    assert out.cio_db[1] - out.cio_db[0] >= 3.0 - 1e-6 and out.load_after[2] == 0.0
    assert out.binding and out.binding[0].constraint.startswith("load[cell")


def _random_balance_input(seed: int) -> LoadBalanceInput:
    rng = np.random.default_rng(seed)
    rsrp, demand = -80.0 - 30.0 * rng.random((120, 21)), 5.0 + 20.0 * rng.random((120, 21))
    return LoadBalanceInput(rsrp_dbm=rsrp.tolist(), demand_prb=demand.tolist(), prb_budget=100.0)


def test_load_balance_answer_does_not_depend_on_earlier_solves():
    """The problems are cached per shape; the CIOs are shift-invariant, so a solver warm-started from
    the previous solve would land on another optimum (the cause of a scenario that failed only
    after the whole test suite)."""
    first = load_balance_cio(_random_balance_input(7)).cio_db
    for seed in range(100, 104):
        load_balance_cio(_random_balance_input(seed))
    assert load_balance_cio(_random_balance_input(7)).cio_db == first


def test_registry_calls_tools_through_their_typed_models():
    tool = get_tool("power_control")
    result = tool.call({"gain_linear": [[1, 0.1], [0.1, 1]], "pmax_w": 1, "noise_w": 0.1})
    assert isinstance(result, PowerControlOutput) and result.status == "ok" and len(result.powers_w) == 2
    with pytest.raises(ValidationError, match="gain_linear"):
        tool.call({"gain_linear": [[1, -0.1], [0.1, 1]], "pmax_w": 1, "noise_w": 0.1})
    with pytest.raises(KeyError, match="unknown tool"):
        get_tool("nope")

def test_cli_tool_run(tmp_path):
    runner = CliRunner()
    assert "power_control" in runner.invoke(app, ["tool", "list"]).output
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"gain_linear": [[1, 0.1], [0.1, 1]], "pmax_w": 1, "noise_w": 0.1, "objective": "max_min_sinr"}))
    result = runner.invoke(app, ["tool", "run", "power_control", "--input", str(path)])
    assert result.exit_code == 0 and json.loads(result.output)["status"] == "optimal"
    path.write_text(json.dumps({"gain_linear": [[1, 0.1]], "pmax_w": 1, "noise_w": 0.1}))
    bad = runner.invoke(app, ["tool", "run", "power_control", "--input", str(path)])
    assert bad.exit_code == 2 and "square" in bad.output
    assert runner.invoke(app, ["tool", "run", "nope", "--input", str(path)]).exit_code == 2


def test_learned_power_control_is_deterministic_and_matches_wmmse():
    from ranpilot.tools.power_control.learned import learned_powers, load_model
    from ranpilot.tools.power_control.train import d2d, gaussian

    assert load_model() is load_model()
    for make in (gaussian, d2d):
        G, pmax, noise = make(100, 20, np.random.default_rng(5))
        p = learned_powers(G, pmax, noise)
        assert np.array_equal(p, learned_powers(G, pmax, noise)) and ((p >= 0) & (p <= pmax)).all()
        learned = rates(G, p, noise).sum(axis=1).mean()
        assert learned > 1.5 * rates(G, pmax, noise).sum(axis=1).mean()
        assert learned > 0.97 * rates(G, wmmse(G, pmax, noise)[0], noise).sum(axis=1).mean()  # measured: 0.985, 0.993
    out = power_control(PowerControlInput(gain_linear=G[0].tolist(), pmax_w=pmax[0].tolist(), noise_w=noise[0].tolist(), method="learned"))
    assert out.method == "learned" and out.status == "ok"


def test_learned_models_refinement_is_wmmse():
    """With unit weights the refinement steps are WMMSE iterations: from full power they give the
    float64 reference's powers, on the Gaussian setup and at D2D SNRs (up to ~80 dB)."""
    import torch

    from ranpilot.tools.power_control.learned import normalized_gains, split, wmmse_steps
    from ranpilot.tools.power_control.train import d2d, gaussian

    for make in (gaussian, d2d):
        G, pmax, noise = make(50, 10, np.random.default_rng(3))
        ghat = normalized_gains(G, pmax, noise)
        direct, ratio = split(ghat)
        x = wmmse_steps(ghat, direct, ratio.mT, torch.ones(50, 10), torch.ones(3)).numpy()
        reference = wmmse(G, pmax, noise, iterations=3)[0] / pmax
        assert np.abs(reference - 1.0).max() > 0.1  # the three steps moved the powers
        np.testing.assert_allclose(x, reference, atol=1e-4)


def test_switched_off_link_has_no_sinr_rather_than_minus_infinity():
    """Two links that drown each other: sum-rate keeps one at full power (log2(101) bit/s/Hz) and
    switches the other off; its SINR is reported as null, the minimum is over the links on air."""
    import json
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no log10(0) on the way
        out = power_control(PowerControlInput(gain_linear=[[1, 10], [10, 1]], pmax_w=1, noise_w=0.01, method="wmmse"))
    assert sorted(out.powers_w) == [0.0, 1.0] and out.sum_rate_bps_hz == pytest.approx(np.log2(101))
    assert sorted(out.sinr_db, key=lambda x: x is None) == [pytest.approx(20.0), None] and out.min_sinr_db == pytest.approx(20.0)
    assert "Infinity" not in json.dumps(out.model_dump())
