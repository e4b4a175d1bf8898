"""E2 Setup's messages (E2AP 9.1.2.1-9.1.2.3, RMR 12001-12003) in ranpilot's message vocabulary
(`ranpilot.oran.messages`), on the JSON wire as they are; `ranpilot.oran.e2.asn1.setup` maps them
to and from E2AP PDUs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from ranpilot.oran.message_base import Message


class RanFunction(Message):
    """A RAN function an E2 node offers (E2AP 9.2.23) and what its E2SM RAN function definition
    says that ranpilot reads: KPM REPORT styles with their measurement names, RC CONTROL styles with
    their control action ids. `problem`: why a (foreign) definition could not be read."""

    ranFunctionId: int = Field(ge=0, le=4095)
    oid: str = Field(min_length=1, max_length=1000)
    revision: int = Field(default=0, ge=0, le=4095)
    shortName: str = ""
    reportStyles: dict[int, list[str]] = Field(default_factory=dict)
    controlStyles: dict[int, list[int]] = Field(default_factory=dict)
    problem: str = ""


class E2Cause(Message):
    """An E2AP cause (9.2.1): its group and value, as the specification spells them."""

    group: Literal["ricRequest", "ricService", "e2Node", "transport", "protocol", "misc"]
    value: str


class E2SetupRequest(Message):
    """E2AP 9.1.2.1: sent by the E2 node when a connection to the RIC is up."""

    transactionId: int = Field(ge=0, le=255)
    plmn: str = Field(pattern="^[0-9a-f]{6}$", description="PLMN identity, hex")
    gnbId: int | None = Field(default=None, ge=0, description="22-bit gNB ID; None for another kind of node")
    ranFunctions: list[RanFunction] = Field(min_length=1, max_length=256)
    components: list[str] = Field(min_length=1, description="E2 node component interface types")


class RejectedRanFunction(Message):
    ranFunctionId: int = Field(ge=0, le=4095)
    cause: E2Cause


class E2SetupResponse(Message):
    """E2AP 9.1.2.2: the RAN functions the RIC accepted (with their revision) and rejected."""

    transactionId: int = Field(ge=0, le=255)
    ricId: int = Field(ge=0, lt=2**20)
    accepted: dict[int, int] = Field(default_factory=dict, description="RAN function id -> revision")
    rejected: list[RejectedRanFunction] = Field(default_factory=list)
    components: list[str] = Field(min_length=1, description="the node's components, acknowledged")


class E2SetupFailure(Message):
    """E2AP 9.1.2.3: the RIC refuses the node's setup."""

    transactionId: int = Field(ge=0, le=255)
    cause: E2Cause
