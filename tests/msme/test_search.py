"""GET /listings: public search of active listings, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import Select, and_, func, select, text, update
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

from msmebazaar.msme import search
from msmebazaar.msme.bands import BAND_EDGES, money_band_index
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.schemas.listings import ListingSearch
from msmebazaar.msme.search import REVENUE_BAND, search_terms
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.india import CRORE
from tests.auth.factories import Actor
from tests.databases import counted_queries
from tests.msme.factories import make_listing, make_msme

LISTINGS = "/api/v1/listings"


async def _ids(client: httpx.AsyncClient, query: str = "") -> list[str]:
    response = await client.get(f"{LISTINGS}{query}")
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["data"]]


async def _listing(database: Database, msme: Msme, **fields: Any) -> Listing:
    published_at = fields.pop("published_at", None)
    listing = await make_listing(database, msme, **fields)
    if published_at is not None:
        async with database.session() as session:
            stored = await session.get(Listing, listing.id)
            assert stored is not None
            stored.published_at = published_at
    return listing


@pytest.fixture
async def profile(database: Database, owner: Actor) -> Msme:
    return await make_msme(database, owner.id)


async def test_only_active_listings_are_found(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    active = await _listing(database, profile)
    for status in ("draft", "submitted", "rejected", "closed"):
        await _listing(database, profile, status=status)

    assert await _ids(client) == [str(active.id)]


async def test_filters_by_sector_state_deal_type_and_ranges(
    database: Database, client: httpx.AsyncClient, owner: Actor
) -> None:
    pune = await make_msme(database, owner.id)
    surat = await make_msme(
        database, owner.id, sector="textiles", state="Gujarat", city="Surat", gstin=None
    )
    a = await _listing(database, pune, asking_price=5 * 10**7, revenue=8 * 10**7)
    b = await _listing(
        database,
        surat,
        deal_type="stake_sale",
        stake_percent=40,
        asking_price=2 * 10**7,
        revenue=3 * 10**7,
    )

    assert await _ids(client, "?sector=textiles") == [str(b.id)]
    assert await _ids(client, "?state=maharashtra") == [str(a.id)]
    assert await _ids(client, "?deal_type=stake_sale") == [str(b.id)]
    assert await _ids(client, "?price_min=30000000") == [str(a.id)]
    assert await _ids(client, "?price_max=30000000") == [str(b.id)]
    assert await _ids(client, "?revenue_min=50000000") == [str(a.id)]
    assert await _ids(client, "?revenue_max=50000000&sector=textiles") == [str(b.id)]
    # Bands, not figures: ₹9 Cr is in a's ₹5–10 Cr band; ₹10 Cr is above it.
    assert await _ids(client, "?revenue_min=90000000") == [str(a.id)]
    assert await _ids(client, "?revenue_min=100000000") == []


async def test_full_text_covers_headline_summary_and_profile_description(
    database: Database, client: httpx.AsyncClient, owner: Actor
) -> None:
    described = await make_msme(
        database, owner.id, description="Bhakarwadi and chivda made in a modern plant."
    )
    other = await make_msme(database, owner.id, description="Precision castings.", gstin=None)
    in_headline = await _listing(database, other, headline="Forging unit with export orders")
    in_summary = await _listing(database, other, summary="Solar panels, rooftop EPC contracts.")
    in_description = await _listing(database, described, anonymous=False)

    assert await _ids(client, "?q=forging") == [str(in_headline.id)]
    assert await _ids(client, "?q=ROOFTOP solar") == [str(in_summary.id)]
    assert await _ids(client, "?q=bhakarwadi") == [str(in_description.id)]
    assert await _ids(client, "?q=forging rooftop") == []


async def test_full_text_matches_hindi_words(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    hindi = await _listing(
        database, profile, headline="कपड़ा निर्माण इकाई बिक्री के लिए", summary="लाभदायक व्यापार"
    )
    await _listing(database, profile)

    assert await _ids(client, "?q=कपड़ा") == [str(hindi.id)]
    assert await _ids(client, "?q=लाभदायक") == [str(hindi.id)]


async def test_an_anonymous_listing_is_not_found_through_its_profile_description(
    database: Database, client: httpx.AsyncClient, owner: Actor, db_connection: AsyncConnection
) -> None:
    msme = await make_msme(database, owner.id, description="Ganesh Namkeen, Pune since 2012")
    listing = await _listing(database, msme, anonymous=True)

    assert await _ids(client, "?q=ganesh") == []
    await db_connection.execute(
        text("UPDATE listings SET anonymous = :named WHERE id = :id"),
        {"named": False, "id": _db_id(db_connection, listing.id)},
    )
    assert await _ids(client, "?q=ganesh") == [str(listing.id)]


def _db_id(connection: AsyncConnection, value: uuid.UUID) -> Any:
    # Raw SQL sees SQLAlchemy's storage of a UUID: hex text on SQLite, a uuid on PostgreSQL.
    return value.hex if connection.dialect.name == "sqlite" else value


async def test_a_profile_description_change_reaches_search(
    database: Database, client: httpx.AsyncClient, profile: Msme, db_connection: AsyncConnection
) -> None:
    listing = await _listing(database, profile, anonymous=False)

    await db_connection.execute(
        text("UPDATE msmes SET description = 'Kombucha brewery' WHERE id = :id"),
        {"id": _db_id(db_connection, profile.id)},
    )

    assert await _ids(client, "?q=kombucha") == [str(listing.id)]
    assert await _ids(client, "?q=bhakarwadi") == []


async def test_search_syntax_in_the_query_is_taken_literally(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    await _listing(database, profile)

    for query in ['"unbalanced', "a OR b NEAR(c)", "*", "-snacks", "snacks:*", "'); DROP"]:
        response = await client.get(LISTINGS, params={"q": query})
        assert response.status_code == 200, query


def test_search_terms_keep_devanagari_words_whole() -> None:
    assert search_terms("कपड़ा, Textile-UNIT!") == ["कपड़ा", "textile", "unit"]


@pytest.mark.parametrize(
    ("sort", "order"),
    [
        ("newest", ["c", "b", "a"]),
        ("price_asc", ["b", "c", "a"]),
        ("price_desc", ["a", "c", "b"]),
        ("revenue_desc", ["c", "a", "b"]),
    ],
)
async def test_sorts(
    database: Database, client: httpx.AsyncClient, profile: Msme, sort: str, order: list[str]
) -> None:
    now = utcnow()

    made = {
        "a": await _listing(
            database, profile, asking_price=900, revenue=50, published_at=now - timedelta(days=3)
        ),
        "b": await _listing(
            database, profile, asking_price=100, revenue=None, published_at=now - timedelta(days=2)
        ),
        "c": await _listing(
            database, profile, asking_price=500, revenue=70, published_at=now - timedelta(days=1)
        ),
    }

    assert await _ids(client, f"?sort={sort}") == [str(made[key].id) for key in order]


async def test_ties_are_broken_by_id_so_pages_never_overlap(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    same_time = utcnow()
    for _ in range(7):
        await _listing(database, profile, asking_price=100, published_at=same_time)

    seen: list[str] = []
    for page in (1, 2, 3):
        seen += await _ids(client, f"?sort=price_asc&page_size=3&page={page}")

    assert len(seen) == len(set(seen)) == 7


async def test_pagination_and_a_page_past_the_end(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    for _ in range(3):
        await _listing(database, profile)

    response = await client.get(f"{LISTINGS}?page=2&page_size=2")
    past = await client.get(f"{LISTINGS}?page=9&page_size=2")

    assert response.json()["pagination"] == {"page": 2, "page_size": 2, "total": 3, "pages": 2}
    assert len(response.json()["data"]) == 1
    assert past.status_code == 200
    assert past.json()["data"] == []


async def test_a_full_text_count_stops_at_its_limit_and_says_so(
    database: Database,
    client: httpx.AsyncClient,
    profile: Msme,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(search, "FULL_TEXT_COUNT_LIMIT", 3)
    for _ in range(5):
        await _listing(database, profile)

    first = await client.get(f"{LISTINGS}?q=snacks&page_size=2")
    past_the_count = await client.get(f"{LISTINGS}?q=snacks&page=3&page_size=2")
    by_sector = await client.get(f"{LISTINGS}?sector=food_processing&page_size=2")

    # At least 3 match: the flag says the total is a lower bound, and the pages go on past it.
    assert first.json()["pagination"] == {
        "page": 1,
        "page_size": 2,
        "total": 3,
        "pages": 2,
        "total_exact": False,
    }
    assert len(past_the_count.json()["data"]) == 1
    # Without words the count is exact, and the envelope keeps its four figures.
    assert by_sector.json()["pagination"] == {"page": 1, "page_size": 2, "total": 5, "pages": 3}


def _count_statement(dialect: str, **filters: Any) -> Select[int]:
    """The count a search sends, from the search's own filters."""
    conditions = search._filters(ListingSearch(**filters), dialect)
    return select(func.count()).select_from(Listing).where(and_(*conditions))


async def _plan(database: Database, statement: Select[int], keep: str) -> str:
    """PostgreSQL's plan for `statement` with every other listings index gone (rolled back)."""
    async with database.session() as session:
        names = await session.scalars(
            text("SELECT indexname FROM pg_indexes WHERE tablename = 'listings'")
        )
        for name in names:
            if name not in {keep, "pk_listings"}:
                await session.execute(text(f'DROP INDEX "{name}"'))
        await session.execute(text("SET LOCAL enable_seqscan = off"))
        compiled = statement.compile(session.get_bind(), compile_kwargs={"literal_binds": True})
        plan = " ".join(await session.scalars(text(f"EXPLAIN {compiled}")))
        await session.rollback()
    return plan


@pytest.mark.parametrize(
    ("index", "filters"),
    [
        ("ix_listings_market_sector", {"sector": "food_processing"}),
        ("ix_listings_market_text", {"q": "snacks"}),
    ],
)
async def test_a_search_may_use_the_marketplace_indexes(
    database: Database, engine: AsyncEngine, index: str, filters: dict[str, str]
) -> None:
    # The indexes hold only listings on the marketplace: a search can use one only if its
    # filters imply the index's condition, which is easy to lose by rewriting either.
    dialect = engine.dialect.name
    statement = _count_statement(dialect, **filters)
    if dialect == "postgresql":
        assert index in await _plan(database, statement, keep=index)
    elif index == "ix_listings_market_sector":  # SQLite full text goes through FTS5 (0004)
        forced = statement.with_hint(Listing, f"INDEXED BY {index}", "sqlite")
        async with database.read_session() as session:
            # SQLite refuses ("no query solution") an index whose condition is not implied.
            assert await session.scalar(forced) == 0


@pytest.mark.parametrize(
    "query",
    [
        "?sort=cheapest",
        "?deal_type=merger",
        "?page_size=101",
        "?page=0",
        "?price_min=abc",
        "?price_min=-1",
        "?sector=spaceships",
        "?state=Atlantis",
        "?price_min=10&price_max=5",
        "?q=" + "x" * 201,
    ],
)
async def test_bad_parameters_are_422(client: httpx.AsyncClient, query: str) -> None:
    response = await client.get(f"{LISTINGS}{query}")

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


async def test_one_search_is_two_queries_whatever_the_page_size(
    database: Database, client: httpx.AsyncClient, owner: Actor, engine: AsyncEngine
) -> None:
    for index in range(12):
        msme = await make_msme(database, owner.id, gstin=None, udyam_number=None)
        await _listing(database, msme, anonymous=index % 2 == 0)

    with counted_queries(engine) as small:
        await _ids(client, "?page_size=2&q=snacks&sort=revenue_desc")
    with counted_queries(engine) as large:
        ids = await _ids(client, "?page_size=50&q=snacks&sort=revenue_desc")

    assert len(ids) == 12
    assert len(small) == len(large) == 2


# --- bands hold (DESIGN.md §3): revenue filters and sorts never look inside a band -----------

# Two figures of one band (₹5–10 Cr): its lowest rupee and its highest.
SAME_BAND = (5 * CRORE, 10 * CRORE - 1)


def _revenue_probes() -> list[int]:
    """Every band edge and its neighbours, the figures themselves and theirs, and 7.8 Cr."""
    points = {edge + step for edge in BAND_EDGES for step in (-1, 0, 1)}
    points |= {figure + step for figure in SAME_BAND for step in (-1, 0, 1)}
    return sorted(point for point in points | {78_000_000} if point >= 0)


async def test_no_revenue_range_tells_apart_two_listings_of_one_band(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    low, high = [str((await _listing(database, profile, revenue=r)).id) for r in SAME_BAND]

    for point in _revenue_probes():
        for query in (
            f"?revenue_min={point}",
            f"?revenue_max={point}",
            f"?revenue_min={point}&revenue_max={point}",
        ):
            found = await _ids(client, query)
            assert (low in found) == (high in found), query


async def _bisect(client: httpx.AsyncClient, listing_id: str, bound: str) -> tuple[int, int]:
    """The probe's bisection: the narrowest `[last in, first out]` bracket that `bound` finds."""
    inside, outside = (0, 10**13) if bound == "revenue_min" else (10**13, 0)
    while abs(outside - inside) > 1:
        middle = (inside + outside) // 2
        if listing_id in await _ids(client, f"?{bound}={middle}"):
            inside = middle
        else:
            outside = middle
    return inside, outside


async def test_bisecting_revenue_filters_finds_only_the_band_edges(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    listings = [str((await _listing(database, profile, revenue=r)).id) for r in SAME_BAND]

    for bound, edge in (("revenue_min", 10 * CRORE), ("revenue_max", 5 * CRORE)):
        brackets = {await _bisect(client, listing_id, bound) for listing_id in listings}
        # Both listings give the same bracket, and it sits on the band's edge.
        assert len(brackets) == 1, bound
        assert edge in brackets.pop(), bound


async def test_revenue_sort_orders_by_band_then_newest(
    database: Database, client: httpx.AsyncClient, profile: Msme
) -> None:
    now = utcnow()
    made = {
        name: await _listing(
            database, profile, revenue=revenue, published_at=now - timedelta(days=days)
        )
        for name, revenue, days in (
            ("top_of_band", 9 * CRORE, 3),
            ("bottom_of_band", 5 * CRORE, 1),
            ("higher_band", 12 * CRORE, 2),
            ("unknown", None, 0),
        )
    }

    order = ["higher_band", "bottom_of_band", "top_of_band", "unknown"]
    assert await _ids(client, "?sort=revenue_desc") == [str(made[name].id) for name in order]


def _stored_band(listing_id: uuid.UUID) -> Select[int]:
    return select(REVENUE_BAND).select_from(Listing).where(Listing.id == listing_id)


async def test_stored_revenue_band_follows_the_band_table(
    database: Database, profile: Msme
) -> None:
    # Migration 0010's triggers keep a dated copy of the band edges; it must agree with bands.py
    # on insert and on update (the path financials take), at every edge and next to it.
    listing = await _listing(database, profile, revenue=-1)
    amounts = [None, -1, *sorted({edge + step for edge in BAND_EDGES for step in (-1, 0)})]
    async with database.session() as session:
        for amount in amounts:
            await session.execute(
                update(Listing).where(Listing.id == listing.id).values(revenue=amount)
            )
            stored = await session.scalar(_stored_band(listing.id))
            assert stored == money_band_index(amount), amount
    inserted = await _listing(database, profile, revenue=BAND_EDGES[-1])
    async with database.session() as session:
        stored = await session.scalar(_stored_band(inserted.id))
    assert stored == money_band_index(BAND_EDGES[-1]) == len(BAND_EDGES) - 1
