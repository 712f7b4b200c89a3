"""Every text of the portal in English and Hindi, one module per audience; the shared `Catalog`
refuses to load when a text is missing in either language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from msmebazaar.shared.i18n import Catalog
from msmebazaar.web.texts import (
    admin,
    buyer,
    common,
    deals,
    errors,
    notifications,
    owner,
    public,
)

_MODULES = (common, errors, public, owner, buyer, admin, deals, notifications)


def _merged() -> dict[str, Mapping[str, str]]:
    merged: dict[str, Mapping[str, str]] = {}
    for module in _MODULES:
        duplicates = merged.keys() & module.TEXTS.keys()
        if duplicates:
            raise ValueError(f"texts defined twice: {', '.join(sorted(duplicates))}")
        merged.update(module.TEXTS)
    return merged


TEXTS = _merged()
CATALOG = Catalog(TEXTS)


def text(key: str, language: str, **params: Any) -> str:
    """The text `key` in `language` (en or hi), with `{placeholders}` filled."""
    return CATALOG.text(key, language, **params)


def has_text(key: str) -> bool:
    """Whether the catalog has a text for `key` (one text or counted forms)."""
    return CATALOG.has(key)
