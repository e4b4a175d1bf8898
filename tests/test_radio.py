"""Link adaptation and the PF scheduler's water-filling against brute-force references."""

import numpy as np
import pytest

from ranpilot.network import radio


def test_cqi_table_limits():
    sinr = radio.db_to_lin(np.array([-20.0, 40.0]))
    assert radio.spectral_efficiency(sinr).tolist() == [0.0, pytest.approx(7.4063)]
    assert radio.cqi_index(sinr).tolist() == [0, 15]


def test_spectral_efficiency_monotone_and_below_shannon():
    sinr = radio.db_to_lin(np.linspace(-10, 30, 400))
    se = radio.spectral_efficiency(sinr)
    assert np.all(np.diff(se) >= 0)
    assert np.all(se <= np.log2(1 + sinr))


def waterfill_reference(need, budget):
    """Bisection on the water level for one group."""
    lo, hi = 0.0, max(budget, 1.0) * 2
    for _ in range(200):
        mid = (lo + hi) / 2
        if np.minimum(need, mid).sum() > budget:
            hi = mid
        else:
            lo = mid
    return np.minimum(need, lo)


def test_waterfill_matches_reference():
    rng = np.random.default_rng(3)
    need = rng.exponential(20.0, 300)
    need[rng.uniform(size=300) < 0.3] = np.inf
    group = rng.integers(0, 7, 300)
    budget = rng.uniform(0, 400, 7)
    alloc = radio.waterfill(need, group, budget)
    for g in range(7):
        members = group == g
        expected = waterfill_reference(need[members], budget[g])
        assert alloc[members] == pytest.approx(expected, abs=1e-6)
    assert np.all(alloc <= need)


def test_waterfill_satisfies_everyone_when_budget_suffices():
    need = np.array([1.0, 2.0, 3.0])
    assert radio.waterfill(need, np.zeros(3, int), np.array([100.0])).tolist() == [1.0, 2.0, 3.0]


def test_hysteresis_keeps_serving_cell():
    rsrp = np.array([[-80.0, -79.0], [-80.0, -75.0]])
    active = np.array([True, True])
    serving = radio.select_serving(rsrp, np.zeros(2), active, np.array([0, 0]), 2.0)
    assert serving.tolist() == [0, 1]
    asleep = radio.select_serving(rsrp, np.zeros(2), np.array([False, True]), np.array([0, 0]), 2.0)
    assert asleep.tolist() == [1, 1]
