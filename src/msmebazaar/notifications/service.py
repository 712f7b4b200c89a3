"""The notifications service's public face: what its router, the portal and other services call
(each operation takes the acting principal and touches only that user's notifications)."""

from __future__ import annotations

from msmebazaar.notifications.broker import Broker
from msmebazaar.notifications.digest import DigestLoop, send_digests
from msmebazaar.notifications.inbox import (
    list_notifications,
    mark_all_read,
    mark_read,
    unread_count,
)
from msmebazaar.notifications.kinds import DEFAULTS, Channel, Kind
from msmebazaar.notifications.preferences import preferences_of, update_preferences
from msmebazaar.notifications.quiet import is_quiet, release_time
from msmebazaar.notifications.schemas import (
    KindChannels,
    KindChannelsUpdate,
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    ReadAllResult,
)
from msmebazaar.notifications.stream import NotificationStream, resume_after, stream_response
from msmebazaar.shared.runtime import Runtime


def broker_of(runtime: Runtime) -> Broker:
    """This process's broker of live streams (built once, on the configured Redis if any)."""
    return runtime.part(Broker, lambda: Broker.from_settings(runtime.settings))


__all__ = [
    "DEFAULTS",
    "Broker",
    "Channel",
    "DigestLoop",
    "Kind",
    "KindChannels",
    "KindChannelsUpdate",
    "NotificationRead",
    "NotificationStream",
    "PreferencesRead",
    "PreferencesUpdate",
    "ReadAllResult",
    "broker_of",
    "is_quiet",
    "list_notifications",
    "mark_all_read",
    "mark_read",
    "preferences_of",
    "release_time",
    "resume_after",
    "send_digests",
    "stream_response",
    "unread_count",
    "update_preferences",
]
