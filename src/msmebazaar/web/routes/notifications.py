"""Notification pages (DESIGN.md §3 "Notifications"): the inbox, newest first, all or only the
unread; opening one (a POST that marks it read, then its page); marking all read; and the
channels each kind reaches you on besides the inbox, with the daily digest. The bell in the
header (every page) is counted by `context.visit_of` and kept live by `static/bell.js`."""

from __future__ import annotations

from typing import Final
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import Response
from starlette.datastructures import FormData

from msmebazaar.notifications.schemas import KindChannelsUpdate, PreferencesUpdate
from msmebazaar.notifications.service import (
    Channel,
    Kind,
    list_notifications,
    mark_all_read,
    mark_read,
    preferences_of,
    update_preferences,
)
from msmebazaar.shared.db import SessionDep
from msmebazaar.shared.pagination import MAX_PAGE, PageParams
from msmebazaar.web.context import SignedInVisit, Visit, safe_next
from msmebazaar.web.forms import FormDep
from msmebazaar.web.pages import page_number, page_router, parse_id
from msmebazaar.web.security import CSRF_FIELD

router = page_router(prefix="/notifications")

PAGE_SIZE: Final = 20
SHOWS: Final = ("all", "unread")
DIGEST_FIELD: Final = "digest"
DIGEST_CHOICES: Final = {"on": True, "off": False}
CHECKED: Final = "on"
# The preferences form sends one checkbox per kind and channel, named `kind.channel`; a box left
# unchecked is absent, so every kind and channel the form does not send is turned off.
CHANNEL_FIELDS: Final = frozenset(
    f"{kind.value}.{channel.value}" for kind in Kind for channel in Channel
)


def _query(show: str, page: int) -> str:
    """The inbox's query string for `page`, keeping the filter."""
    return urlencode(({"show": show} if show != "all" else {}) | {"page": page})


@router.get("")
async def inbox_page(request: Request, visit: SignedInVisit, session: SessionDep) -> Response:
    """Your notifications, newest first (`?show=unread` for the unread ones only)."""
    raw = request.query_params.get("show", "all")
    show = raw if raw in SHOWS else "all"
    number = page_number(request.query_params.get("page"), MAX_PAGE)
    items, total = await list_notifications(
        session,
        visit.user,
        PageParams(number, PAGE_SIZE),
        unread=True if show == "unread" else None,
    )
    return visit.render(
        "notifications/list.html",
        items=items,
        total=total,
        show=show,
        shows=SHOWS,
        page_number=number,
        more=number * PAGE_SIZE < total,
        query_for=lambda page: _query(show, page),
    )


@router.post("/read-all")
async def read_all_page(visit: SignedInVisit, session: SessionDep, form: FormDep) -> Response:
    """Mark every notification read."""
    await mark_all_read(session, visit.user)
    return visit.redirect("/notifications", flash="flash.notifications_read")


@router.get("/preferences")
async def preferences_page(visit: SignedInVisit, session: SessionDep) -> Response:
    """Per kind, SMS, WhatsApp and email on or off; and one digest a day or each as it comes."""
    return await _preferences_form(visit, session)


@router.post("/preferences")
async def save_preferences_page(
    visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Save the whole table of channels (an unchecked box turns its channel off) and the digest."""
    update, error = _preferences_update(visit, form)
    if update is None:
        return await _preferences_form(visit, session, error=error, status=422)
    await update_preferences(session, visit.user, update, visit.settings)
    return visit.redirect(
        "/notifications/preferences", flash="flash.notification_preferences_saved"
    )


async def _preferences_form(
    visit: Visit, session: SessionDep, *, error: str | None = None, status: int = 200
) -> Response:
    preferences = await preferences_of(session, visit.user, visit.settings)
    return visit.render(
        "notifications/preferences.html",
        status=status,
        preferences=preferences,
        kinds=list(Kind),
        channels=list(Channel),
        error=error,
    )


def _preferences_update(visit: Visit, form: FormData) -> tuple[PreferencesUpdate | None, str]:
    """The full table the form sent, or why it cannot be read (an unknown field or value: a
    form from an older page, or not from ours)."""
    sent = {name for name in form if name not in (CSRF_FIELD, DIGEST_FIELD)}
    values = [value for name in sent for value in form.getlist(name)]
    if not sent <= CHANNEL_FIELDS or any(value != CHECKED for value in values):
        return None, visit.t("notification_prefs.unknown_choice")
    digest = form.get(DIGEST_FIELD)
    if not isinstance(digest, str) or digest not in DIGEST_CHOICES:
        return None, visit.t("form.choose")
    kinds = {
        kind: KindChannelsUpdate(
            **{channel.value: f"{kind.value}.{channel.value}" in sent for channel in Channel}
        )
        for kind in Kind
    }
    return PreferencesUpdate(kinds=kinds, digest=DIGEST_CHOICES[digest]), ""


@router.post("/{notification_id}/read")
async def open_notification_page(
    notification_id: str, visit: SignedInVisit, session: SessionDep, form: FormDep
) -> Response:
    """Mark one of your notifications read and go to what it is about (a page of ours only)."""
    notification = await mark_read(session, visit.user, parse_id(notification_id))
    return visit.redirect(safe_next(notification.link, "/notifications"))
