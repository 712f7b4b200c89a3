"""The valuation service as the app and the CLI see it."""

from __future__ import annotations

from msmebazaar.services import ServiceSpec
from msmebazaar.valuation.cli import app as cli
from msmebazaar.valuation.router import router

SERVICE = ServiceSpec(
    name="valuation",
    routers=[router],
    cli=cli,
    tags=[
        {
            "name": "valuation",
            "description": "Explained multi-method valuations with a range, a confidence and a "
            "PDF report; the sector multiples in use.",
        }
    ],
)
