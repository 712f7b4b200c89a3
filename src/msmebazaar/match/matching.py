"""Ranked, explained matches both ways: listings for a mandate, mandates for a listing."""

from __future__ import annotations

import asyncio
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

import numpy as np
from prometheus_client import Histogram
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.auth.service import Principal, UserRole, get_user
from msmebazaar.match.config import MatchSettings
from msmebazaar.match.embedders import Embedder, Vectors, text_hash
from msmebazaar.match.engine import (
    ListingTable,
    MandateTable,
    MandateTerms,
    Scores,
    ScoringParams,
    explain,
    grade,
    hard_filters,
    score_pairs,
    top,
)
from msmebazaar.match.engine.tables import take_positions
from msmebazaar.match.index import IndexSnapshot, ListingIndex
from msmebazaar.match.mandates import active_mandates, load_mandate, terms_of, thesis_text
from msmebazaar.match.models import LISTING, MANDATE, Mandate
from msmebazaar.match.schemas import BuyerCard, Grade, ListingMatch, MandateCard, MandateMatch
from msmebazaar.match.served import count_served
from msmebazaar.match.vectors import current_vectors, from_bytes, load_vectors
from msmebazaar.msme.service import ListingFacts, listing_facts, public_listing_cards
from msmebazaar.shared.exceptions import NotFoundError, PermissionDeniedError
from msmebazaar.shared.metrics import REGISTRY, counter
from msmebazaar.shared.session_source import SessionSource

MATCH_REQUESTS = counter(
    "match_requests_total", "Match rankings served, by direction.", ("direction",)
)
MATCH_DURATION = Histogram(
    "match_duration_seconds",
    "Time to rank matches (index refresh, scoring, cards), by direction.",
    ["direction"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.5, 5.0),
    registry=REGISTRY,
)


# Mandate vectors by (provider, id, text hash): a changed thesis has a new key, so an entry is
# never stale, and a repeated ranking of the same mandate skips a query.
_MANDATE_CACHE_SIZE = 10_000
_MANDATE_VECTORS: dict[tuple[str, uuid.UUID, str], Vectors] = {}


class ListingNotFoundError(NotFoundError):
    default_code = "LISTING_NOT_FOUND"
    default_message = "No such listing."


def scoring_params(settings: MatchSettings, embedder: Embedder) -> ScoringParams:
    """The engine's parameters from the settings, this year and the embedder's cosine range."""
    return ScoringParams(
        weights=settings.weights(),
        ticket_tolerance=settings.ticket_tolerance,
        current_year=datetime.now(UTC).year,
        semantic_range=embedder.semantic_range,
    )


async def mandate_vector(
    database: SessionSource, embedder: Embedder, mandate: Mandate, *, reader: AsyncSession
) -> Vectors | None:
    """The mandate's current thesis vector (embedded and stored now if missing); `None` without
    a thesis. A missing vector is stored in a short unit of work of its own (`current_vectors`),
    never through the request's read-only session."""
    text = thesis_text(mandate)
    if not text:
        return None
    key = (embedder.provider, mandate.id, text_hash(text))
    cached = _MANDATE_VECTORS.get(key)
    if cached is not None:
        return cached
    rows = await current_vectors(database, MANDATE, embedder, [(mandate.id, text)], reader=reader)
    if len(_MANDATE_VECTORS) >= _MANDATE_CACHE_SIZE:
        _MANDATE_VECTORS.clear()
    vector: Vectors = rows[0]
    _MANDATE_VECTORS[key] = vector
    return vector


@dataclass(frozen=True, slots=True)
class RankedListing:
    """One listing's place in a mandate's ranking: everything but its card."""

    listing_id: uuid.UUID
    score: float
    grade: Grade
    breakdown: dict[str, float]
    reasons: list[str]


def _rank(
    index: IndexSnapshot,
    terms: MandateTerms,
    query: Vectors | None,
    params: ScoringParams,
    *,
    limit: int,
    language: str,
) -> list[RankedListing]:
    """The best `limit` listings of an index snapshot for a mandate: pure computation, so it
    runs off the event loop (NumPy releases the GIL for most of it)."""
    table, mandates = index.table, MandateTable.of([terms])
    # Only listings passing the hard filters are scored: the similarity and every criterion
    # then cost in proportion to the candidates, not to all 100,000 listings.
    rows = np.flatnonzero(hard_filters(mandates, 0, table, slice(None), params))
    candidates = take_positions(table, rows)
    cosine = index.cosine(query, rows)
    scores = score_pairs(mandates, 0, candidates, slice(None), cosine=cosine, params=params)
    ranked = []
    for position in top(scores, limit):
        listing_id = table.ids[int(rows[position])]
        breakdown = scores.breakdown(position)
        score, grade_name = _scored(scores, position)
        reasons = explain(terms, index.facts[listing_id], breakdown, language, params)
        ranked.append(RankedListing(listing_id, score, grade_name, breakdown, reasons))
    return ranked


async def rank_listings(
    session: AsyncSession,
    database: SessionSource,
    index: ListingIndex,
    user: Principal,
    mandate_id: uuid.UUID,
    *,
    limit: int,
    language: str,
    settings: MatchSettings,
) -> list[ListingMatch]:
    """The best active listings for a mandate of the caller, with scores, reasons and cards."""
    started = time.perf_counter()
    await index.refresh(database)
    mandate = await load_mandate(session, user, mandate_id)
    params = scoring_params(settings, index.embedder)
    # A ranking depends only on the mandate (its version), the index (its generation), the
    # parameters and the language: a buyer reopening their matches is served the computed one.
    snapshot = index.snapshot()
    key = (mandate.id, mandate.version, _params_key(params), limit, language)
    ranked = snapshot.rankings.get(key)
    if ranked is None:
        query = await mandate_vector(database, index.embedder, mandate, reader=session)
        rank = partial(_rank, snapshot, terms_of(mandate), query, params)
        ranked = await asyncio.to_thread(rank, limit=limit, language=language)
        snapshot.rankings.put(key, ranked)
    # Cards are read now, not kept: a listing closed or hidden since the ranking drops out.
    cards = await public_listing_cards(session, [item.listing_id for item in ranked])
    matches = [
        ListingMatch(
            score=item.score,
            grade=item.grade,
            breakdown=item.breakdown,
            reasons=item.reasons,
            listing=cards[item.listing_id],
        )
        for item in ranked
        if item.listing_id in cards
    ]
    _observe("mandate", started)
    count_served(session, "mandate", len(matches))
    return matches


def _params_key(params: ScoringParams) -> tuple[object, ...]:
    """What of the parameters a cached ranking depends on, hashable."""
    weights = tuple(sorted(params.weights.items()))
    return weights, params.ticket_tolerance, params.current_year, params.semantic_range


def _scored(scores: Scores, position: int) -> tuple[float, Grade]:
    score = float(scores.total[position])
    return score, Grade(grade(score) or "fair")


def _observe(direction: str, started: float) -> None:
    MATCH_REQUESTS.labels(direction).inc()
    MATCH_DURATION.labels(direction).observe(time.perf_counter() - started)


async def _visible_listing(
    session: AsyncSession, user: Principal, listing_id: uuid.UUID
) -> ListingFacts:
    facts = await listing_facts(session, listing_id)
    if facts is None:
        raise ListingNotFoundError()
    if user.role == UserRole.ADMIN or facts.owner_id == user.id:
        return facts
    if facts.status == "active":  # public, but only its owner may see who matches it
        raise PermissionDeniedError(
            "Only the listing's owner or an admin may see its matches.", code="MATCH_FORBIDDEN"
        )
    raise ListingNotFoundError()


async def score_mandates(
    session: AsyncSession,
    facts: ListingFacts,
    listing_vector: Vectors,
    mandates: list[Mandate],
    *,
    params: ScoringParams,
    provider: str,
) -> Scores:
    """Score one listing against many mandates (the seller's view and notifications)."""
    stored = await load_vectors(session, MANDATE, provider, [m.id for m in mandates])
    cosine = np.full(len(mandates), np.nan)
    for row, mandate in enumerate(mandates):
        hit = stored.get(mandate.id)
        if hit is not None and len(hit[1]) == listing_vector.nbytes:
            cosine[row] = float(from_bytes(hit[1], len(hit[1]) // 4) @ listing_vector)
    table = MandateTable.of([terms_of(mandate) for mandate in mandates])
    return score_pairs(
        table, slice(None), ListingTable.of([facts]), 0, cosine=cosine, params=params
    )


async def listing_vector_of(
    database: SessionSource,
    embedder: Embedder,
    facts: ListingFacts,
    *,
    reader: AsyncSession | None = None,
) -> Vectors:
    """The listing's current vector (stored, or embedded and stored now, in its own unit of
    work like `mandate_vector`)."""
    rows = await current_vectors(
        database, LISTING, embedder, [(facts.id, facts.text)], reader=reader
    )
    vector: Vectors = rows[0]
    return vector


async def _mandate_card(session: AsyncSession, mandate: Mandate) -> MandateCard:
    buyer = None
    if mandate.public_profile:
        owner = await get_user(session, mandate.owner_id)
        buyer = BuyerCard(id=owner.id, name=owner.name, role=owner.role.value)
    return MandateCard(
        id=mandate.id,
        title=mandate.title,
        deal_types=mandate.deal_types,
        sectors=mandate.sectors,
        states=mandate.states,
        ticket_min=mandate.ticket_min,
        ticket_max=mandate.ticket_max,
        revenue_min=mandate.revenue_min,
        revenue_max=mandate.revenue_max,
        stake_min=mandate.stake_min,
        stake_max=mandate.stake_max,
        thesis=mandate.thesis if mandate.public_profile else None,
        buyer=buyer,
    )


async def rank_mandates(
    session: AsyncSession,
    database: SessionSource,
    user: Principal,
    listing_id: uuid.UUID,
    *,
    embedder: Embedder,
    limit: int,
    language: str,
    settings: MatchSettings,
) -> list[MandateMatch]:
    """The best active mandates for a listing of the caller; none unless the listing is active."""
    started = time.perf_counter()
    facts = await _visible_listing(session, user, listing_id)
    matches: list[MandateMatch] = []
    mandates = [m for m in await active_mandates(session) if m.owner_id != facts.owner_id]
    if facts.status == "active" and mandates:
        params = scoring_params(settings, embedder)
        vector = await listing_vector_of(database, embedder, facts, reader=session)
        scores = await score_mandates(
            session, facts, vector, mandates, params=params, provider=embedder.provider
        )
        for position in top(scores, limit):
            mandate, breakdown = mandates[position], scores.breakdown(position)
            score, grade_name = _scored(scores, position)
            matches.append(
                MandateMatch(
                    score=score,
                    grade=grade_name,
                    breakdown=breakdown,
                    reasons=explain(terms_of(mandate), facts, breakdown, language, params),
                    mandate=await _mandate_card(session, mandate),
                )
            )
    _observe("listing", started)
    count_served(session, "listing", len(matches))
    return matches
