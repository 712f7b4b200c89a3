"""The caller's language: the user's choice, else Accept-Language, else English."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from msmebazaar.shared.i18n import Catalog, HeaderLanguage, resolve_language


@pytest.mark.parametrize(
    ("header", "user", "expected"),
    [
        (None, None, "en"),
        ("hi-IN,hi;q=0.9,en;q=0.8", None, "hi"),
        ("en-GB,en;q=0.9", None, "en"),
        ("fr-FR, hi;q=0.5", None, "hi"),
        ("en;q=0.2, hi;q=0.8", None, "hi"),
        ("hi;q=0, en", None, "en"),
        ("ta-IN", None, "en"),
        ("hi", "en", "en"),
        ("en", "hi", "hi"),
        ("en", "ta", "en"),
        ("garbage;;q=x", None, "en"),
    ],
)
def test_language_is_the_users_choice_then_the_best_supported_header_match(
    header: str | None, user: str | None, expected: str
) -> None:
    assert resolve_language(saved=user, accept_language=header) == expected


@pytest.mark.parametrize(
    ("chosen", "saved", "remembered", "header", "expected"),
    [
        ("hi", "en", "en", "en", "hi"),  # the message's own language first (WhatsApp)
        (None, "hi", "en", "en", "hi"),  # then the user's saved choice
        (None, None, "hi", "en", "hi"),  # then a visitor's cookie
        (None, None, None, "fr, hi;q=0.5", "hi"),  # then the best header match
        ("ta", "xx", "", "hi", "hi"),  # unsupported values are passed over
        (None, None, None, None, "en"),
    ],
)
def test_language_resolves_message_then_user_then_cookie_then_header(
    chosen: str | None, saved: str | None, remembered: str | None, header: str | None, expected: str
) -> None:
    resolved = resolve_language(
        chosen=chosen, saved=saved, remembered=remembered, accept_language=header
    )

    assert resolved == expected


def test_catalog_fills_placeholders_in_the_asked_language() -> None:
    catalog = Catalog({"asking": {"en": "Asking {price}", "hi": "माँग {price}"}})

    assert catalog.text("asking", "hi", price="₹2.4 करोड़") == "माँग ₹2.4 करोड़"
    assert catalog.text("asking", "ta", price="₹2.4 Cr") == "Asking ₹2.4 Cr"


def test_catalog_refuses_a_text_without_every_translation() -> None:
    with pytest.raises(ValueError, match=r"sector\.hi"):
        Catalog({"sector": {"en": "Sector"}})


async def test_header_language_dependency_reads_accept_language() -> None:
    app = FastAPI()

    @app.get("/lang")
    async def lang(language: HeaderLanguage) -> str:
        return language

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
        hindi = await http.get("/lang", headers={"Accept-Language": "hi-IN"})
        default = await http.get("/lang")

    assert hindi.json() == "hi"
    assert default.json() == "en"
