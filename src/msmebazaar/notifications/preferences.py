"""Which channels a user hears of each kind on, and the daily digest (DESIGN.md §3).
Defaults live in `kinds.DEFAULTS`; a stored choice overrides one kind on one channel."""

from __future__ import annotations

import uuid

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal
from msmebazaar.notifications.kinds import DEFAULTS, Channel, Kind
from msmebazaar.notifications.models import ChannelChoice, DigestChoice, Notification
from msmebazaar.notifications.schemas import KindChannels, PreferencesRead, PreferencesUpdate
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import dialect_insert, utcnow


def email_available(settings: Settings) -> bool:
    """Whether this platform sends email: with an SMTP server, or printed in development."""
    return settings.notify.smtp_url is not None or not settings.is_production


async def _choices(session: AsyncSession, user_id: uuid.UUID) -> dict[Kind, dict[Channel, bool]]:
    chosen = {kind: dict(channels) for kind, channels in DEFAULTS.items()}
    rows = await session.scalars(select(ChannelChoice).where(ChannelChoice.user_id == user_id))
    for row in rows:
        if row.kind in Kind.__members__.values() and row.channel in Channel.__members__.values():
            chosen[Kind(row.kind)][Channel(row.channel)] = row.enabled
    return chosen


async def channels_for(session: AsyncSession, user_id: uuid.UUID, kind: Kind) -> set[Channel]:
    """The channels besides the inbox the user hears of `kind` on."""
    return {channel for channel, on in (await _choices(session, user_id))[kind].items() if on}


async def digest_enabled(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """Whether the user takes a daily digest instead of one message per notification."""
    enabled = await session.scalar(
        select(DigestChoice.enabled).where(DigestChoice.user_id == user_id)
    )
    return bool(enabled)


async def preferences_of(
    session: AsyncSession, user: Principal, settings: Settings
) -> PreferencesRead:
    """The user's channels per kind and their digest choice."""
    chosen = await _choices(session, user.id)
    return PreferencesRead(
        kinds={
            kind: KindChannels(
                sms=channels[Channel.SMS],
                whatsapp=channels[Channel.WHATSAPP],
                email=channels[Channel.EMAIL],
            )
            for kind, channels in chosen.items()
        },
        digest=await digest_enabled(session, user.id),
        email_address=user.user.email,
        email_available=email_available(settings),
    )


async def _choose_digest(session: AsyncSession, user_id: uuid.UUID, enabled: bool) -> None:
    """Turn the digest on or off. Turned on, it covers what comes from now on (not what the
    user already heard of one by one); turned off, what it had not sent yet stays in the inbox."""
    now = utcnow()
    was_on = await digest_enabled(session, user_id)
    values: dict[str, object] = {"enabled": enabled, "updated_at": now}
    if enabled and not was_on:
        newest = await session.scalar(
            select(func.max(Notification.seq)).where(Notification.user_id == user_id)
        )
        values |= {"digested_seq": int(newest or 0), "sent_at": now}
    await session.execute(
        dialect_insert(session, DigestChoice)
        .values(user_id=user_id, **({"sent_at": now, "digested_seq": 0} | values))
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
    )


async def update_preferences(
    session: AsyncSession, user: Principal, body: PreferencesUpdate, settings: Settings
) -> PreferencesRead:
    """Change some channels and the digest; what is left out stays. Each choice is its own row,
    written as an upsert, so two changes at once to different kinds both hold."""
    now = utcnow()
    for kind, update in body.kinds.items():
        for channel, enabled in update.changes().items():
            values = {"user_id": user.id, "kind": kind.value, "channel": channel.value}
            await session.execute(
                dialect_insert(session, ChannelChoice)
                .values(**values, enabled=enabled, updated_at=now)
                .on_conflict_do_update(
                    index_elements=["user_id", "kind", "channel"],
                    set_={"enabled": enabled, "updated_at": now},
                )
            )
    if body.digest is not None:
        await _choose_digest(session, user.id, body.digest)
    return await preferences_of(session, user, settings)
