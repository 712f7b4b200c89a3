"""Valuation commands: `msmebazaar valuation-verify`."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.console import Console

from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import Database
from msmebazaar.valuation.verify import VerifyReport, verify_valuations

app = typer.Typer(add_completion=False)
console = Console(stderr=True)


async def _verify(limit: int | None) -> VerifyReport:
    database = Database.from_settings(get_settings().database)
    try:
        async with database.read_session() as session:
            return await verify_valuations(session, limit)
    finally:
        await database.dispose()


@app.command("valuation-verify")
def valuation_verify(
    limit: Annotated[
        int | None, typer.Option(min=1, help="Check only the newest N valuations.")
    ] = None,
) -> None:
    """Recompute stored valuations from their data version; exit 1 on any difference."""
    report = asyncio.run(_verify(limit))
    for line in report.mismatches:
        console.print(f"[red]MISMATCH[/] {line}")
    console.print(f"Checked {report.checked} valuation(s): {report.matched} match to the rupee.")
    if not report.ok:
        raise typer.Exit(code=1)
