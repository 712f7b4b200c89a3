"""The sector taxonomy and GET /msmes/sectors."""

from __future__ import annotations

import re

import httpx

from msmebazaar.msme.sectors import SECTOR_CODES, SECTORS, get_sector

# Industry names of Damodaran's India industry tables (January 2026 edition), as spelt there.
DAMODARAN_INDUSTRIES = frozenset(
    {
        "Advertising", "Apparel", "Auto Parts", "Beverage (Soft)", "Building Materials",
        "Business & Consumer Services", "Chemical (Specialty)", "Computer Services",
        "Drugs (Pharmaceutical)", "Education", "Electrical Equipment", "Electronics (General)",
        "Engineering/Construction", "Environmental & Waste Services", "Farming/Agriculture",
        "Food Processing", "Furn/Home Furnishings", "Green & Renewable Energy",
        "Healthcare Products", "Hospitals/Healthcare Facilities", "Hotel/Gaming",
        "Household Products", "Machinery", "Packaging & Container", "Paper/Forest Products",
        "Precious Metals", "Restaurant/Dining", "Retail (Distributors)", "Retail (General)",
        "Rubber& Tires", "Shoe", "Software (Internet)", "Software (System & Application)",
        "Steel", "Trucking",
    }
)  # fmt: skip
DEVANAGARI = re.compile(r"[\u0900-\u097F]")


def test_the_taxonomy_has_20_to_40_sectors_with_unique_codes() -> None:
    assert 20 <= len(SECTORS) <= 40
    assert len(SECTOR_CODES) == len(SECTORS)
    assert all(re.fullmatch(r"[a-z][a-z_]*", sector.code) for sector in SECTORS)


def test_every_sector_has_a_hindi_name_in_devanagari() -> None:
    assert all(DEVANAGARI.search(sector.name_hi) for sector in SECTORS)


def test_every_sector_maps_to_a_damodaran_industry() -> None:
    assert {sector.valuation_sector for sector in SECTORS} <= DAMODARAN_INDUSTRIES


def test_the_taxonomy_covers_the_core_msme_trades() -> None:
    for code in (
        "food_processing",
        "textiles",
        "apparel",
        "auto_components",
        "engineering",
        "chemicals",
        "plastics_packaging",
        "pharma",
        "electronics",
        "it_services",
        "education",
        "healthcare",
        "logistics",
        "retail",
        "hospitality_tourism",
        "construction",
        "agriculture",
        "handicrafts",
        "paper_printing",
        "furniture",
        "leather_footwear",
        "gems_jewellery",
    ):
        assert get_sector(code) is not None, code


def test_an_unknown_code_has_no_sector() -> None:
    assert get_sector("space_mining") is None


async def test_sectors_endpoint_is_public_and_lists_every_sector(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/api/v1/msmes/sectors")

    assert response.status_code == 200
    data = response.json()["data"]
    assert [item["code"] for item in data] == [sector.code for sector in SECTORS]
    assert data[0] == {
        "code": "food_processing",
        "name": "Food Processing",
        "name_hi": "खाद्य प्रसंस्करण",
        "valuation_sector": "Food Processing",
    }
