"""Reading free answers: yes and no, language and role, a GSTIN in a sentence, amounts with their
labels, a place with its year, and a sector from a description."""

from __future__ import annotations

import pytest
from tests.msme.factories import gstin_for, new_pan

from msmebazaar.msme.service import SECTORS
from msmebazaar.whatsapp.conversation.parsing import pick
from msmebazaar.whatsapp.conversation.sector_words import SECTOR_WORDS, is_sure, match_sectors
from msmebazaar.whatsapp.conversation.understand import (
    Place,
    business_name,
    find_amounts,
    find_gstin,
    language_of,
    read_place,
    revenue_and_profit,
    role_of,
    says_none,
    yes_or_no,
)
from msmebazaar.whatsapp.messages import Option


@pytest.mark.parametrize(
    "text",
    [
        "yes", "Yes!", "haan", "haan ji", "ok ji", "theek hai", "theek hai ji", "हाँ", "जी हाँ",
        "yse", "confrim", "corect",
    ],
)  # fmt: skip
def test_yes_in_english_hindi_and_hinglish(text: str) -> None:
    assert yes_or_no(text) == "yes"


@pytest.mark.parametrize("text", ["no", "nahi", "nahin", "नहीं", "galat hai"])
def test_no_in_english_hindi_and_hinglish(text: str) -> None:
    assert yes_or_no(text) == "no"


@pytest.mark.parametrize("text", ["maybe", "Surat", "45 lakh", "", "user name"])
def test_other_answers_are_neither_yes_nor_no(text: str) -> None:
    assert yes_or_no(text) is None


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("नमस्ते", "hi"),
        ("Hi", None),
        ("hello", None),
        ("namaste ji, business bechna hai", None),
        ("Hello, I want to sell my business", "en"),
    ],
)
def test_the_language_of_a_first_message(text: str, language: str | None) -> None:
    assert language_of(text) == language


@pytest.mark.parametrize(
    ("text", "role"),
    [
        ("sell", "msme_owner"),
        ("बेचना है", "msme_owner"),
        ("business bechna hai", "msme_owner"),
        ("invest karna hai", "investor"),
        ("investment chahiye business ke liye", "msme_owner"),
        ("we need funding", "msme_owner"),
        ("I want to buy a business", "buyer"),
        ("खरीदना है", "buyer"),
        ("hello", None),
    ],
)
def test_the_role_from_free_text(text: str, role: str | None) -> None:
    assert role_of(text) == role


def test_close_spellings_of_an_option_title_pick_it() -> None:
    options = [
        Option("confirm", "Confirm"),
        Option("back", "Back"),
        Option("restart", "Start over"),
    ]

    assert pick(options, None, "conferm") == options[0]
    assert pick(options, None, "start ovr") == options[2]
    assert pick(options, None, "banana") is None


def test_a_gstin_inside_a_sentence_is_found_with_the_rest() -> None:
    gstin = gstin_for(new_pan("F"), "24")

    found = find_gstin(f"Imran Garments {gstin.lower()}")

    assert (found.gstin, found.rest) == (gstin, "Imran Garments")


@pytest.mark.parametrize("text", ["no gst", "gst nahi hai", "जीएसटी नहीं है", "nahi"])
def test_no_gst_in_words(text: str) -> None:
    assert find_gstin(text).absent


def test_a_mistyped_gstin_says_why() -> None:
    found = find_gstin("27AAPFU0939F1ZW")

    assert found.gstin is None
    assert getattr(found.error, "rule", None) == "checksum"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("around 45 lakh", (4_500_000, None)),
        ("1.2cr", (12_000_000, None)),
        ("४५ लाख", (4_500_000, None)),
        ("sales 45L, profit 6L", (4_500_000, 600_000)),
        ("profit 6 lakh, sales 45 lakh", (4_500_000, 600_000)),
        ("2 cr sale, 15 lakh profit", (20_000_000, 1_500_000)),
        ("बिक्री १.२ करोड़, मुनाफ़ा १५ लाख", (12_000_000, 1_500_000)),
        ("sales 2 crore, loss 10 lakh", (20_000_000, -1_000_000)),
        ("FY 2024-25 me 45 lakh", (4_500_000, None)),
        ("45 dollars", (None, None)),
    ],
)
def test_sales_and_profit_from_one_answer(
    text: str, expected: tuple[int | None, int | None]
) -> None:
    assert revenue_and_profit(text) == expected


def test_amounts_keep_their_order() -> None:
    assert [a.rupees for a in find_amounts("45 lakh and 6 lakh")] == [4_500_000, 600_000]


@pytest.mark.parametrize(
    ("text", "place"),
    [
        ("Pune, 2012", Place("Pune", None, 2012, None)),
        ("surat gujarat 2015", Place("Surat", "Gujarat", 2015, None)),
        ("Lucknow UP 2009 mein shuru kiya", Place("Lucknow", "Uttar Pradesh", 2009, None)),
        ("इंदौर, मध्य प्रदेश, २०१५", Place("इंदौर", "Madhya Pradesh", 2015, None)),
        ("Coimbatore, 2008, 22 people", Place("Coimbatore", None, 2008, 22)),
        ("Chandigarh 2014", Place("Chandigarh", "Chandigarh", 2014, None)),
        ("2016", Place(None, None, 2016, None)),
    ],
)
def test_a_place_with_its_year_and_people(text: str, place: Place) -> None:
    assert read_place(text, 2026) == place


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("we make namkeen and snacks", "food_processing"),
        ("kirana ki dukaan", "retail"),
        ("दूध और पनीर की डेयरी", "dairy_beverages"),
        ("CNC machining and turning", "engineering"),
        ("truck transport", "logistics"),
        ("Textiles and Yarn", "textiles"),
    ],
)
def test_a_description_finds_its_sector(text: str, code: str) -> None:
    found = match_sectors(text)

    assert found[0].code == code
    assert is_sure(found, text)


def test_a_description_between_two_sectors_is_not_sure() -> None:
    found = match_sectors("garments and fabric")

    assert [s.code for s in found[:2]] == ["apparel", "textiles"]
    assert not is_sure(found, "garments and fabric")


def test_every_sector_of_the_words_is_in_the_taxonomy_and_every_sector_has_words() -> None:
    assert set(SECTOR_WORDS) == {sector.code for sector in SECTORS}


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Sharma Traders", "Sharma Traders"),
        ("My business name is Sharma Traders", "Sharma Traders"),
        ("it's called Sharma Traders", "Sharma Traders"),
        ("mera business ka naam Sharma Traders hai", "Sharma Traders"),
        ("मेरे बिज़नेस का नाम शर्मा ट्रेडर्स है", "शर्मा ट्रेडर्स"),
        ("Name Tag Industries", "Name Tag Industries"),
    ],
)
def test_the_name_out_of_a_sentence(text: str, name: str) -> None:
    assert business_name(text) == name


@pytest.mark.parametrize(("text", "none"), [("I don't have one", True), ("24ABC", False)])
def test_an_answer_saying_there_is_no_gstin(text: str, none: bool) -> None:
    assert says_none(text) is none
