"""E2AP PDUs in aligned PER with ranpilot's own ASN.1 modules (`*.asn` beside this file).

The modules are compiled once per process (`spec()`, about 2 s). A PDU is a `Pdu`: its message
type (`RICindication`, ...) and its IEs in order, each an `Ie` (name as in the specification
without `id-`, value, criticality). IE values are the open types of E2AP's containers: `encode`
encodes each with its IE's type and `decode` resolves each by IE id, so lists of single
containers (the actions of a subscription, the RAN functions of an E2 Setup) hold `Ie`s too. The
procedure codes, IE ids and criticalities are those of E2AP v03.01 (clauses 9.3.5-9.3.7, 9.1).

Example:
    >>> data = encode(Pdu("RICcontrolFailure", [Ie("RICrequestID", {"ricRequestorID": 1, "ricInstanceID": 0}),
    ...                   Ie("RANfunctionID", 3), Ie("Cause", ("misc", "unspecified"))]))
    >>> decode(data).get("Cause")
    ('misc', 'unspecified')
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import asn1tools

MODULES = ("e2ap.asn", "e2sm_common.asn", "e2sm_kpm.asn", "e2sm_rc.asn")

# message type -> (procedure code, PDU choice, procedure criticality)
MESSAGES: dict[str, tuple[int, str, str]] = {
    "E2setupRequest": (1, "initiatingMessage", "reject"),
    "E2setupResponse": (1, "successfulOutcome", "reject"),
    "E2setupFailure": (1, "unsuccessfulOutcome", "reject"),
    "RICcontrolRequest": (4, "initiatingMessage", "reject"),
    "RICcontrolAcknowledge": (4, "successfulOutcome", "reject"),
    "RICcontrolFailure": (4, "unsuccessfulOutcome", "reject"),
    "RICindication": (5, "initiatingMessage", "ignore"),
    "RICsubscriptionRequest": (8, "initiatingMessage", "reject"),
    "RICsubscriptionResponse": (8, "successfulOutcome", "reject"),
    "RICsubscriptionFailure": (8, "unsuccessfulOutcome", "reject"),
}
_BY_PROCEDURE = {(code, choice): name for name, (code, choice, _) in MESSAGES.items()}

# IE name -> (id, type, criticality); the criticality is the one every message in the subset gives it,
# except Cause, which RICsubscriptionFailure sends with `reject` (`_CRITICALITY_IN`).
IES: dict[str, tuple[int, str, str]] = {
    "Cause": (1, "Cause", "ignore"),
    "CriticalityDiagnostics": (2, "CriticalityDiagnostics", "ignore"),
    "GlobalE2node-ID": (3, "GlobalE2node-ID", "reject"),
    "GlobalRIC-ID": (4, "GlobalRIC-ID", "reject"),
    "RANfunctionID": (5, "RANfunctionID", "reject"),
    "RANfunctionID-Item": (6, "RANfunctionID-Item", "ignore"),
    "RANfunctionIEcause-Item": (7, "RANfunctionIDcause-Item", "ignore"),
    "RANfunction-Item": (8, "RANfunction-Item", "ignore"),
    "RANfunctionsAccepted": (9, "RANfunctionsID-List", "reject"),
    "RANfunctionsAdded": (10, "RANfunctions-List", "reject"),
    "RANfunctionsRejected": (13, "RANfunctionsIDcause-List", "reject"),
    "RICaction-Admitted-Item": (14, "RICaction-Admitted-Item", "ignore"),
    "RICactionID": (15, "RICactionID", "reject"),
    "RICaction-NotAdmitted-Item": (16, "RICaction-NotAdmitted-Item", "ignore"),
    "RICactions-Admitted": (17, "RICaction-Admitted-List", "reject"),
    "RICactions-NotAdmitted": (18, "RICaction-NotAdmitted-List", "reject"),
    "RICaction-ToBeSetup-Item": (19, "RICaction-ToBeSetup-Item", "ignore"),
    "RICcallProcessID": (20, "RICcallProcessID", "reject"),
    "RICcontrolAckRequest": (21, "RICcontrolAckRequest", "reject"),
    "RICcontrolHeader": (22, "RICcontrolHeader", "reject"),
    "RICcontrolMessage": (23, "RICcontrolMessage", "reject"),
    "RICindicationHeader": (25, "RICindicationHeader", "reject"),
    "RICindicationMessage": (26, "RICindicationMessage", "reject"),
    "RICindicationSN": (27, "RICindicationSN", "reject"),
    "RICindicationType": (28, "RICindicationType", "reject"),
    "RICrequestID": (29, "RICrequestID", "reject"),
    "RICsubscriptionDetails": (30, "RICsubscriptionDetails", "reject"),
    "TimeToWait": (31, "TimeToWait", "ignore"),
    "RICcontrolOutcome": (32, "RICcontrolOutcome", "reject"),
    "TNLinformation": (48, "TNLinformation", "ignore"),
    "TransactionID": (49, "TransactionID", "reject"),
    "E2nodeComponentConfigAddition": (50, "E2nodeComponentConfigAddition-List", "reject"),
    "E2nodeComponentConfigAddition-Item": (51, "E2nodeComponentConfigAddition-Item", "reject"),
    "E2nodeComponentConfigAdditionAck": (52, "E2nodeComponentConfigAdditionAck-List", "reject"),
    "E2nodeComponentConfigAdditionAck-Item": (53, "E2nodeComponentConfigAdditionAck-Item", "reject"),
}
_CRITICALITY_IN = {("RICsubscriptionFailure", "Cause"): "reject"}
_BY_ID = {ie_id: name for name, (ie_id, _, _) in IES.items()}


class E2apError(ValueError):
    """Bytes that are not an E2AP PDU of ranpilot's subset, or a value its modules cannot encode."""


@dataclass
class Ie:
    """One protocol IE; criticality "" takes the specification's for this IE in its message."""

    name: str
    value: Any
    criticality: str = ""


@dataclass
class Pdu:
    message: str
    ies: list[Ie] = field(default_factory=list)
    criticality: str = ""  # "" takes the procedure's

    def get(self, name: str, default: Any = ...) -> Any:
        """The value of IE `name`; E2apError when it is absent and no default is given."""
        for ie in self.ies:
            if ie.name == name:
                return ie.value
        if default is ...:
            raise E2apError(f"{self.message} without its {name} IE")
        return default


@lru_cache(maxsize=1)
def spec():
    """ranpilot's E2AP, E2SM common, E2SM-KPM and E2SM-RC modules, compiled for aligned PER."""
    here = Path(__file__).parent
    return asn1tools.compile_files([str(here / name) for name in MODULES], "per")


def encode_type(type_name: str, value: Any, check_types: bool = True) -> bytes:
    """One ASN.1 type's APER bytes (E2SM payloads use this); E2apError for a value it cannot take.
    `check_types=False` skips asn1tools' Python type walk (about a fifth of the encoding time) for
    values ranpilot builds itself from validated messages; constraints are checked by encoding."""
    try:
        return spec().encode(type_name, value, check_types=check_types)
    except (asn1tools.Error, KeyError, TypeError, ValueError, AttributeError) as exc:
        raise E2apError(f"cannot encode {type_name}: {exc}") from None


def decode_type(type_name: str, data: bytes) -> Any:
    try:
        return spec().decode(type_name, data)
    except (asn1tools.Error, KeyError, TypeError, ValueError, IndexError) as exc:
        raise E2apError(f"not a valid {type_name}: {exc}") from None


def encode(pdu: Pdu) -> bytes:
    """The PDU's APER bytes."""
    if pdu.message not in MESSAGES:
        raise E2apError(f"{pdu.message} is outside ranpilot's E2AP subset ({', '.join(MESSAGES)})")
    code, choice, criticality = MESSAGES[pdu.message]
    body = encode_type(pdu.message, {"protocolIEs": [_field(pdu.message, ie) for ie in pdu.ies]})
    return encode_type("E2AP-PDU", (choice, {"procedureCode": code, "criticality": pdu.criticality or criticality,
                                            "value": body}))


def decode(data: bytes) -> Pdu:
    """The PDU in `data`; E2apError for bytes that are not one of the subset's E2AP messages."""
    choice, outer = decode_type("E2AP-PDU", data)
    message = _BY_PROCEDURE.get((outer["procedureCode"], choice))
    if message is None:
        raise E2apError(f"E2AP procedure {outer['procedureCode']} ({choice}) is outside ranpilot's subset")
    fields = decode_type(message, outer["value"])["protocolIEs"]
    return Pdu(message, [_ie(f) for f in fields], outer["criticality"])


def _field(message: str, ie: Ie) -> dict:
    if ie.name not in IES:
        raise E2apError(f"{ie.name} is not an IE of ranpilot's E2AP subset")
    ie_id, type_name, criticality = IES[ie.name]
    value = _wrap(ie.value)
    return {"id": ie_id, "criticality": ie.criticality or _CRITICALITY_IN.get((message, ie.name), criticality),
            "value": encode_type(type_name, value)}


def _wrap(value: Any) -> Any:
    """IEs nested in a value (single containers of a list) as protocol IE fields."""
    if isinstance(value, Ie):
        return _field("", value)
    if isinstance(value, list):
        return [_wrap(v) for v in value]
    if isinstance(value, dict):
        return {k: _wrap(v) for k, v in value.items()}
    return value


def _ie(f: dict) -> Ie:
    name = _BY_ID.get(f["id"])
    if name is None:
        raise E2apError(f"IE id {f['id']} is outside ranpilot's E2AP subset")
    return Ie(name, _unwrap(decode_type(IES[name][1], f["value"])), f["criticality"])


def _unwrap(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"id", "criticality", "value"} and isinstance(value["value"], bytes):
            return _ie(value)
        return {k: _unwrap(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_unwrap(v) for v in value]
    return value
