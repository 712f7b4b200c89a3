"""Columnar forms of mandates and listings: the NumPy arrays the scoring engine works on.

A `ListingTable` holds one row per listing and a `MandateTable` one row per mandate. Sets
(a mandate's sectors, states, deal types) become rows of per-code scores or flags, so "is this
listing's sector in the mandate's list" is one fancy-indexing lookup for 100,000 listings.
Missing numbers are NaN; a NaN criterion value means "neutral: the mandate leaves it open".

Revenue and EBITDA are held as their bands (`msme.service.money_band_index`), never as figures:
whatever the engine computes from them is the same for every listing of a band (DESIGN.md §3,
"Bands hold everywhere"). The founding year stays a year, since age depends on the current year;
the engine reads it only through its year band.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

import numpy as np
import numpy.typing as npt

from msmebazaar.match.taxonomy import NEIGHBOURS, RELATED_SECTORS, SECTOR_CODES
from msmebazaar.msme.service import ListingFacts, money_band_index
from msmebazaar.shared.india import STATE_NAMES

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]

DEAL_TYPES: Final = ("full_sale", "stake_sale", "investment", "debt")
FULL_SALE_STAKE: Final = 100.0
# Partial credit for a related sector, a neighbouring state and a state elsewhere.
RELATED_SECTOR_SCORE: Final = 0.5
NEIGHBOUR_STATE_SCORE: Final = 0.6
ELSEWHERE_STATE_SCORE: Final = 0.15

# The last column of the per-code tables stands for any code outside the taxonomy.
_SECTOR_INDEX: Final = {code: index for index, code in enumerate(SECTOR_CODES)}
_STATE_INDEX: Final = {name: index for index, name in enumerate(STATE_NAMES)}
_DEAL_INDEX: Final = {name: index for index, name in enumerate(DEAL_TYPES)}


def sector_index(code: str) -> int:
    """Column of a sector code in the per-sector tables."""
    return _SECTOR_INDEX.get(code, len(SECTOR_CODES))


def state_index(name: str) -> int:
    """Column of a state name in the per-state tables."""
    return _STATE_INDEX.get(name, len(STATE_NAMES))


def deal_index(name: str) -> int:
    """Column of a deal type in the per-deal-type tables."""
    return _DEAL_INDEX.get(name, len(DEAL_TYPES))


@dataclass(frozen=True, slots=True)
class MandateTerms:
    """A mandate as the engine sees it: what it wants, nothing about who wants it."""

    id: uuid.UUID
    deal_types: frozenset[str]
    sectors: frozenset[str]
    exclude_sectors: frozenset[str]
    states: frozenset[str]
    ticket_min: int | None = None
    ticket_max: int | None = None
    revenue_min: int | None = None
    revenue_max: int | None = None
    ebitda_positive_only: bool = False
    min_years: int | None = None
    stake_min: float | None = None
    stake_max: float | None = None
    thesis: str = ""


def _nan_if_none(values: Sequence[float | int | None]) -> Floats:
    return np.array([np.nan if value is None else float(value) for value in values], np.float64)


def _bands(values: Sequence[int | None]) -> Floats:
    return _nan_if_none([money_band_index(value) for value in values])


@dataclass(frozen=True)
class ListingTable:
    """Listings as columns; row `i` is `ids[i]`; revenue and EBITDA as band indices."""

    ids: list[uuid.UUID]
    sector: Ints
    state: Ints
    deal: Ints
    price: Floats
    stake: Floats
    revenue_band: Floats
    ebitda_band: Floats
    year: Floats
    verified: Bools

    def __len__(self) -> int:
        return int(self.price.shape[0])

    @classmethod
    def of(cls, facts: Sequence[ListingFacts]) -> ListingTable:
        """The table of the given listings, in their order."""
        stakes = [
            FULL_SALE_STAKE if item.deal_type == "full_sale" else item.stake_percent
            for item in facts
        ]
        return cls(
            ids=[item.id for item in facts],
            sector=np.array([sector_index(item.sector) for item in facts], np.int64),
            state=np.array([state_index(item.state) for item in facts], np.int64),
            deal=np.array([deal_index(item.deal_type) for item in facts], np.int64),
            price=np.array([float(item.asking_price) for item in facts], np.float64),
            stake=_nan_if_none(stakes),
            revenue_band=_bands([item.revenue for item in facts]),
            ebitda_band=_bands([item.ebitda for item in facts]),
            year=_nan_if_none([item.year_established for item in facts]),
            verified=np.array([item.verified for item in facts], np.bool_),
        )


def _sector_scores(terms: MandateTerms) -> Floats:
    row = np.full(len(SECTOR_CODES) + 1, np.nan if not terms.sectors else 0.0)
    for code in terms.sectors:
        for related in RELATED_SECTORS.get(code, ()):
            row[sector_index(related)] = RELATED_SECTOR_SCORE
    for code in terms.sectors:
        row[sector_index(code)] = 1.0
    return row


def _state_scores(terms: MandateTerms) -> Floats:
    if not terms.states:
        return np.full(len(STATE_NAMES) + 1, np.nan)
    row = np.full(len(STATE_NAMES) + 1, ELSEWHERE_STATE_SCORE)
    for name in terms.states:
        for neighbour in NEIGHBOURS.get(name, ()):
            row[state_index(neighbour)] = NEIGHBOUR_STATE_SCORE
    for name in terms.states:
        row[state_index(name)] = 1.0
    return row


def _flags(chosen: frozenset[str], index: dict[str, int], width: int, empty: bool) -> Bools:
    row = np.full(width, empty, np.bool_)
    for name in chosen:
        if name in index:
            row[index[name]] = True
    return row


@dataclass(frozen=True)
class MandateTable:
    """Mandates as columns; per-code tables are 2-D (mandate × code)."""

    ids: list[uuid.UUID]
    deal_ok: Bools
    excluded: Bools
    sector_score: Floats
    state_score: Floats
    ticket_min: Floats
    ticket_max: Floats
    revenue_min: Floats
    revenue_max: Floats
    ebitda_positive_only: Bools
    min_years: Floats
    stake_min: Floats
    stake_max: Floats
    has_thesis: Bools

    def __len__(self) -> int:
        return len(self.ids)

    @classmethod
    def of(cls, mandates: Sequence[MandateTerms]) -> MandateTable:
        """The table of the given mandates, in their order (no deal types means any)."""
        deals, sectors = len(DEAL_TYPES) + 1, len(SECTOR_CODES) + 1
        return cls(
            ids=[terms.id for terms in mandates],
            deal_ok=np.array(
                [_flags(t.deal_types, _DEAL_INDEX, deals, not t.deal_types) for t in mandates],
                np.bool_,
            ).reshape(len(mandates), deals),
            excluded=np.array(
                [_flags(t.exclude_sectors, _SECTOR_INDEX, sectors, False) for t in mandates],
                np.bool_,
            ).reshape(len(mandates), sectors),
            sector_score=np.array([_sector_scores(t) for t in mandates]).reshape(
                len(mandates), sectors
            ),
            state_score=np.array([_state_scores(t) for t in mandates]).reshape(
                len(mandates), len(STATE_NAMES) + 1
            ),
            ticket_min=_nan_if_none([t.ticket_min for t in mandates]),
            ticket_max=_nan_if_none([t.ticket_max for t in mandates]),
            revenue_min=_nan_if_none([t.revenue_min for t in mandates]),
            revenue_max=_nan_if_none([t.revenue_max for t in mandates]),
            ebitda_positive_only=np.array([t.ebitda_positive_only for t in mandates], np.bool_),
            min_years=_nan_if_none([t.min_years for t in mandates]),
            stake_min=_nan_if_none([t.stake_min for t in mandates]),
            stake_max=_nan_if_none([t.stake_max for t in mandates]),
            has_thesis=np.array([bool(t.thesis.strip()) for t in mandates], np.bool_),
        )


def take_rows(table: ListingTable, keep: Bools) -> ListingTable:
    """The rows of `table` where `keep` is true, in order."""
    return ListingTable(
        ids=[item for item, kept in zip(table.ids, keep, strict=True) if kept],
        sector=table.sector[keep],
        state=table.state[keep],
        deal=table.deal[keep],
        price=table.price[keep],
        stake=table.stake[keep],
        revenue_band=table.revenue_band[keep],
        ebitda_band=table.ebitda_band[keep],
        year=table.year[keep],
        verified=table.verified[keep],
    )


def concat_rows(first: ListingTable, second: ListingTable) -> ListingTable:
    """`first`'s rows followed by `second`'s."""
    return ListingTable(
        ids=first.ids + second.ids,
        sector=np.concatenate([first.sector, second.sector]),
        state=np.concatenate([first.state, second.state]),
        deal=np.concatenate([first.deal, second.deal]),
        price=np.concatenate([first.price, second.price]),
        stake=np.concatenate([first.stake, second.stake]),
        revenue_band=np.concatenate([first.revenue_band, second.revenue_band]),
        ebitda_band=np.concatenate([first.ebitda_band, second.ebitda_band]),
        year=np.concatenate([first.year, second.year]),
        verified=np.concatenate([first.verified, second.verified]),
    )


def take_positions(table: ListingTable, rows: Ints) -> ListingTable:
    """The rows of `table` at the given positions, in that order (ids are looked up in
    `table` by position: copying 100,000 of them per ranking would cost milliseconds)."""
    return ListingTable(
        ids=[],
        sector=table.sector[rows],
        state=table.state[rows],
        deal=table.deal[rows],
        price=table.price[rows],
        stake=table.stake[rows],
        revenue_band=table.revenue_band[rows],
        ebitda_band=table.ebitda_band[rows],
        year=table.year[rows],
        verified=table.verified[rows],
    )
