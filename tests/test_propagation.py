"""TR 38.901 path loss and LoS probability against values worked from Tables 7.4.1-1 / 7.4.2-1.

Expected values: fc = 3.5 GHz, h_UT = 1.5 m; UMa h_BS = 25 m (d'_BP = 560.39 m), UMi
h_BS = 10 m (d'_BP = 210.15 m). Tolerance 0.01 dB.
"""

import numpy as np
import pytest

from ranpilot.network.propagation import breakpoint_m, los_probability, pathloss

CASES = [
    # scenario, h_bs, d2d, los, expected dB
    ("UMa", 25.0, 100.0, True, 83.1382),  # PL1 = 28 + 22 log10(102.72) + 20 log10(3.5)
    ("UMa", 25.0, 1000.0, True, 109.4065),  # beyond the breakpoint: PL2
    ("UMa", 25.0, 500.0, False, 129.9158),  # 13.54 + 39.08 log10(500.55) + 20 log10(3.5)
    ("UMi", 10.0, 50.0, True, 79.0896),
    ("UMi", 10.0, 200.0, True, 91.6112),
    ("UMi", 10.0, 200.0, False, 115.2288),
]


@pytest.mark.parametrize("scenario,h_bs,d2d,los,expected", CASES)
def test_pathloss_matches_tr38901(scenario, h_bs, d2d, los, expected):
    got = pathloss(np.array([d2d]), np.array([los]), h_bs, 1.5, 3.5, scenario)[0]
    assert got == pytest.approx(expected, abs=0.01)


def test_breakpoint_distance():
    assert breakpoint_m(25.0, 1.5, 3.5) == pytest.approx(560.39, abs=0.01)
    assert breakpoint_m(10.0, 1.5, 3.5) == pytest.approx(210.15, abs=0.01)


def test_nlos_never_below_los():
    d = np.linspace(10, 5000, 200)
    for scenario, h_bs in (("UMa", 25.0), ("UMi", 10.0)):
        los = pathloss(d, np.ones_like(d, bool), h_bs, 1.5, 3.5, scenario)
        nlos = pathloss(d, np.zeros_like(d, bool), h_bs, 1.5, 3.5, scenario)
        assert np.all(nlos >= los)
        assert np.all(np.diff(los) > 0)


def test_los_probability():
    d = np.array([10.0, 18.0, 100.0])
    assert los_probability(d, 1.5, "UMa") == pytest.approx([1.0, 1.0, 0.34767], abs=1e-5)
    assert los_probability(d, 1.5, "UMi") == pytest.approx([1.0, 1.0, 0.23098], abs=1e-5)
