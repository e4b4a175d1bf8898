"""Phrasing classes of the embedded parser (session 5), each checked on sentences written for this
test, not taken from the corpus: the standard's target names in prose, headline particles, a
second change in one sentence, comparative quantifiers ('less delay'), intensified bounds,
counted fractions, cells kept in service, inflected configuration verbs, the UE power limit named
after its noun, negated moves with 'let'. Stated values, records and headings:
test_intent_stated_values.py."""

import pytest

from intent_helpers import AIRPORT, DOWNTOWN, INVENTORY, phrasing_changes as changes, phrasing_goals as goals, verdict
from ranpilot.intents.parser import understand


@pytest.mark.parametrize("text,want", [
    # the standard's own target name, written in prose and pointed back to
    ("WeakRSRPUEShare at the airport is too high, get it below 4%",
     [("WeakRSRPUEShare", "max", 4.0, AIRPORT, None, "DELIVER", False)]),
    # a particle after the KPI, the verb left out
    ("cells 9-10: latency down, throughput up",
     [("DlLatency", "max", 0.0, [9, 10], None, "DELIVER", True), ("AveDLRANUEThpt", "min", 0.0, [9, 10], None, "DELIVER", True)]),
    # a comparative quantifier is a move: less delay, fewer hot cells
    ("On cells 2 and 3 we want less delay", [("DlLatency", "max", 0.0, [2, 3], None, "DELIVER", True)]),
    ("We would like fewer hot cells downtown", [("HighDLPrbLoadRatio", "max", 0.0, DOWNTOWN, None, "DELIVER", True)]),
    # 'at the very least' is 'at least', and the bound said alone points back to the clause before
    ("eMBB users deserve decent speeds, but at the very least 12 Mbps each",
     [("DlThptPerUE", "min", 12.0, None, "eMBB", "DELIVER", False)]),
    # a counted fraction before a comparative, a fraction written with digits
    ("A quarter less energy at night would be great", [("RANEnergyConsumption", "max", -25.0, None, None, "DELIVER", False)]),
    ("Load on cells 6-8: reduce by 1/3", [("AveDLPrbLoad", "max", -33.33, [6, 7, 8], None, "DELIVER", False)]),
    # a negated move behind 'let' is a guard: no worse than today
    ("On cell 2, improve coverage but don't let the power bill creep up",
     [("WeakRSRPUEShare", "max", 0.0, [2], None, "DELIVER", True), ("RANEnergyConsumption", "max", 0.0, [2], None, "ENSURE", False)]),
])
def test_phrasing_classes(text, want):
    assert goals(text) == want


def test_a_second_change_said_after_the_first_is_a_clause_of_its_own():
    assert verdict("Energy at the airport should go down by 15% and, at the same time, up by 15%.") == ("clarify", "contradiction")


def test_a_cell_kept_in_service_is_awake():
    assert verdict("Put cell 9 to sleep, but keep cell 9 active for the night shift") == ("clarify", "contradiction")


@pytest.mark.parametrize("text,want", [
    ("Could the CIO of cell 4 be raised by 2 dB?", [("cio_db", 4, None, 2.0)]),
    ("Reduce the max power of the handsets on cell 7 by 3 dB", [("ue_p_max_dbm", 7, None, -3.0)]),
])
def test_configuration_phrasings(text, want):
    assert changes(text) == want


@pytest.mark.parametrize("text,want", [
    # a JSON record, its range given as lo / hi fields
    ('target this: {"metric": "latency", "lo": 4, "hi": 9, "unit": "ms"} on the stadium cells',
     [("DlLatency", "range", (4.0, 9.0), [3, 4, 5], None, "DELIVER", False)]),
    # a unit carried by the key; a slice given as a field
    ("kpi=throughput; slice=embb; min_mbps=18", [("DlThptPerUE", "min", 18.0, None, "eMBB", "DELIVER", False)]),
    ('{"kpi": "delay", "max_ms": 12, "cells": [9, 10]}', [("DlLatency", "max", 12.0, [9, 10], None, "DELIVER", False)]),
    # a bound said alone, then held where it is
    ("energy use for downtown between 5 and 9 kW is fine, please keep it that way",
     [("RANEnergyConsumption", "range", (5.0, 9.0), DOWNTOWN, None, "ENSURE", False)]),
])
def test_form_like_requests(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ('payload: {"op": "wake", "cells": [16, 17]}', [("asleep", 16, 0.0, None), ("asleep", 17, 0.0, None)]),
    ("cell=4 asleep=1", [("asleep", 4, 1.0, None)]),
    ("tilt delta=+1.5 deg @ cell 3", [("tilt_deg", 3, None, 1.5)]),
    ("cio_db=-2 for cells: 5|6", [("cio_db", 5, -2.0, None), ("cio_db", 6, -2.0, None)]),
])
def test_form_like_configuration(text, want):
    assert changes(text) == want


def test_an_unknown_slice_given_as_a_field_is_asked_about():
    assert verdict("metric=throughput slice=platinum min=40 Mbps") == ("clarify", "unknown_slice")


@pytest.mark.parametrize("text,want", [
    # a share of users interrupted by its scope, its predicate after it
    ("Our SLA says no more than 6% of subscribers, across the whole network, should get less than 5 Mbps.",
     [("LowDLThptUEShare", "max", 6.0, 5.0, None)]),
    # 'of them': the users named before the share
    ("Stadium visitors were promised that at most 3% of them would see speeds under 2 Mbps",
     [("LowDLThptUEShare", "max", 3.0, 2.0, [3, 4, 5])]),
    # a share stated as today's, then pointed back to with the value wanted
    ("At the airport, right now about 20% of passengers get less than 2 Mbps. Please bring that under 5%.",
     [("LowDLThptUEShare", "max", 5.0, 2.0, AIRPORT)]),
    # the level that decides who counts, said before the share
    ("cell-edge users: threshold 4 Mbps, share at most 3%", [("LowDLThptUEShare", "max", 3.0, 4.0, None)]),
    # a verb of being served ('receive') before a level below which users count as poorly served
    ("at most 2% of devices should receive under 1 Mbps", [("LowDLThptUEShare", "max", 2.0, 1.0, None)]),
])
def test_shares_of_users(text, want):
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    assert [(g.target.value, g.bound, g.value, g.threshold, g.cells) for g in u.goals] == want


def test_a_goal_said_twice_the_same_way_is_one_goal():
    assert goals("The board wants latency down. Reduce latency across the network.") == [
        ("DlLatency", "max", 0.0, None, None, "DELIVER", True)]


def test_at_the_very_least_as_a_sentence_adverb_bounds_nothing_itself():
    assert goals("At the very least, cell 7 users should get 6 Mbps on average.") == [
        ("AveDLRANUEThpt", "min", 6.0, [7], None, "DELIVER", False)]


@pytest.mark.parametrize("text,want", [
    # a question for information opens its sentence; a 'when' inside one says when the request holds
    ("does anybody know where the spare laptop chargers went?", ("rejected", "out_of_domain")),
    ("From 2 to 4 am, when the backups run, keep URLLC latency under 5 ms.", ("parsed", None)),
])
def test_questions_off_the_domain(text, want):
    assert verdict(text) == want


@pytest.mark.parametrize("text,want", [
    # a place said only as the purpose of a change, or in a statement of its own, beside named cells
    ("Raise the transmit power of cell 19 by 2 dB for better coverage along the highway.", ("config", None)),
    ("Please put cell 20 to sleep at night. The warehouse is empty by then.", ("config", None)),
    # a place said as a scope is still one the network may not have
    ("Cut energy on cell 20 and at the harbour by 10%", ("clarify", "unknown_area")),
])
def test_place_words_beside_named_cells(text, want):
    assert verdict(text) == want


def test_numbered_list_markers_are_no_cells():
    assert goals("1) latency <= 7 ms on cells 9-10 2) load below 60% on cells 9-10") == [
        ("DlLatency", "max", 7.0, [9, 10], None, "DELIVER", False), ("AveDLPrbLoad", "max", 60.0, [9, 10], None, "DELIVER", False)]


def test_a_heading_for_all_of_them_takes_every_cell_named_before():
    assert goals("Cells 2 and 3: latency under 9 ms. Cell 20: throughput above 15 Mbps. All three: keep the load below 70%.")[2] == (
        "AveDLPrbLoad", "max", 70.0, [2, 3, 20], None, "ENSURE", False)


def test_a_value_said_before_its_scope_repeats_the_predicate_before_it():
    assert goals("keep URLLC latency under 4 ms, and 12 ms for eMBB") == [
        ("DlLatency", "max", 4.0, None, "URLLC", "ENSURE", False), ("DlLatency", "max", 12.0, None, "eMBB", "ENSURE", False)]


@pytest.mark.parametrize("text,want", [
    ("Set the CIO to 2 dB on cell 3 and -1 dB on cell 4", [("cio_db", 3, 2.0, None), ("cio_db", 4, -1.0, None)]),
    ("URLLC PRB ratios: 0.3 on cell 10, 0.2 on cell 11", [("min_prb_ratio", 10, 0.3, None), ("min_prb_ratio", 11, 0.2, None)]),
    ("slice ratio urllc=15% of the PRBs on cell 6", [("min_prb_ratio", 6, 0.15, None)]),
])
def test_configuration_lists(text, want):
    assert changes(text) == want


def test_a_plus_after_a_number_with_its_unit_is_at_least():
    assert goals("mmtc devices need 2+ Mbps each in the airport") == [("DlThptPerUE", "min", 2.0, AIRPORT, "mMTC", "DELIVER", False)]


def test_an_arrow_before_a_bound_joins_the_share_to_its_value():
    u = understand("cell 4 subscribers below 2 Mbps -> at most 3%", INVENTORY)
    assert [(g.target.value, g.bound, g.value, g.threshold, g.cells) for g in u.goals] == [("LowDLThptUEShare", "max", 3.0, 2.0, [4])]


def test_what_was_done_is_no_change_to_make():
    assert changes("Cell 15 was switched off for the night, but the hospital needs it: please switch cell 15 back on.") == [
        ("asleep", 15, 0.0, None)]


def test_a_cell_left_out_of_an_area():
    assert goals("cut energy at the airport but not on cell 13") == [("RANEnergyConsumption", "max", 0.0, [12, 14], None, "DELIVER", True)]


@pytest.mark.parametrize("text", ["allocate gold 25% of the PRBs on cell 8", "reserve 30% of the PRBs for video on cell 2"])
def test_who_gets_a_share_of_the_prbs_is_a_slice(text):
    assert verdict(text) == ("clarify", "unknown_slice")


def test_numbers_listed_after_a_preposition_are_cells():
    assert goals("keep latency under 5 ms for 4 and 5") == [("DlLatency", "max", 5.0, [4, 5], None, "ENSURE", False)]


def test_what_someone_reports_beside_a_request_is_context():
    assert goals("Drivers on cell 19 complain their video stalls to zero. Get throughput there above 12 Mbps.") == [
        ("AveDLRANUEThpt", "min", 12.0, [19], None, "DELIVER", False)]


def test_a_reported_value_alone_is_the_request_and_is_checked():
    assert verdict("URLLC latency of 0.2 ms, that is what the customer says they were promised") == ("rejected", "invalid_value")


@pytest.mark.parametrize("text,want", [
    # a value said first, its KPI and scope after it
    ("Hold it below 6 ms: eMBB latency on cells 9-10", [("DlLatency", "max", 6.0, [9, 10], "eMBB", "ENSURE", False)]),
    ("max: 65%, kpi: PRB load at the stadium", [("AveDLPrbLoad", "max", 65.0, [3, 4, 5], None, "DELIVER", False)]),
    # a guard field of a form is a condition on the rest
    ("objective: raise throughput 10% | guard: keep energy", [("AveDLRANUEThpt", "min", 10.0, None, None, "DELIVER", False),
                                                             ("RANEnergyConsumption", "max", 0.0, None, None, "ENSURE", False)]),
    ('{"kpi": "interference", "max_pct": 7, "cells": [1, 2]}', [("LowSINRUEShare", "max", 7.0, [1, 2], None, "DELIVER", False)]),
    # a share stated as today's, 'now' said after it, then a change pointed back to it
    ("Roughly 9% of the airport cells are overloaded at the moment. Get that to 2%.",
     [("HighDLPrbLoadRatio", "max", 2.0, AIRPORT, None, "DELIVER", False)]),
    ("About 14% of users on cell 6 have weak coverage currently; cut that in half.",
     [("WeakRSRPUEShare", "max", -50.0, [6], None, "DELIVER", False)]),
    # weak coverage for a share of users counts the weakly covered
    ("Get weak coverage to 2% of users, currently it is far worse", [("WeakRSRPUEShare", "max", 2.0, None, None, "DELIVER", False)]),
])
def test_values_before_their_kpi_and_stated_shares(text, want):
    assert goals(text) == want


def test_a_place_located_by_its_cells_is_no_scope_of_its_own():
    assert goals("Improve coverage around the ferry pier on cell 11") == [("WeakRSRPUEShare", "max", 0.0, [11], None, "DELIVER", True)]
