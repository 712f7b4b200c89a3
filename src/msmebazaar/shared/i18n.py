"""Texts for people in the caller's language: the user's choice, else `Accept-Language`.

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


def negotiate_language(
    accept_language: str | None, user_language: str | None = None
) -> LanguageCode:
    """The user's saved language if supported, else the best `Accept-Language` match, else en."""
    if user_language and (chosen := _as_supported(user_language)):
        return chosen
    for _, _, tag in _weighted_tags(accept_language or ""):
        if chosen := _as_supported(tag):
            return chosen
    return DEFAULT_LANGUAGE


def header_language(
    accept_language: Annotated[str | None, Header(include_in_schema=False)] = None,
) -> LanguageCode:
    """FastAPI dependency: the language `Accept-Language` asks for (en or hi)."""
    return negotiate_language(accept_language)


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
        self._texts = {key: dict(by_language) for key, by_language in texts.items()}

    def text(self, key: str, language: str, **params: Any) -> str:
        """The text for `key` in `language` (English when unsupported), filled with `params`."""
        code = _as_supported(language) or DEFAULT_LANGUAGE
        return self._texts[key][code].format(**params)
