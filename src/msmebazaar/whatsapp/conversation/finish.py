"""Completing a conversation through the owners' services: the user (auth), the profile and its
financial year (msme), the valuation, or a buyer's mandate (match).

Each completion runs in a savepoint: when a service refuses (a GSTIN registered meanwhile, a
suspended account), nothing of it is kept and the user is sent back to the step concerned.
"""

from __future__ import annotations

from typing import Any

import pydantic
import structlog
from sqlalchemy.exc import IntegrityError

from msmebazaar.auth.schemas import Language, Principal, UserRole, UserStatus, UserUpdate
from msmebazaar.auth.service import (
    acting_principal,
    find_user_by_phone,
    update_me,
    user_for_verified_phone,
)
from msmebazaar.match.schemas import MandateCreate
from msmebazaar.match.service import create_mandate
from msmebazaar.msme.schemas import DealType, FinancialsInput, LegalForm, MsmeCreate
from msmebazaar.msme.service import create_profile, get_profile, save_financials
from msmebazaar.shared.exceptions import AppError
from msmebazaar.valuation.schemas import ValuationCreate
from msmebazaar.valuation.service import create_valuation
from msmebazaar.whatsapp.conversation.questions import (
    last_fiscal_year,
    mandate_place,
    mandate_sector,
    money,
)
from msmebazaar.whatsapp.conversation.state import RESULT, State, Step
from msmebazaar.whatsapp.conversation.texts import has_text, t
from msmebazaar.whatsapp.conversation.turn import MANDATE_PAGE, PROFILE_PAGE, Outcome, Turn
from msmebazaar.whatsapp.messages import Reply
from msmebazaar.whatsapp.metrics import ONBOARDINGS

logger = structlog.get_logger("msmebazaar.whatsapp")

OWNER_ROLES = frozenset({UserRole.MSME_OWNER, UserRole.ADMIN})
MANDATE_ROLES = frozenset({UserRole.BUYER, UserRole.INVESTOR, UserRole.ADMIN})

# A refused field sends the user back to the step that asked for it.
_STEP_OF_FIELD = {
    "legal_name": Step.NAME,
    "gstin": Step.GSTIN,
    "pan": Step.GSTIN,
    "sector": Step.SECTOR,
    "state": Step.STATE,
    "city": Step.CITY,
    "year_established": Step.YEAR,
    "revenue": Step.REVENUE,
    "ebitda": Step.EBITDA,
    "employees": Step.EMPLOYEES,
}


class _Stop(Exception):  # noqa: N818 - a control-flow signal carrying the outcome
    def __init__(self, outcome: Outcome) -> None:
        super().__init__("completion stopped")
        self.outcome = outcome


async def _acting_user(turn: Turn, state: State, allowed: frozenset[UserRole]) -> Principal:
    """The sender's user (created on first completion); its role changes only with consent."""
    language = Language(state.language or "en")
    user = await find_user_by_phone(turn.session, turn.phone)
    if user is None:
        user = await user_for_verified_phone(
            turn.session, phone=turn.phone, role=UserRole(str(state.role)), language=language
        )
    if user.status == UserStatus.SUSPENDED:
        raise _Stop(Outcome(error=t("account_suspended", state.language)))
    principal = acting_principal(user)
    if user.role in allowed:
        return principal
    agreed = state.answers.get("role_change") and state.answers.get("role_current") == user.role
    if not agreed:  # the role differs from the one the user agreed to: ask (again)
        state.answers.update(role_wanted=state.role, role_current=user.role.value)
        raise _Stop(Outcome(goto=Step.ROLE_SWITCH))
    change = UserUpdate(role=UserRole(str(state.role)))
    return acting_principal(await update_me(turn.session, turn.runtime.cache, principal, change))


def legal_form_of(name: str, gstin: str | None) -> LegalForm:
    """The legal form the name or the GSTIN's PAN shows (the chat does not ask for it)."""
    words = f" {' '.join(name.casefold().replace('.', ' ').split())} "
    if " llp " in words:
        return LegalForm.LLP
    if " private limited " in words or " pvt ltd " in words or " pvt limited " in words:
        return LegalForm.PRIVATE_LIMITED
    if " opc " in words:
        return LegalForm.OPC
    if words.endswith((" limited ", " ltd ")):
        return LegalForm.PUBLIC_LIMITED
    holder = gstin[5] if gstin else None  # the PAN's fourth character: its holder type
    return {
        "P": LegalForm.PROPRIETORSHIP,
        "F": LegalForm.PARTNERSHIP,
        "C": LegalForm.PRIVATE_LIMITED,
    }.get(holder or "", LegalForm.OTHER)


def _refused(state: State, error: AppError | None) -> Outcome:
    """Back to the step whose answer a service refused, with its reason."""
    details = error.details if error is not None and isinstance(error.details, list) else []
    field = next((d.get("field") for d in details if isinstance(d, dict)), None)
    step = _STEP_OF_FIELD.get(str(field), Step.CONFIRM)
    code = f"error_{error.code}" if error is not None else "error_other"
    if has_text(code):
        reason = t(code, state.language)
    elif error is not None and state.language != "hi":
        reason = error.message
    else:
        reason = t("error_other", state.language)
    return Outcome(error=t("save_failed", state.language, reason=reason), goto=step)


async def finish_owner(turn: Turn, state: State) -> Outcome:
    """Create the user, the profile and its financial year, then value it and say so."""
    answers = state.answers
    fiscal_year = last_fiscal_year(turn.now)
    try:
        async with turn.session.begin_nested():
            principal = await _acting_user(turn, state, OWNER_ROLES)
            profile = await create_profile(turn.session, principal, _profile_of(answers))
            figures = FinancialsInput(revenue=answers["revenue"], ebitda=answers["ebitda"])
            await save_financials(turn.session, principal, profile.id, fiscal_year, figures)
    except _Stop as stop:
        return stop.outcome
    except AppError as exc:
        ONBOARDINGS.labels("refused").inc()
        return _refused(state, exc)
    except (IntegrityError, pydantic.ValidationError) as exc:  # a race on a unique identifier
        logger.warning("whatsapp_profile_refused", error=type(exc).__name__)
        ONBOARDINGS.labels("refused").inc()
        return _refused(state, None)
    profile = await get_profile(turn.session, profile.id)  # classified with its turnover
    valuation = await _valuation(turn, principal, profile.id, state.language)
    link = turn.link(PROFILE_PAGE.format(id=profile.id))
    result: dict[str, Any] = {"kind": "profile", "id": str(profile.id), "name": profile.legal_name}
    if valuation is None:
        text = t("done_owner_no_value", state.language, name=profile.legal_name, link=link)
    else:
        low, base, high, confidence = valuation
        result |= {"low": low, "base": base, "high": high}
        text = t(
            "done_owner",
            state.language,
            name=profile.legal_name,
            low=money(low, state.language),
            base=money(base, state.language),
            high=money(high, state.language),
            confidence=round(confidence * 100),
            link=link,
        )
    _complete(turn, state, result)
    ONBOARDINGS.labels("completed").inc()
    return Outcome(final=(Reply.text(text),))


def _profile_of(answers: dict[str, Any]) -> MsmeCreate:
    return MsmeCreate(
        legal_name=answers["name"],
        legal_form=legal_form_of(answers["name"], answers.get("gstin")),
        gstin=answers.get("gstin"),
        sector=answers["sector"],
        state=answers["state"],
        city=answers["city"],
        year_established=answers["year"],
        employees=answers.get("employees"),
        description=answers.get("description"),
    )


async def _valuation(
    turn: Turn, principal: Principal, msme_id: Any, language: str | None
) -> tuple[int, int, int, float] | None:
    """The valuation engine's range for the new profile; None when its figures cannot be
    valued (the profile stays)."""
    try:
        async with turn.session.begin_nested():
            valuation = await create_valuation(
                turn.session, principal, ValuationCreate(msme_id=msme_id), language or "en"
            )
    except AppError as exc:
        logger.info("whatsapp_valuation_skipped", code=exc.code)
        return None
    return valuation.low, valuation.base, valuation.high, valuation.confidence


def _complete(turn: Turn, state: State, result: dict[str, Any]) -> None:
    state.answers[RESULT] = result
    state.history = []
    state.step = Step.DONE
    state.completed_at = turn.now


async def finish_mandate(turn: Turn, state: State) -> Outcome:
    """Create the user and the buyer's or investor's mandate, then say where to see matches."""
    answers = state.answers
    title = t(
        "mandate_title", state.language, sector=mandate_sector(state), place=mandate_place(state)
    )[:120]
    deal_types = (
        [DealType.INVESTMENT, DealType.STAKE_SALE]
        if state.role == UserRole.INVESTOR
        else [DealType.FULL_SALE, DealType.STAKE_SALE]
    )
    sector, place = answers.get("mandate_sector"), answers.get("mandate_state")
    data = MandateCreate(
        title=title,
        deal_types=deal_types,
        sectors=[sector] if sector else [],
        states=[place] if place else [],
        ticket_min=answers.get("ticket_min"),
        ticket_max=answers.get("ticket_max"),
        thesis=answers.get("thesis") or "",
    )
    try:
        async with turn.session.begin_nested():
            principal = await _acting_user(turn, state, MANDATE_ROLES)
            mandate = await create_mandate(turn.session, turn.runtime, principal, data)
    except _Stop as stop:
        return stop.outcome
    except AppError as exc:
        ONBOARDINGS.labels("refused").inc()
        return _refused(state, exc)
    link = turn.link(MANDATE_PAGE.format(id=mandate.id))
    _complete(turn, state, {"kind": "mandate", "id": str(mandate.id), "title": mandate.title})
    ONBOARDINGS.labels("mandate").inc()
    return Outcome(final=(Reply.text(t("done_mandate", state.language, title=title, link=link)),))
