"""Reading what people type: amounts in lakh and crore, budgets, counts, states, sectors,
commands and option picks, in English and Hindi."""

from __future__ import annotations

import pytest

from msmebazaar.shared.india import InvalidIdentifier
from msmebazaar.whatsapp.conversation.parsing import (
    Range,
    command_of,
    find_sectors,
    find_state,
    parse_amount,
    parse_count,
    parse_range,
    pick,
)
from msmebazaar.whatsapp.messages import Option


@pytest.mark.parametrize(
    ("typed", "rupees"),
    [
        ("45 lakh", 4_500_000),
        ("45 Lakhs", 4_500_000),
        ("1.2 crore", 12_000_000),
        ("1.2 Cr", 12_000_000),
        ("4500000", 4_500_000),
        ("₹45,00,000", 4_500_000),
        ("₹ 45,00,000/-", 4_500_000),
        ("Rs. 2.5 lakh", 250_000),
        ("45 lakh rupees", 4_500_000),
        ("45 लाख", 4_500_000),
        ("४५ लाख", 4_500_000),
        ("1.2 करोड़", 12_000_000),
        ("2 करोड़ रुपये", 20_000_000),
        ("-2 lakh", -200_000),
        ("0", 0),
    ],
)
def test_amounts_are_read_in_whole_rupees(typed: str, rupees: int) -> None:
    assert parse_amount(typed) == rupees


@pytest.mark.parametrize("typed", ["lots", "45 dollars", "1.234567 lakh", "", "12 lakh crore"])
def test_what_is_not_an_amount_is_refused(typed: str) -> None:
    with pytest.raises(InvalidIdentifier):
        parse_amount(typed)


@pytest.mark.parametrize(
    ("typed", "budget"),
    [
        ("50 lakh to 2 crore", Range(5_000_000, 20_000_000)),
        ("50 lakh - 2 crore", Range(5_000_000, 20_000_000)),
        ("50 लाख से 2 करोड़", Range(5_000_000, 20_000_000)),
        ("5 crore", Range(None, 50_000_000)),
        ("up to 5 crore", Range(None, 50_000_000)),
        ("5 करोड़ तक", Range(None, 50_000_000)),
    ],
)
def test_budgets_are_a_range_or_a_ceiling(typed: str, budget: Range) -> None:
    assert parse_range(typed) == budget


@pytest.mark.parametrize(("typed", "count"), [("12", 12), ("1,200", 1200), ("१२", 12), (" 7 ", 7)])
def test_counts_accept_grouping_and_devanagari_digits(typed: str, count: int) -> None:
    assert parse_count(typed) == count


@pytest.mark.parametrize("typed", ["twelve", "12.5", "-3", ""])
def test_what_is_not_a_count_is_none(typed: str) -> None:
    assert parse_count(typed) is None


@pytest.mark.parametrize(
    ("typed", "state"),
    [
        ("maharashtra", "Maharashtra"),
        ("Orissa", "Odisha"),
        ("महाराष्ट्र", "Maharashtra"),
        ("उत्तर प्रदेश", "Uttar Pradesh"),
        ("छत्तीसगढ़", "Chhattisgarh"),
        ("जम्मू कश्मीर", "Jammu and Kashmir"),
    ],
)
def test_states_are_found_by_english_or_hindi_name(typed: str, state: str) -> None:
    found = find_state(typed)

    assert found is not None
    assert found.name == state


def test_an_unknown_state_is_none() -> None:
    assert find_state("Atlantis") is None


def test_sectors_are_found_by_name_code_or_hindi_name() -> None:
    assert [s.code for s in find_sectors("Textiles and Yarn")] == ["textiles"]
    assert [s.code for s in find_sectors("it services")] == ["it_services"]
    assert [s.code for s in find_sectors("खाद्य प्रसंस्करण")] == ["food_processing"]
    assert len(find_sectors("food")) > 1
    assert find_sectors("") == []


@pytest.mark.parametrize(
    ("typed", "command"),
    [
        ("help", "help"),
        ("HELP", "help"),
        ("Help!", "help"),
        ("मदद", "help"),
        ("restart", "restart"),
        ("फिर से शुरू", "restart"),
        ("back", "back"),
        ("पीछे", "back"),
        ("status", "status"),
        ("स्थिति", "status"),
        ("language", "language"),
        ("भाषा", "language"),
    ],
)
def test_commands_are_recognised_in_both_languages(typed: str, command: str) -> None:
    assert command_of(typed) == command


@pytest.mark.parametrize("typed", ["help me with the GST", "Backwaters Resort", None, ""])
def test_a_command_word_inside_an_answer_is_not_a_command(typed: str | None) -> None:
    assert command_of(typed) is None


def test_an_option_is_picked_by_id_number_or_title() -> None:
    options = [Option("role:buyer", "Buy a business"), Option("role:investor", "Invest")]

    assert pick(options, "role:investor", "whatever") == options[1]
    assert pick(options, None, "1") == options[0]
    assert pick(options, None, "२") == options[1]
    assert pick(options, None, "buy a business") == options[0]
    assert pick(options, None, "3") is None
    assert pick(options, None, None) is None
