"""An owner who is already registered (on the web or here) gets a menu of their businesses, not a
second sign-up: value one again, update this year's figures, or see the interests received.

Everything goes through the owners' services with the user as the acting principal, exactly as
the portal does (`msme.service`, `valuation.service`)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

import structlog

from msmebazaar.auth.schemas import Principal, UserRead, UserStatus
from msmebazaar.auth.service import acting_principal, find_user_by_phone
from msmebazaar.msme.schemas import FinancialsInput
from msmebazaar.msme.service import list_owned, list_received, save_financials
from msmebazaar.shared.exceptions import AppError
from msmebazaar.shared.pagination import PageParams
from msmebazaar.valuation.schemas import ValuationCreate
from msmebazaar.valuation.service import create_valuation
from msmebazaar.whatsapp.conversation.answers import choose_flow, invalid
from msmebazaar.whatsapp.conversation.parsing import pick
from msmebazaar.whatsapp.conversation.questions import last_fiscal_year, money, register_question
from msmebazaar.whatsapp.conversation.state import MENU_MSME, RESULT, State, Step
from msmebazaar.whatsapp.conversation.texts import t
from msmebazaar.whatsapp.conversation.turn import PROFILE_PAGE, Outcome, Turn, UserInput
from msmebazaar.whatsapp.conversation.understand import revenue_and_profit
from msmebazaar.whatsapp.messages import Option, Reply

logger = structlog.get_logger("msmebazaar.whatsapp")

MENU_ROWS = 9  # a list holds ten rows: nine businesses and "add a business"
INTERESTS_PAGE = "my/interests"
_ACTIONS = ("value", "figures", "interests", "new")


async def known_owner(turn: Turn) -> tuple[UserRead, list[tuple[str, str]]] | None:
    """The sender's user and their businesses (id, name), when they have any."""
    user = await find_user_by_phone(turn.session, turn.phone)
    if user is None or user.status == UserStatus.SUSPENDED:
        return None
    profiles, _ = await list_owned(turn.session, user.id, PageParams(page=1, page_size=MENU_ROWS))
    if not profiles:
        return None
    return user, [(str(p.id), p.legal_name) for p in profiles]


def open_menu(state: State, businesses: list[tuple[str, str]]) -> None:
    """Start at the menu: the business to choose, or (with one) what to do with it."""
    state.answers = {"menu_ids": [list(pair) for pair in businesses], "role": "msme_owner"}
    state.history = []
    state.completed_at = None
    if len(businesses) == 1:
        state.answers[MENU_MSME] = list(businesses[0])
        state.step = Step.MENU_ACTION
    else:
        state.step = Step.MENU


def business_options(state: State) -> list[Option]:
    """The owner's businesses and a row to add another."""
    rows = [Option(f"biz:{id_}", name) for id_, name in state.answers.get("menu_ids") or []]
    return [*rows, Option("new", t("opt_new_business", state.language))]


def action_options(state: State) -> list[Option]:
    """What can be done with the chosen business."""
    return [Option(action, t(f"opt_menu_{action}", state.language)) for action in _ACTIONS]


def ask_menu(state: State, now: datetime) -> Reply:
    """Which business."""
    body = t("ask_menu", state.language)
    return Reply.choices(body, business_options(state), t("menu_button", state.language))


def ask_menu_action(state: State, now: datetime) -> Reply:
    """What to do with the chosen business."""
    name = (state.answers.get(MENU_MSME) or ["", ""])[1]
    body = t("ask_menu_action", state.language, name=name)
    return Reply.choices(body, action_options(state), t("menu_button", state.language))


def ask_menu_figures(state: State, now: datetime) -> Reply:
    """This year's sales and profit."""
    return Reply.text(t("ask_revenue", state.language, fiscal_year=last_fiscal_year(now)))


def _new_business(state: State) -> Outcome:
    state.answers = {}
    return Outcome(goto=choose_flow(state, "msme_owner"))


async def answer_menu(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A business from the menu, or a new one."""
    chosen = pick(business_options(state), answer.reply_id, answer.text)
    if chosen is None:
        return invalid(state, "invalid_choice")
    if chosen.id == "new":
        return _new_business(state)
    business = next(pair for pair in state.answers["menu_ids"] if f"biz:{pair[0]}" == chosen.id)
    state.answers[MENU_MSME] = list(business)
    return Outcome(goto=Step.MENU_ACTION)


async def _principal(turn: Turn, state: State) -> Principal | Outcome:
    user = await find_user_by_phone(turn.session, turn.phone)
    if user is None or user.status == UserStatus.SUSPENDED:
        return invalid(state, "account_suspended")
    return acting_principal(user)


async def answer_menu_action(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Value again, update the figures, see interests, or add a business."""
    chosen = pick(action_options(state), answer.reply_id, answer.text)
    if chosen is None:
        return invalid(state, "invalid_choice")
    if chosen.id == "new":
        return _new_business(state)
    if chosen.id == "figures":
        return Outcome(goto=Step.MENU_FIGURES)
    principal = await _principal(turn, state)
    if isinstance(principal, Outcome):
        return principal
    if chosen.id == "interests":
        received, total = await list_received(
            turn.session, principal, PageParams(page=1, page_size=1)
        )
        pending = sum(1 for item in received if item.status == "pending")
        text = t("menu_interests", state.language, total=total, link=turn.link(INTERESTS_PAGE))
        logger.info("whatsapp_menu_interests", shown=len(received), pending=pending)
        return Outcome(final=(Reply.text(text),))
    return await _value(turn, state, principal)


async def answer_menu_figures(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """This year's sales and profit for the chosen business, then its new value."""
    revenue, profit = revenue_and_profit(answer.text)
    if revenue is None or profit is None or revenue < 0:
        return invalid(state, "invalid_figures")
    if profit > revenue:
        return invalid(state, "ebitda_above_revenue", revenue=money(revenue, state.language))
    principal = await _principal(turn, state)
    if isinstance(principal, Outcome):
        return principal
    msme_id = uuid.UUID(str(state.answers[MENU_MSME][0]))
    figures = FinancialsInput(revenue=revenue, ebitda=profit)
    try:
        async with turn.session.begin_nested():
            await save_financials(
                turn.session, principal, msme_id, last_fiscal_year(turn.now), figures
            )
    except AppError as exc:
        return Outcome(error=t("save_failed", state.language, reason=exc.message))
    return await _value(turn, state, principal)


async def _value(turn: Turn, state: State, principal: Principal) -> Outcome:
    """A new valuation of the chosen business, told as a range with a link."""
    msme_id, name = state.answers[MENU_MSME]
    link = turn.link(PROFILE_PAGE.format(id=msme_id))
    try:
        async with turn.session.begin_nested():
            valuation = await create_valuation(
                turn.session,
                principal,
                ValuationCreate(msme_id=uuid.UUID(str(msme_id))),
                state.language or "en",
            )
    except AppError as exc:
        logger.info("whatsapp_valuation_skipped", code=exc.code)
        text = t("status_owner_done_no_value", state.language, name=name, link=link)
        return Outcome(final=(Reply.text(text),))
    language = state.language
    low, high = money(valuation.low, language), money(valuation.high, language)
    result: dict[str, Any] = {
        "kind": "profile",
        "id": str(msme_id),
        "name": name,
        "low": valuation.low,
        "base": valuation.base,
        "high": valuation.high,
    }
    state.answers[RESULT] = result
    state.step, state.completed_at = Step.DONE, turn.now
    text = t("menu_valued", language, name=name, low=low, high=high, link=link)
    return Outcome(final=(Reply.text(text),))


register_question(Step.MENU, ask_menu)
register_question(Step.MENU_ACTION, ask_menu_action)
register_question(Step.MENU_FIGURES, ask_menu_figures)
