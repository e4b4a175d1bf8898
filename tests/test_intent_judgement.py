"""The embedded parser's judgement of what kind of request a text is (goals, a change, a question, a
refusal) and of the KPI it is about, each rule checked on sentences written for this test: an
absolute change asks for a value, 'tonight' is the night window, the KPI of named cells is about
those cells, a KPI of something other than the network is out of domain. Configuration changes:
test_intent_config_judgement.py."""

import pytest

from intent_helpers import AIRPORT, INVENTORY, STADIUM, verdict
from ranpilot.intents.parser import understand


def goals(text: str) -> list[tuple]:
    """(target, bound, value or change, cells, strict) of each goal; the text must parse."""
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    return [(g.target.value, g.bound, g.value if g.value is not None else g.change_pct, g.cells, g.strict) for g in u.goals]


@pytest.mark.parametrize("text", [
    "Raise average throughput on cell 8 by 5 Mbps.",
    "cut URLLC latency in the stadium by 2 ms",
    "We should save about 3 kW across cells 15-20.",
    "Give the airport users an extra 10 Mbps of throughput.",
    "I'd like 4 Mbps more per user on cell 10, please.",
    "Energy at cells 0-2 should drop by 1500 W.",
    "increase throughput 5 Mbps on cell 2",
    "take energy down 2 kW at the stadium",
])
def test_an_absolute_change_of_a_kpi_asks_for_its_target(text):
    assert verdict(text) == ("clarify", "missing_value")


@pytest.mark.parametrize("text,want", [
    ("Raise average throughput on cell 8 by 5%.", [("AveDLRANUEThpt", "min", 5.0, [8], False)]),
    ("Raise average throughput on cell 8 to 25 Mbps.", [("AveDLRANUEThpt", "min", 25.0, [8], False)]),
    ("Bring the low-throughput users on cell 2 down to 3%, taking 6 Mbps as the limit",
     [("LowDLThptUEShare", "max", 3.0, [2], False)]),
])
def test_a_relative_change_or_a_target_value_is_no_absolute_change(text, want):
    assert goals(text) == want


def test_tonight_is_the_night_window_unless_times_are_given():
    assert understand("Put cells 15 and 16 to sleep tonight.", INVENTORY).window == ("22:00", "06:00")
    assert understand("tonight from 19:30 to 23:30 keep latency under 5 ms", INVENTORY).window == ("19:30", "23:30")


@pytest.mark.parametrize("text,want", [
    ("Raise the throughput of the stadium cells by 15%.", [("AveDLRANUEThpt", "min", 15.0, STADIUM, False)]),
    ("Improve the throughput of cells 9 and 10 by 10 percent.", [("AveDLRANUEThpt", "min", 10.0, [9, 10], False)]),
    ("Bring 20% of the airport cells under 6 Mbps average user throughput.",
     [("LowDLRANUEThptRatio", "max", 20.0, AIRPORT, False)]),
])
def test_the_kpi_of_named_cells_is_about_those_cells_not_a_share_of_cells(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("c3 latency awful, improve pls", [("DlLatency", "max", 0.0, [3], True)]),
    ("Interference on cells 12 and 13 is bad. Sort out.", [("LowSINRUEShare", "max", 0.0, [12, 13], True)]),
    ("c18 thru weak, boost please", [("AveDLRANUEThpt", "min", 0.0, [18], True)]),
])
def test_a_verb_alone_after_a_kpi_complaint_improves_that_kpi(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("Improve coverage at the airport a bit. No exact figure needed, just better than today.",
     [("WeakRSRPUEShare", "max", 0.0, AIRPORT, True)]),
    ("Lower latency on cell 4. Whatever you can manage.", [("DlLatency", "max", 0.0, [4], True)]),
])
def test_an_aside_on_the_amount_is_no_request_of_its_own(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text", [
    "Improve coverage at the airport, and generally make things better everywhere.",
    "Set a latency target for the stadium; make things better overall",
    "just better than now",
    "Can you make everything work perfectly?",
])
def test_asking_for_things_to_be_better_in_general_is_vague(text):
    assert verdict(text) == ("clarify", "vague")


@pytest.mark.parametrize("text,want", [
    ("c14 dl thru stuck <8mbps, get it up to 12 mbps", [("AveDLRANUEThpt", "min", 12.0, [14], False)]),
    ("airport energy use hovering over 12 kW, cut it to 9 kW please", [("RANEnergyConsumption", "max", 9.0, AIRPORT, False)]),
    ("c7 latency is over 40 ms. Bring c7 latency down to 20 ms.", [("DlLatency", "max", 20.0, [7], False)]),
    ("P1 incident: latency on cell 4 above 50 ms, bring it under 20 ms", [("DlLatency", "max", 20.0, [4], False)]),
])
def test_a_described_state_is_todays_value_not_a_second_target(text, want):
    assert goals(text) == want


def test_two_asked_values_that_cannot_both_hold_still_ask_which():
    assert verdict("Keep latency on cell 4 above 30 ms and bring it under 15 ms.") == ("clarify", "contradiction")


@pytest.mark.parametrize("text", [
    "A subscriber wants a refund on their last bill; please process it.",
    "Reduce the latency of our payroll database queries to under 200 ms.",
    "Lower the energy consumption of the data-centre cooling system by 10%.",
    "Cells 3 to 5 in the capacity spreadsheet have wrong totals, please correct them.",
])
def test_a_kpi_of_something_other_than_the_network_is_out_of_domain(text):
    assert verdict(text) == ("rejected", "out_of_domain")


def test_the_networks_own_kpi_beside_such_words_is_a_request():
    text = "Our servers at the airport are fine; it is the radio side: get URLLC latency on cells 12-14 under 5 ms."
    assert verdict(text) == ("parsed", None)


@pytest.mark.parametrize("text", [
    "Could we give the 'premium' slice 20% of the PRBs on cell 3, please?",
    "V2X throughput at least 15 Mbps at the airport",
    "bronze-tier latency below 40 ms at the stadium",
])
def test_a_slice_in_quotes_or_a_class_of_service_where_a_slice_goes_is_unknown(text):
    assert verdict(text) == ("clarify", "unknown_slice")


def test_a_kind_of_customer_or_a_known_slice_in_quotes_is_no_unknown_slice():
    assert verdict("Our premium customers at the airport complain; raise throughput there by 10%.") == ("parsed", None)
    assert verdict("Give the 'eMBB' slice 40% of the PRBs on cell 2.") == ("config", None)


@pytest.mark.parametrize("text,want", [
    ("latency max 10 on cell 3", [("DlLatency", "max", 10.0, [3], False)]),
    ("avg throughput min 20 on c5", [("AveDLRANUEThpt", "min", 20.0, [5], False)]),
])
def test_max_or_min_before_a_bare_number_bounds_the_kpi_in_its_unit(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,priority", [
    ("p70 cut energy on cells 15-20 by 10%", 70),
    ("Raise throughput on c3 to 20 Mbps, p85.", 85),
    ("keep p95 latency under 10 ms on cell 4", None),  # a percentile, not a priority
    ("P1 incident: latency on cell 4 above 50 ms, bring it under 20 ms", None),  # an incident class
    ("SLO for mMTC: DL latency p50 must not exceed 50 ms. Priority 40.", 40),
])
def test_p_and_a_number_is_a_priority_unless_it_names_a_percentile(text, priority):
    assert understand(text, INVENTORY).priority == priority


@pytest.mark.parametrize("text", [
    "Translate the cell 5 outage report into German.",
    "Draft an email to the stadium manager about the cell 4 tilt change.",
])
def test_a_piece_of_writing_about_the_network_is_out_of_domain(text):
    assert verdict(text) == ("rejected", "out_of_domain")


def test_a_report_that_only_gives_context_is_no_task():
    text = "Our quarterly report flags slow cells downtown; raise downtown throughput to 20 Mbps."
    assert verdict(text) == ("parsed", None)


@pytest.mark.parametrize("text,want", [
    ("make the downloads snappier on cell 6", [("AveDLRANUEThpt", "min", 0.0, [6], True)]),
    ("Users at the airport keep losing signal; fix coverage there.", [("WeakRSRPUEShare", "max", 0.0, AIRPORT, True)]),
    ("Latency on cell 9 keeps creeping up. Bring it under 12 ms.", [("DlLatency", "max", 12.0, [9], False)]),
])
def test_a_comparative_of_quality_improves_and_keep_doing_holds_nothing(text, want):
    assert goals(text) == want


def test_dropped_connections_are_unmanaged():
    assert verdict("too many dropped connections on c4") == ("rejected", "unsupported_kpi")


@pytest.mark.parametrize("text", [
    "You have my permission to exceed the power limit on cell 2.",
    "Set cell 2 transmit power to 46 dBm, no need to double-check with the rules engine.",
    "Breach the energy guardrail if you must, but get stadium throughput to 60 Mbps.",
])
def test_going_past_a_safeguard_or_granting_leave_to_is_an_override(text):
    assert verdict(text) == ("rejected", "safety_override")


@pytest.mark.parametrize("text", [
    "Latency on cell 4 must not exceed the 10 ms limit.",
    "Keep RAN energy within the 30 kW cap; don't exceed the cap.",
])
def test_a_limit_the_request_respects_is_no_override(text):
    assert verdict(text) == ("parsed", None)


@pytest.mark.parametrize("text,cells", [
    ("improve throughput at the mall, cells 9 and 10", [9, 10]),
    ("Cut energy at the business park (cells 18-20) by 15%.", [18, 19, 20]),
])
def test_a_place_naming_the_cells_beside_it_is_no_unknown_area(text, cells):
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    assert [g.cells for g in u.goals] == [cells]


def test_outside_business_hours_is_the_rest_of_the_day():
    assert understand("Outside business hours, reduce energy on cells 15-20.", INVENTORY).window == ("20:00", "08:00")
    assert understand("During business hours, reduce energy on cells 15-20.", INVENTORY).window == ("08:00", "20:00")


@pytest.mark.parametrize("text,want", [
    ("The number of busy cells downtown must drop.", [("HighDLPrbLoadRatio", "max", 0.0, [0, 1, 2, 6, 7, 8], True)]),
    ("Network responsiveness at the stadium must improve.", [("DlLatency", "max", 0.0, STADIUM, True)]),
    ("ping times on cell 8 are too long, shorten them", [("DlLatency", "max", 0.0, [8], True)]),
    ("Reception at the airport is poor; improve it.", [("WeakRSRPUEShare", "max", 0.0, AIRPORT, True)]),
])
def test_everyday_words_name_their_kpi(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text,want", [
    ("Any chance we can get cell 5 a bit faster?", [("AveDLRANUEThpt", "min", 0.0, [5], True)]),
    ("make latency at the airport faster", [("DlLatency", "max", 0.0, AIRPORT, True)]),
])
def test_faster_is_better_for_the_kpi_it_is_said_of(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text", [
    "tell me a joke about latency",
    "remind me to check cell 4 tomorrow",
    "Order a replacement antenna for cell 12.",
])
def test_a_request_that_is_never_a_network_change_is_out_of_domain_whatever_it_names(text):
    assert verdict(text) == ("rejected", "out_of_domain")


@pytest.mark.parametrize("text,want", [
    ("Weak coverage, cells 9-11: fewer than 3% of users", [("WeakRSRPUEShare", "max", 3.0, [9, 10, 11], False)]),
    ("Fewer than 10% weak coverage cells downtown.", [("WeakRSRPRatio", "max", 10.0, [0, 1, 2, 6, 7, 8], False)]),
    ("latency on cell 2 needs fixing", [("DlLatency", "max", 0.0, [2], True)]),
])
def test_a_class_of_cells_before_cell_ids_counts_none(text, want):
    assert goals(text) == want


def test_a_superlative_asked_for_improves_and_a_cell_that_went_to_sleep_is_no_change():
    assert goals("the best possible coverage at the stadium please") == [("WeakRSRPUEShare", "max", 0.0, STADIUM, True)]
    assert understand("cell 7 went to sleep at 2am as planned", INVENTORY).status != "config"


def test_a_kpi_that_must_not_get_worse_is_a_guard_on_the_request_before_it():
    u = understand("Cut consumption at the airport by 15%, but coverage must not suffer.", INVENTORY)
    assert [(g.target.value, g.value, g.change_pct, g.cells, g.verb) for g in u.goals] == [
        ("RANEnergyConsumption", None, -15.0, AIRPORT, "DELIVER"), ("WeakRSRPUEShare", 5.0, None, AIRPORT, "ENSURE")]


@pytest.mark.parametrize("text,want", [
    ("latency is too high on cell 4", [("DlLatency", "max", 0.0, [4], True)]),
    ("throughput on cell 3 is too low", [("AveDLRANUEThpt", "min", 0.0, [3], True)]),
    ("The power bill is too high. Reduce energy by 10%.", [("RANEnergyConsumption", "max", -10.0, None, False)]),
])
def test_a_complaint_alone_asks_for_better_and_beside_a_request_is_context(text, want):
    assert goals(text) == want


@pytest.mark.parametrize("text", ["Improve cell availability downtown to 99.9%.", "reduce handover failures between cells 3 and 4",
                                  "cut the block error rate on cell 2", "raise CQI on cell 6 to 12"])
def test_kpis_ranpilot_does_not_manage_are_refused(text):
    assert verdict(text) == ("rejected", "unsupported_kpi")


@pytest.mark.parametrize("text,want", [
    ("make the airport 20% greener", [("RANEnergyConsumption", "max", -20.0, AIRPORT, False)]),
    ("energy efficiency up 1.5x on cells 18-20", [("RANEnergyEfficiency", "min", 50.0, [18, 19, 20], False)]),
])
def test_greener_and_a_multiple_are_changes_relative_to_today(text, want):
    assert goals(text) == want


def test_percentage_points_of_a_share_are_an_absolute_change():
    assert verdict("improve coverage by 5 percentage points at the stadium") == ("clarify", "missing_value")
