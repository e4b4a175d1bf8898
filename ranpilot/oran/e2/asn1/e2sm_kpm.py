"""E2SM-KPM v03.00 payloads for ranpilot's KPM messages (RAN function 2, OID `KPM_OID`).

A subscription (`SubscriptionRequest`) is one event trigger (format 1: the reporting period in ms)
and up to two REPORT actions: action 1, style 1 (E2 node measurement, action definition format 1,
no cell: every cell of the node) with the cell- and node-level names, and, when `per_ue`, action
2, style 4 (common condition-based UE-level, action definition format 4, the condition "the UE
reports SS-RSRP", which every connected UE meets) with the UE-level names (`ranpilot.oran.e2.kpm`).

An indication (`KpmIndication`) travels as one RIC Indication per measured object, since a KPM
indication message measures one object: for action 1 one per cell (indication message format 1)
and one for the E2 node's own measurements, for action 2 one per cell with UEs (format 3, one
report per UE, UE id gNB-DU-UEID with gNB-CU-UE-F1AP-ID = ranpilot's UE number). Header format 1
names the measured object in `senderName` as a 3GPP DN (`ManagedElement=gnb-sim-1,GNBDUFunction=1,
NRCellDU=5`, or `ManagedElement=gnb-sim-1` for the node) and carries the collection start time
as a 64-bit NTP timestamp (simulated seconds). Each piece decodes into a `KpmIndication` of that
object alone; `merge` joins the consecutive pieces of one report again. Values are INTEGER or REAL
per measurement (noValue for NaN: nothing measured).
"""

from __future__ import annotations

import math
from collections import defaultdict

from pydantic import BaseModel

from ranpilot.oran.e2 import kpm
from ranpilot.oran.e2.asn1.codec import E2apError, decode_type, encode_type
from ranpilot.oran.e2.asn1.identities import ue_id, ue_number
from ranpilot.oran.messages import KpmIndication, SubscriptionRequest, UeMeasurement

KPM_OID = "1.3.6.1.4.1.53148.1.2.2.2"
NODE_ACTION, UE_ACTION = 1, 2
NODE_STYLE, UE_STYLE = 1, 4
_MAX_INTEGER = 4294967295


def event_trigger(report_period_ms: int) -> bytes:
    return encode_type("E2SM-KPM-EventTriggerDefinition",
                       {"eventDefinition-formats": ("eventDefinition-Format1", {"reportingPeriod": report_period_ms})})


def action_definitions(request: SubscriptionRequest) -> list[tuple[int, bytes]]:
    """(RIC action id, E2SM-KPM-ActionDefinition) of each REPORT action of a subscription."""
    levels = {m: set(kpm.MEASUREMENTS[m].levels) if m in kpm.MEASUREMENTS else set() for m in request.measurements}
    ue_names = [m for m in request.measurements if "ue" in levels[m]]
    # without per_ue every name goes to action 1, so the node refuses a UE-only one there
    node_names = [m for m in request.measurements if not request.per_ue or levels[m] != {"ue"}]
    actions = []
    if node_names:
        actions.append((NODE_ACTION, _action(NODE_STYLE, ("actionDefinition-Format1",
                                                           _subscription_info(node_names, request.report_period_ms)))))
    if request.per_ue and ue_names:
        condition = [{"testCondInfo": {"testType": ("rSRP", "true"), "testExpr": "present"}}]
        info = _subscription_info(ue_names, request.report_period_ms)
        actions.append((UE_ACTION, _action(UE_STYLE, ("actionDefinition-Format4",
                                                       {"matchingUeCondList": condition, "subscriptionInfo": info}))))
    return actions


def read_subscription(trigger: bytes, actions: list[tuple[int, bytes | None]], meid: str) -> SubscriptionRequest:
    """The SubscriptionRequest a KPM event trigger and action definitions ask for."""
    _, value = decode_type("E2SM-KPM-EventTriggerDefinition", trigger)["eventDefinition-formats"]
    names: list[str] = []
    per_ue = False
    for _, definition in actions:
        if definition is None:
            raise E2apError("a KPM REPORT action without its action definition")
        action = decode_type("E2SM-KPM-ActionDefinition", definition)
        kind, body = action["actionDefinition-formats"]
        if kind == "actionDefinition-Format4":
            per_ue, body = True, body["subscriptionInfo"]
        elif kind != "actionDefinition-Format1":
            raise E2apError(f"KPM {kind} (style {action['ric-Style-Type']}) is not served; use format 1 or 4")
        if body.get("cellGlobalID") is not None:
            raise E2apError("a KPM action for one cell is not served; ranpilot's node reports every cell")
        names += [item["measType"][1] for item in body["measInfoList"] if item["measType"][1] not in names]
    return SubscriptionRequest(meid=meid, report_period_ms=value["reportingPeriod"], measurements=names, per_ue=per_ue)


def indication_pieces(indication: KpmIndication) -> list[tuple[int, bytes, bytes]]:
    """(RIC action id, indication header, indication message) of each measured object."""
    pieces = []
    for key, values in indication.measData.items():
        if values:
            header = _header(indication, _sender(indication.meid, key))
            pieces.append((NODE_ACTION, header, _message(("indicationMessage-Format1", _report(values, indication)))))
    by_cell: dict[int, list[UeMeasurement]] = defaultdict(list)
    for ue in indication.ueMeasData:
        by_cell[ue.servingCell].append(ue)
    for cell, ues in sorted(by_cell.items()):
        reports = [{"ueID": ue_id(ue.ueId), "measReport": _report(ue.measurements, indication)}
                   for ue in ues if ue.measurements]
        if reports:
            pieces.append((UE_ACTION, _header(indication, _sender(indication.meid, str(cell))),
                           _message(("indicationMessage-Format3", {"ueMeasReportList": reports}))))
    return pieces


def read_indication(header: bytes, message: bytes, subscription_id: str) -> KpmIndication:
    """One RIC Indication's KPM header and message as a KpmIndication of its measured object."""
    head = decode_type("E2SM-KPM-IndicationHeader", header)["indicationHeader-formats"][1]
    meid, key = _object(head.get("senderName", ""))
    kind, body = decode_type("E2SM-KPM-IndicationMessage", message)["indicationMessage-formats"]
    start_s = int.from_bytes(head["colletStartTime"], "big") / 2**32
    data, ues, period = {}, [], None
    if kind == "indicationMessage-Format1":
        data[key], period = _values(body), body.get("granulPeriod")
    elif kind == "indicationMessage-Format3":
        for report in body["ueMeasReportList"]:
            ues.append(UeMeasurement(ueId=ue_number(report["ueID"]), servingCell=_cell_number(key),
                                     measurements=_values(report["measReport"])))
            period = report["measReport"].get("granulPeriod", period)
    else:
        raise E2apError(f"KPM {kind} is not read by ranpilot (formats 1 and 3 are)")
    return KpmIndication(meid=meid, subscription_id=subscription_id, granulPeriod=period or 0, collectStartTime=start_s,
                         measData=data, ueMeasData=ues)


def merge(messages: list[BaseModel]) -> list[BaseModel]:
    """The messages with consecutive pieces of one KPM report (indications of the same node,
    subscription and start time) joined into one indication."""
    out: list[BaseModel] = []
    for message in messages:
        last = out[-1] if out else None
        if isinstance(message, KpmIndication) and isinstance(last, KpmIndication) and \
                (last.meid, last.subscription_id, last.collectStartTime) == \
                (message.meid, message.subscription_id, message.collectStartTime):
            out[-1] = last.model_copy(update={"measData": {**last.measData, **message.measData},
                                              "ueMeasData": last.ueMeasData + message.ueMeasData,
                                              "granulPeriod": last.granulPeriod or message.granulPeriod})
        else:
            out.append(message)
    return out


def _action(style: int, definition: tuple) -> bytes:
    return encode_type("E2SM-KPM-ActionDefinition", {"ric-Style-Type": style, "actionDefinition-formats": definition})


def _subscription_info(names: list[str], period_ms: int) -> dict:
    return {"measInfoList": _info(names), "granulPeriod": period_ms}


def _info(names) -> list[dict]:
    return [{"measType": ("measName", n), "labelInfoList": [{"measLabel": {"noLabel": "true"}}]} for n in names]


def _record(name: str, value: float) -> tuple:
    if not math.isfinite(value):
        return ("noValue", None)
    spec = kpm.MEASUREMENTS.get(name)
    if spec is not None and spec.integer and 0 <= value <= _MAX_INTEGER:
        return ("integer", int(round(value)))
    return ("real", float(value))


def _report(values: dict[str, float], indication: KpmIndication) -> dict:
    return {"measData": [{"measRecord": [_record(n, v) for n, v in values.items()]}], "measInfoList": _info(values),
            "granulPeriod": max(indication.granulPeriod, 1)}


def _values(report: dict) -> dict[str, float]:
    """name -> value of a format 1 report (the last granularity period's record)."""
    info = report.get("measInfoList")
    if not info:
        raise E2apError("a KPM report without measInfoList: ranpilot cannot name its values")
    names = [item["measType"][1] if item["measType"][0] == "measName" else f"measID {item['measType'][1]}"
             for item in info]
    record = report["measData"][-1]["measRecord"]
    if len(record) != len(names):
        raise E2apError(f"a KPM record of {len(record)} values for {len(names)} measurements")
    return {n: math.nan if kind == "noValue" else float(v) for n, (kind, v) in zip(names, record)}


def _header(indication: KpmIndication, sender: str) -> bytes:
    start = round(indication.collectStartTime * 2**32)
    return encode_type("E2SM-KPM-IndicationHeader", {"indicationHeader-formats": ("indicationHeader-Format1", {
        "colletStartTime": start.to_bytes(8, "big"), "senderName": sender, "vendorName": "ranpilot"})})


def _message(fmt: tuple) -> bytes:
    """The indication message (the hot path: built here from a validated KpmIndication, so unchecked)."""
    return encode_type("E2SM-KPM-IndicationMessage", {"indicationMessage-formats": fmt}, check_types=False)


def _sender(meid: str, key: str) -> str:
    node = f"ManagedElement={meid}"
    return node if key == meid else f"{node},GNBDUFunction=1,NRCellDU={key}"


def _object(dn: str) -> tuple[str, str]:
    """(managed element, measData key: the NRCellDU's number, or the element for its own values)."""
    parts = dict(p.split("=", 1) for p in dn.split(",") if "=" in p)
    meid = parts.get("ManagedElement", "")
    return meid, parts.get("NRCellDU", meid)


def _cell_number(key: str) -> int:
    if not key.isdecimal():
        raise E2apError(f"a per-UE KPM report whose sender {key!r} is not a cell (NRCellDU=<number>)")
    return int(key)

