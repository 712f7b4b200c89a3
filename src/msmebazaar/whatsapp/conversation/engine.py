"""The conversation engine: one inbound message in, the bot's replies out, the state moved on.

Order of handling: a sender without an Indian mobile is told registration needs one; a new
conversation is welcomed (a registered owner with the menu of their businesses; anyone else is
asked the language and the role only when the first message does not show them); one idle for
24 hours starts over; commands (help, restart, back, status, language, in English or Hindi) work
at every step; anything else answers the current step, which advances only on an answer it
accepts, and moves on past questions already answered. A message the current question refuses
but a later one accepts ("45 lakh" when the state was asked) is kept for that question.
"""

from __future__ import annotations

import copy
from datetime import datetime, timedelta
from typing import Final

from msmebazaar.shared.i18n import resolve_language
from msmebazaar.shared.india import LAKH, InvalidIdentifier, normalize_indian_mobile
from msmebazaar.whatsapp.conversation import answers, mandate, menu
from msmebazaar.whatsapp.conversation.finish import finish_mandate, finish_owner
from msmebazaar.whatsapp.conversation.parsing import command_of
from msmebazaar.whatsapp.conversation.questions import (
    ask,
    current_year,
    language_question,
    mandate_lines,
    money,
    owner_lines,
)
from msmebazaar.whatsapp.conversation.state import ANSWER_OF, PENDING_ROLE, RESULT, State, Step
from msmebazaar.whatsapp.conversation.texts import t
from msmebazaar.whatsapp.conversation.turn import (
    MANDATE_PAGE,
    PROFILE_PAGE,
    Outcome,
    Turn,
    UserInput,
)
from msmebazaar.whatsapp.conversation.understand import (
    GREETINGS,
    find_amounts,
    language_of,
    read_place,
    role_of,
)
from msmebazaar.whatsapp.messages import Reply
from msmebazaar.whatsapp.metrics import ONBOARDINGS

IDLE_RESTART = timedelta(hours=24)


async def _confirm_owner(turn: Turn, state: State, answer: UserInput) -> Outcome:
    choice = answers.confirm_choice(state, answer)
    return choice if isinstance(choice, Outcome) else await finish_owner(turn, state)


async def _confirm_mandate(turn: Turn, state: State, answer: UserInput) -> Outcome:
    choice = answers.confirm_choice(state, answer)
    return choice if isinstance(choice, Outcome) else await finish_mandate(turn, state)


HANDLERS: dict[Step, answers.Handler] = {
    Step.LANGUAGE: answers.answer_language,
    Step.ROLE: answers.answer_role,
    Step.ROLE_SWITCH: answers.answer_role_switch,
    Step.NAME: answers.answer_name,
    Step.GSTIN: answers.answer_gstin,
    Step.SECTOR: answers.answer_sector,
    Step.STATE: answers.answer_state,
    Step.CITY: answers.answer_city,
    Step.YEAR: answers.answer_year,
    Step.REVENUE: answers.answer_revenue,
    Step.EBITDA: answers.answer_ebitda,
    Step.EMPLOYEES: answers.answer_employees,
    Step.CONFIRM: _confirm_owner,
    Step.MANDATE_SECTOR: mandate.answer_mandate_sector,
    Step.MANDATE_STATE: mandate.answer_mandate_state,
    Step.MANDATE_TICKET: mandate.answer_ticket,
    Step.MANDATE_THESIS: mandate.answer_thesis,
    Step.MANDATE_CONFIRM: _confirm_mandate,
    Step.MENU: menu.answer_menu,
    Step.MENU_ACTION: menu.answer_menu_action,
    Step.MENU_FIGURES: menu.answer_menu_figures,
}


def is_indian_mobile(phone: str) -> bool:
    """Whether registration is open to this sender."""
    try:
        normalize_indian_mobile(phone)
    except InvalidIdentifier:
        return False
    return True


async def handle(
    turn: Turn, state: State, answer: UserInput, last_seen: datetime | None
) -> list[Reply]:
    """The replies to one message; `state` is moved on in place. `last_seen` is when the
    sender's previous message arrived (None for the first)."""
    early = await _before_the_step(turn, state, answer, last_seen)
    if early is not None:
        return [early]
    outcome = await HANDLERS[state.step or Step.LANGUAGE](turn, state, answer)
    if outcome.error is not None and outcome.goto is None:
        outcome = await _answer_ahead(turn, state, answer) or outcome
    if outcome.final:
        return list(outcome.final)
    if outcome.goto is not None:
        state.go(outcome.goto)
    elif outcome.error is None and not outcome.moved:
        state.go(state.next_step())
    prefix = f"❗ {outcome.error}" if outcome.error else outcome.ack or ""
    return [ask(state, turn.now).prefixed(prefix)]


# Questions whose answers can be read without side effects, so a message refused by the current
# question may be tried on them ("45 lakh" sent when the state was asked).
# (Not the profit: without the sales, a lone amount is read as the sales.)
_AHEAD: Final = (Step.GSTIN, Step.SECTOR, Step.CITY, Step.STATE, Step.YEAR, Step.REVENUE)


async def _answer_ahead(turn: Turn, state: State, answer: UserInput) -> Outcome | None:
    """Keep a message that answers a later, unanswered question of the flow, and ask the
    current one again; None when no later question takes it."""
    if answer.kind != "text" or state.step not in state.flow():
        return None
    current = state.step
    later = state.flow()[state.flow().index(current) + 1 :]
    for step in (s for s in later if s in _AHEAD and ANSWER_OF[s] not in state.answers):
        if step is Step.CITY and read_place(answer.text, current_year(turn.now)).year is None:
            continue  # any words could be a town: only a place with its year is taken early
        if step is Step.REVENUE and not _looks_like_money(answer.text):
            continue  # "2014" is a year sent early, not ₹2,014
        trial = State(state.step, state.language, copy.deepcopy(state.answers), [])
        outcome = await HANDLERS[step](turn, trial, answer)
        if outcome.error is None and outcome.goto is None and ANSWER_OF[step] in trial.answers:
            state.answers = trial.answers
            return Outcome(ack=outcome.ack or t("kept_for_later", state.language), moved=True)
    return None


def _looks_like_money(text: str | None) -> bool:
    return any(abs(amount.rupees) >= LAKH for amount in find_amounts(text))


async def _before_the_step(
    turn: Turn, state: State, answer: UserInput, last_seen: datetime | None
) -> Reply | None:
    """The reply when the message is not an answer to the current step, else None."""
    greeting = await _greeting(turn, state, answer, last_seen)
    if greeting is not None:
        return greeting
    command = command_of(answer.text) if answer.kind == "text" else None
    if command is not None:
        return _command(turn, state, command)
    if state.step is Step.DONE:
        return await _when_done(turn, state, answer)
    if answer.kind not in {"text", "button", "list"}:
        return ask(state, turn.now).prefixed(t("unsupported_message", state.language))
    return None


async def _greeting(
    turn: Turn, state: State, answer: UserInput, last_seen: datetime | None
) -> Reply | None:
    """A sender who cannot register, a new conversation, or one idle for a day."""
    if not is_indian_mobile(turn.phone):
        ONBOARDINGS.labels("non_indian").inc()
        return Reply.text(t("non_indian", None))
    if state.step is None:
        return await _first_message(turn, state, answer)
    idle = last_seen is not None and turn.now - last_seen > IDLE_RESTART
    if idle and state.step not in {Step.LANGUAGE, Step.ROLE, Step.DONE}:
        state.restart()
        ONBOARDINGS.labels("expired").inc()
        return ask(state, turn.now).prefixed(t("session_expired", state.language))
    return None


async def _first_message(turn: Turn, state: State, answer: UserInput) -> Reply:
    """Welcome: a registered owner gets the menu of their businesses; anyone else is asked the
    language only when the message does not show it, and the role only when it does not say it."""
    text = answer.text if answer.kind == "text" else None
    known = await menu.known_owner(turn)
    if known is not None:
        user, businesses = known
        state.language = resolve_language(chosen=language_of(text), saved=user.language)
        menu.open_menu(state, businesses)
        return ask(state, turn.now).prefixed(t("welcome_back", state.language))
    state.language, role = language_of(text), role_of(text)
    if state.language is None:
        state.step = Step.LANGUAGE
        if role is not None:
            state.answers[PENDING_ROLE] = role
        return language_question().prefixed(t("welcome", None))
    state.step = Step.ROLE
    outcome = await answers.take_role(turn, state, role) if role else None
    welcome = t("welcome_one", state.language)
    if outcome is not None and outcome.error is not None:  # e.g. a suspended account
        welcome = f"{welcome}\n\n❗ {outcome.error}"
    elif outcome is not None and outcome.goto is not None:
        state.go(outcome.goto)
    return ask(state, turn.now).prefixed(welcome)


async def _when_done(turn: Turn, state: State, answer: UserInput) -> Reply:
    """After completion, a greeting opens the owner's menu; anything else says how to go on."""
    greeting = answer.kind == "text" and (answer.text or "").strip(" !.").casefold() in GREETINGS
    known = await menu.known_owner(turn) if greeting else None
    if known is None:
        return Reply.text(t("already_done", state.language))
    menu.open_menu(state, known[1])
    return ask(state, turn.now).prefixed(t("welcome_back", state.language))


def _command(turn: Turn, state: State, command: str) -> Reply:
    language = state.language
    if command == "language":
        state.ask_language()
        return language_question()
    if command == "restart":
        state.restart()
        return ask(state, turn.now).prefixed(t("restarted", language))
    if state.step is Step.DONE:
        return _command_when_done(turn, state, command)
    prefix = t("help", language)
    if command == "back":
        prefix = "" if state.back() else t("back_at_start", language)
    elif command == "status" and state.step in {Step.CONFIRM, Step.MANDATE_CONFIRM}:
        prefix = ""  # the question is the summary itself: say it once
    elif command == "status":
        prefix = status_text(turn, state)
    return ask(state, turn.now).prefixed(prefix)


def _command_when_done(turn: Turn, state: State, command: str) -> Reply:
    if command == "status":
        return Reply.text(status_text(turn, state))
    done = t("already_done", state.language)
    return Reply.text(done if command == "back" else f"{t('help', state.language)}\n\n{done}")


def status_text(turn: Turn, state: State) -> str:
    """What is saved so far, or the result of a completed conversation."""
    language, result = state.language, state.answers.get(RESULT)
    if state.step is Step.DONE and isinstance(result, dict):
        if result.get("kind") == "mandate":
            link = turn.link(MANDATE_PAGE.format(id=result["id"]))
            return t("status_mandate_done", language, title=result["title"], link=link)
        link = turn.link(PROFILE_PAGE.format(id=result["id"]))
        if "low" not in result:
            return t("status_owner_done_no_value", language, name=result["name"], link=link)
        return t(
            "status_owner_done",
            language,
            name=result["name"],
            low=money(int(result["low"]), language),
            high=money(int(result["high"]), language),
            link=link,
        )
    if state.answers.get("flow") == "mandate":
        lines = mandate_lines(state, given_only=True)
    else:
        lines = owner_lines(state, turn.now, given_only=True)
    if not lines:
        return t("status_nothing", language)
    return t("status_saved", language, lines="\n".join(lines))
