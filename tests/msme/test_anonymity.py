"""The anonymity scan of an anonymous listing's headline and summary (a pure function)."""

from __future__ import annotations

import pytest

from msmebazaar.msme.anonymity import (
    BusinessFacts,
    contains_email,
    contains_phone_number,
    contains_web_address,
    distinctive_name_words,
    scan_listing_text,
)

FACTS = BusinessFacts(
    legal_name="Shree Ganesh Food Products Private Limited",
    trade_name="Ganesh Namkeen",
    gstin="27AAPFU0939F1ZV",
    pan="AAPFU0939F",
    udyam_number="UDYAM-MH-26-0012345",
    cin="U15400MH2012PTC123456",
    city="Pune",
    state="Maharashtra",
    website="https://www.ganeshnamkeen.in",
    phones=("+919812345678",),
    emails=("owner@ganeshnamkeen.in",),
)


def _messages(headline: str, summary: str = "A clean summary of a good business.") -> list[str]:
    return [finding.message for finding in scan_listing_text(headline, summary, FACTS)]


@pytest.mark.parametrize(
    "text",
    [
        "Profitable snacks maker in western India",
        "₹8 Cr revenue, 15% EBITDA margin, 42 employees, est. 2012",
        "Revenue grew from 6 Cr in 2022-23 to 8 Cr in 2024-25",
        "FY 2021 2022 2023 2024 all profitable",
        "Food products unit with private label contracts",  # generic words of the name
        "Enterprises and industries across India buy from us",
        "e.g. strong distributor network, Rs. 50 L working capital",
        "नमकीन बनाने वाली लाभदायक इकाई",
        "Punjab and Gujarat distributors",  # not the city
        "Owner retiring; 100% stake on offer",
    ],
)
def test_a_clean_text_has_no_findings(text: str) -> None:
    assert _messages(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ganesh Namkeen for sale",
        "GANESH NAMKEEN for sale",
        "ganesh-namkeen brand",
        "GaneshNamkeen brand",
        "Shree Ganesh Food Products for sale",
        "Shree Ganesh Food Products Pvt Ltd is for sale",
    ],
)
def test_the_business_name_in_any_case_or_spacing_is_found(text: str) -> None:
    assert "mentions the business's name" in _messages(text)


def test_generic_words_are_dropped_from_names() -> None:
    assert distinctive_name_words("Sharma Enterprises Pvt. Ltd.") == ["sharma"]
    assert distinctive_name_words("M/s Patel & Sons Private Limited") == ["patel"]
    assert distinctive_name_words("Enterprises Private Limited") == []


def test_a_name_made_only_of_generic_words_is_not_scanned() -> None:
    facts = BusinessFacts(legal_name="Industries Private Limited")

    assert scan_listing_text("Industries private limited sale", "x" * 30, facts) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("GSTIN 27AAPFU0939F1ZV", "mentions the business's GSTIN"),
        ("gstin 27aapfu0939f1zv", "mentions the business's GSTIN"),
        ("GST: 27 AAPFU 0939F 1ZV", "mentions the business's GSTIN"),
        ("PAN AAPFU0939F", "mentions the business's PAN"),
        ("Udyam UDYAM-MH-26-0012345", "mentions the business's Udyam number"),
        ("udyam mh 26 0012345", "mentions the business's Udyam number"),
        ("CIN U15400MH2012PTC123456", "mentions the business's CIN"),
        ("based in Pune", "mentions the business's city"),
        ("PUNE based", "mentions the business's city"),
    ],
)
def test_identifiers_and_the_city_are_found(text: str, message: str) -> None:
    assert message in _messages(text)


def test_a_gstin_is_reported_once_not_also_as_its_pan() -> None:
    assert _messages("GSTIN 27AAPFU0939F1ZV") == ["mentions the business's GSTIN"]


def test_a_city_that_is_also_the_state_is_not_a_finding() -> None:
    facts = BusinessFacts(legal_name="Kapoor Prints", city="Delhi", state="Delhi")

    assert scan_listing_text("Print shop in Delhi", "Busy print shop, 20 years old.", facts) == []


@pytest.mark.parametrize(
    "text",
    [
        "call 9876543210",
        "call 98765 43210",
        "call 98765-43210",
        "call +91 98765 43210",
        "call +91-9876543210",
        "call 09876543210",
        "call 0091 98765 43210",
        "call (+91) 98765.43210",
        "call 987 654 3210",
        "call nine eight seven six five four three two one zero",
        "call Nine-Eight-Seven-Six-Five-Four-Three-Two-One-Zero",
        "call double nine eight seven six five four three two one",
        "फ़ोन ९८७६५४३२१०",
    ],
)
def test_indian_mobiles_in_any_spelling_are_found(text: str) -> None:
    assert contains_phone_number(text)
    assert "contains a phone number" in _messages(text)


@pytest.mark.parametrize(
    "text",
    [
        "revenue 12,50,00,000",
        "established 1998 with 45 staff",
        "landline 022 2345 6789",
        "pincode 411001",
        "5432109876",  # starts with 5: not an Indian mobile
    ],
)
def test_other_numbers_are_not_phone_numbers(text: str) -> None:
    assert not contains_phone_number(text)


@pytest.mark.parametrize(
    "text",
    ["mail a.b@example.com", "write to sales@firm.co.in", "ping me: rk (at) gmail (dot) com"],
)
def test_email_addresses_are_found(text: str) -> None:
    assert contains_email(text)
    assert _messages(text) == ["contains an e-mail address"]


@pytest.mark.parametrize(
    "text",
    [
        "see https://example.com/about",
        "see www.example.org",
        "see example.in",
        "see shop.example.co.in for more",
        "visit ganeshnamkeen on the web",  # the website's own name
    ],
)
def test_web_addresses_are_found(text: str) -> None:
    assert contains_web_address(text, FACTS.website)


@pytest.mark.parametrize("text", ["Rs. 5 Cr", "e.g. snacks", "approx. 45 L", "3.5 Cr EBITDA"])
def test_abbreviations_and_amounts_are_not_web_addresses(text: str) -> None:
    assert not contains_web_address(text)


def test_the_owners_own_email_is_found_even_obfuscated_by_spacing() -> None:
    assert "contains an e-mail address" in _messages("owner @ ganeshnamkeen.in")


def test_each_finding_names_its_field() -> None:
    findings = scan_listing_text("Ganesh Namkeen", "Call 98765 43210 in Pune", FACTS)

    assert [finding.as_detail() for finding in findings] == [
        {"field": "headline", "message": "mentions the business's name"},
        {"field": "summary", "message": "contains a phone number"},
        {"field": "summary", "message": "mentions the business's city"},
    ]


def test_name_words_must_be_whole_words() -> None:
    facts = BusinessFacts(legal_name="Ram Traders")

    assert (
        scan_listing_text("Programmable logic, ramp up", "Ramesh runs it well today.", facts) == []
    )
