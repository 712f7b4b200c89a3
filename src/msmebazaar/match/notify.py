"""Reactions to listing events: re-embed the listing, refresh the indexes, and announce a new
active listing to the owners of mandates it matches at grade `good` or better — once per owner
and listing (a row in `match_notifications` remembers who was told); the notifications service
tells them (`ListingMatched`)."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.match.config import MatchSettings
from msmebazaar.match.embedders import Embedder, Vectors
from msmebazaar.match.engine import grade
from msmebazaar.match.events import ListingMatched, MandateMatched
from msmebazaar.match.mandates import active_mandates
from msmebazaar.match.matching import listing_vector_of, score_mandates, scoring_params
from msmebazaar.match.models import Mandate, MatchNotification
from msmebazaar.msme.service import ListingChanged, ListingFacts, listing_facts
from msmebazaar.shared.events import publish
from msmebazaar.shared.session_source import SessionSource

GOOD_MATCH = 60.0  # the score of grade `good`


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
    # Only `good` or better is news worth a message (DESIGN.md §3, `new_match`).
    return _best_per_owner(mandates, totals, max(settings.notify_min_score, GOOD_MATCH))


async def notify_mandate_owners(
    session: AsyncSession, facts: ListingFacts, best: dict[uuid.UUID, tuple[Mandate, float]]
) -> int:
    """Announce the listing to each owner in `best` (from `best_mandates`) not yet told of it
    (`ListingMatched`, delivered by the notifications service); how many."""
    told = set(
        await session.scalars(
            select(MatchNotification.owner_id).where(MatchNotification.listing_id == facts.id)
        )
    )
    matched = [
        MandateMatched(mandate.id, owner_id, mandate.title, round(score, 1), grade(score) or "")
        for owner_id, (mandate, score) in best.items()
        if owner_id not in told and await _remember(session, mandate, facts, score)
    ]
    if matched:
        publish(session, ListingMatched(facts.id, facts.headline, tuple(matched)))
    return len(matched)


async def _remember(
    session: AsyncSession, mandate: Mandate, facts: ListingFacts, score: float
) -> bool:
    """Record that the mandate's owner is told of the listing; `False` if they already were."""
    try:
        async with session.begin_nested():
            session.add(
                MatchNotification(
                    owner_id=mandate.owner_id,
                    listing_id=facts.id,
                    mandate_id=mandate.id,
                    score=score,
                )
            )
    except IntegrityError:  # another process told this owner first
        return False
    return True
