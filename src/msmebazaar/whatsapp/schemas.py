"""WhatsApp request and response schemas (DESIGN.md §3 "WhatsApp")."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field


class SimulateRequest(BaseModel):
    """One message as a WhatsApp user would send it."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    sender: str = Field(
        alias="from",
        min_length=6,
        max_length=32,
        description="The sender's phone, e.g. `+919876543210` (an Indian mobile may omit +91).",
        examples=["+919876543210"],
    )
    text: str = Field(min_length=1, max_length=4096, examples=["Hi"])


class OptionRead(BaseModel):
    id: str = Field(description="What comes back when the option is tapped.")
    title: str
    description: str | None = None


class ReplyRead(BaseModel):
    """One message of the bot."""

    kind: Literal["text", "buttons", "list", "template"]
    body: str
    options: list[OptionRead] = Field(default_factory=list)
    text: str = Field(description="The message as plain text, options numbered.")


class SimulateResult(BaseModel):
    replies: list[ReplyRead]
    step: str | None = Field(description="Where the conversation is now.")


class WebhookReceipt(BaseModel):
    """What a webhook call carried: new messages stored, retries already seen, statuses."""

    received: int
    duplicates: int
    statuses: int
    ignored: int = 0
