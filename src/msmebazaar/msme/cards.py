"""Public cards (DESIGN.md §3): what a listing shows, and to whom.

- Anyone: sector, state, revenue and EBITDA as bands (`bands.py`), headline, summary, deal
  terms and `id`.
- A named (non-anonymous) listing adds its legal and trade names and city.
- The owner, admins and buyers whose interest was accepted also get `identity`: the profile's
  identifiers, and the exact figures (for a buyer, of a listing that requires an NDA, only once
  both sides accepted it). Nothing else ever leaves this module for the public.
"""

from __future__ import annotations

from msmebazaar.msme.bands import money_band
from msmebazaar.msme.models import Listing, Msme
from msmebazaar.msme.schemas.listings import (
    ListingCard,
    ListingDetail,
    ListingIdentity,
    ListingRead,
)
from msmebazaar.msme.sectors import get_sector


def _identity(listing: Listing, msme: Msme, *, figures_visible: bool) -> ListingIdentity:
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
        revenue=listing.revenue if figures_visible else None,
        ebitda=listing.ebitda if figures_visible else None,
    )


def build_card(
    listing: Listing,
    msme: Msme | NamedParts | None,
    *,
    identity_visible: bool = False,
    figures_visible: bool = False,
) -> ListingCard:
    """The card of a listing as one viewer may see it (`figures_visible`: the exact figures in
    `identity`, false for a buyer still waiting on the listing's NDA)."""
    sector = get_sector(listing.sector)
    card = ListingCard(
        id=listing.id,
        deal_type=listing.deal_type,
        asking_price=listing.asking_price,
        stake_percent=listing.stake_percent,
        anonymous=listing.anonymous,
        nda_required=listing.nda_required,
        headline=listing.headline,
        summary=listing.summary,
        sector=listing.sector,
        sector_name=sector.name if sector else None,
        state=listing.state,
        revenue_band=money_band(listing.revenue),
        ebitda_band=money_band(listing.ebitda),
        status=listing.public_status,
        published_at=listing.published_at,
    )
    named = msme is not None and (identity_visible or not listing.anonymous)
    if named and msme is not None:
        card.legal_name, card.trade_name, card.city = msme.legal_name, msme.trade_name, msme.city
    if identity_visible and isinstance(msme, Msme):
        card.identity = _identity(listing, msme, figures_visible=figures_visible)
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
        card=build_card(listing, msme, identity_visible=True, figures_visible=True),
    )
