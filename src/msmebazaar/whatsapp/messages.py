"""What the bot says: a reply is text, reply buttons or a list, or an approved template.

Replies are built within WhatsApp's limits (Meta Cloud API: at most 3 reply buttons with titles of
at most 20 characters; lists of at most 10 rows, row titles of at most 24). Providers without
interactive messages (Twilio, the console) show the same options as a numbered list, and a typed
number picks an option, so one conversation works everywhere.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Literal

MAX_BUTTONS = 3
MAX_BUTTON_TITLE = 20
MAX_LIST_ROWS = 10
MAX_ROW_TITLE = 24
MAX_ROW_DESCRIPTION = 72
MAX_LIST_BUTTON = 20
MAX_OPTION_ID = 200
MAX_INTERACTIVE_BODY = 1024
MAX_TEXT_BODY = 4096

ReplyKind = Literal["text", "buttons", "list", "template"]
PAYLOAD_VERSION = 1


def clip(text: str, limit: int) -> str:
    """`text` cut to `limit` characters, ending in an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


@dataclass(frozen=True, slots=True)
class Option:
    """One choice: `id` comes back in an interactive reply; `title` is what the user sees."""

    id: str
    title: str
    description: str | None = None


@dataclass(frozen=True, slots=True)
class Reply:
    """One outbound message. Build it with `text()`, `buttons()` or `choices()`."""

    kind: ReplyKind
    body: str
    options: tuple[Option, ...] = ()
    list_button: str | None = None
    template: str | None = None
    language: str | None = None

    @classmethod
    def text(cls, body: str) -> Reply:
        """A plain text message."""
        return cls("text", clip(body, MAX_TEXT_BODY))

    @classmethod
    def buttons(cls, body: str, options: list[Option]) -> Reply:
        """Text with up to three reply buttons."""
        if not 1 <= len(options) <= MAX_BUTTONS:
            raise ValueError(f"reply buttons: 1 to {MAX_BUTTONS}, not {len(options)}")
        checked = tuple(_checked(option, MAX_BUTTON_TITLE) for option in options)
        return cls("buttons", clip(body, MAX_INTERACTIVE_BODY), checked)

    @classmethod
    def choices(cls, body: str, options: list[Option], button: str) -> Reply:
        """Text with a list of up to ten rows behind a button."""
        if not 1 <= len(options) <= MAX_LIST_ROWS:
            raise ValueError(f"list rows: 1 to {MAX_LIST_ROWS}, not {len(options)}")
        rows = tuple(
            Option(
                option.id,
                clip(option.title, MAX_ROW_TITLE),
                clip(option.description, MAX_ROW_DESCRIPTION) if option.description else None,
            )
            for option in options
        )
        for row in rows:
            _checked(row, MAX_ROW_TITLE)
        return cls("list", clip(body, MAX_INTERACTIVE_BODY), rows, clip(button, MAX_LIST_BUTTON))

    @classmethod
    def approved_template(cls, name: str, language: str) -> Reply:
        """The configured template: the only message allowed outside the 24-hour window."""
        return cls("template", "", template=name, language=language)

    def prefixed(self, text: str) -> Reply:
        """The same reply with `text` (an acknowledgement, a reason) before its body."""
        if not text:
            return self
        limit = MAX_TEXT_BODY if self.kind == "text" else MAX_INTERACTIVE_BODY
        body = clip(f"{text}\n\n{self.body}", limit)
        return Reply(self.kind, body, self.options, self.list_button, self.template, self.language)

    def as_plain_text(self) -> str:
        """The reply for channels without interactive messages: options numbered."""
        if self.kind == "template":
            return f"[template {self.template} ({self.language})]"
        lines = [self.body]
        if self.options:
            lines.append("")
            lines.extend(  # a clipped list row keeps its full name in the description
                f"{number}. {option.description or option.title}"
                for number, option in enumerate(self.options, 1)
            )
        return "\n".join(lines)

    def to_payload(self) -> dict[str, Any]:
        """The reply as JSON-ready data (stored, and carried by the outbox)."""
        payload: dict[str, Any] = {"v": PAYLOAD_VERSION, "kind": self.kind, "body": self.body}
        if self.options:
            payload["options"] = [
                {"id": o.id, "title": o.title, "description": o.description} for o in self.options
            ]
        if self.list_button:
            payload["list_button"] = self.list_button
        if self.template:
            payload["template"] = {"name": self.template, "language": self.language}
        return payload

    @classmethod
    def from_payload(cls, payload: dict[str, Any]) -> Reply:
        """The reply `to_payload` wrote."""
        options = tuple(
            Option(str(o["id"]), str(o["title"]), o.get("description"))
            for o in payload.get("options", ())
        )
        template = payload.get("template") or {}
        return cls(
            payload["kind"],
            str(payload.get("body", "")),
            options,
            payload.get("list_button"),
            template.get("name"),
            template.get("language"),
        )


def _checked(option: Option, title_limit: int) -> Option:
    if not option.title or len(option.title) > title_limit:
        raise ValueError(f"option title must be 1 to {title_limit} characters: {option.title!r}")
    if not option.id or len(option.id) > MAX_OPTION_ID:
        raise ValueError(f"option id must be 1 to {MAX_OPTION_ID} characters")
    return option


@dataclass(frozen=True, slots=True)
class Envelope:
    """What the outbox carries for one WhatsApp message: the reply and how to deliver it.

    `via` is the provider the user wrote through (replies go back the same way when it is
    configured); `window_until` is when WhatsApp's 24-hour customer-service window closes, after
    which only a template may be sent.
    """

    reply: Reply
    via: str
    window_until: str | None

    def dumps(self) -> str:
        """The outbox body."""
        data = self.reply.to_payload() | {"via": self.via, "window_until": self.window_until}
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"))

    @classmethod
    def loads(cls, body: str) -> Envelope:
        """Read an outbox body; `ValueError` when it is not one of ours."""
        data = json.loads(body)
        if not isinstance(data, dict) or data.get("v") != PAYLOAD_VERSION:
            raise ValueError("not a WhatsApp message envelope")
        return cls(Reply.from_payload(data), str(data.get("via") or ""), data.get("window_until"))
