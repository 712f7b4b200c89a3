"""Every question fits WhatsApp's limits in both languages; envelopes survive the outbox."""

from __future__ import annotations

import pytest

from msmebazaar.shared.db import utcnow
from msmebazaar.whatsapp.conversation.questions import ask, sector_pages
from msmebazaar.whatsapp.conversation.state import State, Step
from msmebazaar.whatsapp.conversation.texts import CATALOG
from msmebazaar.whatsapp.messages import (
    MAX_BUTTON_TITLE,
    MAX_INTERACTIVE_BODY,
    MAX_LIST_ROWS,
    MAX_ROW_TITLE,
    Envelope,
    Option,
    Reply,
)

FULL_ANSWERS = {
    "role": "buyer",
    "role_current": "buyer",
    "role_wanted": "msme_owner",
    "name": "N" * 200,
    "gstin": "27AAPFU0939F1ZV",
    "gstin_state": "Maharashtra",
    "sector": "business_services",
    "state": "Dadra and Nagar Haveli and Daman and Diu",
    "city": "C" * 100,
    "year": 2012,
    "revenue": 10**15,
    "ebitda": -(10**15),
    "employees": 10_000_000,
    "mandate_sector": "waste_recycling",
    "mandate_state": "Andaman and Nicobar Islands",
    "ticket_min": 10**14,
    "ticket_max": 10**15,
    "thesis": "T" * 1000,
}


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("step", list(Step))
def test_every_question_fits_whatsapps_limits(step: Step, language: str) -> None:
    state = State(step=step, language=language, answers=dict(FULL_ANSWERS))

    reply = ask(state, utcnow())

    assert reply.body
    if reply.kind == "buttons":
        assert 1 <= len(reply.options) <= 3
        assert all(len(o.title) <= MAX_BUTTON_TITLE for o in reply.options)
    if reply.kind in {"buttons", "list"}:
        assert len(reply.body) <= MAX_INTERACTIVE_BODY
    if reply.kind == "list":
        assert len(reply.options) <= MAX_LIST_ROWS
        assert all(len(o.title) <= MAX_ROW_TITLE for o in reply.options)


@pytest.mark.parametrize("language", ["en", "hi"])
@pytest.mark.parametrize("with_any", [True, False])
def test_the_sector_pages_hold_every_sector_once(language: str, with_any: bool) -> None:
    pages = sector_pages(language, with_any=with_any)

    ids = [o.id for page in pages for o in page if o.id.startswith("sector:")]
    assert len(ids) == len(set(ids)) == 36 + with_any
    assert all(len(page) <= MAX_LIST_ROWS for page in pages)


def test_button_titles_over_twenty_characters_are_refused() -> None:
    with pytest.raises(ValueError, match="1 to 20"):
        Reply.buttons("Pick", [Option("a", "A title that is far too long")])
    with pytest.raises(ValueError, match="reply buttons"):
        Reply.buttons("Pick", [Option(str(n), str(n)) for n in range(4)])


def test_list_rows_are_clipped_and_at_most_ten() -> None:
    reply = Reply.choices("Pick", [Option("a", "x" * 40, "d" * 100)], "Choose")

    assert reply.options[0].title == "x" * 23 + "…"
    assert reply.options[0].description is not None
    assert len(reply.options[0].description) == 72
    with pytest.raises(ValueError, match="list rows"):
        Reply.choices("Pick", [Option(str(n), str(n)) for n in range(11)], "Choose")


def test_a_long_prefix_keeps_the_body_within_the_limit() -> None:
    reply = Reply.buttons("Question?", [Option("a", "A")]).prefixed("x" * 2000)

    assert len(reply.body) == MAX_INTERACTIVE_BODY


def test_an_envelope_round_trips_through_the_outbox_body() -> None:
    reply = Reply.choices("Pick", [Option("a", "Alpha", "First")], "Choose")
    envelope = Envelope(reply, "meta", "2026-01-01T00:00:00+00:00")

    again = Envelope.loads(envelope.dumps())

    assert again == envelope


@pytest.mark.parametrize("body", ["not json", "[]", '{"v": 2}'])
def test_a_body_that_is_not_an_envelope_is_refused(body: str) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - json's and ours are both ValueError
        Envelope.loads(body)


def test_every_text_has_both_languages() -> None:
    for key in ("welcome", "ask_revenue", "done_owner", "help"):
        assert CATALOG.text(key, "en", **_params()) != ""
        assert CATALOG.text(key, "hi", **_params()) != ""


def _params() -> dict[str, object]:
    return {
        "fiscal_year": "2024-25",
        "name": "n",
        "low": "1",
        "high": "2",
        "base": "1",
        "confidence": 50,
        "link": "l",
    }
