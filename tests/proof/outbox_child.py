"""A worker process for tests/proof/test_faults_delivery.py to kill in the middle of a send.

`python -m tests.proof.outbox_child URL FOLDER MODE`: claims due SMS messages like the real worker
and hands them to a provider that writes `FOLDER/started`, then either hangs before the provider
accepts the message (MODE `before`) or records it as accepted in `FOLDER/accepted` and hangs
before the worker can mark it sent (MODE `after`). The test SIGKILLs it there.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from msmebazaar.shared.config import DatabaseSettings, OutboxSettings
from msmebazaar.shared.db import Database
from msmebazaar.shared.messaging import OutboundMessage
from msmebazaar.shared.outbox import OutboxWorker

LEASE_SECONDS = 0.5


class HangingProvider:
    """Starts a send, then never finishes it."""

    name = "hanging"

    def __init__(self, folder: Path, mode: str) -> None:
        self.folder = folder
        self.mode = mode

    async def send(self, message: OutboundMessage) -> str:
        """Mark the send started; accept it or not; hang."""
        if self.mode == "after":
            with (self.folder / "accepted").open("a") as accepted:
                accepted.write(f"{message.id}\n")
        (self.folder / "started").write_text(str(message.id))
        await asyncio.Event().wait()
        return "never"

    async def close(self) -> None:
        """Nothing to release."""


async def main(url: str, folder: Path, mode: str) -> None:
    database = Database.from_settings(DatabaseSettings(url=url))
    settings = OutboxSettings(lease_seconds=LEASE_SECONDS)
    await OutboxWorker(database, {"sms": HangingProvider(folder, mode)}, settings).run_once()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], Path(sys.argv[2]), sys.argv[3]))
