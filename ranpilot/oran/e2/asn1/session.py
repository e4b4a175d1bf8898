"""ranpilot's E2 messages as E2AP PDUs, for one end of one E2 connection.

| ranpilot message | E2AP PDU |
| --- | --- |
| `SubscriptionRequest` / `Response` / `Failure` | RICsubscriptionRequest (E2SM-KPM, `e2sm_kpm`) / Response (actions admitted) / Failure (cause ricRequest system-not-ready before E2 Setup completes, ran-function-id-invalid for a RAN function not accepted in it, else action-not-supported) |
| `KpmIndication` | one RICindication per measured object (`e2sm_kpm`) |
| `E2SetupRequest` / `Response` / `Failure` | E2setupRequest / Response / Failure (`setup`) |
| `RcControlRequest` / `Ack` / `Failure` | RICcontrolRequest (E2SM-RC, `e2sm_rc`, ack requested) / Acknowledge / Failure (cause ricRequest control-failed-to-execute or action-not-supported, ranpilot's cause text in the control outcome) |

E2AP names a subscription and a control by its RIC request id (requestor, instance), not by
ranpilot's strings: the xApp end draws an instance per request and reads the node's answers as
`ric-<requestor>-<instance>` (subscription ids) or back to its own `request_id` (controls); the
node end reads requests under those names and remembers which RIC request id each of its own
subscription ids answers (by the transaction id of the request). The RIC end acknowledges the
E2 node components of the E2setupRequest it read (by E2AP transaction id). What E2AP has no place for is
dropped: a control's `intent_id`; a subscription failure keeps only its E2AP cause.
"""

from __future__ import annotations

import itertools
import re

from pydantic import BaseModel

from ranpilot.oran.e2.asn1 import e2sm_kpm as kpm, e2sm_rc as rc, setup
from ranpilot.oran.e2.asn1.codec import E2apError, Ie, Pdu, decode, encode
from ranpilot.oran.messages import (
    KPM_RAN_FUNCTION, RC_RAN_FUNCTION, KpmIndication, RcControlAck, RcControlFailure, RcControlRequest, SubscriptionFailure,
    SubscriptionRequest, SubscriptionResponse,
)
from ranpilot.oran.setup_messages import E2SetupFailure, E2SetupRequest, E2SetupResponse

_RIC_NAME = re.compile(r"ric-(\d+)-(\d+)")


def _request_id(requestor: int, instance: int) -> dict:
    return {"ricRequestorID": requestor, "ricInstanceID": instance}


def _name(request_id: dict) -> str:
    return f"ric-{request_id['ricRequestorID']}-{request_id['ricInstanceID']}"


def _parse(name: str) -> dict:
    match = _RIC_NAME.fullmatch(name)
    return _request_id(int(match[1]), int(match[2])) if match else _request_id(0, 0)


class E2apSession:
    """One end of an E2 connection. `meid` is the node's (the node end names requests with it)."""

    def __init__(self, meid: str = "", requestor_id: int = 1):
        self.meid, self.requestor_id = meid, requestor_id
        self._instances = itertools.count(1)
        self._indication_sn = itertools.count()
        self._controls: dict[str, str] = {}  # xApp end: RIC request name -> ranpilot request_id
        self._pending: dict[str, tuple[dict, list[int]]] = {}  # node end: xid -> (RIC request id, action ids)
        self._subscriptions: dict[str, dict] = {}  # node end: node subscription id -> RIC request id
        self._components: dict[int, list[dict]] = {}  # RIC end: setup transaction id -> node component items

    def encode(self, message: BaseModel, xid: str = "") -> list[bytes]:
        """The E2AP PDUs carrying `message` (several for a KPM indication); E2apError if it cannot travel."""
        if isinstance(message, KpmIndication):
            return [encode(pdu) for pdu in self._indications(message)]
        return [encode(self._pdu(message, xid))]

    def decode(self, data: bytes, xid: str = "") -> BaseModel:
        """The ranpilot message an E2AP PDU carries; E2apError for one outside the subset."""
        pdu = decode(data)
        reader = getattr(self, f"_read_{pdu.message}", None)
        if reader is None:
            raise E2apError(f"{pdu.message} has no ranpilot message")
        return reader(pdu, xid)

    def request_name(self, data: bytes) -> str:
        """The RIC request name (`ric-<requestor>-<instance>`) of a PDU that could not be read whole,
        so the answer can name the request; "" when even that cannot be read."""
        try:
            return _name(decode(data).get("RICrequestID"))
        except E2apError:
            return ""

    # -- to E2AP ---------------------------------------------------------------------------
    def _pdu(self, message: BaseModel, xid: str) -> Pdu:
        if isinstance(message, E2SetupRequest):
            return setup.request_pdu(message)
        if isinstance(message, E2SetupResponse):
            return setup.response_pdu(message, self._components.pop(message.transactionId, None))
        if isinstance(message, E2SetupFailure):
            return setup.failure_pdu(message)
        if isinstance(message, SubscriptionRequest):
            actions = [Ie("RICaction-ToBeSetup-Item", {"ricActionID": i, "ricActionType": "report", "ricActionDefinition": d})
                       for i, d in kpm.action_definitions(message)]
            details = {"ricEventTriggerDefinition": kpm.event_trigger(message.report_period_ms),
                       "ricAction-ToBeSetup-List": actions}
            return Pdu("RICsubscriptionRequest", [Ie("RICrequestID", self._new_request()),
                                                  Ie("RANfunctionID", KPM_RAN_FUNCTION), Ie("RICsubscriptionDetails", details)])
        if isinstance(message, (SubscriptionResponse, SubscriptionFailure)):
            request_id, action_ids = self._pending.pop(xid, (_request_id(0, 0), [kpm.NODE_ACTION]))
            ies = [Ie("RICrequestID", request_id), Ie("RANfunctionID", KPM_RAN_FUNCTION)]
            if isinstance(message, SubscriptionFailure):
                return Pdu("RICsubscriptionFailure", ies + [Ie("Cause", ("ricRequest", _subscription_cause(message.cause)))])
            self._subscriptions[message.subscription_id] = request_id
            admitted = [Ie("RICaction-Admitted-Item", {"ricActionID": i}) for i in action_ids]
            return Pdu("RICsubscriptionResponse", ies + [Ie("RICactions-Admitted", admitted)])
        if isinstance(message, RcControlRequest):
            header, body = rc.control_payloads(message.actions)
            request_id = self._new_request()
            self._controls[_name(request_id)] = message.request_id
            return Pdu("RICcontrolRequest", [Ie("RICrequestID", request_id), Ie("RANfunctionID", RC_RAN_FUNCTION),
                                             Ie("RICcontrolHeader", header), Ie("RICcontrolMessage", body),
                                             Ie("RICcontrolAckRequest", "ack")])
        if isinstance(message, (RcControlAck, RcControlFailure)):
            ies = [Ie("RICrequestID", _parse(message.request_id)), Ie("RANfunctionID", RC_RAN_FUNCTION)]
            if isinstance(message, RcControlAck):
                return Pdu("RICcontrolAcknowledge", ies)
            cause = "action-not-supported" if message.cause.startswith("UNSUPPORTED_ACTION") \
                else "control-failed-to-execute"
            return Pdu("RICcontrolFailure", ies + [Ie("Cause", ("ricRequest", cause)),
                                                   Ie("RICcontrolOutcome", rc.failure_outcome(message.cause))])
        raise E2apError(f"{type(message).__name__} is not an E2 message")

    def _indications(self, indication: KpmIndication) -> list[Pdu]:
        request_id = self._subscriptions.get(indication.subscription_id)
        if request_id is None:
            raise E2apError(f"indication for {indication.subscription_id}, which no RIC subscription on this "
                            "connection asked for")
        return [Pdu("RICindication", [Ie("RICrequestID", request_id), Ie("RANfunctionID", KPM_RAN_FUNCTION),
                                      Ie("RICactionID", action), Ie("RICindicationSN", next(self._indication_sn) % 65536),
                                      Ie("RICindicationType", "report"), Ie("RICindicationHeader", header),
                                      Ie("RICindicationMessage", body)])
                for action, header, body in kpm.indication_pieces(indication)]

    def _new_request(self) -> dict:
        return _request_id(self.requestor_id, next(self._instances) % 65536)

    # -- from E2AP -------------------------------------------------------------------------
    def _read_E2setupRequest(self, pdu: Pdu, xid: str) -> E2SetupRequest:
        request = setup.read_request(pdu)
        self._components[request.transactionId] = setup.component_items(pdu)
        return request

    def _read_E2setupResponse(self, pdu: Pdu, xid: str) -> E2SetupResponse:
        return setup.read_response(pdu)

    def _read_E2setupFailure(self, pdu: Pdu, xid: str) -> E2SetupFailure:
        return setup.read_failure(pdu)

    def _read_RICsubscriptionRequest(self, pdu: Pdu, xid: str) -> SubscriptionRequest:
        _ran_function(pdu, KPM_RAN_FUNCTION)
        details = pdu.get("RICsubscriptionDetails")
        actions = [(ie.value["ricActionID"], ie.value.get("ricActionDefinition")) for ie in details["ricAction-ToBeSetup-List"]]
        self._pending[xid] = (pdu.get("RICrequestID"), [a for a, _ in actions])  # a failure answers it too
        return kpm.read_subscription(details["ricEventTriggerDefinition"], actions, self.meid)

    def _read_RICsubscriptionResponse(self, pdu: Pdu, xid: str) -> SubscriptionResponse:
        return SubscriptionResponse(subscription_id=_name(pdu.get("RICrequestID")))

    def _read_RICsubscriptionFailure(self, pdu: Pdu, xid: str) -> SubscriptionFailure:
        return SubscriptionFailure(cause="E2AP cause {}: {}".format(*pdu.get("Cause")))

    def _read_RICindication(self, pdu: Pdu, xid: str) -> KpmIndication:
        _ran_function(pdu, KPM_RAN_FUNCTION)
        return kpm.read_indication(pdu.get("RICindicationHeader"), pdu.get("RICindicationMessage"),
                                   _name(pdu.get("RICrequestID")))

    def _read_RICcontrolRequest(self, pdu: Pdu, xid: str) -> RcControlRequest:
        _ran_function(pdu, RC_RAN_FUNCTION)
        actions = rc.read_control(pdu.get("RICcontrolHeader"), pdu.get("RICcontrolMessage"))
        return RcControlRequest(meid=self.meid, request_id=_name(pdu.get("RICrequestID")), actions=actions)

    def _read_RICcontrolAcknowledge(self, pdu: Pdu, xid: str) -> RcControlAck:
        return RcControlAck(request_id=self._control_name(pdu))

    def _read_RICcontrolFailure(self, pdu: Pdu, xid: str) -> RcControlFailure:
        outcome = pdu.get("RICcontrolOutcome", None)
        text = rc.read_failure_outcome(outcome) if outcome else ""
        return RcControlFailure(request_id=self._control_name(pdu), cause=text or "E2AP cause {}: {}".format(*pdu.get("Cause")))

    def _control_name(self, pdu: Pdu) -> str:
        name = _name(pdu.get("RICrequestID"))
        return self._controls.pop(name, name)


def _subscription_cause(text: str) -> str:
    """The E2AP cause (ricRequest) of a subscription failure the node explained in `text`."""
    if "E2 Setup on this connection is not complete" in text:
        return "system-not-ready"
    if "was not accepted in this connection's E2 Setup" in text or "does not serve RAN function" in text:
        return "ran-function-id-invalid"
    return "action-not-supported"


def _ran_function(pdu: Pdu, expected: int) -> None:
    if (found := pdu.get("RANfunctionID")) != expected:
        raise E2apError(f"{pdu.message} for RAN function {found}; ranpilot's node serves it as {expected}")
