"""Confirm with statistics (paired effects, noise-scaled tolerance), exact reloads and a steady
start on a bursty network, where one sample's noise exceeds any fixed tolerance."""

import numpy as np
import pytest

from ranpilot.network import Network, NetworkConfig, SetCio, SetTilt, SliceSpec
from ranpilot.network.config import DEFAULT_SLICES, Traffic
from ranpilot.network.live import network_from_text, network_to_text
from ranpilot.policies import Proposal, Verifier, load_pack
from ranpilot.policies.confirm import CONFIDENCE_Z, Effect, effects, shortfall_reason

BURSTY_EMBB = DEFAULT_SLICES[0].model_copy(update={"traffic": Traffic.BURSTY, "file_mbit": 1.2, "arrivals_per_s": 1.0})
BURSTY = NetworkConfig(num_ues=210, bandwidth_mhz=20.0, num_prb=51,
                       slices=(SliceSpec(**BURSTY_EMBB.model_dump()), *DEFAULT_SLICES[1:]))
PACK = load_pack()
KPI = "AveDLRANUEThpt"


def test_effects_are_mean_and_sample_sd_of_the_paired_differences():
    got = effects({"a": [1.0, 2.0, 3.0], "b": [], "c": [4.0]})
    assert got["a"] == Effect(mean=2.0, sd=1.0, steps=3)
    assert got["c"] == Effect(mean=4.0, sd=0.0, steps=1)
    assert "b" not in got


def test_the_tolerance_grows_with_the_measured_noise():
    predicted = Effect(mean=1.0, sd=0.0, steps=10)
    exact = Effect(mean=-1.5, sd=0.0, steps=5)  # 2.5 worse than predicted, no noise: beyond max_worse 2
    assert "2.5 > 2 + 0" in shortfall_reason(KPI, True, 2.0, predicted, exact)
    noisy = Effect(mean=-1.5, sd=10.0, steps=5)  # the same mean, but +/-10 per step: within the noise
    assert shortfall_reason(KPI, True, 2.0, predicted, noisy) is None
    far = Effect(mean=-1.5 - CONFIDENCE_Z * 10.0 / 5 ** 0.5, sd=10.0, steps=5)  # beyond 2 + z * se
    assert shortfall_reason(KPI, True, 2.0, predicted, far) is not None
    assert shortfall_reason("WeakRSRPUEShare", False, 2.0, predicted, exact) is None  # lower is better: 2.5 better


@pytest.fixture(scope="module")
def good_change():
    """A bursty network and a change the verifier approves with a predicted throughput gain:
    tilting cell 9 (among the most loaded) down by 2 degrees, +5.3 Mbit/s on average per step."""
    net = Network(BURSTY, seed=0)
    net.step(20)
    tilt = float(net.configuration().tilt_deg[9])
    verdict = Verifier(PACK).verify(Proposal(actions=[SetTilt(cell=9, tilt_deg=tilt + 2.0)]), net)
    assert verdict.status == "approved" and verdict.effects[KPI].mean == pytest.approx(5.27, abs=0.01)
    return net, verdict


def test_a_good_change_on_a_bursty_network_is_kept_and_its_live_effect_is_the_predicted_one(good_change):
    net, verdict = good_change
    assert verdict.effects[KPI].steps == PACK.dry_run_steps
    alone = net.clone()
    raw = [alone.step(1) or alone.target_value(KPI) for _ in range(PACK.confirm_steps)]
    result = Verifier(PACK).apply_verified(verdict, net.clone())
    observed = result.effects[KPI]
    assert result.status == "applied" and observed.steps == PACK.confirm_steps
    # Live, the change gained 3.31 Mbit/s a step against 5.27 predicted over the dry run's 10 steps
    # (a shortfall of 1.96, within 2 + 2.26 of noise), and pairing halves the spread one sample has.
    assert observed.mean == pytest.approx(3.31, abs=0.01)
    assert observed.sd < np.std(raw, ddof=1) / 1.5


def test_a_change_whose_prediction_overstates_it_is_rolled_back(good_change):
    net, verdict = good_change
    effect = verdict.effects[KPI]
    optimistic = verdict.model_copy(update={"effects": {**verdict.effects, KPI: Effect(
        mean=effect.mean + 4.0, sd=effect.sd, steps=effect.steps)}})
    live = net.clone()
    before = live.configuration()
    result = Verifier(PACK).apply_verified(optimistic, live)
    assert result.status == "rolled_back" and "noise allowance" in result.reasons[0]
    assert live.configuration().equals(before)


def test_a_reloaded_bursty_network_is_exactly_the_original_before_and_after_steps_and_changes():
    net = Network(BURSTY, seed=3)
    net.step(4)
    loaded, _ = network_from_text(network_to_text(net), "test")
    assert loaded.observe().model_dump() == net.observe().model_dump()  # before any step: no re-evaluation drift
    for n in (net, loaded):
        n.apply([SetCio(cell=2, cio_db=-4.0)])
    assert loaded.observe().model_dump() == net.observe().model_dump()
    net.step(3)
    loaded.step(3)
    assert loaded.state.equals(net.state)
    assert loaded.observe().model_dump() == net.observe().model_dump()


def test_a_reset_network_starts_at_its_load_fixed_point_near_the_steady_state():
    starts, steady = [], []
    for seed in range(8):
        net = Network(BURSTY, seed=seed)
        assert np.abs(net.cell_load() - net.state.load).max() < 1e-3  # settled: evaluating again keeps the loads
        starts.append(net.observe().network["AveDLPrbLoad"])
        loads = []
        for _ in range(30):
            net.step(1)
            loads.append(net.observe().network["AveDLPrbLoad"])
        steady.append(np.mean(loads[10:]))
    # Two passes from all-busy cells started 14 points above the steady load (39.7% against 25.7%).
    assert abs(np.mean(starts) - np.mean(steady)) < 4.0
