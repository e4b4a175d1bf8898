"""Clause structure of the embedded parser, on sentences written for this test: asides that ask
nothing (a parenthesis that reports or describes, a reason or purpose) add no scope, while a
parenthesis that states part of the request counts; a guard takes the cells of the clause it
qualifies; 'every cell' under a scope means each cell of that scope; a verb said before a scope
heads the object that follows it."""

import pytest

from ranpilot.intents.asides import states_request, without_asides
from intent_helpers import AIRPORT, DOWNTOWN, INVENTORY, STADIUM
from ranpilot.intents.parser import understand


def goals(text: str) -> list[tuple]:
    """(target, value or change, threshold, cells, slice, verb) of each goal; the text must parse."""
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    return [(g.target.value, g.value if g.value is not None else g.change_pct, g.threshold, g.cells, g.slice, g.verb)
            for g in u.goals]


def changed_cells(text: str) -> list[int]:
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    return [c.cell for c in u.changes]


@pytest.mark.parametrize("inside,counts", [
    ("threshold 70%", True), ("cells#3_4", True), ("the stadium", True), ("URLLC only", True),
    ("without hurting latency", True), ("using a 70% PRB threshold, since our planning rule is conservative", True),
    ("subscribers say the signal drops in the car park", False), ("this matters during events", False),
    ("both border cells toward the airport", False), ("the stadium roof reflection issue, again", False),
    ("the 1 next to the airport car park", False), ("it was 12 ms yesterday", False),
])
def test_a_parenthesis_counts_only_when_it_states_part_of_the_request(inside, counts):
    assert states_request(inside) is counts


def test_asides_are_cut_and_reasons_inside_a_kept_parenthesis_too():
    assert without_asides("tilt cells#3_4 down (the stadium roof again) now") == "tilt cells#3_4 down now"
    assert without_asides("hot cells (threshold 75%, since planning says so) under 10%") == "hot cells (threshold 75%) under 10%"
    assert without_asides("plan: (a) cut energy") == "plan: (a) cut energy"  # a list marker is no aside


def test_an_aside_adds_no_scope_and_no_unknown_place():
    assert changed_cells("Set the CIO of cells 9 and 10 (both border cells toward the airport) to -2 dB.") == [9, 10]
    assert goals("Reduce energy on cells 15 to 17 by 10% (the finance team noticed the bill went up at the mall).") == [
        ("RANEnergyConsumption", -10.0, None, [15, 16, 17], None, "DELIVER")]


def test_a_reason_or_purpose_names_no_scope():
    assert changed_cells("I want eMBB to get 40% of the PRBs on cells 1 and 2 so the downtown concert stream works.") == [1, 2]
    assert goals("Lower latency on cell 4 to 10 ms because gamers at the stadium complain.") == [
        ("DlLatency", 10.0, None, [4], None, "DELIVER")]


def test_a_guard_takes_the_cells_of_the_clause_it_qualifies():
    assert goals("Raise average DL throughput by 15% on cells 6-8 without causing interference.") == [
        ("AveDLRANUEThpt", 15.0, None, [6, 7, 8], None, "DELIVER"), ("LowSINRUEShare", 25.0, None, [6, 7, 8], None, "ENSURE")]
    assert goals("Get latency down to 6 ms for URLLC on cell 7 but don't cause interference.")[1] == (
        "LowSINRUEShare", 25.0, None, [7], None, "ENSURE")
    # a negated limit with its own value is a clause of its own, with its own scope
    assert goals("Raise throughput on cell 3 to 20 Mbps and never let latency exceed 10 ms")[1][3] is None


def test_every_cell_under_a_scope_is_each_cell_of_it():
    assert goals("In the stadium area, keep the average PRB load under 75% in every cell.") == [
        ("AveDLPrbLoad", 75.0, None, STADIUM, None, "ENSURE")]
    assert goals("Cut whole-network energy by 8% and raise airport throughput to 20 Mbps.")[0][3] is None


def test_a_verb_before_a_scope_heads_the_object_after_it():
    assert goals("Guarantee, for the URLLC slice in the stadium cells, a latency of at most 1 ms.") == [
        ("DlLatency", 1.0, None, STADIUM, "URLLC", "ENSURE")]
    assert goals("Reduce, in downtown, the energy consumption by 12%.") == [
        ("RANEnergyConsumption", -12.0, None, DOWNTOWN, None, "DELIVER")]
    assert goals("Energy of the network is too big. Reduce it please, but the coverage must stay good.")[0][0] == "RANEnergyConsumption"


@pytest.mark.parametrize("text,cells", [
    ("Raise throughput on #4 and #5 to 22 Mbps.", [4, 5]), ("cut energy on c15, c16 and c18 by 10%", [15, 16, 18]),
    ("cell 2, cell 6 and cell 9: keep latency below 15 ms", [2, 6, 9]), ("cels 10 and 11: PRB load under 70%", [10, 11]),
])
def test_cells_jotted_down_are_cells(text, cells):
    assert goals(text)[0][3] == cells


def test_a_value_with_its_bound_and_a_scope_repeats_the_kpi_before_it():
    assert goals("Latency: 0.8 ms max for URLLC, 20 ms max for eMBB.") == [
        ("DlLatency", 0.8, None, None, "URLLC", "DELIVER"), ("DlLatency", 20.0, None, None, "eMBB", "DELIVER")]
    assert goals("#12: latency max 8 ms. #13: max 10 ms.") == [
        ("DlLatency", 8.0, None, [12], None, "DELIVER"), ("DlLatency", 10.0, None, [13], None, "DELIVER")]


def test_a_value_after_a_break_completes_the_kpi_before_it():
    assert goals("bring the share of overloaded cells, threshold 70%, down to 5%") == [
        ("HighDLPrbLoadRatio", 5.0, 70.0, None, None, "DELIVER")]
    assert goals("cells 3-5 - URLLC latency - 2 ms max") == [("DlLatency", 2.0, None, STADIUM, "URLLC", "DELIVER")]
    # a piece with a verb of its own is a clause of its own
    assert len(goals("At the stadium, make energy efficiency as high as possible but keep 95% of users above 4 Mbps.")) == 2


def test_a_threshold_named_as_such_and_a_spaced_dash():
    assert goals("cut the share of hot cells (threshold 75%) to at most 10%") == [
        ("HighDLPrbLoadRatio", 10.0, 75.0, None, None, "DELIVER")]
    assert goals("Share of users under 5 Mbps - 8% at most on cell 3") == [("LowDLThptUEShare", 8.0, 5.0, [3], None, "DELIVER")]


def test_a_guard_on_a_kpi_of_its_own_takes_no_slice_it_does_not_name():
    assert goals("Cut URLLC latency at the airport to 3 ms while keeping throughput as it is.")[1] == (
        "AveDLRANUEThpt", 0.0, None, AIRPORT, None, "ENSURE")
    assert goals("For eMBB, raise throughput to 40 Mbps downtown without causing interference.")[1] == (
        "LowSINRUEShare", 25.0, None, DOWNTOWN, None, "ENSURE")
    assert goals("Boost eMBB throughput at the stadium by 20%, while keeping URLLC latency below 2 ms.")[1] == (
        "DlLatency", 2.0, None, STADIUM, "URLLC", "ENSURE")


def test_a_parenthesis_telling_how_things_are_is_an_aside_even_with_cells():
    assert changed_cells("Set the CIO of cell 2 to 4 dB (cell 1 handles too much traffic).") == [2]
    assert states_request("PRB load is above 80%") and not states_request("it is 12 ms today")


def test_a_report_beside_a_request_names_no_place_and_asks_nothing():
    assert goals("Please improve coverage on cell 16, customers at the mall keep complaining.") == [
        ("WeakRSRPUEShare", 0.0, None, [16], None, "DELIVER")]
    assert goals("Lower latency on cells 6 and 7 to 12 ms, gamers near the arena say it lags.") == [
        ("DlLatency", 12.0, None, [6, 7], None, "DELIVER")]


def test_a_scope_after_and_comma_leads_the_next_clause_and_two_places_joined_are_one_scope():
    assert goals("In downtown, cut energy by 10% and, on cell 20, raise throughput to 15 Mbps.") == [
        ("RANEnergyConsumption", -10.0, None, DOWNTOWN, None, "DELIVER"), ("AveDLRANUEThpt", 15.0, None, [20], None, "DELIVER")]
    assert goals("Both the airport and downtown need throughput of at least 22 Mbps.")[0][3] == sorted(AIRPORT + DOWNTOWN)
    assert goals("Cut energy by 20% at night on cells 15-20, but only if latency stays under 15 ms.")[1][3] == [15, 16, 17, 18, 19, 20]


def test_what_someone_did_is_no_goal_but_its_cells_can_be_meant_later():
    assert goals("We tried raising power last week and it did not help. Now cut energy on cells 10 and 11 by 8%.") == [
        ("RANEnergyConsumption", -8.0, None, [10, 11], None, "DELIVER")]
    assert goals("We already cut power at the stadium; now bring throughput there back to 30 Mbps.") == [
        ("AveDLRANUEThpt", 30.0, None, STADIUM, None, "DELIVER")]
    assert changed_cells("They switched off cell 17 for maintenance yesterday, so turn it back on.") == [17]


def test_an_alternative_not_asked_for_is_no_goal():
    assert goals("The stadium needs better coverage, not more throughput.") == [("WeakRSRPUEShare", 0.0, None, STADIUM, None, "DELIVER")]
    # a negated verb is a guard, not an alternative
    assert len(goals("For the downtown area, reduce energy consumption by 15 percent, while not degrading coverage.")) == 2


def test_a_scope_heading_after_a_comma_and_every_item_of_a_holding_heading():
    assert goals("stadium → throughput ≥ 30 Mbps, airport → latency ≤ 6 ms") == [
        ("AveDLRANUEThpt", 30.0, None, STADIUM, None, "DELIVER"), ("DlLatency", 6.0, None, AIRPORT, None, "DELIVER")]
    assert [g[5] for g in goals("Ensure the following for cell 4: latency under 5 ms; throughput over 30 Mbps.")] == ["ENSURE", "ENSURE"]


def test_no_extra_kpi_is_a_guard_on_its_clause():
    assert goals("Raise throughput on cell 12 to 24 Mbps with no additional interference.") == [
        ("AveDLRANUEThpt", 24.0, None, [12], None, "DELIVER"), ("LowSINRUEShare", 25.0, None, [12], None, "ENSURE")]
    assert goals("cut PRB load at the airport to 60%, no extra latency")[1] == ("DlLatency", 0.0, None, AIRPORT, None, "ENSURE")
    assert goals("keep latency at most 10 ms, no more than that")[0][1] == 10.0  # 'no more' is no guard


def test_a_negation_governs_its_clause_across_cell_lists():
    assert goals("Don't let energy on cells 15-20 exceed 9 kW.") == [
        ("RANEnergyConsumption", 9.0, None, [15, 16, 17, 18, 19, 20], None, "ENSURE")]


def test_a_scope_that_is_the_subject_scopes_every_object_of_its_verb():
    assert goals("Cell 5 should get throughput of at least 20 Mbps and latency under 10 ms.") == [
        ("AveDLRANUEThpt", 20.0, None, [5], None, "DELIVER"), ("DlLatency", 10.0, None, [5], None, "DELIVER")]
    # a scope inside the clause, not its subject, stays in that clause
    assert goals("Raise throughput to 30 Mbps at the airport and keep latency under 10 ms.")[1][3] is None


@pytest.mark.parametrize("text,cells", [("cut energy in dowtown by 10%", DOWNTOWN), ("airprot latency under 5 ms", AIRPORT),
                                        ("Improve coverage at the staduim", STADIUM)])
def test_a_misspelt_place_is_that_place(text, cells):
    assert goals(text)[0][3] == cells


def test_a_bare_number_left_out_of_named_cells_is_a_cell():
    assert changed_cells("Switch off cells 18-20 overnight (except 19) to save energy.") == [18, 20]
    assert goals("Cut energy by 10% on cells 15 to 20 but not 17.")[0][3] == [15, 16, 18, 19, 20]
    assert goals("Keep latency on cell 3 under 10 ms, not 5 ms.")[0][3] == [3]  # a quantity is no cell


def test_a_bare_percentage_after_a_move_sizes_it_for_a_kpi_not_in_percent():
    assert goals("Latency cut on cell 7: 30%") == [("DlLatency", -30.0, None, [7], None, "DELIVER")]
    assert goals("Throughput increase at the stadium: 15%") == [("AveDLRANUEThpt", 15.0, None, STADIUM, None, "DELIVER")]


def test_up_to_a_value_raises_a_higher_is_better_kpi_unless_capped():
    assert goals("We'd like throughput at the stadium up to 35 Mbps.") == [("AveDLRANUEThpt", 35.0, None, STADIUM, None, "DELIVER")]
    u = understand("Limit throughput per user on cell 8 up to 25 Mbps.", INVENTORY)
    assert u.goals[0].bound == "max"


def test_a_parenthesis_counts_for_a_window_or_priority_only_when_it_is_nothing_else():
    assert states_request("at night") and states_request("low priority")
    assert not states_request("gaming night at the arcade")


def test_a_parenthesis_that_adds_a_clause_is_one():
    assert goals("Raise throughput on cell 3 to 20 Mbps (and on cell 4 to 25 Mbps).") == [
        ("AveDLRANUEThpt", 20.0, None, [3], None, "DELIVER"), ("AveDLRANUEThpt", 25.0, None, [4], None, "DELIVER")]
    assert changed_cells("Set cell 10's CIO to 2 dB (was 0 dB).") == [10]


def test_a_place_said_as_the_part_of_an_area_that_matters_most_is_that_area():
    assert goals("Raise throughput in the stadium - especially near the east gates - to 30 Mbps.") == [
        ("AveDLRANUEThpt", 30.0, None, STADIUM, None, "DELIVER")]
    assert understand("Raise throughput at the mall to 30 Mbps.", INVENTORY).reason == "unknown_area"


def test_a_scope_a_dash_and_a_value_are_one_item():
    assert goals("Throughput targets: cell 1 - 20 Mbps, cell 2 - 25 Mbps.") == [
        ("AveDLRANUEThpt", 20.0, None, [1], None, "DELIVER"), ("AveDLRANUEThpt", 25.0, None, [2], None, "DELIVER")]
    assert goals("Energy budget per site group: cells 15-17 - 6 kW, cells 18-20 - 4 kW.")[1] == (
        "RANEnergyConsumption", 4.0, None, [18, 19, 20], None, "DELIVER")
    assert goals("Energy on cells 15-20 - 20% less than today")[0][1] == -20.0


def test_a_new_sentence_with_its_own_scope_and_verb_is_its_own_clause():
    assert goals("On cells 3 to 5, hold URLLC latency at 5 ms or less; on cells 12 to 14, bring it to 3 ms.") == [
        ("DlLatency", 5.0, None, STADIUM, "URLLC", "ENSURE"), ("DlLatency", 3.0, None, AIRPORT, "URLLC", "DELIVER")]


def test_a_place_in_a_leading_reason_is_no_unknown_area():
    assert goals("Due to the festival at the park, raise throughput on cells 10 and 11 to 20 Mbps.") == [
        ("AveDLRANUEThpt", 20.0, None, [10, 11], None, "DELIVER")]


@pytest.mark.parametrize("text,cells", [("Raise throughput on cells #3-#5 to 20 Mbps", STADIUM), ("#12-#14 latency max 6 ms", AIRPORT),
                                        ("c3/c4 latency < 8ms", [3, 4]), ("#9, #10: energy -5%", [9, 10])])
def test_ranges_and_lists_of_jotted_cells(text, cells):
    assert goals(text)[0][3] == cells


def test_a_scope_the_operator_corrects_is_replaced_by_the_correction():
    assert goals("Raise throughput at the stadium, sorry, the airport, to 30 Mbps.") == [
        ("AveDLRANUEThpt", 30.0, None, AIRPORT, None, "DELIVER")]
    assert changed_cells("Tilt cell 7, correction: cell 8, down by 1 degree.") == [8]
    assert goals("Cut energy by 10%, no wait, 15%, at the airport.") == [("RANEnergyConsumption", -15.0, None, AIRPORT, None, "DELIVER")]


def test_values_and_scopes_said_respectively_pair_up_in_order():
    assert goals("Raise throughput on cells 1 and 2 to 20 and 25 Mbps respectively.") == [
        ("AveDLRANUEThpt", 20.0, None, [1], None, "DELIVER"), ("AveDLRANUEThpt", 25.0, None, [2], None, "DELIVER")]
    assert [g[3] for g in goals("Keep latency below 6 ms and 9 ms at the stadium and the airport, respectively.")] == [STADIUM, AIRPORT]


def test_cells_jotted_one_after_another_are_one_list():
    assert goals("c12 c13 latency max 9 ms") == [("DlLatency", 9.0, None, [12, 13], None, "DELIVER")]
