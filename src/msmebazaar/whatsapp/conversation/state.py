"""Where a conversation is: its step, the language, the answers so far and the way back.

The state is plain data, read from the conversation's row and written back to it once a message
has been handled, so a handler never touches the database row itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Step(StrEnum):
    LANGUAGE = "language"
    ROLE = "role"
    ROLE_SWITCH = "role_switch"
    NAME = "name"
    GSTIN = "gstin"
    SECTOR = "sector"
    STATE = "state"
    CITY = "city"
    YEAR = "year"
    REVENUE = "revenue"
    EBITDA = "ebitda"
    EMPLOYEES = "employees"
    CONFIRM = "confirm"
    MANDATE_SECTOR = "mandate_sector"
    MANDATE_STATE = "mandate_state"
    MANDATE_TICKET = "mandate_ticket"
    MANDATE_THESIS = "mandate_thesis"
    MANDATE_CONFIRM = "mandate_confirm"
    MENU = "menu"
    MENU_ACTION = "menu_action"
    MENU_FIGURES = "menu_figures"
    DONE = "done"


OWNER_FLOW: tuple[Step, ...] = (
    Step.NAME,
    Step.GSTIN,
    Step.SECTOR,
    Step.CITY,
    Step.STATE,
    Step.YEAR,
    Step.EMPLOYEES,
    Step.REVENUE,
    Step.EBITDA,
    Step.CONFIRM,
)
# The answer each question fills: a question already answered (the GSTIN gave the state, one
# message carried the city and the year) is not asked.
ANSWER_OF: dict[Step, str] = {
    Step.NAME: "name",
    Step.GSTIN: "gstin",
    Step.SECTOR: "sector",
    Step.CITY: "city",
    Step.STATE: "state",
    Step.YEAR: "year",
    Step.EMPLOYEES: "employees",
    Step.REVENUE: "revenue",
    Step.EBITDA: "ebitda",
    Step.MANDATE_SECTOR: "mandate_sector",
    Step.MANDATE_STATE: "mandate_state",
    Step.MANDATE_TICKET: "ticket_max",
    Step.MANDATE_THESIS: "thesis",
}
MANDATE_FLOW: tuple[Step, ...] = (
    Step.MANDATE_SECTOR,
    Step.MANDATE_STATE,
    Step.MANDATE_TICKET,
    Step.MANDATE_THESIS,
    Step.MANDATE_CONFIRM,
)
OWNER_ROLES = frozenset({"msme_owner", "admin"})

# Answer keys that are bookkeeping, not what the user told us.
RESUME, SECTOR_PAGE, RESULT = "resume", "sector_page", "result"
CANDIDATES, PENDING_ROLE, MENU_MSME = "sector_candidates", "pending_role", "menu_msme"
BOOKKEEPING = frozenset(
    {RESUME, SECTOR_PAGE, RESULT, CANDIDATES, PENDING_ROLE, MENU_MSME, "menu_ids", "flow"}
    | {"role_change", "role_current"}
)


@dataclass
class State:
    """A conversation's progress. `step` is None before the first message was answered."""

    step: Step | None = None
    language: str | None = None
    answers: dict[str, Any] = field(default_factory=dict)
    history: list[str] = field(default_factory=list)
    completed_at: datetime | None = None

    @property
    def role(self) -> str | None:
        """The role the flow is for (chosen, or kept after the switch question)."""
        role = self.answers.get("role")
        return str(role) if role else None

    def flow(self) -> tuple[Step, ...]:
        """The steps after the role: the owner's onboarding, or a buyer's or investor's search."""
        return MANDATE_FLOW if self.answers.get("flow") == "mandate" else OWNER_FLOW

    def go(self, step: Step) -> None:
        """Move on to `step`, remembering where we were for `back`."""
        if self.step is not None and self.step is not step:
            self.history.append(self.step.value)
        self.step = step
        self.answers.pop(SECTOR_PAGE, None)

    def next_step(self) -> Step:
        """The next question of the flow that is not answered yet (the summary at the end)."""
        flow = self.flow()
        position = flow.index(self.step) + 1 if self.step in flow else 0
        for step in flow[position:]:
            if ANSWER_OF.get(step) not in self.answers:
                return step
        return flow[-1]

    def first_step(self) -> Step:
        """The flow's first unanswered question."""
        for step in self.flow():
            if ANSWER_OF.get(step) not in self.answers:
                return step
        return self.flow()[-1]

    def back(self) -> bool:
        """Return to the previous question; False at the first one."""
        if not self.history:
            return False
        self.step = Step(self.history.pop())
        self.answers.pop(SECTOR_PAGE, None)
        return True

    def restart(self) -> None:
        """Forget the answers and start again (the language stays chosen)."""
        self.answers = {}
        self.history = []
        self.completed_at = None
        self.step = Step.ROLE if self.language else Step.LANGUAGE

    def ask_language(self) -> None:
        """Ask the language again, then come back to the current question."""
        if self.step not in {None, Step.LANGUAGE}:
            self.answers[RESUME] = self.step.value if self.step else None
        self.step = Step.LANGUAGE

    def saved(self) -> dict[str, Any]:
        """The user's answers, without bookkeeping."""
        return {key: value for key, value in self.answers.items() if key not in BOOKKEEPING}
