"""Reactions to listing events: re-embed the listing, refresh the indexes, and tell mandate
owners about a new active listing that matches them — once per owner and listing, through the
outbox (a row in `match_notifications` remembers who was told)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import get_user
from msmebazaar.match.config import MatchSettings
from msmebazaar.match.embedders import Embedder, Vectors
from msmebazaar.match.engine import grade
from msmebazaar.match.mandates import active_mandates
from msmebazaar.match.matching import listing_vector_of, score_mandates, scoring_params
from msmebazaar.match.models import Mandate, MatchNotification
from msmebazaar.match.texts import REASONS
from msmebazaar.msme.service import ListingChanged, ListingFacts, listing_facts
from msmebazaar.shared.exceptions import NotFoundError
from msmebazaar.shared.outbox import enqueue
from msmebazaar.shared.session_source import SessionSource


async def react_to_listing(
    event: ListingChanged, database: SessionSource, settings: MatchSettings, embedder: Embedder
) -> None:
    """A listing changed: store its vector, and notify mandate owners when it went active."""
    async with database.read_session() as session:
        facts = await listing_facts(session, event.listing_id)
    if facts is None:
        return
    vector = await listing_vector_of(database, embedder, facts)
    if facts.status != "active":
        return
    # Score on a read snapshot; only the messages take the writer (on SQLite, the one writer).
    async with database.read_session() as session:
        best = await best_mandates(session, facts, vector, settings, embedder)
    if best:
        async with database.session("notify mandate owners") as session:
            await notify_mandate_owners(session, facts, best)


def _best_per_owner(
    mandates: list[Mandate], totals: list[float], floor: float
) -> dict[uuid.UUID, tuple[Mandate, float]]:
    best: dict[uuid.UUID, tuple[Mandate, float]] = {}
    for mandate, total in zip(mandates, totals, strict=True):
        if total >= floor and total > best.get(mandate.owner_id, (mandate, -1.0))[1]:
            best[mandate.owner_id] = (mandate, total)
    return best


async def best_mandates(
    session: AsyncSession,
    facts: ListingFacts,
    vector: Vectors,
    settings: MatchSettings,
    embedder: Embedder,
) -> dict[uuid.UUID, tuple[Mandate, float]]:
    """Per mandate owner, their best active mandate scoring at least the notify floor."""
    mandates = [m for m in await active_mandates(session) if m.owner_id != facts.owner_id]
    if not mandates:
        return {}
    params = scoring_params(settings, embedder)
    scores = await score_mandates(
        session, facts, vector, mandates, params=params, provider=embedder.provider
    )
    totals = [float(t) if ok else -1.0 for t, ok in zip(scores.total, scores.passed, strict=True)]
    return _best_per_owner(mandates, totals, settings.notify_min_score)


async def notify_mandate_owners(
    session: AsyncSession, facts: ListingFacts, best: dict[uuid.UUID, tuple[Mandate, float]]
) -> int:
    """Enqueue one message per owner in `best` (from `best_mandates`) not yet told; how many."""
    told = set(
        await session.scalars(
            select(MatchNotification.owner_id).where(MatchNotification.listing_id == facts.id)
        )
    )
    sent = 0
    for owner_id, (mandate, score) in best.items():
        if owner_id in told:
            continue
        if await _notify(session, mandate, facts, score):
            sent += 1
    return sent


async def _notify(
    session: AsyncSession, mandate: Mandate, facts: ListingFacts, score: float
) -> bool:
    try:
        owner = await get_user(session, mandate.owner_id)
    except NotFoundError:
        return False
    try:
        async with session.begin_nested():
            session.add(
                MatchNotification(
                    owner_id=owner.id, listing_id=facts.id, mandate_id=mandate.id, score=score
                )
            )
    except IntegrityError:  # another process told this owner first
        return False
    body = REASONS.text(
        "notify.new_listing",
        owner.language.value,
        title=mandate.title,
        grade=grade(score) or "fair",
        score=round(score),
        headline=facts.headline,
    )
    enqueue(session, "sms", owner.phone, body, template="match_new_listing")
    return True
