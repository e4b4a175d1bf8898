"""The embedded parser's general rules of English (issue 15), each checked on sentences written for
this test: shares of well-served users, contradictions on one subject, changes without 'by',
thresholds named apart, negations over coordinated predicates, place words that name no area,
named KPIs in guards, configuration phrasings, misspellings and questions off the domain."""

import pytest

from intent_helpers import AIRPORT, INVENTORY, STADIUM, verdict
from ranpilot.intents.parser import understand


def goals(text: str) -> list[tuple]:
    """(target, bound, value or change, threshold, cells, verb) of each goal; the text must parse."""
    u = understand(text, INVENTORY)
    assert u.status == "parsed", (u.reason, u.message)
    return [(g.target.value, g.bound, g.value if g.value is not None else g.change_pct, g.threshold, g.cells, g.verb)
            for g in u.goals]


@pytest.mark.parametrize("text,want", [
    # a share of well-served users, named as a noun, is the complement of the share the target counts
    ("Push the percentage of subscribers getting more than 12 Mbps up to 92% on cells 6-8",
     ("LowDLThptUEShare", "max", 8.0, 12.0, [6, 7, 8], "DELIVER")),
    ("the share of users with SINR above 3 dB should reach 90%", ("LowSINRUEShare", "max", 10.0, 3.0, None, "DELIVER")),
    ("Lower the share of users under 4 Mbps to 6%", ("LowDLThptUEShare", "max", 6.0, 4.0, None, "DELIVER")),
    # a signal level 'or better' after a share of users is the level that decides who counts; RSRP is in dBm
    ("we want 98 percent of fans covered at the stadium, RSRP -108 or better",
     ("WeakRSRPUEShare", "max", 2.0, -108.0, STADIUM, "DELIVER")),
    ("At the airport we want 96% of passengers with RSRP of -105 dBm or better",
     ("WeakRSRPUEShare", "max", 4.0, -105.0, AIRPORT, "DELIVER")),
    # thresholds given apart from the share: a parenthesis, 'as the threshold', a named load level
    ("Low-SINR user share under 8%, with -2 dB as the threshold", ("LowSINRUEShare", "max", 8.0, -2.0, None, "DELIVER")),
    ("Weak-coverage user share below 3% (threshold -112 dBm)", ("WeakRSRPUEShare", "max", 3.0, -112.0, None, "DELIVER")),
    ("Reduce the share of slow users to 5%, where slow means below 3 Mbps",
     ("LowDLThptUEShare", "max", 5.0, 3.0, None, "DELIVER")),
    ("Halve the number of hot cells (load above 75%) at the stadium",
     ("HighDLPrbLoadRatio", "max", -50.0, 75.0, STADIUM, "DELIVER")),
    # cells that must stay under a load bound their load; they are not counted
    ("the airport cells must never be loaded above 80%", ("AveDLPrbLoad", "max", 80.0, None, AIRPORT, "ENSURE")),
    # a percent change after any inflection of a change verb, without 'by'
    ("saving energy 20% on cells 15-20", ("RANEnergyConsumption", "max", -20.0, None, [15, 16, 17, 18, 19, 20], "DELIVER")),
    ("boost efficiency 25% at the stadium", ("RANEnergyEfficiency", "min", 25.0, None, STADIUM, "DELIVER")),
    # place words that name no area: part of a known area, a distribution, cells named beside them
    ("Reduce energy in the stadium car park by 10%", ("RANEnergyConsumption", "max", -10.0, None, STADIUM, "DELIVER")),
    ("In each zone keep latency under 20 ms", ("DlLatency", "max", 20.0, None, None, "ENSURE")),
    ("Lower latency by 10% on the depot cells 15 and 16", ("DlLatency", "max", -10.0, None, [15, 16], "DELIVER")),
    ("Message from the head office: keep throughput at the stadium above 25 Mbps",
     ("AveDLRANUEThpt", "min", 25.0, None, STADIUM, "ENSURE")),
    # coverage said as a percentage is the share of users covered
    ("Keep coverage above 95% at the stadium", ("WeakRSRPUEShare", "max", 5.0, None, STADIUM, "ENSURE")),
    # a change noun after the KPI: 'a 15% energy cut'; a change said apart after 'i.e.'
    ("a 15% energy cut on cells 3-5 would be great", ("RANEnergyConsumption", "max", -15.0, None, STADIUM, "DELIVER")),
    ("Reduce hot cells, i.e. cells loaded above 85%, by 30%", ("HighDLPrbLoadRatio", "max", -30.0, 85.0, None, "DELIVER")),
    # a place after named cells describes them
    ("reduce energy by 10% on cells 9-10 near the hospital", ("RANEnergyConsumption", "max", -10.0, None, [9, 10], "DELIVER")),
    # a sign-off is not part of the request
    ("Please keep throughput above 20 Mbps in cell 4. Thanks, Harbour Team", ("AveDLRANUEThpt", "min", 20.0, None, [4], "ENSURE")),
    ("Energy on cell 2 under 3 kW please. Best, Campus Office", ("RANEnergyConsumption", "max", 3.0, None, [2], "DELIVER")),
])
def test_single_goal(text, want):
    assert goals(text) == [want]


def test_a_negation_governs_every_predicate_joined_by_or():
    assert goals("Reduce energy by 5% without hurting coverage or increasing latency") == [
        ("RANEnergyConsumption", "max", -5.0, None, None, "DELIVER"), ("WeakRSRPUEShare", "max", 5.0, None, None, "ENSURE"),
        ("DlLatency", "max", 0.0, None, None, "ENSURE")]
    assert goals("Boost throughput on cell 3 and never let energy exceed 6 kW or latency go above 12 ms")[1:] == [
        ("RANEnergyConsumption", "max", 6.0, None, None, "ENSURE"), ("DlLatency", "max", 12.0, None, None, "ENSURE")]
    assert goals("Cut energy by 15% without letting throughput drop below 20 Mbps or latency exceed 10 ms")[1:] == [
        ("AveDLRANUEThpt", "min", 20.0, None, None, "ENSURE"), ("DlLatency", "max", 10.0, None, None, "ENSURE")]


def test_a_bare_noun_phrase_after_a_negation_takes_its_verb():
    assert goals("Lower energy by 12% without degrading latency and coverage")[1:] == [
        ("DlLatency", "max", 0.0, None, None, "ENSURE"), ("WeakRSRPUEShare", "max", 5.0, None, None, "ENSURE")]
    # a guard on a KPI named as such is 'no worse than today', not the policy's default limit
    assert goals("cut energy by 8% but do not increase latency or the low-SINR user share")[1:] == [
        ("DlLatency", "max", 0.0, None, None, "ENSURE"), ("LowSINRUEShare", "max", 0.0, None, None, "ENSURE")]


def test_a_negated_rise_or_fall_is_a_guard():
    assert goals("Don't let latency climb or throughput fall while we cut energy by 10%") == [
        ("DlLatency", "max", 0.0, None, None, "ENSURE"), ("AveDLRANUEThpt", "min", 0.0, None, None, "ENSURE"),
        ("RANEnergyConsumption", "max", -10.0, None, None, "DELIVER")]


def test_the_default_guards_and_a_request_before_its_conditions():
    assert goals("cut energy 10% and don't cause interference") == [
        ("RANEnergyConsumption", "max", -10.0, None, None, "DELIVER"), ("LowSINRUEShare", "max", 25.0, None, None, "ENSURE")]
    assert goals("Raise throughput at the airport gently: while keeping latency under 9 ms") == [
        ("AveDLRANUEThpt", "min", 0.0, None, AIRPORT, "DELIVER"), ("DlLatency", "max", 9.0, None, AIRPORT, "ENSURE")]


@pytest.mark.parametrize("text", [
    "On cell 9 push energy efficiency above 500 bit/J while capping it at 300 bit/J",  # 'it': the clause before's KPI
    "Downtown latency should stay below 10 ms and should exceed 20 ms",  # the second predicate shares the subject
    "Energy at the airport must stay under 4 kW and must be at least 6 kW.",
    "Keep cell 4 throughput above 50 Mbps and keep it below 30 Mbps",
    "Lift throughput above 30 Mbps but cap throughput at 10 Mbps",
    "Keep downtown latency below 8 ms; it must also be above 15 ms.",  # 'also' after 'must' is no break
    "Energy on cells 1-3 must drop by 10% and must rise by 5%",
])
def test_contradictions_on_one_subject_ask_which(text):
    assert verdict(text) == ("clarify", "contradiction")


@pytest.mark.parametrize("text,parameter,value", [
    ("Give mMTC 0.15 of the PRBs on cell 12", "min_prb_ratio", 0.15),
    ("set cell 2's transmit power to its ceiling, 40 dBm", "tx_power_dbm", 40.0),  # the value restates 'its ceiling'
    ("Crank cell 16 up to 43 dBm", "tx_power_dbm", 43.0),  # turning a cell up or down moves its transmit power
    ("Give URLLC on cell 9 a 0.2 PRB share", "min_prb_ratio", 0.2),
    ("mMTC should have 0.1 of the resources on cell 18", "min_prb_ratio", 0.1),
])
def test_configuration_phrasings(text, parameter, value):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.value) for c in u.changes] == [(parameter, value)]


@pytest.mark.parametrize("text,want", [
    ("Tune the antenna tilt of cell 7", ("clarify", "missing_value")),  # a named setting without its value
    ("Modify transmit power on cell 3", ("clarify", "missing_value")),
    ("cut energy at the marina by 10%", ("clarify", "unknown_area")),
    ("what time does the airport open", ("rejected", "out_of_domain")),
    ("whats the score at the stadium", ("rejected", "out_of_domain")),
    ("How's the weather downtown?", ("rejected", "out_of_domain")),
    ("Please arrange a minibus for the airport crew", ("rejected", "out_of_domain")),
    ("Print the downtown report for Monday", ("rejected", "out_of_domain")),
    ("Please make the airport nicer", ("clarify", "vague")),  # a request about a network area, with no KPI
])
def test_questions_and_refusals(text, want):
    assert verdict(text) == want


def test_misspelt_kpis_are_read_as_the_kpi():
    assert goals("raise thrughput on cell 2 and cut laterncy") == [
        ("AveDLRANUEThpt", "min", 0.0, None, [2], "DELIVER"), ("DlLatency", "max", 0.0, None, None, "DELIVER")]
    assert goals("reduce interfernce around the airport") == [("LowSINRUEShare", "max", 0.0, None, AIRPORT, "DELIVER")]


# --- issue 15, second round: quantities, shares, scope of a negation, configuration wording ---

@pytest.mark.parametrize("text,want", [
    # a fraction of one unit is that many of the unit ('half a percent' = 0.5%, 'a fifth of a second' = 200 ms)
    ("No more than half a percent of the users around the airport may sit in weak coverage",
     ("WeakRSRPUEShare", "max", 0.5, None, AIRPORT, "DELIVER")),
    ("Bring latency on cell 6 under a fifth of a second", ("DlLatency", "max", 200.0, None, [6], "DELIVER")),
    # a quantity ends a list of cells: 'cells 9 and 10 to 3 kilowatts' names cells 9 and 10, and 3 kW
    ("Cut the power draw of cells 9 and 10 to three kilowatts", ("RANEnergyConsumption", "max", 3.0, None, [9, 10], "DELIVER")),
    # a unit said once after a range is both ends': 'within 0.01 and 0.03 Gbps' is 10-30 Mbit/s
    ("hold eMBB throughput within 0.01 and 0.03 Gbps on cell 2", ("DlThptPerUE", "range", None, None, [2], "ENSURE")),
    # 'N <noun> in M' is a share of that noun
    ("at most two cells in twenty should be overloaded", ("HighDLPrbLoadRatio", "max", 10.0, None, None, "DELIVER")),
    # a share's level says what it counts: dBm is coverage, whatever the words around it
    ("under 3% of the downtown subscribers below -112 dBm", ("WeakRSRPUEShare", "max", 3.0, -112.0, [0, 1, 2, 6, 7, 8], "DELIVER")),
    # a share with '>=' before its level counts the well-served users: the target is its complement
    ("97% of UEs >= -104 dBm on cell 1", ("WeakRSRPUEShare", "max", 3.0, -104.0, [1], "DELIVER")),
    # a share named as such keeps its target under a relative change; 'thresh' is the threshold
    ("trim the share of users with low throughput downtown by 30%",
     ("LowDLThptUEShare", "max", -30.0, None, [0, 1, 2, 6, 7, 8], "DELIVER")),
    ("low SINR UEs below 6% on cell 13, thresh -3 dB", ("LowSINRUEShare", "max", 6.0, -3.0, [13], "DELIVER")),
    ("Bring the low-throughput users on cell 2 down to 3%, taking 6 Mbps as the limit",
     ("LowDLThptUEShare", "max", 3.0, 6.0, [2], "DELIVER")),
    # a share named as the subject gets its value from a predicate that starts at its verb
    ("The share of cells with low SINR, meaning below 1 dB, must be brought under a tenth",
     ("LowSINRRatio", "max", 10.0, 1.0, None, "DELIVER")),
    # a definition ('... counts as congested') is read with the clause after it
    ("a cell above 85% PRB counts as congested; keep at most 1 in 10 cells congested",
     ("HighDLPrbLoadRatio", "max", 10.0, 85.0, None, "ENSURE")),
])
def test_quantities_and_shares(text, want):
    assert goals(text) == [want]


def test_a_negation_governs_the_comparison_however_far():
    assert goals("raise throughput on cell 7 by 10% without letting the eMBB latency on that cell climb above 9 ms") == [
        ("AveDLRANUEThpt", "min", 10.0, None, [7], "DELIVER"), ("DlLatency", "max", 9.0, None, [7], "ENSURE")]
    assert goals("cut energy by 5%, never letting the average user throughput on the whole network sink below 12 Mbps")[1] == (
        "AveDLRANUEThpt", "min", 12.0, None, None, "ENSURE")


def test_a_bound_word_opens_a_predicate_on_the_same_subject():
    assert verdict("latency on cell 3 max 5 ms, min 9 ms") == ("clarify", "contradiction")


@pytest.mark.parametrize("text,parameter,kind,number", [
    ("mmtc min PRB share on c11 = 0.25", "min_prb_ratio", "value", 0.25),
    ("cell 6 up-tilt 1.5°", "tilt_deg", "delta", -1.5),  # the angle is a downtilt: an uptilt moves it up
    ("could you uptilt cell 9 by a quarter of a degree", "tilt_deg", "delta", -0.25),
    ("please raise the CIO of cell 3 to 4 dB", "cio_db", "value", 4.0),  # 'to' gives the value it ends at
    ("please raise the CIO of cell 3 by 4 dB", "cio_db", "delta", 4.0),
    ("we want cell 19 powered down", "asleep", "value", 1.0),
])
def test_configuration_moves_and_settings(text, parameter, kind, number):
    u = understand(text, INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, getattr(c, kind)) for c in u.changes] == [(parameter, number)]


@pytest.mark.parametrize("text,want", [
    ("raise the spectral efficiency at the stadium", ("rejected", "unsupported_kpi")),
    ("keep throughput above 20 Mbps at the old theatre", ("clarify", "unknown_area")),
])
def test_unmanaged_kpis_and_unknown_venues(text, want):
    assert verdict(text) == want


def test_a_gapped_clause_repeats_the_predicate_before_it():
    assert goals("please cut the energy on cell 2 by 20%, and on cell 9 by 5%") == [
        ("RANEnergyConsumption", "max", -20.0, None, [2], "DELIVER"), ("RANEnergyConsumption", "max", -5.0, None, [9], "DELIVER")]


def test_a_share_named_as_the_subject_takes_the_value_a_later_clause_gives_it():
    assert goals("The proportion of users under 6 Mbps on cell 11 is worrying; please cut it by a third") == [
        ("LowDLThptUEShare", "max", -33.33, 6.0, [11], "DELIVER")]
    assert verdict("the share of cells below 5 Mbps downtown") == ("clarify", "missing_value")


def test_a_gapped_configuration_clause_repeats_the_setting_for_its_own_cell():
    u = understand("put cell 13 transmit power to 41 dBm and cell 14 to 39 dBm", INVENTORY)
    assert u.status == "config", (u.reason, u.message)
    assert [(c.parameter, c.cell, c.value) for c in u.changes] == [("tx_power_dbm", 13, 41.0), ("tx_power_dbm", 14, 39.0)]
