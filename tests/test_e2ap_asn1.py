"""E2AP over aligned PER with ranpilot's own ASN.1 modules, against PDUs and modules it did not write
(../shared/standards/e2: APER PDUs from srsRAN and ONOS test suites, the published E2AP v03.01,
E2SM-KPM v03.00 and E2SM-RC v01.03 modules, decoded with their own check_decode.py)."""

import math

import pytest

from ranpilot.oran.e2.asn1 import e2sm_kpm, e2sm_rc
from ranpilot.oran.e2.asn1.codec import E2apError, decode, decode_type, encode
from ranpilot.oran.e2.asn1.session import E2apSession
from ranpilot.oran.messages import (
    CellIndividualOffset, CellSleep, Handover, KpmIndication, RcControlAck, RcControlFailure, RcControlRequest,
    SlicePrbQuota, SubscriptionFailure, SubscriptionRequest, SubscriptionResponse, Tilt, TxPower, UeMeasurement, UePMax,
)
from ranpilot.oran.wire import E2apWire, cross
from tests.conftest import shared_path

ALL_CONTROLS = [TxPower(cell=3, txPowerDbm=40.5), CellSleep(cell=2, asleep=True), CellIndividualOffset(cell=1, cioDb=-3.0),
                Tilt(cell=0, tiltDeg=8.0), UePMax(cell=4, pMaxDbm=20.0),
                SlicePrbQuota(cell=5, sst=2, sd="000021", minPrbPolicyRatio=30, maxPrbPolicyRatio=80,
                              dedicatedPrbPolicyRatio=10)]


def pdu_bytes(name: str) -> bytes:
    return bytes.fromhex(shared_path("standards", "e2", "pdus", f"{name}.hex").read_text().strip())


@pytest.mark.parametrize("name", ["e2_setup_request_radisys", "e2_setup_request_srsran4g_reference",
                                  "ric_subscription_request_srsran", "ric_control_request_e2sm_rc_srsran_asn1test",
                                  "ric_control_request_e2sm_rc_prb_quota_srsran",
                                  "ric_control_request_e2sm_rc_handover_srsran", "ric_control_failure_srsran"])
def test_foreign_pdus_decode_with_ranpilots_modules_and_encode_back_to_the_same_bytes(name):
    data = pdu_bytes(name)
    assert encode(decode(data)) == data


def test_a_pdu_outside_the_subset_is_refused_by_name():
    with pytest.raises(E2apError, match="procedure 9 .* outside ranpilot's subset"):
        decode(pdu_bytes("ric_subscription_delete_request_srsran"))
    with pytest.raises(E2apError, match="not a valid E2AP-PDU"):
        decode(b"\x00\x01")


def test_foreign_rc_controls_decode_into_ranpilots_controls():
    quota = decode(pdu_bytes("ric_control_request_e2sm_rc_prb_quota_srsran"))
    header, message = quota.get("RICcontrolHeader"), quota.get("RICcontrolMessage")
    assert e2sm_rc.read_control(header, message, default_cell=0) == [SlicePrbQuota(
        cell=0, sst=22, sd="000021", minPrbPolicyRatio=10, maxPrbPolicyRatio=30, dedicatedPrbPolicyRatio=100)]
    with pytest.raises(E2apError, match="without the cell .*10001"):  # ranpilot's node needs to know which cell
        e2sm_rc.read_control(header, message)
    handover = decode(pdu_bytes("ric_control_request_e2sm_rc_handover_srsran"))
    assert e2sm_rc.read_control(handover.get("RICcontrolHeader"), handover.get("RICcontrolMessage")) == \
        [Handover(ueId=1, targetCell=0x19B1)]  # gNB-CU-UE-F1AP-ID 1; NR cell identity of the target's NR CGI
    failure = E2apSession().decode(pdu_bytes("ric_control_failure_srsran"))
    assert failure == RcControlFailure(request_id="ric-1021-0", cause="E2AP cause misc: unspecified")


def test_foreign_subscription_and_setup_decode_at_e2ap_level_and_their_e2sm_is_checked():
    sub = decode(pdu_bytes("ric_subscription_request_srsran"))
    assert sub.get("RICrequestID") == {"ricRequestorID": 123, "ricInstanceID": 21}
    (action,) = sub.get("RICsubscriptionDetails")["ricAction-ToBeSetup-List"]
    assert action.value["ricSubsequentAction"] == {"ricSubsequentActionType": "continue", "ricTimeToWait": "w20ms"}
    with pytest.raises(E2apError, match="RAN function 1; ranpilot's node serves it as 2"):
        E2apSession("gnb-sim-1").decode(pdu_bytes("ric_subscription_request_srsran"))  # its E2SM is dummy octets
    setup = decode(pdu_bytes("e2_setup_request_srsran4g_reference"))
    (function,) = setup.get("RANfunctionsAdded")
    description = decode_type("E2SM-KPM-RANfunction-Description", function.value["ranFunctionDefinition"])
    assert function.value["ranFunctionID"] == 147
    assert description["ranFunction-Name"]["ranFunction-E2SM-OID"] == e2sm_kpm.KPM_OID


def test_a_kpm_indication_built_with_the_published_modules_decodes_into_ranpilots_model(published):
    """No captured KPM v3 indication is public (see the reference README); this one is packed with the
    published modules, the way srsRAN's KPM provider fills it (REAL kbit/s, INTEGER %, 0.1 ms)."""
    d = published
    info = [{"measType": ("measName", n), "labelInfoList": [{"measLabel": {"noLabel": "true"}}]}
            for n in ("DRB.UEThpDl", "RRU.PrbTotDl", "DRB.RlcSduDelayDl")]
    report = {"measData": [{"measRecord": [("real", 51234.5), ("integer", 37), ("noValue", None)]}],
              "measInfoList": info, "granulPeriod": 1000}
    header = d.kpm.encode("E2SM-KPM-IndicationHeader", {"indicationHeader-formats": ("indicationHeader-Format1", {
        "colletStartTime": (7 << 32).to_bytes(8, "big"), "senderName": "ManagedElement=gnb-x,NRCellDU=4"})})
    cell = d.kpm.encode("E2SM-KPM-IndicationMessage", {"indicationMessage-formats": ("indicationMessage-Format1", report)})
    ue = d.kpm.encode("E2SM-KPM-IndicationMessage", {"indicationMessage-formats": ("indicationMessage-Format3", {
        "ueMeasReportList": [{"ueID": ("gNB-DU-UEID", {"gNB-CU-UE-F1AP-ID": 9}), "measReport": report}]})})
    session = E2apSession()
    cell_report = session.decode(published_indication(d, header, cell))
    assert (cell_report.meid, cell_report.subscription_id, cell_report.collectStartTime) == ("gnb-x", "ric-7-3", 7.0)
    values = cell_report.measData["4"]
    assert values["DRB.UEThpDl"] == 51234.5 and values["RRU.PrbTotDl"] == 37.0 and math.isnan(values["DRB.RlcSduDelayDl"])
    (ue_report,) = session.decode(published_indication(d, header, ue)).ueMeasData
    assert (ue_report.ueId, ue_report.servingCell, ue_report.measurements["DRB.UEThpDl"]) == (9, 4, 51234.5)


def published_indication(d, header: bytes, message: bytes) -> bytes:
    """A RIC Indication packed with the published E2AP modules (open types filled by hand)."""
    def ie(ie_id, type_name, value):
        return {"id": ie_id, "criticality": "reject", "value": d.e2ap.encode(type_name, value)}

    ies = [ie(29, "RICrequestID", {"ricRequestorID": 7, "ricInstanceID": 3}), ie(5, "RANfunctionID", 2),
           ie(15, "RICactionID", 1), ie(28, "RICindicationType", "report"), ie(25, "RICindicationHeader", header),
           ie(26, "RICindicationMessage", message)]
    body = d.e2ap.encode("RICindication", {"protocolIEs": ies})
    return d.e2ap.encode("E2AP-PDU", ("initiatingMessage", {"procedureCode": 5, "criticality": "ignore", "value": body}))


def test_ranpilots_control_and_subscription_decode_with_the_published_modules(published):
    d, session = published, E2apSession()
    for actions in ([a] for a in ALL_CONTROLS + [Handover(ueId=7, targetCell=12)]), [ALL_CONTROLS]:
        for batch in actions:
            (data,) = session.encode(RcControlRequest(meid="gnb-sim-1", request_id="r", actions=batch))
            pdu = d.decode_e2ap(data)  # decodes and re-encodes to the same bytes, or raises
            assert pdu["message"] == "RICcontrolRequest"
            sm = d.decode_payloads(pdu)
            assert "error" not in sm["controlHeader"] and "error" not in sm["controlMessage"], sm
            ours = decode(data)
            assert sm["controlMessage"]["decoded"] == decode_type("E2SM-RC-ControlMessage", ours.get("RICcontrolMessage"))
    request = SubscriptionRequest(meid="gnb-sim-1", report_period_ms=1000, per_ue=True,
                                  measurements=["DRB.UEThpDl", "RRU.PrbTotDl", "PEE.AvgPower", "CQI"])
    (data,) = session.encode(request)
    sm = d.decode_payloads(d.decode_e2ap(data), sm_hint="KPM")
    assert sm["eventTrigger"]["decoded"]["eventDefinition-formats"][1] == {"reportingPeriod": 1000}
    assert sm["action 1"]["decoded"]["ric-Style-Type"] == 1 and sm["action 2"]["decoded"]["ric-Style-Type"] == 4


def test_ranpilots_indication_decodes_with_the_published_modules(published):
    node = E2apSession("gnb-sim-1")
    node.decode(E2apSession().encode(SubscriptionRequest(meid="gnb-sim-1", report_period_ms=500,
                                                         measurements=["DRB.UEThpDl"], per_ue=True))[0], "x")
    node.encode(SubscriptionResponse(subscription_id="sub-1"), "x")
    indication = KpmIndication(meid="gnb-sim-1", subscription_id="sub-1", granulPeriod=500, collectStartTime=2.5,
                               measData={"0": {"DRB.UEThpDl": 1234.5}},
                               ueMeasData=[UeMeasurement(ueId=3, servingCell=0, measurements={"DRB.UEThpDl": 99.0})])
    for data in node.encode(indication):
        sm = published.decode_payloads(published.decode_e2ap(data), sm_hint="KPM")
        assert "error" not in sm["indicationHeader"] and "error" not in sm["indicationMessage"], sm


def pair():
    return E2apWire(), E2apWire("gnb-sim-1")


def test_every_e2_message_round_trips_between_an_xapp_end_and_a_node_end():
    ric, node = pair()
    request = SubscriptionRequest(meid="gnb-sim-1", report_period_ms=1000, measurements=["DRB.UEThpDl", "CQI"], per_ue=True)
    assert cross(request, ric, node, "1") == [request]
    [answer] = cross(SubscriptionResponse(subscription_id="sub-9"), node, ric, "1")
    assert answer == SubscriptionResponse(subscription_id="ric-1-1")  # named by its RIC request id
    nan = math.nan
    indication = KpmIndication(meid="gnb-sim-1", subscription_id="sub-9", granulPeriod=1000, collectStartTime=3.0,
                               measData={"0": {"DRB.UEThpDl": 10.5, "L1M.DL-SS-RSRP": nan}, "1": {"DRB.UEThpDl": 0.0},
                                         "gnb-sim-1": {"PEE.AvgPower": 812.25}},
                               ueMeasData=[UeMeasurement(ueId=u, servingCell=u % 2, measurements={"CQI": 7.0})
                                           for u in range(4)])
    pieces = cross(indication, node, ric)
    assert len(pieces) == 5  # one per cell, one for the node, one per cell with UEs
    [merged] = e2sm_kpm.merge(pieces)
    assert merged.subscription_id == "ric-1-1" and math.isnan(merged.measData["0"].pop("L1M.DL-SS-RSRP"))
    assert merged.measData == {"0": {"DRB.UEThpDl": 10.5}, "1": {"DRB.UEThpDl": 0.0}, "gnb-sim-1": {"PEE.AvgPower": 812.25}}
    assert sorted(merged.ueMeasData, key=lambda u: u.ueId) == indication.ueMeasData
    control = RcControlRequest(meid="gnb-sim-1", request_id="intent-7", actions=ALL_CONTROLS * 12)  # 72 actions
    [received] = cross(control, ric, node, "2")
    assert received.actions == control.actions and received.request_id == "ric-1-2"
    assert cross(RcControlAck(request_id="ric-1-2"), node, ric) == [RcControlAck(request_id="intent-7")]
    cross(control, ric, node, "3")
    cause = "actions[1].txPowerDbm: 55 outside [20, 49]"
    assert cross(RcControlFailure(request_id="ric-1-3", cause=cause), node, ric) == \
        [RcControlFailure(request_id="intent-7", cause=cause)]  # ranpilot's cause text travels in the outcome
    [refused] = cross(SubscriptionFailure(cause="no such measurement"), node, ric, "4")
    assert refused.cause == "E2AP cause ricRequest: action-not-supported"


def test_what_e2ap_cannot_carry_is_refused_with_the_reason():
    ric, node = pair()
    with pytest.raises(E2apError, match="handover travels alone"):
        cross(RcControlRequest(meid="m", request_id="r", actions=[Handover(ueId=1, targetCell=2), TxPower(cell=0, txPowerDbm=30)]),
              ric, node)
    with pytest.raises(E2apError, match="no RIC subscription on this connection"):
        cross(KpmIndication(meid="gnb-sim-1", subscription_id="sub-x", granulPeriod=1, collectStartTime=0,
                            measData={"0": {"DRB.UEThpDl": 1.0}}), node, ric)
    header, _ = e2sm_rc.control_payloads([ALL_CONTROLS[-1]])
    with pytest.raises(E2apError, match="slice PRB quota without the cell"):
        e2sm_rc.read_control(header, _quota_without_cell())


def _quota_without_cell() -> bytes:
    from ranpilot.oran.e2.asn1.codec import encode_type

    _, message = e2sm_rc.control_payloads([ALL_CONTROLS[-1]])
    body = decode_type("E2SM-RC-ControlMessage", message)
    body["ric-controlMessage-formats"][1]["ranP-List"].pop()  # drop RAN parameter 10001, the cell
    return encode_type("E2SM-RC-ControlMessage", body)


def test_e2_setup_describes_the_node_and_reads_foreign_nodes(published):
    from ranpilot.network import Network, NetworkConfig
    from ranpilot.oran.e2.asn1 import setup
    from ranpilot.oran.e2.node import SimulatedE2Node
    from ranpilot.oran.e2.ran_functions import answer_setup, rc_function, setup_request

    request = setup_request(SimulatedE2Node(Network(NetworkConfig(num_ues=21))), transaction_id=3, gnb_id=5)
    ours = encode(setup.request_pdu(request))
    theirs = published.decode_e2ap(ours)  # the published modules read it back exactly (and re-encode it bit-exactly)
    assert theirs["message"] == "E2setupRequest"
    definitions = published.decode_payloads(theirs)  # each RAN function definition with the published E2SM module
    assert [d["type"] for d in definitions.values()] == ["E2SM-KPM-RANfunction-Description", "E2SM-RC-RANFunctionDefinition"]
    assert all("decoded" in d for d in definitions.values()), definitions
    control = definitions[f"ranFunction 3 ({e2sm_rc.RC_OID})"]["decoded"]["ranFunctionDefinition-Control"]
    assert [(s["ric-ControlStyle-Type"], [a["ric-ControlAction-ID"] for a in s["ric-ControlAction-List"]])
            for s in control["ric-ControlStyle-List"]] == list(rc_function().controlStyles.items())
    assert rc_function().controlStyles[2] == [6] and rc_function().controlStyles[1000][:5] == [1, 2, 3, 4, 5]
    node = setup.read_request(decode(ours))
    assert node == request and (node.transactionId, node.plmn, node.gnbId, node.components) == (3, "00f110", 5, ["f1"])
    kpm, rc = node.ranFunctions
    assert kpm.ranFunctionId == 2 and kpm.oid == e2sm_kpm.KPM_OID and rc.ranFunctionId == 3 and rc.oid == e2sm_rc.RC_OID
    assert kpm.reportStyles[1][-2:] == ["L1M.DL-SS-RSRP", "PEE.AvgPower"] and "L1M.DL-SS-SINR" in kpm.reportStyles[4]
    response = encode(setup.response_pdu(answer_setup(node), setup.component_items(decode(ours))))
    assert published.decode_e2ap(response)["message"] == "E2setupResponse"
    assert setup.read_response(decode(response)).accepted == {2: 0, 3: 0}
    srsran = setup.read_request(decode(pdu_bytes("e2_setup_request_srsran4g_reference")))
    assert (srsran.plmn, srsran.gnbId, srsran.ranFunctions[0].ranFunctionId) == ("05f510", 1, 147)
    assert srsran.ranFunctions[0].shortName == "ORAN-E2SM-KPM" and not srsran.ranFunctions[0].problem
    radisys = setup.read_request(decode(pdu_bytes("e2_setup_request_radisys")))
    assert [f.oid for f in radisys.ranFunctions] == [e2sm_kpm.KPM_OID, e2sm_rc.RC_OID]
    assert "not an E2SM-KPM v03.00 definition" in radisys.ranFunctions[0].problem  # its KPM text is pre-v3
    assert "not an E2SM-RC v01.03 definition" in radisys.ranFunctions[1].problem  # the published module fails on it too
    with pytest.raises(E2apError, match="without its GlobalE2node-ID IE"):
        setup.read_request(decode(pdu_bytes("ric_control_failure_srsran")))
