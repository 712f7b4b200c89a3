"""Every text a template or page asks for exists in English and Hindi; amounts, bands and dates
read right in both."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from msmebazaar.shared.i18n import Catalog
from msmebazaar.web.rendering import ENVIRONMENT, TEMPLATE_DIR
from msmebazaar.web.texts import TEXTS, has_text, text

WEB = Path(__file__).resolve().parents[2] / "src" / "msmebazaar" / "web"
_TEMPLATE_KEY = re.compile(r"""(?<![A-Za-z_.])t\('([a-z_0-9.]+)'""")
_PYTHON_KEY = re.compile(r"""(?:\.t|text)\("([a-z_0-9.]+)"|flash="([a-z_.]+)\"""")


def _keys_in(pattern: re.Pattern[str], files: list[Path]) -> set[str]:
    keys: set[str] = set()
    for path in files:
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            keys |= {group for group in match.groups() if group}
    return keys


def test_every_text_a_template_names_exists() -> None:
    keys = _keys_in(_TEMPLATE_KEY, list(TEMPLATE_DIR.rglob("*.html")))

    assert keys, "no template texts found"
    assert sorted(key for key in keys if not key.endswith((".", "_")) and not has_text(key)) == []


def test_every_text_the_python_pages_name_exists() -> None:
    keys = _keys_in(_PYTHON_KEY, list(WEB.rglob("*.py")))

    assert sorted(key for key in keys if not has_text(key)) == []


@pytest.mark.parametrize(
    "prefix",
    ["deal.", "sort.", "listing_status.", "interest_status.", "verification.", "role.",
     "classification.", "legal_form.", "document_kind.", "method.", "grade.", "pan_holder.",
     "deal_stage.", "offer_status.", "offer_side."],
)  # fmt: skip
def test_each_family_of_names_is_translated(prefix: str) -> None:
    family = [key for key in TEXTS if key.startswith(prefix)]

    assert family
    for key in family:
        assert TEXTS[key]["hi"] != TEXTS[key]["en"] or key.startswith(
            ("figure.ebitda", "card.ebitda")
        )


def _render(source: str, lang: str, **context: object) -> str:
    return ENVIRONMENT.from_string(source).render(lang=lang, **context)


@pytest.mark.parametrize(
    ("lang", "amount", "expected"),
    [("en", 45 * 10**5, "₹45 L"), ("hi", 45 * 10**5, "₹45 लाख"), ("hi", 24 * 10**6, "₹2.4 करोड़"),
     ("en", None, "—")],
)  # fmt: skip
def test_amounts_read_in_lakh_and_crore(lang: str, amount: int | None, expected: str) -> None:
    assert _render("{{ amount|inr }}", lang, amount=amount) == expected


@pytest.mark.parametrize(
    ("label", "expected"),
    [("₹5–10 Cr", "₹5–10 करोड़"), ("Up to ₹10 L", "₹10 लाख तक"), ("Loss-making", "घाटे में")],
)
def test_bands_read_in_hindi(label: str, expected: str) -> None:
    assert _render("{{ label|band }}", "hi", label=label) == expected


def test_dates_use_the_pages_month_names() -> None:
    moment = datetime(2026, 3, 12, tzinfo=UTC)

    assert _render("{{ moment|day }}", "en", moment=moment) == "12 Mar 2026"
    assert _render("{{ moment|day }}", "hi", moment=moment) == "12 मार्च 2026"


def test_templates_escape_what_people_typed() -> None:
    rendered = _render("{{ name }}", "en", name="<script>alert(1)</script>")

    assert "<script>" not in rendered


def test_every_text_that_counts_has_a_singular_and_a_plural_form() -> None:
    counting = [key for key, by_language in TEXTS.items() if "{count}" in by_language["en"]]

    assert counting
    assert [key for key in counting if not key.endswith((".one", ".other"))] == []


@pytest.mark.parametrize(
    ("key", "count", "language", "expected"),
    [
        ("admin.queue_count", 1, "en", "1 profile"),
        ("admin.queue_count", 2, "en", "2 profiles"),
        ("admin.queue_count", 0, "en", "0 profiles"),
        ("search.count", 1, "en", "1 listing found"),
        ("search.count", 1, "hi", "1 लिस्टिंग मिली"),
        ("search.count", 0, "hi", "0 लिस्टिंग मिली"),
        ("search.count", 5, "hi", "5 लिस्टिंग मिलीं"),
        ("admin.moderation_count", 1, "en", "1 listing in review"),
        ("businesses.listing_count", 1, "en", "1 listing"),
        ("admin.signups_description", 1, "en", "1 signup in the last 30 days, one column per day."),
    ],
)
def test_counts_take_the_form_their_language_needs(
    key: str, count: int, language: str, expected: str
) -> None:
    assert text(key, language, count=count) == expected


def test_a_counted_text_without_its_other_form_is_refused() -> None:
    with pytest.raises(ValueError, match="both forms"):
        Catalog({"x.one": {"en": "{count} x", "hi": "{count} x"}})


def test_every_audit_action_has_a_label_in_both_languages() -> None:
    # The audit-log page names every action in its filter: one without a label breaks the page.
    from msmebazaar.admin.schemas import AuditAction  # noqa: PLC0415

    missing = [action.value for action in AuditAction if not has_text(f"audit_action.{action}")]

    assert missing == []


def test_an_instant_is_dated_by_the_day_it_falls_on_in_india() -> None:
    moment = datetime(2026, 3, 12, 20, 30, tzinfo=UTC)  # 02:00 on the 13th in India

    assert _render("{{ moment|india_day }}", "en", moment=moment) == "13 Mar 2026"
    assert _render("{{ moment|india_day }}", "hi", moment=moment) == "13 मार्च 2026"


def test_every_deal_stage_and_offer_status_has_a_label_in_both_languages() -> None:
    from msmebazaar.msme.schemas import DealStage, OfferStatus  # noqa: PLC0415

    names = [f"deal_stage.{stage}" for stage in DealStage]
    names += [f"offer_status.{status}" for status in OfferStatus]

    assert [name for name in names if not has_text(name)] == []
