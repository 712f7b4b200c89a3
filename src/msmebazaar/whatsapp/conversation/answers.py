"""Checking each answer of the onboarding: a step advances only on an answer it accepts; anything
else gets the reason and the same question again. Identifiers, states and amounts are checked with
the shared Indian rules; the profile itself is checked again by the msme service on completion."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from msmebazaar.auth.schemas import UserRole, UserStatus
from msmebazaar.auth.service import find_user_by_phone
from msmebazaar.shared.india import (
    InvalidIdentifier,
    check_gstin_consistency,
    state_for_gst_code,
    validate_gstin,
)
from msmebazaar.whatsapp.conversation.parsing import (
    find_sectors,
    find_state,
    normalise,
    parse_amount,
    parse_count,
    pick,
    sector_name,
    state_name,
)
from msmebazaar.whatsapp.conversation.questions import (
    ANY,
    confirm_options,
    current_year,
    money,
    role_options,
    sector_pages,
    skip_option,
    switch_options,
)
from msmebazaar.whatsapp.conversation.state import (
    MANDATE_FLOW,
    OWNER_FLOW,
    SECTOR_PAGE,
    State,
    Step,
)
from msmebazaar.whatsapp.conversation.texts import has_text, t
from msmebazaar.whatsapp.conversation.turn import Outcome, Turn, UserInput
from msmebazaar.whatsapp.messages import Option

Handler = Callable[[Turn, State, UserInput], Awaitable[Outcome]]
MAX_NAME, MAX_CITY, MAX_EMPLOYEES = 200, 100, 10_000_000
MAX_RUPEES = 10**15  # the money bound of the msme and match schemas (64-bit columns)
_LANGUAGE_WORDS = {
    "en": {"english", "eng", "angrezi", "अंग्रेज़ी", "अंग्रेजी"},
    "hi": {"hindi", "हिन्दी", "हिंदी"},
}


def invalid(state: State, key: str, /, **params: object) -> Outcome:
    """Refuse an answer with the reason `key`."""
    return Outcome(error=t(key, state.language, **params))


async def answer_language(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """English or Hindi; afterwards back to the question the user was at, if any."""
    chosen = pick(
        [Option("lang:en", "English"), Option("lang:hi", "हिन्दी")], answer.reply_id, answer.text
    )
    code = chosen.id.removeprefix("lang:") if chosen else None
    typed = normalise(answer.text or "")
    code = code or next((c for c, words in _LANGUAGE_WORDS.items() if typed in words), None)
    if code is None:
        return invalid(state, "invalid_choice")
    state.language = code
    ack = t("language_set", code)
    resume = state.answers.pop("resume", None)
    if resume:
        state.step = Step(resume)
        return Outcome(ack=ack, moved=True)
    return Outcome(ack=ack, goto=Step.ROLE)


def choose_flow(state: State, role: str) -> Step:
    """Start the flow of `role`: the onboarding for owners, a search for buyers and investors."""
    state.answers["role"] = role
    state.answers["flow"] = "owner" if role == UserRole.MSME_OWNER else "mandate"
    return (OWNER_FLOW if state.answers["flow"] == "owner" else MANDATE_FLOW)[0]


async def answer_role(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Sell or raise funds, buy, or invest. A number already registered with another role is
    asked before its role changes; an admin keeps theirs."""
    chosen = pick(role_options(state.language), answer.reply_id, answer.text)
    if chosen is None:
        return invalid(state, "invalid_choice")
    role = chosen.id.removeprefix("role:")
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
    if chosen is None:
        return invalid(state, "invalid_choice")
    switch = chosen.id == "switch:yes"
    state.answers["role_change"] = switch
    role = state.answers["role_wanted"] if switch else state.answers["role_current"]
    return Outcome(goto=choose_flow(state, str(role)))


async def answer_name(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The business's legal name, 2 to 200 characters."""
    name = " ".join((answer.text or "").split())
    if not 2 <= len(name) <= MAX_NAME:
        return invalid(state, "invalid_name")
    state.answers["name"] = name
    return Outcome()


def gstin_reason(error: InvalidIdentifier, typed: str, language: str | None) -> str:
    """Why a GSTIN was refused, in the user's language (the shared rule says which failed)."""
    rule = getattr(error, "rule", None)
    key = f"gstin_{rule}" if rule and has_text(f"gstin_{rule}") else "gstin_invalid"
    compact = "".join(typed.split()).upper()
    return t(key, language, count=len(compact), code=compact[:2])


async def answer_gstin(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A valid GSTIN (checksum, state code, embedded PAN), or Skip."""
    if pick([skip_option(state.language)], answer.reply_id, answer.text):
        state.answers.update(gstin=None, gstin_state=None)
        return Outcome()
    typed = answer.text or ""
    try:
        gstin = validate_gstin("".join(typed.split()))
    except InvalidIdentifier as exc:
        return Outcome(error=gstin_reason(exc, typed, state.language))
    owner = state_for_gst_code(gstin[:2])
    state.answers.update(gstin=gstin, gstin_state=owner.name if owner else None)
    return Outcome()


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
    matches = find_sectors(answer.text or "")
    if len(matches) == 1:
        return None, matches[0].code
    if matches:
        names = ", ".join(sector_name(s, state.language) for s in matches[:5])
        return invalid(state, "sector_ambiguous", names=names), None
    return invalid(state, "invalid_sector"), None


async def answer_sector(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A sector from the paged list, or typed by name."""
    outcome, code = sector_choice(state, answer, with_any=False)
    if outcome is not None:
        return outcome
    state.answers["sector"] = code
    return Outcome()


async def answer_state(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """A state or UT, in English or Hindi, consistent with the GSTIN's state code."""
    found = find_state(answer.text or "")
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
    """A city or town, up to 100 characters."""
    city = " ".join((answer.text or "").split())
    if not 1 <= len(city) <= MAX_CITY or city.isdigit():
        return invalid(state, "invalid_city")
    state.answers["city"] = city
    return Outcome()


async def answer_year(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The year the business started, 1800 to this year."""
    year, latest = parse_count(answer.text or ""), current_year(turn.now)
    if year is None or not 1800 <= year <= latest:
        return invalid(state, "invalid_year", current=latest)
    state.answers["year"] = year
    return Outcome()


def read_amount(state: State, text: str, *, signed: bool) -> tuple[int | None, Outcome | None]:
    """Rupees from a typed amount, or the reason it was refused."""
    try:
        amount = parse_amount(text)
    except InvalidIdentifier:
        return None, invalid(state, "invalid_amount")
    if amount < 0 and not signed:
        return None, invalid(state, "amount_negative")
    if abs(amount) > MAX_RUPEES:
        return None, invalid(state, "amount_too_large")
    return amount, None


async def answer_revenue(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Last fiscal year's revenue in rupees (lakh, crore, or digits)."""
    amount, refused = read_amount(state, answer.text or "", signed=False)
    if refused is not None or amount is None:
        return refused or invalid(state, "invalid_amount")
    state.answers["revenue"] = amount
    return Outcome(ack=t("noted", state.language, value=money(amount, state.language)))


async def answer_ebitda(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """Profit before interest, tax and depreciation: a loss is negative; never above revenue."""
    amount, refused = read_amount(state, answer.text or "", signed=True)
    if refused is not None or amount is None:
        return refused or invalid(state, "invalid_amount")
    revenue = int(state.answers.get("revenue") or 0)
    if amount > revenue:
        return invalid(state, "ebitda_above_revenue", revenue=money(revenue, state.language))
    state.answers["ebitda"] = amount
    return Outcome(ack=t("noted", state.language, value=money(amount, state.language)))


async def answer_employees(turn: Turn, state: State, answer: UserInput) -> Outcome:
    """The number of people, a whole number."""
    count = parse_count(answer.text or "")
    if count is None or count > MAX_EMPLOYEES:
        return invalid(state, "invalid_employees")
    state.answers["employees"] = count
    return Outcome()


def confirm_choice(state: State, answer: UserInput) -> str | Outcome:
    """`confirm` from the summary's buttons; back and start over are handled here."""
    chosen = pick(confirm_options(state.language), answer.reply_id, answer.text)
    if chosen is None:
        return invalid(state, "invalid_choice")
    if chosen.id == "back":
        state.back()
        return Outcome(moved=True)
    if chosen.id == "restart":
        state.restart()
        return Outcome(ack=t("restarted", state.language), moved=True)
    return chosen.id
