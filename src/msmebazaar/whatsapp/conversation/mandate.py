"""The short flow for buyers and investors: sector, state, budget and a line about what they
look for; on confirmation it becomes a mandate of the match service."""

from __future__ import annotations

from msmebazaar.shared.india import MAX_RUPEES, InvalidIdentifier
from msmebazaar.whatsapp.conversation.answers import invalid, sector_choice
from msmebazaar.whatsapp.conversation.parsing import find_state, normalise, parse_range, pick
from msmebazaar.whatsapp.conversation.questions import ANY, skip_option
from msmebazaar.whatsapp.conversation.state import State
from msmebazaar.whatsapp.conversation.texts import t
from msmebazaar.whatsapp.conversation.turn import Outcome, Turn, UserInput
from msmebazaar.whatsapp.messages import Option

MAX_THESIS = 1000
_ANY_WORDS = {"any", "anywhere", "all", "all india", "कहीं भी", "कोई भी", "पूरे भारत में", "सभी"}


async def answer_mandate_sector(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A sector, or any sector."""
    outcome, code = sector_choice(state, answer, with_any=True)
    if outcome is not None and normalise(answer.text or "") not in _ANY_WORDS:
        return outcome
    state.answers["mandate_sector"] = code
    return Outcome()


async def answer_mandate_state(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A state or UT, or anywhere in India."""
    anywhere = Option(f"state:{ANY}", t("opt_anywhere", state.language))
    if pick([anywhere], answer.reply_id, answer.text) or normalise(answer.text or "") in _ANY_WORDS:
        state.answers["mandate_state"] = None
        return Outcome()
    found = find_state(answer.text or "")
    if found is None:
        return invalid(state, "invalid_state")
    state.answers["mandate_state"] = found.name
    return Outcome()


async def answer_ticket(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A budget: one amount (a ceiling) or a range, both ends at least zero, low before high."""
    try:
        budget = parse_range(answer.text or "")
    except InvalidIdentifier:
        return invalid(state, "invalid_ticket")
    ends = [end for end in (budget.low, budget.high) if end is not None]
    if any(end < 0 for end in ends):
        return invalid(state, "amount_negative")
    if any(end > MAX_RUPEES for end in ends):
        return invalid(state, "amount_too_large")
    if budget.low is not None and budget.high is not None and budget.low > budget.high:
        return invalid(state, "ticket_order")
    state.answers.update(ticket_min=budget.low, ticket_max=budget.high)
    return Outcome()


async def answer_thesis(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A line about what the buyer looks for, or Skip."""
    if pick([skip_option(state.language)], answer.reply_id, answer.text):
        state.answers["thesis"] = ""
        return Outcome()
    thesis = (answer.text or "").strip()
    if not thesis or len(thesis) > MAX_THESIS:
        return invalid(state, "invalid_thesis")
    state.answers["thesis"] = thesis
    return Outcome()
