"""E2 Setup (E2AP clause 8.3.1): how an E2 node describes itself to a near-RT RIC, and the answer.

`setup_request` is the simulated node's E2setupRequest: a gNB (PLMN 001-01, 22-bit gNB ID),
the E2SM-KPM RAN function (id 2) with its description (REPORT style 1, E2 node measurement, and
style 4, common condition-based UE-level, each with the names the node reports:
`ranpilot.oran.e2.kpm`) and one F1 component. It does not list the RC function (id 3): an
E2SM-RC RAN function definition is outside ranpilot's ASN.1 subset. `read_setup_request` reads any E2setupRequest of the
subset into an `E2NodeDescription` (a KPM description that does not decode is reported as such,
not hidden); `setup_response` accepts the functions a RIC understands and acknowledges every
component, and `read_setup_response` gives the accepted function ids.
"""

from __future__ import annotations

from pydantic import BaseModel, Field

from ranpilot.oran.e2 import kpm
from ranpilot.oran.e2.asn1.codec import E2apError, Ie, Pdu, decode, decode_type, encode, encode_type
from ranpilot.oran.e2.asn1.e2sm_kpm import KPM_OID, NODE_STYLE, UE_STYLE
from ranpilot.oran.e2.asn1.e2sm_rc import RC_OID
from ranpilot.oran.e2.asn1.identities import PLMN
from ranpilot.oran.messages import KPM_RAN_FUNCTION

GNB_ID_BITS = 22
RIC_ID = 1


class RanFunction(BaseModel):
    ran_function_id: int
    oid: str
    revision: int = 0
    short_name: str = ""
    report_styles: dict[int, list[str]] = Field(default_factory=dict, description="KPM: style -> measurement names")
    problem: str = Field(default="", description="why the E2SM description could not be read")


class E2NodeDescription(BaseModel):
    transaction_id: int
    plmn: str = Field(description="PLMN identity, hex")
    gnb_id: int | None = None
    ran_functions: list[RanFunction]
    components: list[str] = Field(description="E2 node component interface types")


def setup_request(gnb_id: int = 1, transaction_id: int = 0) -> bytes:
    """The simulated node's E2setupRequest."""
    styles = [(NODE_STYLE, "E2 Node Measurement", 1, kpm.offered("cell") + kpm.offered("node"), 1),
              (UE_STYLE, "Common Condition-based, UE-level Measurement", 4, kpm.offered("ue"), 3)]
    description = encode_type("E2SM-KPM-RANfunction-Description", {
        "ranFunction-Name": {"ranFunction-ShortName": "ORAN-E2SM-KPM", "ranFunction-E2SM-OID": KPM_OID,
                             "ranFunction-Description": "KPM Monitor"},
        "ric-EventTriggerStyle-List": [{"ric-EventTriggerStyle-Type": 1, "ric-EventTriggerStyle-Name": "Periodic Report",
                                        "ric-EventTriggerFormat-Type": 1}],
        "ric-ReportStyle-List": [{"ric-ReportStyle-Type": style, "ric-ReportStyle-Name": name, "ric-ActionFormat-Type": action,
                                  "measInfo-Action-List": [{"measName": n} for n in names],
                                  "ric-IndicationHeaderFormat-Type": 1, "ric-IndicationMessageFormat-Type": message}
                                 for style, name, action, names, message in styles]})
    function = {"ranFunctionID": KPM_RAN_FUNCTION, "ranFunctionDefinition": description, "ranFunctionRevision": 0,
                "ranFunctionOID": KPM_OID}
    component = {"e2nodeComponentInterfaceType": "f1", "e2nodeComponentID": ("e2nodeComponentInterfaceTypeF1", {"gNB-DU-ID": 0}),
                 "e2nodeComponentConfiguration": {"e2nodeComponentRequestPart": b"", "e2nodeComponentResponsePart": b""}}
    node = ("gNB", {"global-gNB-ID": {"plmn-id": PLMN, "gnb-id": ("gnb-ID", ((gnb_id << 10).to_bytes(4, "big"), GNB_ID_BITS))}})
    return encode(Pdu("E2setupRequest", [
        Ie("TransactionID", transaction_id), Ie("GlobalE2node-ID", node),
        Ie("RANfunctionsAdded", [Ie("RANfunction-Item", function)]),
        Ie("E2nodeComponentConfigAddition", [Ie("E2nodeComponentConfigAddition-Item", component)])]))


def read_setup_request(data: bytes) -> E2NodeDescription:
    pdu = _expect(data, "E2setupRequest")
    kind, node = pdu.get("GlobalE2node-ID")
    global_id = node.get("global-gNB-ID") or {}
    gnb_id = None
    if kind == "gNB":
        bits, length = global_id["gnb-id"][1]
        gnb_id = int.from_bytes(bits, "big") >> (8 * len(bits) - length)
    functions = [_function(item.value) for item in pdu.get("RANfunctionsAdded")]
    components = [item.value["e2nodeComponentInterfaceType"] for item in pdu.get("E2nodeComponentConfigAddition")]
    plmn = global_id.get("plmn-id", b"")
    return E2NodeDescription(transaction_id=pdu.get("TransactionID"), plmn=plmn.hex(), gnb_id=gnb_id,
                             ran_functions=functions, components=components)


def setup_response(request: bytes, understood_oids: tuple[str, ...] = (KPM_OID,)) -> bytes:
    """A RIC's E2setupResponse to `request`: functions with an understood OID accepted, the others
    rejected (cause ricService ran-function-not-supported), every component acknowledged."""
    pdu = _expect(request, "E2setupRequest")
    functions = [item.value for item in pdu.get("RANfunctionsAdded")]
    accepted = [Ie("RANfunctionID-Item", {"ranFunctionID": f["ranFunctionID"], "ranFunctionRevision": f["ranFunctionRevision"]})
                for f in functions if f["ranFunctionOID"] in understood_oids]
    rejected = [Ie("RANfunctionIEcause-Item", {"ranFunctionID": f["ranFunctionID"],
                                                "cause": ("ricService", "ran-function-not-supported")})
                for f in functions if f["ranFunctionOID"] not in understood_oids]
    acks = [Ie("E2nodeComponentConfigAdditionAck-Item", {
        "e2nodeComponentInterfaceType": c.value["e2nodeComponentInterfaceType"], "e2nodeComponentID": c.value["e2nodeComponentID"],
        "e2nodeComponentConfigurationAck": {"updateOutcome": "success"}}) for c in pdu.get("E2nodeComponentConfigAddition")]
    ies = [Ie("TransactionID", pdu.get("TransactionID")),
           Ie("GlobalRIC-ID", {"pLMN-Identity": PLMN, "ric-ID": ((RIC_ID << 4).to_bytes(3, "big"), 20)})]
    ies += [Ie("RANfunctionsAccepted", accepted)] if accepted else []
    ies += [Ie("RANfunctionsRejected", rejected)] if rejected else []
    return encode(Pdu("E2setupResponse", ies + [Ie("E2nodeComponentConfigAdditionAck", acks)]))


def read_setup_response(data: bytes) -> list[int]:
    """The RAN function ids the RIC accepted."""
    return [item.value["ranFunctionID"] for item in _expect(data, "E2setupResponse").get("RANfunctionsAccepted", [])]


def _expect(data: bytes, message: str) -> Pdu:
    pdu = decode(data)
    if pdu.message != message:
        raise E2apError(f"expected an {message}, got a {pdu.message}")
    return pdu


def _function(item: dict) -> RanFunction:
    function = RanFunction(ran_function_id=item["ranFunctionID"], oid=item["ranFunctionOID"],
                           revision=item["ranFunctionRevision"])
    if function.oid == RC_OID:
        return function.model_copy(update={"problem": "E2SM-RC RAN function definitions are outside ranpilot's subset"})
    try:
        description = decode_type("E2SM-KPM-RANfunction-Description", item["ranFunctionDefinition"])
    except E2apError as exc:
        return function.model_copy(update={"problem": f"not an E2SM-KPM v03.00 description: {exc}"})
    styles = {s["ric-ReportStyle-Type"]: [m["measName"] for m in s["measInfo-Action-List"]]
              for s in description.get("ric-ReportStyle-List", [])}
    return function.model_copy(update={"short_name": description["ranFunction-Name"]["ranFunction-ShortName"],
                                       "report_styles": styles})
