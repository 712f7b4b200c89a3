"""The scripted chats of `tests/whatsapp/chats/`: at least 95% reach a valuation range, each
within 9 inbound messages with a GSTIN and 11 without (see `harness.py`)."""

from __future__ import annotations

import httpx
import pytest
from tests.whatsapp.harness import CHATS, load_scripts, replay, report

from msmebazaar.shared.db import Database

LANGUAGES = sorted(p.name for p in CHATS.iterdir() if p.is_dir())


def test_every_language_has_twenty_chats() -> None:
    assert {language: len(load_scripts(language)) for language in LANGUAGES} == {
        "en": 20, "hi": 20, "hinglish": 20,
    }  # fmt: skip


@pytest.mark.parametrize("language", LANGUAGES)
async def test_scripted_chats_reach_a_range_within_the_message_limits(
    language: str, client: httpx.AsyncClient, database: Database
) -> None:
    runs = [await replay(client, database, script) for script in load_scripts(language)]

    completed = [run for run in runs if run.completed]
    failed = "\n\n".join(run.printed() for run in runs if not run.completed)
    print(f"\n{report(runs)}\n\n{runs[0].printed()}\n\n{failed}")  # shown with pytest -s
    assert len(completed) >= 0.95 * len(runs), f"{report(runs)}\n\n{failed}"
    over = [run.printed() for run in completed if run.sent > run.script.limit]
    assert not over, "\n\n".join(over)
