"""E2 Setup (E2AP clause 8.3.1) as E2AP PDUs: ranpilot's setup messages (`E2SetupRequest`,
`E2SetupResponse`, `E2SetupFailure`) to and from E2setupRequest / Response / Failure.

A RAN function's definition travels in its E2SM: E2SM-KPM v03.00 `E2SM-KPM-RANfunction-Description`
(REPORT styles with their measurement names, a periodic event trigger) and E2SM-RC v01.03
`E2SM-RC-RANFunctionDefinition` (its control part: CONTROL styles, their control actions and RAN
parameters; `RC_STYLE_NAMES`). A definition that does not decode, or an RC one with a part other
than control, is read into `RanFunction.problem`, not hidden. A node is a gNB (22-bit gNB ID);
its E2 node components travel with their ids, which the RIC's acknowledgement repeats
(`response_pdu` takes the request's component items).
"""

from __future__ import annotations

from ranpilot.oran.e2.asn1.codec import E2apError, Ie, Pdu, decode_type, encode_type
from ranpilot.oran.e2.asn1.e2sm_kpm import KPM_OID
from ranpilot.oran.e2.asn1.e2sm_rc import CELL_PARAMETER, RC_OID, ranpilot_parameters
from ranpilot.oran.e2.asn1.identities import PLMN
from ranpilot.oran.setup_messages import (
    E2Cause, E2SetupFailure, E2SetupRequest, E2SetupResponse, RanFunction, RejectedRanFunction,
)

GNB_ID_BITS = 22
KPM_STYLES = {1: ("E2 Node Measurement", 1, 1), 4: ("Common Condition-based, UE-level Measurement", 4, 3)}
"""KPM REPORT style -> (name, action definition format, indication message format)."""
RC_STYLE_NAMES = {2: "Radio Resource Allocation Control", 3: "Connected Mode Mobility Control",
                  1000: "ranpilot cell configuration"}
_RC_ACTION_NAMES = {(2, 6): "Slice-level PRB quota", (3, 1): "Handover control"}
_RC_OTHER_PARTS = ("ranFunctionDefinition-EventTrigger", "ranFunctionDefinition-Report",
                   "ranFunctionDefinition-Insert", "ranFunctionDefinition-Policy")


# -- E2setupRequest -----------------------------------------------------------------------------
def request_pdu(request: E2SetupRequest) -> Pdu:
    if request.gnbId is None:
        raise E2apError("ranpilot encodes E2 Setup for a gNB only (gnbId is None)")
    functions = [Ie("RANfunction-Item", {"ranFunctionID": f.ranFunctionId, "ranFunctionDefinition": _definition(f),
                                         "ranFunctionRevision": f.revision, "ranFunctionOID": f.oid})
                 for f in request.ranFunctions]
    node = ("gNB", {"global-gNB-ID": {"plmn-id": bytes.fromhex(request.plmn), "gnb-id": (
        "gnb-ID", ((request.gnbId << 10).to_bytes(4, "big"), GNB_ID_BITS))}})
    components = [Ie("E2nodeComponentConfigAddition-Item", {
        "e2nodeComponentInterfaceType": kind, "e2nodeComponentID": _component_id(kind),
        "e2nodeComponentConfiguration": {"e2nodeComponentRequestPart": b"", "e2nodeComponentResponsePart": b""}})
        for kind in request.components]
    return Pdu("E2setupRequest", [Ie("TransactionID", request.transactionId), Ie("GlobalE2node-ID", node),
                                  Ie("RANfunctionsAdded", functions), Ie("E2nodeComponentConfigAddition", components)])


def read_request(pdu: Pdu) -> E2SetupRequest:
    """Any E2setupRequest of the subset (a foreign node's too) as an `E2SetupRequest`."""
    kind, node = pdu.get("GlobalE2node-ID")
    global_id = node.get("global-gNB-ID") or {}
    gnb_id = None
    if kind == "gNB":
        bits, length = global_id["gnb-id"][1]
        gnb_id = int.from_bytes(bits, "big") >> (8 * len(bits) - length)
    return E2SetupRequest(transactionId=pdu.get("TransactionID"), plmn=global_id.get("plmn-id", b"\0\0\0").hex(),
                          gnbId=gnb_id, ranFunctions=[_function(item.value) for item in pdu.get("RANfunctionsAdded")],
                          components=[item.value["e2nodeComponentInterfaceType"]
                                      for item in pdu.get("E2nodeComponentConfigAddition")])


def component_items(pdu: Pdu) -> list[dict]:
    """The E2 node component items of an E2setupRequest, for the RIC's acknowledgement."""
    return [item.value for item in pdu.get("E2nodeComponentConfigAddition")]


# -- E2setupResponse / E2setupFailure -------------------------------------------------------------
def response_pdu(response: E2SetupResponse, components: list[dict] | None = None) -> Pdu:
    """`components`: the request's component items (default: each of the response's interface
    types with ranpilot's component id)."""
    components = components or [{"e2nodeComponentInterfaceType": kind, "e2nodeComponentID": _component_id(kind)}
                                for kind in response.components]
    acks = [Ie("E2nodeComponentConfigAdditionAck-Item", {
        "e2nodeComponentInterfaceType": c["e2nodeComponentInterfaceType"], "e2nodeComponentID": c["e2nodeComponentID"],
        "e2nodeComponentConfigurationAck": {"updateOutcome": "success"}}) for c in components]
    accepted = [Ie("RANfunctionID-Item", {"ranFunctionID": i, "ranFunctionRevision": r}) for i, r in response.accepted.items()]
    rejected = [Ie("RANfunctionIEcause-Item", {"ranFunctionID": r.ranFunctionId, "cause": (r.cause.group, r.cause.value)})
                for r in response.rejected]
    ies = [Ie("TransactionID", response.transactionId),
           Ie("GlobalRIC-ID", {"pLMN-Identity": PLMN, "ric-ID": ((response.ricId << 4).to_bytes(3, "big"), 20)})]
    ies += [Ie("RANfunctionsAccepted", accepted)] if accepted else []
    ies += [Ie("RANfunctionsRejected", rejected)] if rejected else []
    return Pdu("E2setupResponse", ies + [Ie("E2nodeComponentConfigAdditionAck", acks)])


def read_response(pdu: Pdu) -> E2SetupResponse:
    ric_id = pdu.get("GlobalRIC-ID")["ric-ID"][0]
    return E2SetupResponse(
        transactionId=pdu.get("TransactionID"), ricId=int.from_bytes(ric_id, "big") >> 4,
        accepted={item.value["ranFunctionID"]: item.value["ranFunctionRevision"]
                  for item in pdu.get("RANfunctionsAccepted", [])},
        rejected=[RejectedRanFunction(ranFunctionId=item.value["ranFunctionID"], cause=_cause(item.value["cause"]))
                  for item in pdu.get("RANfunctionsRejected", [])],
        components=[item.value["e2nodeComponentInterfaceType"] for item in pdu.get("E2nodeComponentConfigAdditionAck")])


def failure_pdu(failure: E2SetupFailure) -> Pdu:
    return Pdu("E2setupFailure", [Ie("TransactionID", failure.transactionId),
                                  Ie("Cause", (failure.cause.group, failure.cause.value))])


def read_failure(pdu: Pdu) -> E2SetupFailure:
    return E2SetupFailure(transactionId=pdu.get("TransactionID"), cause=_cause(pdu.get("Cause")))


def _cause(cause: tuple) -> E2Cause:
    return E2Cause(group=cause[0], value=cause[1])


def _component_id(kind: str) -> tuple:
    if kind != "f1":
        raise E2apError(f"ranpilot's node components are F1 only, not {kind}")
    return "e2nodeComponentInterfaceTypeF1", {"gNB-DU-ID": 0}


# -- RAN function definitions (E2SM) --------------------------------------------------------------
def _definition(function: RanFunction) -> bytes:
    def name(description: str) -> dict:
        return {"ranFunction-ShortName": function.shortName, "ranFunction-E2SM-OID": function.oid,
                "ranFunction-Description": description}

    if function.oid == KPM_OID:
        return encode_type("E2SM-KPM-RANfunction-Description", {
            "ranFunction-Name": name("KPM Monitor"),
            "ric-EventTriggerStyle-List": [{"ric-EventTriggerStyle-Type": 1, "ric-EventTriggerStyle-Name": "Periodic Report",
                                            "ric-EventTriggerFormat-Type": 1}],
            "ric-ReportStyle-List": [
                {"ric-ReportStyle-Type": style, "ric-ReportStyle-Name": KPM_STYLES[style][0],
                 "ric-ActionFormat-Type": KPM_STYLES[style][1], "measInfo-Action-List": [{"measName": n} for n in names],
                 "ric-IndicationHeaderFormat-Type": 1, "ric-IndicationMessageFormat-Type": KPM_STYLES[style][2]}
                for style, names in function.reportStyles.items()]})
    if function.oid == RC_OID:
        return encode_type("E2SM-RC-RANFunctionDefinition", {
            "ranFunction-Name": name("RAN Control"),
            "ranFunctionDefinition-Control": {"ric-ControlStyle-List": [_control_style(style, actions)
                                                                        for style, actions in function.controlStyles.items()]}})
    raise E2apError(f"ranpilot describes E2SM-KPM and E2SM-RC RAN functions only, not OID {function.oid}")


def _control_style(style: int, actions: list[int]) -> dict:
    def action(number: int) -> dict:
        if style == 1000:
            name, parameters = ranpilot_parameters(number)
        else:
            name = _RC_ACTION_NAMES.get((style, number), f"Control action {number}")
            parameters = [(1, "RRM Policy Ratio List"), (CELL_PARAMETER, "Cell (ranpilot)")] if (style, number) == (2, 6) else []
        item = {"ric-ControlAction-ID": number, "ric-ControlAction-Name": name}
        if parameters:
            item["ran-ControlActionParameters-List"] = [{"ranParameter-ID": i, "ranParameter-name": n} for i, n in parameters]
        return item

    return {"ric-ControlStyle-Type": style, "ric-ControlStyle-Name": RC_STYLE_NAMES.get(style, f"Control style {style}"),
            "ric-ControlAction-List": [action(a) for a in actions], "ric-ControlHeaderFormat-Type": 1 if len(actions) == 1 else 2,
            "ric-ControlMessageFormat-Type": 1 if len(actions) == 1 else 2, "ric-ControlOutcomeFormat-Type": 1}


def _function(item: dict) -> RanFunction:
    function = RanFunction(ranFunctionId=item["ranFunctionID"], oid=item["ranFunctionOID"],
                           revision=item["ranFunctionRevision"])
    kind = "E2SM-RC v01.03" if function.oid == RC_OID else "E2SM-KPM v03.00"  # some nodes name KPM's OID otherwise
    try:
        return _read_rc(function, item) if function.oid == RC_OID else _read_kpm(function, item)
    except E2apError as exc:
        return function.model_copy(update={"problem": f"not an {kind} definition ranpilot reads: {exc}"})


def _read_kpm(function: RanFunction, item: dict) -> RanFunction:
    description = decode_type("E2SM-KPM-RANfunction-Description", item["ranFunctionDefinition"])
    styles = {s["ric-ReportStyle-Type"]: [m["measName"] for m in s["measInfo-Action-List"]]
              for s in description.get("ric-ReportStyle-List", [])}
    return function.model_copy(update={"shortName": description["ranFunction-Name"]["ranFunction-ShortName"],
                                       "reportStyles": styles})


def _read_rc(function: RanFunction, item: dict) -> RanFunction:
    definition = decode_type("E2SM-RC-RANFunctionDefinition", item["ranFunctionDefinition"])
    if others := [part.split("-")[-1] for part in _RC_OTHER_PARTS if part in definition]:
        raise E2apError(f"it has {', '.join(others)} parts, of which ranpilot's subset reads none")
    styles = {s["ric-ControlStyle-Type"]: [a["ric-ControlAction-ID"] for a in s.get("ric-ControlAction-List", [])]
              for s in definition.get("ranFunctionDefinition-Control", {}).get("ric-ControlStyle-List", [])}
    return function.model_copy(update={"shortName": definition["ranFunction-Name"]["ranFunction-ShortName"],
                                       "controlStyles": styles})
