"""E2 Setup's content (E2AP clause 8.3.1): the RAN functions ranpilot's simulated node offers, and
the RIC's side of the procedure as the ranpilot xApp runtimes run it.

The node (a gNB of PLMN 001-01, one F1 component) offers E2SM-KPM as RAN function 2 (REPORT style
1, E2 node measurement, with its cell and node measurements; style 4, UE-level, with its UE
measurements: `ranpilot.oran.e2.kpm`) and E2SM-RC as RAN function 3 (the CONTROL styles and
actions it executes: style 2 action 6, the slice PRB quota, and ranpilot's style 1000 actions
1-5; it does not execute per-UE handover, so style 3 is not offered). The RIC accepts the
functions whose OID it understands and rejects the others (cause ricService
ran-function-not-supported); when it accepts none, it answers E2setupFailure with that cause.
The runtime then refuses, before sending anything, a subscription or control to a RAN function
the node did not advertise or the RIC did not accept (`not_offered`).
"""

from __future__ import annotations

from collections import defaultdict

from ranpilot.oran.e2 import kpm
from ranpilot.oran.e2.asn1.e2sm_kpm import KPM_OID, NODE_STYLE, UE_STYLE
from ranpilot.oran.e2.asn1.e2sm_rc import RC_OID
from ranpilot.oran.e2.node import RC_CODECS, SimulatedE2Node
from ranpilot.oran.messages import KPM_RAN_FUNCTION, RC_RAN_FUNCTION
from ranpilot.oran.setup_messages import (
    E2Cause, E2SetupFailure, E2SetupRequest, E2SetupResponse, RanFunction, RejectedRanFunction,
)

PLMN_HEX = "00f110"  # MCC 001, MNC 01
RIC_ID = 1
UNDERSTOOD_OIDS = {KPM_RAN_FUNCTION: KPM_OID, RC_RAN_FUNCTION: RC_OID}
"""What ranpilot's xApps use: the RAN function id they address and the E2SM it must be."""
_NAMES = {KPM_OID: "E2SM-KPM", RC_OID: "E2SM-RC"}


class E2SetupFailed(ConnectionError):
    """The RIC refused the node's E2 Setup (or it never came): nothing can be subscribed or controlled."""


def kpm_function() -> RanFunction:
    return RanFunction(ranFunctionId=KPM_RAN_FUNCTION, oid=KPM_OID, shortName="ORAN-E2SM-KPM",
                       reportStyles={NODE_STYLE: kpm.offered("cell") + kpm.offered("node"), UE_STYLE: kpm.offered("ue")})


def rc_function() -> RanFunction:
    styles: dict[int, list[int]] = defaultdict(list)
    for codec in RC_CODECS.values():
        fields = codec.control.model_fields
        styles[fields["style"].default].append(fields["action"].default)
    return RanFunction(ranFunctionId=RC_RAN_FUNCTION, oid=RC_OID, shortName="ORAN-E2SM-RC",
                       controlStyles={style: sorted(actions) for style, actions in sorted(styles.items())})


def setup_request(node: SimulatedE2Node, transaction_id: int = 0, gnb_id: int = 1) -> E2SetupRequest:
    """The node's E2SetupRequest: the RAN functions it serves (`node.ran_function_ids`)."""
    offered = {KPM_RAN_FUNCTION: kpm_function, RC_RAN_FUNCTION: rc_function}
    return E2SetupRequest(transactionId=transaction_id % 256, plmn=PLMN_HEX, gnbId=gnb_id, components=["f1"],
                          ranFunctions=[offered[i]() for i in node.ran_function_ids])


def answer_setup(request: E2SetupRequest) -> E2SetupResponse | E2SetupFailure:
    """The RIC's answer: a function is accepted when its id and OID are those ranpilot uses."""
    accepted = {f.ranFunctionId: f.revision for f in request.ranFunctions
                if UNDERSTOOD_OIDS.get(f.ranFunctionId) == f.oid}
    unsupported = E2Cause(group="ricService", value="ran-function-not-supported")
    if not accepted:
        return E2SetupFailure(transactionId=request.transactionId, cause=unsupported)
    rejected = [RejectedRanFunction(ranFunctionId=f.ranFunctionId, cause=unsupported)
                for f in request.ranFunctions if f.ranFunctionId not in accepted]
    return E2SetupResponse(transactionId=request.transactionId, ricId=RIC_ID, accepted=accepted, rejected=rejected,
                           components=request.components)


def accepted_functions(request: E2SetupRequest, answer: E2SetupResponse | E2SetupFailure,
                       where: str) -> dict[int, RanFunction]:
    """The node's RAN functions the RIC accepted, by id; E2SetupFailed (naming `where`) for a failure."""
    if isinstance(answer, E2SetupFailure):
        offered = ", ".join(f"{f.ranFunctionId} ({f.oid})" for f in request.ranFunctions)
        raise E2SetupFailed(f"E2 Setup with the node at {where} failed ({answer.cause.group}: {answer.cause.value}): "
                            f"it offers RAN functions {offered}; ranpilot uses {_wanted()}")
    return {f.ranFunctionId: f for f in request.ranFunctions if f.ranFunctionId in answer.accepted}


def not_offered(functions: dict[int, RanFunction] | None, ran_function_id: int, meid: str) -> str | None:
    """Why `ran_function_id` cannot be used on the node (None: it can, or E2 Setup is not seen here)."""
    if functions is None or ran_function_id in functions:
        return None
    kind = _NAMES.get(UNDERSTOOD_OIDS.get(ran_function_id, ""), "an unknown E2SM")
    return (f"{meid or 'the E2 node'} did not advertise RAN function {ran_function_id} ({kind}) in its E2 Setup; "
            f"accepted RAN functions: {', '.join(f'{i} ({_NAMES.get(f.oid, f.oid)})' for i, f in functions.items()) or 'none'}")


def _wanted() -> str:
    return ", ".join(f"{i} ({_NAMES[oid]}, {oid})" for i, oid in UNDERSTOOD_OIDS.items())
