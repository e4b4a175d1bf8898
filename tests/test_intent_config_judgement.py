"""The embedded parser's reading of direct configuration requests, each rule checked on sentences
written for this test: a change said twice is one change, each cell takes the amount said after
it, the unit names the parameter, back online is awake, shutting a cell down puts it to sleep."""

import pytest

from intent_helpers import INVENTORY
from ranpilot.intents.parser import understand


@pytest.mark.parametrize("text,cells", [
    ("c0 back on pls, switch it on", [0]),
    ("Cell 7 to sleep please - yes, switch cell 7 off.", [7]),
    ("Turn cells 5 and 6 back on, i.e. wake cells 5 and 6.", [5, 6]),
])
def test_a_change_said_twice_is_one_change(text, cells):
    u = understand(text, INVENTORY)
    assert u.status == "config"
    assert [c.cell for c in u.changes] == cells


@pytest.mark.parametrize("text,want", [
    ("tilt c0 down 2 and c1 down 1", [("tilt_deg", 0, 2.0), ("tilt_deg", 1, 1.0)]),
    ("uptilt c5 by 2, c6 by 1 and c7 by 3", [("tilt_deg", 5, -2.0), ("tilt_deg", 6, -1.0), ("tilt_deg", 7, -3.0)]),
    ("Raise tx power on cell 3 by 2 dB and on cell 4 by 1 dB.", [("tx_power_dbm", 3, 2.0), ("tx_power_dbm", 4, 1.0)]),
])
def test_each_cell_takes_the_amount_said_after_it(text, want):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.cell, c.delta) for c in u.changes] == want


@pytest.mark.parametrize("text,want", [
    ("c13: tx 41 dBm (antenna swapped last week)", ("tx_power_dbm", 13, 41.0)),
    ("bring cell 19 back online pls", ("asleep", 19, 0.0)),
    ("return c9 to service", ("asleep", 9, 0.0)),
])
def test_a_setting_is_read_by_its_unit_and_back_online_is_awake(text, want):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.cell, c.value) for c in u.changes] == [want]


@pytest.mark.parametrize("text,want", [
    ("cell 4 power -2 dB", ("tx_power_dbm", 4, None, -2.0)),
    ("cell 3 back to 43 dBm", ("tx_power_dbm", 3, 43.0, None)),
])
def test_a_power_in_db_moves_and_a_cells_dbm_value_is_its_power(text, want):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.cell, c.value, c.delta) for c in u.changes] == [want]


def test_a_signal_level_in_dbm_is_no_power_setting():
    assert understand("Keep RSRP above -105 dBm on cell 4.", INVENTORY).status == "parsed"


def test_shutting_a_cell_down_puts_it_to_sleep():
    u = understand("shut cell 4 down", INVENTORY)
    assert (u.status, [(c.parameter, c.cell, c.value) for c in u.changes]) == ("config", [("asleep", 4, 1.0)])


@pytest.mark.parametrize("text", [
    "lower the transmit power on cell 9",
    "Increase the CIO on cell 1, please.",
    "Tilt cell 4 to improve coverage at the car park.",
])
def test_a_setting_asked_to_move_without_its_value_asks_for_it(text):
    u = understand(text, INVENTORY)
    assert (u.status, u.reason) == ("clarify", "missing_value")


def test_a_setting_changed_before_is_context_for_the_request_after_it():
    u = understand("I increased the tilt on cell 2 last week; now cut energy on cell 2 by 5%.", INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)


@pytest.mark.parametrize("text,want", [
    ("c2 cio +1", ("cio_db", 2, None, 1.0)),
    ("c7 p-max 20", ("ue_p_max_dbm", 7, 20.0, None)),
    ("c8 tx power up 2", ("tx_power_dbm", 8, None, 2.0)),
    ("power up cell 8", ("asleep", 8, 0.0, None)),
])
def test_a_named_settings_bare_number_is_in_its_unit(text, want):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.cell, c.value, c.delta) for c in u.changes] == [want]


def test_four_digit_clock_times_joined_by_a_dash_are_a_window():
    assert understand("c12 sleep 0100-0500", INVENTORY).window == ("01:00", "05:00")
    assert understand("keep RAN energy between 1000-1200 W", INVENTORY).window is None
