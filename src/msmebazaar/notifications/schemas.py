"""The notifications API's shapes (DESIGN.md §3 "Notifications")."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

from msmebazaar.notifications.kinds import Channel, Kind


class NotificationRead(BaseModel):
    """Something that happened that concerns you, in your language, with where to see it."""

    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    kind: Kind
    title: str
    body: str
    link: str = Field(description="A path in the portal, such as `/deals/{id}`.")
    read: bool
    created_at: datetime
    seq: int = Field(
        description="Its place in your notifications, as the stream's event id: "
        "`Last-Event-ID` resumes after it."
    )


class UnreadCount(BaseModel):
    unread: int = Field(ge=0, description="Notifications you have not read.")


class ReadAllResult(BaseModel):
    marked: int = Field(ge=0, description="Notifications marked read now.")
    unread: int = Field(ge=0)


class KindChannels(BaseModel):
    """One kind's channels besides the in-app inbox (always on)."""

    sms: bool
    whatsapp: bool
    email: bool


class PreferencesRead(BaseModel):
    """Per kind, where you hear of it besides the inbox; and whether the phone and email get one
    digest a day (at 08:00 India time) instead of one message each."""

    kinds: dict[Kind, KindChannels]
    digest: bool
    quiet_hours: str = Field(
        "22:00-08:00 Asia/Kolkata",
        description="SMS, WhatsApp and email due in these hours wait until 08:00.",
    )
    email_address: str | None = Field(
        description="Where email goes (your account's); null: no email is sent."
    )
    email_available: bool = Field(description="Whether this platform sends email at all.")


class KindChannelsUpdate(BaseModel):
    """Channels to change for one kind; those left out stay as they are."""

    model_config = ConfigDict(extra="forbid")

    sms: bool | None = None
    whatsapp: bool | None = None
    email: bool | None = None

    def changes(self) -> dict[Channel, bool]:
        """The channels this update sets, and to what."""
        given = self.model_dump(exclude_none=True)
        return {Channel(name): value for name, value in given.items()}


class PreferencesUpdate(BaseModel):
    """What to change; anything left out stays as it is."""

    model_config = ConfigDict(extra="forbid")

    kinds: dict[Kind, KindChannelsUpdate] = Field(default_factory=dict)
    digest: bool | None = None
