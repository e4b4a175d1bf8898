"""A1 messages between the A1 mediator and an xApp, exactly as the ric-plt-a1 contract
(`a1_xapp_contract_openapi.yaml`) defines them: an integer `policy_type_id` (ranpilot's type names
map to integers in `ranpilot.oran.a1.types.TYPE_IDS`), no field beyond the contract's. Read
leniently as the mediator's Go code writes them: `payload` as a JSON string (empty for DELETE) and
`policy_type_id` as a decimal string; a type name is read as its integer id too (for `xapp run
--policies` files). Their RMR message types are in `ranpilot.oran.messages`."""

from __future__ import annotations

import json
from typing import Annotated, Any, Literal

from pydantic import BeforeValidator, Field

from ranpilot.oran.a1.types import TYPE_IDS
from ranpilot.oran.message_base import Message


def _type_number(value: object) -> object:
    """A policy type id as an integer: a decimal string (the mediator's Go code marshals a
    map[string]string) or a ranpilot type name (through TYPE_IDS) is read as its number."""
    if isinstance(value, str):
        return int(value) if value.isdecimal() else TYPE_IDS.get(value, value)
    return value


def _json_object(value: object) -> object:
    """A policy body as an object: the mediator sends it as a JSON string ("" for DELETE)."""
    if isinstance(value, str):
        try:
            return json.loads(value) if value.strip() else {}
        except ValueError as exc:
            raise ValueError(f"payload is a string that is not JSON: {exc}") from None
    return value


PolicyTypeId = Annotated[int, Field(ge=1, le=2**31 - 1, strict=True), BeforeValidator(_type_number)]


class A1PolicyRequest(Message):
    operation: Literal["CREATE", "UPDATE", "DELETE"]
    policy_type_id: PolicyTypeId
    policy_instance_id: str
    payload: Annotated[dict[str, Any], BeforeValidator(_json_object)]


class A1PolicyResponse(Message):
    policy_type_id: PolicyTypeId
    policy_instance_id: str
    handler_id: str
    status: Literal["OK", "ERROR", "DELETED"]


class A1PolicyQuery(Message):
    """Sent by an xApp: the mediator answers with an A1_POLICY_REQ CREATE per instance of the type."""

    policy_type_id: PolicyTypeId
