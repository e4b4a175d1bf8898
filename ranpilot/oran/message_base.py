"""The base of every O-RAN message model (`ranpilot.oran.messages`): unknown fields are refused."""

from pydantic import BaseModel, ConfigDict


class Message(BaseModel):
    model_config = ConfigDict(extra="forbid")
