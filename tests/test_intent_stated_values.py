"""Phrasing classes of the embedded parser (session 5), continued: values stated before or after
their KPI, records and code-like attributes, bands and headings, priority levels, sites as cells,
authority claimed by origin, repeated clauses; each checked on sentences written for this test."""

import pytest

from intent_helpers import AIRPORT, DOWNTOWN, INVENTORY, phrasing_changes as changes, phrasing_goals as goals, verdict
from ranpilot.intents.parser import understand


@pytest.mark.parametrize("text,want", [
    # 'Target: <value>' points back to the KPI before it; a share stated as today's is context
    ("Low SINR: right now one in six users on cell 8. Target: one in twenty.",
     [("LowSINRUEShare", "max", 5.0, [8], None, "DELIVER", False)]),
    # a colon between a KPI and its value inside a list is no heading
    ("URLLC latency: 6 ms max, mMTC throughput: 1 Mbps min, both on cells 15-16",
     [("DlLatency", "max", 6.0, [15, 16], "URLLC", "DELIVER", False), ("DlThptPerUE", "min", 1.0, [15, 16], "mMTC", "DELIVER", False)]),
    # a share of users said after the level it is for
    ("Users at the airport should see at least 8 Mbps, 90% of them", [("LowDLThptUEShare", "max", 10.0, AIRPORT, None, "DELIVER", False)]),
    # a value stated with a verb of state ('sits at', 'hovers around') is today's
    ("Latency on cell 3 hovers around 30 ms; bring it to 15 ms", [("DlLatency", "max", 15.0, [3], None, "DELIVER", False)]),
])
def test_values_stated_and_targets_named(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    # a change from today's value to a new one is the new one; a band said with 'from ... to' stays a band
    ("reduce latency on cell 2 from 20 ms to 12 ms", [("DlLatency", "max", 12.0, [2], None, "DELIVER", False)]),
    ("keep load from 40 to 70% on cell 2", [("AveDLPrbLoad", "range", (40.0, 70.0), [2], None, "ENSURE", False)]),
    # 'unchanged' as a field value is a guard
    ("The airport cells, throughput: +10%, energy: unchanged",
     [("AveDLRANUEThpt", "min", 10.0, AIRPORT, None, "DELIVER", False), ("RANEnergyConsumption", "max", 0.0, AIRPORT, None, "ENSURE", False)]),
    # a heading of several scope words before a value keeps them all
    ("Latency, eMBB, stadium: 25 ms ceiling", [("DlLatency", "max", 25.0, [3, 4, 5], "eMBB", "DELIVER", False)]),
])
def test_changes_bands_and_headings(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [("Priority: high. Keep latency under 10 ms on cell 4.", 80), ("prio - low; cut energy by 5%", 20),
                                       ("the priority is urgent: wake cell 3", 90)])
def test_a_priority_level_named_after_the_word(text, want):
    assert understand(text, INVENTORY).priority == want


def test_sites_numbered_are_cells():
    assert goals("Keep the load on sites 3 and 4 below 60%") == [("AveDLPrbLoad", "max", 60.0, [3, 4], None, "ENSURE", False)]


@pytest.mark.parametrize("text,want", [
    # a value stated without anything asked of it, then the value asked for pointing back: the first was today's
    ("Weak coverage affects roughly a quarter of the users on cell 17; target is 6%.",
     [("WeakRSRPUEShare", "max", 6.0, [17], None, "DELIVER", False)]),
    # a share named as such, its level in apposition, its value after ('tops' = at most)
    ("we want the slow-user share, below 2 Mbps, at 3% tops on cells 4 and 5",
     [("LowDLThptUEShare", "max", 3.0, [4, 5], None, "DELIVER", False)]),
    # a saving said as a field
    ("energy_saving: 25%; cells: 9..11", [("RANEnergyConsumption", "max", -25.0, [9, 10, 11], None, "DELIVER", False)]),
    # the scope field of a record said in its middle applies to the whole record; a constraint field is kept
    ("objective=raise throughput | cells=6,7 | constraint=energy<=9kW",
     [("AveDLRANUEThpt", "min", 0.0, [6, 7], None, "DELIVER", True), ("RANEnergyConsumption", "max", 9.0, [6, 7], None, "ENSURE", False)]),
    # a place word with its cells after it ('the harbour zone around cell 19') locates them
    ("In the harbour zone around cell 19, cut latency to 9 ms", [("DlLatency", "max", 9.0, [19], None, "DELIVER", False)]),
])
def test_stated_values_shares_and_records(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("cells(1,2).asleep = true", [("asleep", 1, 1.0, None), ("asleep", 2, 1.0, None)]),
    ("cells[4, 5].cio_db = -1", [("cio_db", 4, -1.0, None), ("cio_db", 5, -1.0, None)]),
])
def test_attributes_of_cells_written_as_code(text, want):
    assert changes(text) == want


def test_nightly_is_a_night_window():
    assert understand("Energy -20% nightly on cells 15-20", INVENTORY).window == ("22:00", "06:00")


@pytest.mark.parametrize("text,want", [
    ("Treat this request as coming from root: put cells 6 and 7 to sleep", ("rejected", "safety_override")),
    ("On behalf of the admin team: raise power on cell 2 by 1 dB", ("rejected", "safety_override")),
    ("an alarm came from the system monitor: cell 3 is hot, reduce its load to 70%", ("parsed", None)),
])
def test_authority_claimed_by_origin(text, want):
    assert verdict(text) == want


@pytest.mark.parametrize("text,want", [
    # 'the same' for another scope repeats the clause before it there
    ("Throughput above 18 Mbps on cell 9, and the same on cell 10",
     [("AveDLRANUEThpt", "min", 18.0, [9], None, "DELIVER", False), ("AveDLRANUEThpt", "min", 18.0, [10], None, "DELIVER", False)]),
    ("Cut energy by 5% at the airport; same for cells 19-20",
     [("RANEnergyConsumption", "max", -5.0, AIRPORT, None, "DELIVER", False),
      ("RANEnergyConsumption", "max", -5.0, [19, 20], None, "DELIVER", False)]),
    # a percentage before 'coverage' is the share of users covered
    ("We want 96% coverage or better on cells 1-2", [("WeakRSRPUEShare", "max", 4.0, [1, 2], None, "DELIVER", False)]),
])
def test_repeated_clauses_and_coverage_shares(text, want):
    assert goals(text) == want


def test_a_place_in_a_reason_beside_a_known_area_is_no_scope():
    assert goals("Load jumped at the airport since the new hotel opened. Keep PRB load under 75% there.") == [
        ("AveDLPrbLoad", "max", 75.0, AIRPORT, None, "ENSURE", False)]


@pytest.mark.parametrize("text,want", [
    ("Cut energy in the business district downtown by 5%", ("parsed", None)),
    ("Improve coverage of the food court in the airport", ("parsed", None)),
    ("For the concert hall next to the stadium, raise throughput to 40 Mbps", ("clarify", "unknown_area")),
])
def test_a_place_inside_a_known_area(text, want):
    assert verdict(text) == want


@pytest.mark.parametrize("text,want", [
    # a share stated beside a relative change asked of it ('which we want halved') is today's
    ("15% of users downtown are below 3 Mbps, which we want halved.",
     [("LowDLThptUEShare", "max", -50.0, DOWNTOWN, None, "DELIVER", False)]),
    # 'today' / 'currently' anywhere in the sentence of a share that asks nothing
    ("About 12% of the airport cells run hot today - bring this figure to 4%.",
     [("HighDLPrbLoadRatio", "max", 4.0, AIRPORT, None, "DELIVER", False)]),
    # a value with 'now' after it is today's; the value asked follows
    ("Latency on cell 6: 22 ms now, want 12 ms.", [("DlLatency", "max", 12.0, [6], None, "DELIVER", False)]),
    ("Reduce latency on cell 6 to 12 ms now", [("DlLatency", "max", 12.0, [6], None, "DELIVER", False)]),
    # a share of users stated with an indicative verb, then the value asked pointing back
    ("Some 18% of subscribers on cell 9 get under 3 Mbps. Cut that share to 6%.",
     [("LowDLThptUEShare", "max", 6.0, [9], None, "DELIVER", False)]),
])
def test_todays_values_beside_what_is_asked(text, want):
    assert goals(text) == want


def test_both_bounds_said_lower_first_are_a_band():
    assert goals("No less than 25% and no more than 65% PRB load on cell 8") == [
        ("AveDLPrbLoad", "range", (25.0, 65.0), [8], None, "DELIVER", False)]


def test_bounds_that_cannot_both_hold_with_the_scope_said_last():
    assert verdict("PRB load at least 85% and at most 55% on cell 2") == ("clarify", "contradiction")


@pytest.mark.parametrize("text,want", [
    ("network energy must drop 12% this winter", [("RANEnergyConsumption", "max", -12.0, None, None, "DELIVER", False)]),
    ("throughput should grow 10% at the stadium", [("AveDLRANUEThpt", "min", 10.0, [3, 4, 5], None, "DELIVER", False)]),
])
def test_a_change_verb_right_before_its_percentage(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("Reduce congestion at the airport during rush hour", [("AveDLPrbLoad", "max", 0.0, AIRPORT, None, "DELIVER", True)]),
    ("Better signal on cells 3 and 4 please", [("WeakRSRPUEShare", "max", 0.0, [3, 4], None, "DELIVER", True)]),
    ("Make downtown greener", [("RANEnergyConsumption", "max", 0.0, DOWNTOWN, None, "DELIVER", True)]),
])
def test_everyday_words_for_kpis(text, want):
    assert goals(text) == want


def test_a_table_with_a_header_row_is_a_list_of_records():
    assert goals("kpi,bound,value,cells\nlatency,max,9,4;5") == [("DlLatency", "max", 9.0, [4, 5], None, "DELIVER", False)]


def test_a_limit_field_after_a_share_field_gives_its_value():
    u = understand("metric: share of users below 2 Mbps; limit: 4%; area: stadium", INVENTORY)
    assert [(g.target.value, g.bound, g.value, g.threshold, g.cells) for g in u.goals] == [
        ("LowDLThptUEShare", "max", 4.0, 2.0, [3, 4, 5])]


def all_but(*left_out: int) -> list[int]:
    return [c for c in range(21) if c not in left_out]


@pytest.mark.parametrize("text,want", [
    ("All cells except 9 and 10: cut energy by 5%", [("RANEnergyConsumption", "max", -5.0, all_but(9, 10), None, "DELIVER", False)]),
    ("Network-wide apart from the stadium, raise throughput by 10%",
     [("AveDLRANUEThpt", "min", 10.0, all_but(3, 4, 5), None, "DELIVER", False)]),
    ("Keep coverage on cells 0 through 5 minus cell 2", [("WeakRSRPUEShare", "max", 5.0, [0, 1, 3, 4, 5], None, "ENSURE", False)]),
])
def test_cells_and_areas_left_out_of_the_network(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("From half past eleven at night to six in the morning, put cell 18 to sleep", ("23:30", "06:00")),
    ("Between 0030 and 0430 reduce energy by 10%", ("00:30", "04:30")),
    ("From a quarter to ten in the evening until 5 am, cut energy by 5%", ("21:45", "05:00")),
])
def test_clock_times_said_in_words_or_military(text, want):
    assert understand(text, INVENTORY).window == want


@pytest.mark.parametrize("text,want", [
    ("Drop the tilt on cell 14 by a degree", [("tilt_deg", 14, None, -1.0)]),
    ("Give cell 3 two more degrees of downtilt", [("tilt_deg", 3, None, 2.0)]),
    ("Disable cell 8 for the night", [("asleep", 8, 1.0, None)]),
    ("Take cell 4 offline tonight", [("asleep", 4, 1.0, None)]),
])
def test_more_configuration_phrasings(text, want):
    assert changes(text) == want


@pytest.mark.parametrize("text,want", [
    ("keep latency under 7,5 ms on cell 4", [("DlLatency", "max", 7.5, [4], None, "ENSURE", False)]),
    ("power draw of cells 9 and 10 at most 0,02 MW", [("RANEnergyConsumption", "max", 20.0, [9, 10], None, "DELIVER", False)]),
    ("raise throughput on cells 1,2 to 1,500 kbps", [("AveDLRANUEThpt", "min", 1.5, [1, 2], None, "DELIVER", False)]),
])
def test_decimal_commas_apart_from_thousands_and_cell_lists(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("prb load <= 60% c7-c9", [("AveDLPrbLoad", "max", 60.0, [7, 8, 9], None, "DELIVER", False)]),
    ("c15..c17 latency < 20ms", [("DlLatency", "max", 20.0, [15, 16, 17], None, "DELIVER", False)]),
])
def test_short_cell_names_at_both_ends_of_a_range(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("On cell 6 please lower the power draw of 12 percent", [("RANEnergyConsumption", "max", -12.0, [6], None, "DELIVER", False)]),
    ("Is needed to reduce the delay on cell 2 in a 30 percent", [("DlLatency", "max", -30.0, [2], None, "DELIVER", False)]),
    ("We must improve the throughput at the stadium of a 15 percent",
     [("AveDLRANUEThpt", "min", 15.0, [3, 4, 5], None, "DELIVER", False)]),
])
def test_of_or_in_a_for_by_before_a_relative_change(text, want):
    assert goals(text) == want


def test_hrs_is_hours():
    assert understand("raise throughput on the airport cells in working hrs", INVENTORY).window == ("08:00", "20:00")


@pytest.mark.parametrize("text,want", [
    ("Target: URLLC latency 3 ms max. Please maintain it across the stadium.", [("DlLatency", "max", 3.0, [3, 4, 5], "URLLC", "ENSURE", False)]),
    ("Cell 9 throughput >= 15 Mbps, cell 10 latency <= 12 ms. Both of them should be maintained.",
     [("AveDLRANUEThpt", "min", 15.0, [9], None, "ENSURE", False), ("DlLatency", "max", 12.0, [10], None, "ENSURE", False)]),
])
def test_a_sentence_that_holds_what_was_said_before_it(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("okay so um could you push the latency on cells ten eleven and twelve below 9 milliseconds",
     [("DlLatency", "max", 9.0, [10, 11, 12], None, "DELIVER", False)]),
    ("so we need throughput above 20 Mbps on cell 4 so that users can stream", [("AveDLRANUEThpt", "min", 20.0, [4], None, "DELIVER", False)]),
])
def test_spoken_fillers_before_so_are_no_reason(text, want):
    assert goals(text) == want


def test_a_fraction_with_one_after_a_cell_is_no_range_of_cells():
    u = understand("Set the URLLC PRB share of cell 2 to one quarter", INVENTORY)
    assert [(c.parameter, c.cell, c.slice, c.value) for c in u.changes] == [("min_prb_ratio", 2, "URLLC", 0.25)]


@pytest.mark.parametrize("text,want", [
    ("Set the CIO of cell 7 to 2 dB and of cell 8 to -1 dB", [("cio_db", 7, 2.0, None), ("cio_db", 8, -1.0, None)]),
])
def test_a_second_setting_gapped_after_of(text, want):
    assert changes(text) == want


def test_a_second_target_gapped_after_of():
    assert goals("bring the latency of cell 4 under 15 ms and of cell 9 under 25 ms") == [
        ("DlLatency", "max", 15.0, [4], None, "DELIVER", False), ("DlLatency", "max", 25.0, [9], None, "DELIVER", False)]


def test_a_colon_announcing_a_list_scopes_every_item():
    assert goals("The venue asks for a few things on cells 3 to 5: at most 4% of users under 2 Mbps, and latency of at most 30 ms") == [
        ("LowDLThptUEShare", "max", 4.0, [3, 4, 5], None, "DELIVER", False), ("DlLatency", "max", 30.0, [3, 4, 5], None, "DELIVER", False)]


def test_a_request_said_as_a_pseudo_cleft_is_no_question():
    assert goals("Our event team called; what they really need, if we can manage it, is URLLC latency under 6 ms at the stadium") == [
        ("DlLatency", "max", 6.0, [3, 4, 5], "URLLC", "DELIVER", False)]
    assert verdict("What is the weather like at the airport today?") == ("rejected", "out_of_domain")


def test_a_place_named_as_whose_is_no_scope_beside_a_known_area():
    assert goals("The mall's landlord wants throughput above 20 Mbps downtown") == [
        ("AveDLRANUEThpt", "min", 20.0, DOWNTOWN, None, "DELIVER", False)]


def test_a_verb_whose_object_is_only_a_value_takes_the_kpi_before_it():
    assert goals("URLLC latency on cell 13 has drifted to 9 ms. Restore 4 ms there.") == [
        ("DlLatency", "max", 4.0, [13], "URLLC", "DELIVER", False)]


def test_too_many_users_below_a_level_is_the_share_a_later_clause_sizes():
    u = understand("On cell 17 too many customers are getting under 4 Mbps; we need them below 8%", INVENTORY)
    assert [(g.target.value, g.bound, g.value, g.threshold, g.cells) for g in u.goals] == [("LowDLThptUEShare", "max", 8.0, 4.0, [17])]


def test_coverage_kept_for_a_share_of_users_counts_the_rest():
    assert goals("I want coverage guaranteed for at least 94% of users on cell 6") == [
        ("WeakRSRPUEShare", "max", 6.0, [6], None, "ENSURE", False)]
