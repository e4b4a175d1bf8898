"""The A1 mediator <-> xApp contract over RMR (../shared/standards/ric-plt-a1): ranpilot reads the
bytes the O-RAN SC A1 mediator's Go code sends (pkg/rmr/messages.go PolicyMessage) and the
contract's own examples, and sends what the mediator's Go code parses (pkg/rmr/rmr.go Consume) and
the contract's schemas allow. ranpilot's extension message types sit in RMR's application range."""

import json
import re

import jsonschema
import pytest
import yaml
from pydantic import ValidationError

from ranpilot.network import Network, NetworkConfig
from ranpilot.oran import messages
from ranpilot.oran.hosting import ranpilot_stack
from ranpilot.oran.messages import A1PolicyQuery, A1PolicyRequest, A1PolicyResponse, decode, encode
from ranpilot.settings import Settings
from tests.a1_helpers import (
    URLLC_SLA, mediator_policy_message, mediator_reads_query, mediator_reads_response,
)
from tests.conftest import shared_path

POLICY_ID = "3d2157af-6a8f-4a7c-810f-38c2f824bf12"


@pytest.fixture(scope="module")
def contract() -> dict:
    return yaml.safe_load(shared_path("standards", "ric-plt-a1", "a1_xapp_contract_openapi.yaml").read_text())


def conforms(contract: dict, name: str, instance: object) -> None:
    """Validate against one of the contract's component schemas (its $refs resolved in the document)."""
    jsonschema.Draft7Validator({"$ref": f"#/components/schemas/{name}", "components": contract["components"]}) \
        .validate(instance)


def from_mediator(raw: bytes) -> A1PolicyRequest:
    """What RmrTransport does with an A1_POLICY_REQ's RMR payload."""
    return decode({"mtype": messages.A1_POLICY_REQ, "payload": json.loads(raw)})


def test_the_contracts_own_examples_are_read(contract):
    schemas = contract["components"]["schemas"]
    request = A1PolicyRequest.model_validate(schemas["downstream_message_schema"]["example"])
    assert (request.policy_type_id, request.payload["window_length"]) == (12345678, 10)
    response = A1PolicyResponse.model_validate(schemas["downstream_notification_schema"]["example"])
    assert (response.policy_type_id, response.status) == (12345678, "OK")
    assert encode(request)["payload"] == schemas["downstream_message_schema"]["example"]


@pytest.mark.parametrize("operation", ["CREATE", "UPDATE"])
def test_the_mediators_policy_bytes_are_read(operation):
    raw = mediator_policy_message(21101, POLICY_ID, URLLC_SLA, operation)
    assert b'"policy_type_id":"21101"' in raw and b'"payload":"{\\"scope\\"' in raw  # strings, as Go writes them
    assert from_mediator(raw) == A1PolicyRequest(operation=operation, policy_type_id=21101,
                                                 policy_instance_id=POLICY_ID, payload=URLLC_SLA)


def test_the_mediators_delete_and_html_escapes_are_read():
    delete = from_mediator(mediator_policy_message(21101, POLICY_ID, None, "DELETE"))
    assert (delete.operation, delete.payload) == ("DELETE", {})
    text = {"text": "keep URLLC latency < 10 ms & eMBB > 5 Mbps"}
    raw = mediator_policy_message(21901, "p-1", text, "CREATE")
    assert b"\\\\u003c" in raw and from_mediator(raw).payload == text


@pytest.mark.parametrize("payload,field", [
    ({"policy_type_id": 21101, "policy_instance_id": "p", "handler_id": "x", "status": "OK", "reason": "?"}, "reason"),
    ({"policy_type_id": "ORAN?", "policy_instance_id": "p", "handler_id": "x", "status": "OK"}, "policy_type_id"),
    ({"policy_type_id": 0, "policy_instance_id": "p", "handler_id": "x", "status": "OK"}, "policy_type_id"),
    ({"policy_type_id": True, "policy_instance_id": "p", "handler_id": "x", "status": "OK"}, "policy_type_id"),
])
def test_responses_outside_the_contract_are_refused(payload, field):
    with pytest.raises(ValidationError, match=field):
        decode({"mtype": messages.A1_POLICY_RESP, "payload": payload})


def test_requests_outside_the_contract_are_refused():
    for bad in ({"operation": "QUERY", "policy_type_id": 1, "policy_instance_id": "p", "payload": {}},
                {"operation": "CREATE", "policy_type_id": 1, "policy_instance_id": "p"},
                {"operation": "CREATE", "policy_type_id": 1, "policy_instance_id": "p", "payload": "{not json"}):
        with pytest.raises(ValidationError):
            decode({"mtype": messages.A1_POLICY_REQ, "payload": bad})


def test_ranpilots_a1_messages_are_what_the_mediator_parses(contract):
    request = A1PolicyRequest(operation="CREATE", policy_type_id="ORAN_SliceSLATarget_4.0.1",
                              policy_instance_id=POLICY_ID, payload=URLLC_SLA)
    conforms(contract, "downstream_message_schema", encode(request)["payload"])
    assert encode(request)["payload"]["policy_type_id"] == 21101  # the documented mapping
    query = encode(A1PolicyQuery(policy_type_id=21101))
    assert query["mtype"] == 20012
    conforms(contract, "policy_query_schema", query["payload"])
    assert mediator_reads_query(json.dumps(query["payload"]).encode()) == 21101


def test_a_policy_from_the_mediator_is_enforced_and_answered_as_it_parses(contract, tmp_path):
    stack = ranpilot_stack(Network(NetworkConfig(num_ues=210), seed=1), Settings(data_dir=tmp_path),
                           with_knowledge=False)
    replies = []
    for type_id, pid, body in [(21101, POLICY_ID, URLLC_SLA), (12345678, "example", {"enforce": True})]:
        reply = encode(stack.runtime.a1(from_mediator(mediator_policy_message(type_id, pid, body, "CREATE"))))
        assert reply["mtype"] == 20011
        conforms(contract, "downstream_notification_schema", reply["payload"])
        replies.append(mediator_reads_response(json.dumps(reply["payload"], separators=(",", ":")).encode()))
    assert replies == [(21101, POLICY_ID, "ranpilot", "OK"), (12345678, "example", "ranpilot", "ERROR")]
    assert stack.xapp.status(POLICY_ID).enforceStatus == "ENFORCED"
    unknown = stack.xapp.status("example")
    assert (unknown.enforceReason, unknown.detail) == ("STATEMENT_NOT_APPLICABLE", "unknown policy type id 12345678")
    deleted = stack.runtime.a1(from_mediator(mediator_policy_message(21101, POLICY_ID, None, "DELETE")))
    assert deleted.status == "DELETED" and not stack.xapp.status(POLICY_ID).acted


def test_message_types_match_rmr_and_extensions_sit_in_its_application_range():
    header = shared_path("standards", "RIC_message_types.h").read_text()
    defined = {name: int(number) for name, number in re.findall(r"#define\s+(\w+)\s+(-?\d+)", header)}
    standard = {"RIC_INDICATION", "RIC_CONTROL_REQ", "RIC_CONTROL_ACK", "RIC_CONTROL_FAILURE", "RIC_SUB_REQ",
                "RIC_SUB_RESP", "RIC_SUB_FAILURE", "A1_POLICY_REQ", "A1_POLICY_RESP", "A1_POLICY_QUERY",
                "RIC_E2_SETUP_REQ", "RIC_E2_SETUP_RESP", "RIC_E2_SETUP_FAILURE"}
    assert {name: getattr(messages, name) for name in standard} == {name: defined[name] for name in standard}
    extensions = set(messages.MESSAGE_TYPES) - {defined[name] for name in standard}
    assert len(extensions) == 6 and all(30000 <= mtype <= 39999 for mtype in extensions)
    assert not extensions & set(defined.values())  # no number RMR assigns to another application
