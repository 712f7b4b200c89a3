"""Checking each answer of the onboarding: a step advances only on an answer it accepts; anything
else gets the reason and the same question again. Identifiers, states and amounts are checked with
the shared Indian rules; the profile itself is checked again by the msme service on completion."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable

from msmebazaar.auth.schemas import UserRole, UserStatus
from msmebazaar.auth.service import find_user_by_phone
from msmebazaar.msme.service import get_sector
from msmebazaar.shared.india import (
    LAKH,
    MAX_RUPEES,
    InvalidIdentifier,
    check_gstin_consistency,
    state_for_gst_code,
    validate_gstin,
)
from msmebazaar.whatsapp.conversation.parsing import (
    find_state,
    normalise,
    parse_count,
    pick,
    sector_name,
    state_name,
)
from msmebazaar.whatsapp.conversation.questions import (
    ANY,
    OTHER,
    confirm_options,
    current_year,
    money,
    role_options,
    sector_candidates,
    sector_pages,
    skip_option,
    switch_options,
)
from msmebazaar.whatsapp.conversation.sector_words import is_sure, match_sectors
from msmebazaar.whatsapp.conversation.state import (
    CANDIDATES,
    PENDING_ROLE,
    SECTOR_PAGE,
    State,
    Step,
)
from msmebazaar.whatsapp.conversation.texts import has_text, t
from msmebazaar.whatsapp.conversation.turn import Outcome, Turn, UserInput
from msmebazaar.whatsapp.conversation.understand import (
    business_name,
    find_amounts,
    find_gstin,
    language_of,
    looks_like_gstin,
    profit_only,
    read_place,
    revenue_and_profit,
    role_of,
    says_none,
    yes_or_no,
)
from msmebazaar.whatsapp.messages import Option

Handler = Callable[[Turn, State, UserInput], Awaitable[Outcome]]
MAX_NAME, MAX_CITY, MAX_EMPLOYEES, MAX_DESCRIPTION = 200, 100, 10_000_000, 2000
_STATE_FILLER = frozenset({"in", "state", "se", "me", "mein", "hai", "में", "है", "राज्य"})
_LANGUAGE_WORDS = {
    "en": {"english", "eng", "angrezi", "अंग्रेज़ी", "अंग्रेजी"},
    "hi": {"hindi", "हिन्दी", "हिंदी"},
}


def invalid(state: State, key: str, /, **params: object) -> Outcome:
    """Refuse an answer with the reason `key`."""
    return Outcome(error=t(key, state.language, **params))


async def answer_language(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """English or Hindi; afterwards back to the question the user was at, if any. A sentence
    instead of a choice ("mujhe business bechna hai") gives both the language and the role."""
    chosen = pick(
        [Option("lang:en", "English"), Option("lang:hi", "हिन्दी")], answer.reply_id, answer.text
    )
    code = chosen.id.removeprefix("lang:") if chosen else None
    typed = normalise(answer.text or "")
    code = code or next((c for c, words in _LANGUAGE_WORDS.items() if typed in words), None)
    role = role_of(answer.text) if code is None else None
    if code is None and role is not None:
        code = language_of(answer.text) or "en"
        state.answers[PENDING_ROLE] = role
    if code is None:
        return invalid(state, "invalid_choice")
    state.language = code
    ack = t("language_set", code)
    resume = state.answers.pop("resume", None)
    if resume:
        state.step = Step(resume)
        return Outcome(ack=ack, moved=True)
    pending = state.answers.pop(PENDING_ROLE, None)
    if pending:
        outcome = await take_role(turn, state, str(pending))
        return Outcome(ack=ack, error=outcome.error, goto=outcome.goto)
    return Outcome(ack=ack, goto=Step.ROLE)


def choose_flow(state: State, role: str) -> Step:
    """Start the flow of `role`: the onboarding for owners, a search for buyers and investors."""
    state.answers["role"] = role
    state.answers["flow"] = "owner" if role == UserRole.MSME_OWNER else "mandate"
    return state.first_step()


async def answer_role(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Sell or raise funds, buy, or invest: a button, its number or title, or words ("sell",
    "बेचना है", "invest karna hai")."""
    chosen = pick(role_options(state.language), answer.reply_id, answer.text)
    role = chosen.id.removeprefix("role:") if chosen else role_of(answer.text)
    if role is None:
        return invalid(state, "invalid_role")
    return await take_role(turn, state, role)


async def take_role(turn: Turn, state: State, role: str) -> Outcome:
    """Start the flow of `role`. A number already registered with another role is asked
    before its role changes; an admin keeps theirs."""
    user = await find_user_by_phone(turn.session, turn.phone)
    if user is not None and user.status == UserStatus.SUSPENDED:
        return invalid(state, "account_suspended")
    if user is not None and user.role not in {role, UserRole.ADMIN}:
        state.answers.update(role_wanted=role, role_current=user.role.value)
        return Outcome(goto=Step.ROLE_SWITCH)
    return Outcome(goto=choose_flow(state, role))


async def answer_role_switch(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Yes: the account takes the new role on completion. No: go on in the role it has."""
    chosen = pick(switch_options(state.language), answer.reply_id, answer.text)
    said = yes_or_no(answer.text) if chosen is None else None
    if chosen is None and said is None:
        return invalid(state, "invalid_choice")
    switch = chosen.id == "switch:yes" if chosen is not None else said == "yes"
    state.answers["role_change"] = switch
    role = state.answers["role_wanted"] if switch else state.answers["role_current"]
    return Outcome(goto=choose_flow(state, str(role)))


async def answer_name(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The business's legal name, 2 to 200 characters; a GSTIN in the same message is kept
    ("Sharma Textiles 24AAACS1234A1Z5"), and so is "no GST"."""
    found = find_gstin(answer.text)
    name = " ".join(found.rest.split()) if (found.gstin or found.error or found.absent) else ""
    name = business_name(name or answer.text)
    ack = None
    if found.gstin is not None:
        ack = keep_gstin(state, found.gstin)
        name = business_name(found.rest)
        if not name:  # only the GSTIN was sent: the name is still to come
            return Outcome(ack=ack, goto=Step.NAME)
    elif found.absent:
        state.answers.update(gstin=None, gstin_state=None)
    if not 2 <= len(name) <= MAX_NAME:
        return invalid(state, "invalid_name")
    state.answers["name"] = name
    if found.error is not None:
        return Outcome(
            error=gstin_reason(found.error, found.typed, state.language), goto=Step.GSTIN
        )
    return Outcome(ack=ack)


def gstin_reason(error: InvalidIdentifier, typed: str, language: str | None) -> str:
    """Why a GSTIN was refused, in the user's language (the shared rule says which failed)."""
    rule = getattr(error, "rule", None)
    key = f"gstin_{rule}" if rule and has_text(f"gstin_{rule}") else "gstin_invalid"
    compact = "".join(typed.split()).upper()
    return t(key, language, count=len(compact), code=compact[:2])


def keep_gstin(state: State, gstin: str) -> str:
    """Keep a valid GSTIN with what it tells (state, PAN, legal form); the acknowledgement."""
    owner = state_for_gst_code(gstin[:2])
    state.answers.update(gstin=gstin, gstin_state=owner.name if owner else None, pan=gstin[2:12])
    if owner is None:
        return t("gstin_noted", state.language)
    state.answers["state"] = owner.name
    return t("gstin_noted_state", state.language, state=state_name(owner.name, state.language))


async def answer_gstin(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A valid GSTIN (checksum, state code, embedded PAN), or Skip ("no gst", "nahi hai")."""
    found = find_gstin(answer.text)
    if found.gstin is not None:
        return Outcome(ack=keep_gstin(state, found.gstin))
    skipped = pick([skip_option(state.language)], answer.reply_id, answer.text)
    if skipped or found.absent or (found.error is None and says_none(answer.text)):
        state.answers.update(gstin=None, gstin_state=None)
        return Outcome()
    if found.error is not None:
        return Outcome(error=gstin_reason(found.error, found.typed, state.language))
    typed = "".join((answer.text or "").split())
    if not looks_like_gstin(typed):  # words, not a try at a GSTIN: say what one looks like
        return invalid(state, "gstin_not_one")
    try:
        validate_gstin(typed)
    except InvalidIdentifier as exc:
        return Outcome(error=gstin_reason(exc, typed, state.language))
    return invalid(state, "gstin_invalid")  # pragma: no cover - find_gstin takes any valid one


def sector_choice(
    state: State, answer: UserInput, *, with_any: bool
) -> tuple[Outcome | None, str | None]:
    """A sector from the list (or typed), or a page turn; the outcome is set unless one was
    chosen (`None` code: any sector)."""
    pages = sector_pages(state.language, with_any=with_any)
    page = min(int(state.answers.get(SECTOR_PAGE, 0)), len(pages) - 1)
    chosen = pick(pages[page], answer.reply_id, answer.text)
    if chosen is None and answer.reply_id:  # a row of another page, tapped on an older list
        chosen = next((o for p in pages for o in p if o.id == answer.reply_id), None)
    if chosen is not None and chosen.id.startswith("sector_page:"):
        state.answers[SECTOR_PAGE] = int(chosen.id.removeprefix("sector_page:"))
        return Outcome(moved=True), None
    if chosen is not None:
        code = chosen.id.removeprefix("sector:")
        return None, None if code == ANY else code
    matches = match_sectors(answer.text)
    if matches and is_sure(matches, answer.text):
        return None, matches[0].code
    if matches:
        names = ", ".join(sector_name(s, state.language) for s in matches[:5])
        return invalid(state, "sector_ambiguous", names=names), None
    return invalid(state, "invalid_sector"), None


def _candidate_pick(state: State, answer: UserInput) -> str | None:
    """A sector of the "did you mean" buttons: tapped, its number or name, or a plain yes for
    the first."""
    codes = [str(code) for code in state.answers.get(CANDIDATES) or []]
    if not codes:
        return None
    chosen = pick(sector_candidates(state), answer.reply_id, answer.text)
    if chosen is not None:
        return chosen.id.removeprefix("sector:")
    return codes[0] if yes_or_no(answer.text) == "yes" else None


async def answer_sector(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """What the business does, in the owner's words, matched to the taxonomy; when unsure, the
    likeliest sectors as buttons (and the whole list behind "Other")."""
    code = _candidate_pick(state, answer)
    if code == OTHER:
        state.answers.pop(CANDIDATES, None)
        state.answers[SECTOR_PAGE] = 0
        state.answers["sector_list"] = True
        return Outcome(moved=True)
    if code is None and (state.answers.get("sector_list") or answer.reply_id):
        outcome, code = sector_choice(state, answer, with_any=False)
        if outcome is not None and outcome.error is None:
            return outcome
    if code is None:
        matches = match_sectors(answer.text)
        if matches and is_sure(matches, answer.text):
            code = matches[0].code
        elif matches:
            state.answers[CANDIDATES] = [sector.code for sector in matches[:2]]
            return Outcome(moved=True)
        else:
            state.answers["sector_list"] = True
            return invalid(state, "invalid_sector")
        words = " ".join((answer.text or "").split())
        if len(words.split()) >= 3 and len(words) <= MAX_DESCRIPTION:
            state.answers["description"] = words
    for key in (CANDIDATES, "sector_list"):
        state.answers.pop(key, None)
    state.answers["sector"] = code
    sector = get_sector(str(code))
    if sector is None:
        return Outcome()
    return Outcome(
        ack=t("sector_noted", state.language, sector=sector_name(sector, state.language))
    )


async def answer_state(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A state or UT, in English or Hindi, consistent with the GSTIN's state code."""
    found = find_state(answer.text or "") or find_state(
        " ".join(w for w in (answer.text or "").split() if normalise(w) not in _STATE_FILLER)
    )
    if found is None:
        return invalid(state, "invalid_state")
    gstin = state.answers.get("gstin")
    if gstin and check_gstin_consistency(gstin, None, found.name):
        gstin_state = state_name(str(state.answers.get("gstin_state")), state.language)
        return invalid(
            state,
            "state_gstin_mismatch",
            gstin_state=gstin_state,
            state=state_name(found.name, state.language),
        )
    state.answers["state"] = found.name
    return Outcome()


async def answer_city(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The city, and in the same message the year it started, the state and the people when
    given ("Surat, 2012", "Indore MP 2015 12 log")."""
    if any(abs(a.rupees) >= LAKH for a in find_amounts(answer.text)):
        return invalid(state, "invalid_city")  # a figure, not a place (kept if asked later)
    place = read_place(answer.text, current_year(turn.now))
    if place.year is not None:
        state.answers["year"] = place.year
    if place.state is not None and "state" not in state.answers:
        state.answers["state"] = place.state
    if place.employees is not None and place.employees <= MAX_EMPLOYEES:
        state.answers["employees"] = place.employees
    city = place.city
    if city is None and (place.year or place.state):  # after *back*: "2016" corrects the year
        city = state.answers.get("city")
    if city is None or not 1 <= len(city) <= MAX_CITY:
        return invalid(state, "invalid_city")
    state.answers["city"] = city
    state.answers.setdefault("employees", None)  # optional: not asked on its own
    return Outcome()


async def answer_year(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The year the business started, 1800 to this year ("2012", "2012 me", "२०१२")."""
    latest = current_year(turn.now)
    year = read_place(answer.text, latest).year or parse_count(answer.text or "")
    if year is None or not 1800 <= year <= latest:
        return invalid(state, "invalid_year", current=latest)
    state.answers["year"] = year
    return Outcome()


def checked_amount(state: State, amount: int | None, *, signed: bool) -> Outcome | None:
    """The reason an amount is refused, or None."""
    if amount is None:
        return invalid(state, "invalid_amount")
    if amount < 0 and not signed:
        return invalid(state, "amount_negative")
    if abs(amount) > MAX_RUPEES:
        return invalid(state, "amount_too_large")
    return None


async def answer_revenue(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Last fiscal year's sales, and the profit when the same message has it ("45L sales,
    6L profit"): lakh, crore, digits, Devanagari."""
    revenue, profit = revenue_and_profit(answer.text)
    refused = checked_amount(state, revenue, signed=False)
    if refused is not None or revenue is None:
        return refused or invalid(state, "invalid_amount")
    state.answers["revenue"] = revenue
    value = money(revenue, state.language)
    usable = profit is not None and checked_amount(state, profit, signed=True) is None
    if usable and profit is not None and profit <= revenue:
        state.answers["ebitda"] = profit
        value = t(
            "figures_pair", state.language, revenue=value, profit=money(profit, state.language)
        )
    return Outcome(ack=t("noted", state.language, value=value))


async def answer_ebitda(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Profit before interest, tax and depreciation: a loss is negative; never above revenue."""
    amount = profit_only(answer.text)
    refused = checked_amount(state, amount, signed=True)
    if refused is not None or amount is None:
        return refused or invalid(state, "invalid_amount")
    revenue = int(state.answers.get("revenue") or 0)
    if amount > revenue:
        return invalid(state, "ebitda_above_revenue", revenue=money(revenue, state.language))
    state.answers["ebitda"] = amount
    return Outcome(ack=t("noted", state.language, value=money(amount, state.language)))


async def answer_employees(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The number of people, a whole number ("12", "12 log")."""
    numbers = re.findall(r"[0-9][0-9,]*", normalise(answer.text or ""))
    count = int(numbers[0].replace(",", "")) if numbers else None
    if count is None or count > MAX_EMPLOYEES:
        return invalid(state, "invalid_employees")
    state.answers["employees"] = count
    return Outcome()


def confirm_choice(state: State, answer: UserInput) -> str | Outcome:
    """`confirm` from the summary's buttons or a yes ("haan", "ok ji"); a no goes back."""
    chosen = pick(confirm_options(state.language), answer.reply_id, answer.text)
    said = yes_or_no(answer.text) if chosen is None else None
    if chosen is None and said is None:
        return invalid(state, "invalid_confirm")
    choice = chosen.id if chosen is not None else ("confirm" if said == "yes" else "back")
    if choice == "back":
        state.back()
        return Outcome(moved=True)
    if choice == "restart":
        state.restart()
        return Outcome(ack=t("restarted", state.language), moved=True)
    return choice
