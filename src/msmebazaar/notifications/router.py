"""Notification endpoints (DESIGN.md §3 "Notifications"): the inbox, marking read, the live
stream and the channel preferences — all of the caller's own."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Header, Path, Query
from sse_starlette import EventSourceResponse

from msmebazaar.auth.service import CurrentUser, TokenOrCookieUser
from msmebazaar.notifications import inbox, preferences
from msmebazaar.notifications.schemas import (
    NotificationRead,
    PreferencesRead,
    PreferencesUpdate,
    ReadAllResult,
)
from msmebazaar.notifications.service import (
    NotificationStream,
    broker_of,
    resume_after,
    stream_response,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import PageDep, page_response
from msmebazaar.shared.responses import DataResponse, ListResponse, error_responses, ok
from msmebazaar.shared.runtime import RuntimeDep

router = APIRouter(prefix="/notifications", tags=["notifications"])

NotificationIdPath = Annotated[uuid.UUID, Path(description="The notification's id.")]


@router.get("", response_model=ListResponse[NotificationRead], responses=error_responses(401))
async def list_notifications(
    session: SessionDep,
    user: CurrentUser,
    page: PageDep,
    unread: Annotated[
        bool | None, Query(description="true: only unread; false: only read; absent: all.")
    ] = None,
) -> ListResponse[NotificationRead]:
    """Your notifications, newest first."""
    items, total = await inbox.list_notifications(session, user, page, unread=unread)
    return page_response(items, total=total, params=page)


@router.post(
    "/read-all", response_model=DataResponse[ReadAllResult], responses=error_responses(401)
)
async def read_all(session: SessionDep, user: CurrentUser) -> DataResponse[ReadAllResult]:
    """Mark all your notifications read."""
    return ok(await inbox.mark_all_read(session, user))


@router.get(
    "/stream",
    response_class=EventSourceResponse,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "Server-Sent Events: `unread` first, then a `notification` event "
            "(id: its `seq`) for each new notification; a comment line while idle.",
        },
        **error_responses(401, 429, 503),
    },
)
async def stream(
    user: TokenOrCookieUser,
    runtime: RuntimeDep,
    last_event_id: Annotated[
        str | None,
        Header(description="Resume after this event id (browsers send it on reconnecting)."),
    ] = None,
) -> EventSourceResponse:
    """Your new notifications as they happen, from any app process (bearer token or the
    portal's session cookie)."""
    settings = runtime.settings.notify
    live = NotificationStream(runtime, broker_of(runtime), user, resume_after(last_event_id))
    return stream_response(live, settings.heartbeat_seconds)


@router.get(
    "/preferences", response_model=DataResponse[PreferencesRead], responses=error_responses(401)
)
async def get_preferences(
    session: SessionDep, user: CurrentUser, runtime: RuntimeDep
) -> DataResponse[PreferencesRead]:
    """Where you hear of each kind of notification besides the inbox, and the daily digest."""
    return ok(await preferences.preferences_of(session, user, runtime.settings))


@router.patch(
    "/preferences",
    response_model=DataResponse[PreferencesRead],
    responses=error_responses(401, 422),
)
async def patch_preferences(
    body: PreferencesUpdate, session: SessionDep, user: CurrentUser, runtime: RuntimeDep
) -> DataResponse[PreferencesRead]:
    """Turn channels on or off per kind, or the daily digest; what you leave out stays."""
    return ok(await preferences.update_preferences(session, user, body, runtime.settings))


@router.post(
    "/{notification_id}/read",
    response_model=DataResponse[NotificationRead],
    responses=error_responses(401, 404),
)
async def read_one(
    notification_id: NotificationIdPath, session: SessionDep, user: CurrentUser
) -> DataResponse[NotificationRead]:
    """Mark one of your notifications read."""
    return ok(await inbox.mark_read(session, user, notification_id))
