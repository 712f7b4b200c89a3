"""Errors the valuation service answers with."""

from __future__ import annotations

from msmebazaar.shared.exceptions import NotFoundError


class ValuationNotFoundError(NotFoundError):
    default_code = "VALUATION_NOT_FOUND"
    default_message = "Valuation not found."
