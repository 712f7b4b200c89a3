"""The conversation harness: scripted chats (a persona and the messages they type, one TOML file
each under `tests/whatsapp/chats/<language>/`) replayed through the signed Meta webhook of the real
app, with completion and the number of inbound messages from the first one to the valuation range.

A chat stops as soon as the bot has given a valuation range (its later lines are not sent), so a
chat counts the messages a person needed, not the ones they happened to have prepared. `{GSTIN}`
in a message is a valid GSTIN (fresh PAN, the chat's `gstin_state`), `{gstin}` the same in lower
case, so chats never collide on a GSTIN already registered.
"""

from __future__ import annotations

import random
import statistics
import string
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import httpx
from sqlalchemy import select
from tests.msme.factories import gstin_for
from tests.whatsapp.helpers import MetaChat, new_mobile

from msmebazaar.shared.db import Database
from msmebazaar.whatsapp.messages import Reply
from msmebazaar.whatsapp.models import Conversation

CHATS = Path(__file__).parent / "chats"
LIMIT_WITH_GSTIN, LIMIT_WITHOUT_GSTIN = 9, 11


@dataclass(frozen=True)
class Script:
    """One scripted chat: who is writing, whether they have a GSTIN, and what they type."""

    path: Path
    language: str
    persona: str
    has_gstin: bool
    messages: tuple[str, ...]
    gstin_state: str = "27"
    pan_holder: str = "P"

    @property
    def limit(self) -> int:
        """The most inbound messages this chat may need to reach the range."""
        return LIMIT_WITH_GSTIN if self.has_gstin else LIMIT_WITHOUT_GSTIN


@dataclass
class Run:
    """What happened when a script was replayed."""

    script: Script
    completed: bool = False
    sent: int = 0
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def printed(self) -> str:
        """The chat as a person would read it."""
        lines = [f"# {self.script.path.stem}: {self.script.persona}"]
        for who, text in self.transcript:
            prefix = "👤 " if who == "user" else "🤖 "
            lines.append(prefix + text.replace("\n", "\n   "))
        return "\n".join(lines)


def load_scripts(language: str | None = None) -> list[Script]:
    """Every scripted chat (of one language folder, when given), in file order."""
    folders = [CHATS / language] if language else sorted(p for p in CHATS.iterdir() if p.is_dir())
    scripts = []
    for folder in folders:
        for path in sorted(folder.glob("*.toml")):
            data = tomllib.loads(path.read_text(encoding="utf-8"))
            scripts.append(
                Script(
                    path=path,
                    language=folder.name,
                    persona=str(data["persona"]),
                    has_gstin=bool(data["gstin"]),
                    messages=tuple(str(m) for m in data["messages"]),
                    gstin_state=str(data.get("gstin_state", "27")),
                    pan_holder=str(data.get("pan_holder", "P")),
                )
            )
    return scripts


def _random_pan(holder: str) -> str:
    """A well-formed PAN no other test process will draw (GSTINs are unique per profile)."""
    letters = random.choices(string.ascii_uppercase, k=5)
    digits = random.choices(string.digits, k=4)
    return f"{''.join(letters[:3])}{holder}{letters[3]}{''.join(digits)}{letters[4]}"


def _valued(conversation: Conversation | None) -> bool:
    result = (conversation.answers or {}).get("result") if conversation else None
    return isinstance(result, dict) and "low" in result


async def replay(client: httpx.AsyncClient, database: Database, script: Script) -> Run:
    """Send the script's messages through the Meta webhook until the bot gives a range."""
    gstin = gstin_for(_random_pan(script.pan_holder), script.gstin_state)
    chat = MetaChat(client, database, new_mobile())
    run = Run(script)
    for message in script.messages:
        text = message.replace("{GSTIN}", gstin).replace("{gstin}", gstin.lower())
        run.transcript.append(("user", text))
        run.sent += 1
        if text.startswith("tap:"):
            reply = await _tap(chat, text.removeprefix("tap:"))
        else:
            reply = await chat.say(text)
        run.transcript.append(("bot", reply.as_plain_text()))
        async with database.session() as session:
            conversation = await session.scalar(
                select(Conversation).where(Conversation.phone == chat.phone)
            )
        if _valued(conversation):
            run.completed = True
            break
    return run


async def _tap(chat: MetaChat, title: str) -> Reply:
    """Tap the option of the last reply with this title (or id)."""
    assert chat.last is not None
    option = next((o for o in chat.last.options if title in {o.title, o.id}), None)
    assert option is not None, f"no option {title!r} in {chat.last.as_plain_text()!r}"
    return await chat.tap(option.id)


def report(runs: list[Run]) -> str:
    """Completion and messages per chat, by language and in all."""
    lines = []
    groups = sorted({run.script.language for run in runs})
    for group in [*groups, "all"]:
        chosen = [r for r in runs if group in {"all", r.script.language}]
        done = [r for r in chosen if r.completed]
        counts = [r.sent for r in done] or [0]
        within = sum(1 for r in done if r.sent <= r.script.limit)
        split = "  ".join(
            f"{name} p50 {statistics.median(c):4.1f} max {max(c):2}"
            for name, has in (("gstin", True), ("no-gstin", False))
            if (c := [r.sent for r in done if r.script.has_gstin is has])
        )
        lines.append(
            f"{group:9} chats {len(chosen):3}  completed {len(done):3} "
            f"({100 * len(done) / max(len(chosen), 1):5.1f}%)  within limit {within:3}  "
            f"messages p50 {statistics.median(counts):4.1f} max {max(counts):3}  ({split})"
        )
    for run in runs:
        if not run.completed or run.sent > run.script.limit:
            state = "over limit" if run.completed else "NOT COMPLETED"
            lines.append(f"  {run.script.language}/{run.script.path.stem}: {state}, {run.sent}")
    return "\n".join(lines)
