"""What a step handler gets (the turn: the unit of work, who is writing, when) and gives back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.shared.runtime import Runtime
from msmebazaar.whatsapp.conversation.state import Step
from msmebazaar.whatsapp.messages import Reply

# Pages of the web portal a finished conversation links to (the user signs in there with the
# same phone; links never carry a sign-in token).
PROFILE_PAGE = "my/businesses/{id}"
MANDATE_PAGE = "buyer/mandates/{id}"


@dataclass(frozen=True, slots=True)
class Turn:
    """One inbound message being handled: its unit of work, the sender's phone (E.164) and the
    time, plus what the services called on completion need."""

    session: AsyncSession
    runtime: Runtime
    phone: str
    now: datetime

    def link(self, path: str) -> str:
        """A plain link into the web app (never with a sign-in token)."""
        return f"{self.runtime.settings.app.public_base_url.rstrip('/')}/{path.lstrip('/')}"


@dataclass(frozen=True, slots=True)
class UserInput:
    """What the user sent: `kind` is text, button, list or unsupported; a tapped option's id
    is `reply_id`."""

    kind: str
    text: str | None = None
    reply_id: str | None = None


@dataclass(frozen=True, slots=True)
class Outcome:
    """A step's verdict on an answer.

    `error`: the answer is refused; the question is asked again after this reason (or, with
    `goto`, that step's question). `goto`: go to this step instead of the next. `moved`: the
    handler has set the step itself (a page turned, `back`). `final`: the replies that end the
    turn (the onboarding is complete). `ack` is said before the next question.
    """

    error: str | None = None
    ack: str | None = None
    goto: Step | None = None
    moved: bool = False
    final: tuple[Reply, ...] = ()
