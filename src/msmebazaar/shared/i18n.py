"""Texts for people in the caller's language, picked one way everywhere (`resolve_language`).

English and Hindi are supported. Each service keeps its own `Catalog` of texts next to the rules
that produce them; a catalog refuses to be built with a text missing in either language.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any, Literal

from fastapi import Depends, Header

LanguageCode = Literal["en", "hi"]
SUPPORTED_LANGUAGES: tuple[LanguageCode, ...] = ("en", "hi")
DEFAULT_LANGUAGE: LanguageCode = "en"


def _as_supported(tag: str) -> LanguageCode | None:
    primary = tag.strip().lower().split("-", 1)[0].split("_", 1)[0]
    for code in SUPPORTED_LANGUAGES:
        if primary == code:
            return code
    return None


def _weighted_tags(header: str) -> list[tuple[float, int, str]]:
    tags = []
    for position, part in enumerate(header.split(",")):
        tag, _, params = part.partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        if tag.strip() and weight > 0:
            tags.append((-weight, position, tag))
    return sorted(tags)


def resolve_language(
    *,
    chosen: str | None = None,
    saved: str | None = None,
    remembered: str | None = None,
    accept_language: str | None = None,
) -> LanguageCode:
    """The caller's language: what this message itself is in, else the user's saved choice,
    else a visitor's remembered choice (a cookie), else the best `Accept-Language` match, else
    English. An unsupported value at any step is passed over."""
    for value in (chosen, saved, remembered):
        if value and (supported := _as_supported(value)):
            return supported
    for _, _, tag in _weighted_tags(accept_language or ""):
        if supported := _as_supported(tag):
            return supported
    return DEFAULT_LANGUAGE


async def header_language(  # async: a plain `def` dependency costs a worker-thread hop
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> LanguageCode:
    """FastAPI dependency: the language `Accept-Language` asks for (en or hi)."""
    return resolve_language(accept_language=accept_language)


HeaderLanguage = Annotated[LanguageCode, Depends(header_language)]


class Catalog:
    """Texts by key, each in every supported language, with `{placeholders}`."""

    def __init__(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        missing = [
            f"{key}.{code}"
            for key, by_language in texts.items()
            for code in SUPPORTED_LANGUAGES
            if not by_language.get(code)
        ]
        if missing:
            raise ValueError(f"texts missing a translation: {', '.join(missing)}")
        # `legal_form.other` names a choice; a counted form is one whose text has a {count}.
        unpaired = [
            key
            for key, by_language in texts.items()
            if key.endswith((".one", ".other"))
            and "{count}" in by_language.get(DEFAULT_LANGUAGE, "")
            and f"{key.rsplit('.', 1)[0]}.{'other' if key.endswith('.one') else 'one'}" not in texts
        ]
        if unpaired:
            raise ValueError(f"counted texts need both forms: {', '.join(unpaired)}")
        self._texts = {key: dict(by_language) for key, by_language in texts.items()}

    def text(self, key: str, language: str, **params: Any) -> str:
        """The text for `key` in `language` (English when unsupported), filled with `params`.

        A text that counts something is kept as two forms, `key.one` and `key.other`; asked for
        `key` with a `count`, the catalog picks the form the language needs ("1 listing",
        "2 listings")."""
        code = _as_supported(language) or DEFAULT_LANGUAGE
        if key not in self._texts and "count" in params:
            key = f"{key}.{plural_category(params['count'], code)}"
        return self._texts[key][code].format(**params)

    def has(self, key: str) -> bool:
        """Whether the catalog has `key` (as one text or as counted forms)."""
        return key in self._texts or f"{key}.other" in self._texts


def plural_category(count: Any, language: str) -> Literal["one", "other"]:
    """Which form a count takes (Unicode CLDR's cardinal rules): English says "1 profile" and
    "0 profiles"; Hindi uses the singular for 0 and 1 alike."""
    try:
        number = abs(float(count))
    except (TypeError, ValueError):
        return "other"
    if language == "hi":
        return "one" if number in (0, 1) else "other"
    return "one" if number == 1 else "other"
