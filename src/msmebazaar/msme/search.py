"""Public listing search: filters, full text and stable sorting, the same on SQLite and PostgreSQL.

Full text covers a listing's headline and summary and its profile's description. Migration 0004
keeps the index in step inside the database (PostgreSQL: `listings.search_vector` with a GIN
index; SQLite: the FTS5 table `listings_fts`); `full_text_condition` hides which one is used.
Words are ANDed and matched as written (no stemming), so Hindi and English behave alike.

Revenue filters and the `revenue_desc` sort work on revenue bands, never the figure (DESIGN.md
§3, "Bands hold everywhere"): a range is widened to whole bands (`bands.money_band_span`) and
compared with `listings.revenue`, which the indexes already hold; the sort reads the band stored
by migration 0010, then the newest first.

One search is two queries whatever the page size: the count, and the page joined with the three
profile fields a named card shows. Migration 0011's partial indexes hold only listings on the
marketplace, so a sector page counts from the index alone. A full-text count stops at
`FULL_TEXT_COUNT_LIMIT`: past it the total says "at least that many" (`total_exact` false),
since counting every listing a common word matches costs as much as all the rest of a search.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from typing import Any, Final

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    UnaryExpression,
    and_,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.msme.bands import money_band_span
from msmebazaar.msme.cards import NamedParts, build_card
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.schemas.listings import ListingCard, ListingSearch, ListingSort
from msmebazaar.msme.sectors import get_sector
from msmebazaar.shared.db import Database
from msmebazaar.shared.exceptions import ValidationError
from msmebazaar.shared.india import get_state
from msmebazaar.shared.pagination import PageParams

# Created by migrations outside the ORM models: 0004's FTS5 tables and their shadow tables, the
# tsvector column and its index; 0010's revenue band column (kept by triggers) and its sort
# index, which replaced 0004's PostgreSQL-only `ix_listings_revenue_desc`.
SEARCH_TABLE_PREFIX: Final = "listings_fts"
SEARCH_COLUMNS: Final = frozenset({"search_vector", "revenue_band"})
SEARCH_INDEXES: Final = frozenset(
    {
        "ix_listings_search_vector",
        "ix_listings_revenue_desc",
        "ix_listings_revenue_band",
        "ix_listings_market_sector",
        "ix_listings_market_text",
    }
)
# The band (`bands.money_band_index`) of `listings.revenue`, stored by migration 0010's triggers.
REVENUE_BAND: Final[ColumnElement[int]] = literal_column("listings.revenue_band", Integer)

MAX_TERMS: Final = 8
FULL_TEXT_COUNT_LIMIT: Final = 1_000
MAX_TERM_CHARS: Final = 40


def is_search_object(name: str | None, type_: str) -> bool:
    """Whether a database object is one of migration 0004's search objects (not modelled)."""
    if name is None:
        return False
    if type_ == "table":
        return name.startswith(SEARCH_TABLE_PREFIX)
    if type_ == "column":
        return name in SEARCH_COLUMNS
    return type_ == "index" and name in SEARCH_INDEXES


def search_terms(query: str) -> list[str]:
    """The words of a search, lower-cased: runs of letters, digits and combining marks.

    Marks count as word characters so a Devanagari word keeps its vowel signs (Python's `\\w`
    would split "कपड़ा" in three).
    """
    words: list[str] = []
    current: list[str] = []
    for char in unicodedata.normalize("NFC", query).casefold():
        if unicodedata.category(char)[0] in "LNM":
            current.append(char)
            continue
        if current:
            words.append("".join(current))
            current = []
    if current:
        words.append("".join(current))
    unique = list(dict.fromkeys(word[:MAX_TERM_CHARS] for word in words))
    return unique[:MAX_TERMS]


def _fts5_query(terms: list[str]) -> str:
    # Each term is quoted, so user input can never be read as FTS5 syntax.
    return " AND ".join('"' + term.replace('"', '""') + '"' for term in terms)


def full_text_condition(dialect: str, terms: list[str]) -> ColumnElement[bool]:
    """A WHERE condition matching listings whose text holds every term."""
    if dialect == "postgresql":
        query = func.plainto_tsquery(literal_column("'simple'::regconfig"), " ".join(terms))
        return literal_column("listings.search_vector").bool_op("@@")(query)
    matching = text(
        "SELECT k.listing_id FROM listings_fts_keys k WHERE k.id IN "
        "(SELECT rowid FROM listings_fts WHERE listings_fts MATCH :fts_query)"
    ).bindparams(fts_query=_fts5_query(terms))
    return Listing.id.in_(matching.columns(literal_column("listing_id")))


def _revenue_conditions(search: ListingSearch) -> list[ColumnElement[bool]]:
    """Revenue by band (DESIGN.md §3): a listing matches when its band overlaps the range."""
    if search.revenue_min is None and search.revenue_max is None:
        return []
    low, high = money_band_span(search.revenue_min, search.revenue_max)
    conditions: list[ColumnElement[bool]] = [Listing.revenue.is_not(None)]
    if low is not None:
        conditions.append(Listing.revenue >= low)
    if high is not None:
        conditions.append(Listing.revenue < high)
    return conditions


def _filters(search: ListingSearch, dialect: str) -> list[ColumnElement[bool]]:
    # A suspended owner's listings keep their status but leave the marketplace.
    # Written as migration 0011's partial indexes are, so the planners may use them.
    conditions: list[ColumnElement[bool]] = [
        Listing.status == "active",
        Listing.owner_suspended.is_(False),
    ]
    for column, value in (
        (Listing.sector, search.sector),
        (Listing.state, search.state),
        (Listing.deal_type, search.deal_type.value if search.deal_type else None),
    ):
        if value is not None:
            conditions.append(column == value)
    # The asking price is public: it filters as asked.
    if search.price_min is not None:
        conditions.append(Listing.asking_price >= search.price_min)
    if search.price_max is not None:
        conditions.append(Listing.asking_price <= search.price_max)
    conditions += _revenue_conditions(search)
    terms = search_terms(search.q) if search.q else []
    if terms:
        conditions.append(full_text_condition(dialect, terms))
    return conditions


_ORDER: Final[dict[ListingSort, tuple[UnaryExpression[Any], ...]]] = {
    ListingSort.NEWEST: (Listing.published_at.desc(), Listing.id.desc()),
    ListingSort.PRICE_ASC: (Listing.asking_price.asc(), Listing.id.asc()),
    ListingSort.PRICE_DESC: (Listing.asking_price.desc(), Listing.id.desc()),
    # By band, then newest: ordering by the figure would rank listings inside a band. Listings
    # without figures go last on both backends (PostgreSQL puts NULL first by default).
    ListingSort.REVENUE_DESC: (
        REVENUE_BAND.desc().nulls_last(),
        Listing.published_at.desc(),
        Listing.id.desc(),
    ),
}


def _page_statement(
    conditions: list[ColumnElement[bool]], sort: ListingSort
) -> Select[Listing, str, str | None, str | None]:
    """The page query: listings matching `conditions` with their named-card fields, in order."""
    return (
        select(Listing, Msme.legal_name, Msme.trade_name, Msme.city)
        .join(Msme, Msme.id == Listing.msme_id)
        .where(and_(*conditions))
        .order_by(*_ORDER[sort])
    )


async def optimize_search_index(database: Database) -> None:
    """After a bulk load: merge SQLite's FTS5 segments and refresh the planners' statistics
    (on PostgreSQL with a VACUUM, which also marks the pages all-visible, so the partial indexes
    answer counts without reading the rows)."""
    if database.engine.dialect.name == "postgresql" and not database.bound:
        async with database.engine.connect() as connection:
            autocommit = await connection.execution_options(isolation_level="AUTOCOMMIT")
            await autocommit.execute(text("VACUUM (ANALYZE) listings, msmes, msme_financials"))
        return
    async with database.session("optimize search index") as session:
        if session.get_bind().dialect.name == "sqlite":
            # 100,000 trigger inserts leave many small FTS5 segments; one merge makes lookups
            # cheap.
            await session.execute(
                text("INSERT INTO listings_fts (listings_fts) VALUES ('optimize')")
            )
        # Fresh statistics, or the planner picks the wrong index (SQLite has none until ANALYZE).
        # A database on a borrowed connection (tests) is inside a transaction: no VACUUM there.
        await session.execute(text("ANALYZE"))


def checked_search(search: ListingSearch) -> ListingSearch:
    """The filters with the state's canonical name; 422 for unknown codes or crossed ranges."""
    failures: list[dict[str, str]] = []
    if search.sector is not None and get_sector(search.sector) is None:
        failures.append({"field": "sector", "message": "Unknown sector; see GET /msmes/sectors."})
    state = get_state(search.state) if search.state is not None else None
    if search.state is not None and state is None:
        failures.append({"field": "state", "message": "Unknown state or union territory."})
    for low, high in (("price_min", "price_max"), ("revenue_min", "revenue_max")):
        low_value, high_value = getattr(search, low), getattr(search, high)
        if low_value is not None and high_value is not None and low_value > high_value:
            failures.append({"field": low, "message": f"{low} is above {high}."})
    if failures:
        raise ValidationError(failures[0]["message"], details=failures)
    return search.model_copy(update={"state": state.name if state else None})


@dataclass(frozen=True)
class ListingPage:
    """One page of search results, and how many match: exactly, or (a full-text search past
    `FULL_TEXT_COUNT_LIMIT`) at least `total`."""

    cards: list[ListingCard]
    total: int
    total_exact: bool = True


async def _count(
    session: AsyncSession, conditions: list[ColumnElement[bool]], limit: int | None
) -> int:
    # count(*), not count(id): the partial indexes answer it without reading the rows.
    matching: Select[Any] = (
        select(literal_column("1")).select_from(Listing).where(and_(*conditions))
    )
    if limit is not None:
        matching = matching.limit(limit + 1)
    return int(await session.scalar(select(func.count()).select_from(matching.subquery())) or 0)


async def search_listings(
    session: AsyncSession, search: ListingSearch, params: PageParams
) -> ListingPage:
    """One page of public cards of active listings, and how many match in all."""
    dialect = session.get_bind().dialect.name
    conditions = _filters(search, dialect)
    full_text = bool(search.q and search_terms(search.q))
    counted = await _count(session, conditions, FULL_TEXT_COUNT_LIMIT if full_text else None)
    exact = not full_text or counted <= FULL_TEXT_COUNT_LIMIT
    total = counted if exact else FULL_TEXT_COUNT_LIMIT
    if not total or (exact and params.offset >= total):
        return ListingPage([], total, exact)
    statement = _page_statement(conditions, search.sort)
    statement = statement.limit(params.page_size).offset(params.offset)
    rows = (await session.execute(statement)).all()
    cards = [
        build_card(row[0], NamedParts(row.legal_name, row.trade_name, row.city)) for row in rows
    ]
    return ListingPage(cards, total, exact)
