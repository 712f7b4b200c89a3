"""Public cards (DESIGN.md §3): what a listing shows, and to whom.

- Anyone: sector, state, revenue and EBITDA as bands, headline, summary, deal terms and `id`.
- A named (non-anonymous) listing adds its legal and trade names and city.
- The owner, admins and buyers whose interest was accepted also get `identity`: the profile's
  identifiers and the exact figures. Nothing else ever leaves this module for the public.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Final

from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.schemas.listings import (
    ListingCard,
    ListingDetail,
    ListingIdentity,
    ListingRead,
)
from msmebazaar.msme.sectors import get_sector
from msmebazaar.shared.india import CRORE, LAKH, format_inr_short

# Band edges in whole rupees, the one place they are defined. They follow how Indian deal
# makers talk about size (lakh below a crore, round crores above), and are fine enough that a
# band never spans more than ×2.5, yet coarse enough not to single out one business.
BAND_EDGES: Final[tuple[int, ...]] = (
    0,
    10 * LAKH,
    25 * LAKH,
    50 * LAKH,
    1 * CRORE,
    2 * CRORE,
    5 * CRORE,
    10 * CRORE,
    25 * CRORE,
    50 * CRORE,
    100 * CRORE,
    250 * CRORE,
    500 * CRORE,
)
NEGATIVE_BAND: Final = "Loss-making"


def _unit(amount: int) -> str:
    return format_inr_short(amount).rsplit(" ", 1)[-1]


def _range_label(low: int, high: int) -> str:
    low_text, high_text = format_inr_short(low), format_inr_short(high)
    if low == 0:
        return f"Up to {high_text}"
    if _unit(low) == _unit(high):
        # "₹5 Cr" and "₹10 Cr" read as "₹5–10 Cr".
        return f"{low_text.rsplit(' ', 1)[0]}–{high_text.removeprefix('₹')}"
    return f"{low_text}–{high_text.removeprefix('₹')}"


def _band_label(index: int) -> str:
    if index == len(BAND_EDGES) - 1:
        return f"{format_inr_short(BAND_EDGES[-1])}+"
    return _range_label(BAND_EDGES[index], BAND_EDGES[index + 1])


# Rendered once: a search page shows two bands per card.
BAND_LABELS: Final[tuple[str, ...]] = tuple(_band_label(i) for i in range(len(BAND_EDGES)))


def money_band(amount: int | None) -> str | None:
    """The band an amount falls in, e.g. "₹5–10 Cr"; `None` when unknown."""
    if amount is None:
        return None
    if amount < 0:
        return NEGATIVE_BAND
    return BAND_LABELS[bisect_right(BAND_EDGES, amount) - 1]


def band_bounds(label: str) -> tuple[int, int | None] | None:
    """The [low, high) rupee bounds of a band label (for tests and filters); `None` if unknown."""
    for index, low in enumerate(BAND_EDGES):
        if BAND_LABELS[index] == label:
            high = BAND_EDGES[index + 1] if index + 1 < len(BAND_EDGES) else None
            return low, high
    return None


def _identity(listing: Listing, msme: Msme) -> ListingIdentity:
    return ListingIdentity(
        msme_id=msme.id,
        legal_name=msme.legal_name,
        trade_name=msme.trade_name,
        gstin=msme.gstin,
        pan=msme.pan,
        udyam_number=msme.udyam_number,
        cin=msme.cin,
        city=msme.city,
        pincode=msme.pincode,
        website=msme.website,
        revenue=listing.revenue,
        ebitda=listing.ebitda,
    )


def build_card(
    listing: Listing,
    msme: Msme | NamedParts | None,
    *,
    identity_visible: bool = False,
) -> ListingCard:
    """The card of a listing as one viewer may see it."""
    sector = get_sector(listing.sector)
    card = ListingCard(
        id=listing.id,
        deal_type=listing.deal_type,
        asking_price=listing.asking_price,
        stake_percent=listing.stake_percent,
        anonymous=listing.anonymous,
        headline=listing.headline,
        summary=listing.summary,
        sector=listing.sector,
        sector_name=sector.name if sector else None,
        state=listing.state,
        revenue_band=money_band(listing.revenue),
        ebitda_band=money_band(listing.ebitda),
        status=listing.status,
        published_at=listing.published_at,
    )
    named = msme is not None and (identity_visible or not listing.anonymous)
    if named and msme is not None:
        card.legal_name, card.trade_name, card.city = msme.legal_name, msme.trade_name, msme.city
    if identity_visible and isinstance(msme, Msme):
        card.identity = _identity(listing, msme)
    return card


class NamedParts:
    """The three profile fields a named card shows, loaded without the whole profile."""

    __slots__ = ("city", "legal_name", "trade_name")

    def __init__(self, legal_name: str, trade_name: str | None, city: str | None) -> None:
        self.legal_name, self.trade_name, self.city = legal_name, trade_name, city


def build_detail(listing: Listing, msme: Msme) -> ListingDetail:
    """The owner's (or an admin's) view: every listing field and the fully disclosed card."""
    return ListingDetail(
        listing=ListingRead.model_validate(listing),
        card=build_card(listing, msme, identity_visible=True),
    )
