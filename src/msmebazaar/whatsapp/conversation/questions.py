"""The question of each step, as a reply with its options, and the summaries of the answers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from msmebazaar.msme.service import SECTORS, get_sector
from msmebazaar.shared.india import (
    fiscal_year_of,
    format_inr_short,
    india_date,
    previous_fiscal_year,
)
from msmebazaar.whatsapp.conversation.parsing import sector_name, state_name
from msmebazaar.whatsapp.conversation.state import CANDIDATES, SECTOR_PAGE, State, Step
from msmebazaar.whatsapp.conversation.texts import t
from msmebazaar.whatsapp.messages import Option, Reply

PAGE_ROWS = 9  # a list holds 10 rows: nine sectors and a row to turn the page
ANY = "any"
OTHER = "other"  # the "another sector" button under a "did you mean" question


def last_fiscal_year(now: datetime) -> str:
    """The last complete Indian fiscal year (April to March) as `2024-25`."""
    return previous_fiscal_year(fiscal_year_of(india_date(now)))


def current_year(now: datetime) -> int:
    """The calendar year in India."""
    return india_date(now).year


def money(amount: int, language: str | None) -> str:
    """Rupees in lakh and crore, in the user's language."""
    return format_inr_short(amount, language or "en")


def language_question() -> Reply:
    """English or Hindi (asked in both)."""
    return Reply.buttons(
        t("ask_language", None),
        [Option("lang:en", t("opt_english", None)), Option("lang:hi", t("opt_hindi", None))],
    )


def role_options(language: str | None) -> list[Option]:
    """The three roles a user can choose."""
    return [
        Option(f"role:{role}", t(f"opt_role_{role}", language))
        for role in ("msme_owner", "buyer", "investor")
    ]


def skip_option(language: str | None) -> Option:
    """The Skip button of an optional question."""
    return Option("skip", t("opt_skip", language))


def confirm_options(language: str | None) -> list[Option]:
    """The summary's buttons: confirm, back, start over."""
    return [
        Option("confirm", t("opt_confirm", language)),
        Option("back", t("opt_back", language)),
        Option("restart", t("opt_restart", language)),
    ]


def switch_options(language: str | None) -> list[Option]:
    """Yes or no to a role change."""
    return [
        Option("switch:yes", t("opt_switch_yes", language)),
        Option("switch:no", t("opt_switch_no", language)),
    ]


def sector_pages(language: str | None, *, with_any: bool) -> list[list[Option]]:
    """The sector list in pages of nine, each with a last row to turn the page."""
    rows = [Option(f"sector:{ANY}", t("opt_any_sector", language))] if with_any else []
    for sector in SECTORS:
        name = sector_name(sector, language)
        rows.append(Option(f"sector:{sector.code}", name, name if len(name) > 24 else None))
    pages = [rows[i : i + PAGE_ROWS] for i in range(0, len(rows), PAGE_ROWS)]
    for number, page in enumerate(pages):
        last = number == len(pages) - 1
        turn = (
            Option("sector_page:0", t("opt_first_sectors", language))
            if last
            else Option(f"sector_page:{number + 1}", t("opt_more_sectors", language))
        )
        page.append(turn)
    return pages


def sector_candidates(state: State) -> list[Option]:
    """The likeliest sectors for what the owner wrote, as buttons."""
    options = []
    for code in state.answers.get(CANDIDATES) or []:
        sector = get_sector(str(code))
        if sector is not None:
            options.append(Option(f"sector:{sector.code}", sector_name(sector, state.language)))
    return options


def _sector_question(state: State, key: str, *, with_any: bool) -> Reply:
    pages = sector_pages(state.language, with_any=with_any)
    page = min(int(state.answers.get(SECTOR_PAGE, 0)), len(pages) - 1)
    button = t("sector_button", state.language)
    body = t(key, state.language, button=button, page=page + 1, pages=len(pages))
    return Reply.choices(body, pages[page], button)


def ask(state: State, now: datetime) -> Reply:
    """The question of the state's current step."""
    if state.step is None:
        return language_question()
    simple = _SIMPLE_QUESTIONS.get(state.step)
    if simple is not None:
        return Reply.text(t(simple, state.language))
    return _QUESTIONS.get(state.step, _ask_done)(state, now)


_SIMPLE_QUESTIONS = {
    Step.NAME: "ask_name",
    Step.YEAR: "ask_year",
    Step.EMPLOYEES: "ask_employees",
}


def _ask_language(state: State, now: datetime) -> Reply:
    return language_question()


def _ask_city(state: State, now: datetime) -> Reply:
    """City and year together (and the state when the GSTIN did not give it)."""
    answers = state.answers
    if "year" in answers and "city" not in answers:
        return Reply.text(t("ask_city", state.language))
    key = "ask_place" if "state" in answers else "ask_place_state"
    return Reply.text(t(key, state.language))


def _ask_role(state: State, now: datetime) -> Reply:
    return Reply.buttons(t("ask_role", state.language), role_options(state.language))


def _ask_role_switch(state: State, now: datetime) -> Reply:
    language = state.language
    current = t(f"role_{state.answers.get('role_current', 'buyer')}", language)
    wanted = t(f"role_{state.answers.get('role_wanted', 'msme_owner')}", language)
    body = t("ask_role_switch", language, current=current, wanted=wanted)
    return Reply.buttons(body, switch_options(language))


def _ask_gstin(state: State, now: datetime) -> Reply:
    return Reply.buttons(t("ask_gstin", state.language), [skip_option(state.language)])


def _ask_thesis(state: State, now: datetime) -> Reply:
    return Reply.buttons(t("ask_thesis", state.language), [skip_option(state.language)])


def _ask_sector(state: State, now: datetime) -> Reply:
    language = state.language
    candidates = sector_candidates(state)
    if candidates:
        options = [*candidates[:2], Option(f"sector:{OTHER}", t("opt_other_sector", language))]
        return Reply.buttons(t("ask_sector_candidates", language), options)
    if state.answers.get("sector_list"):
        return _sector_question(state, "ask_sector_list", with_any=False)
    return Reply.text(t("ask_sector", language))


def _ask_mandate_sector(state: State, now: datetime) -> Reply:
    return _sector_question(state, "ask_mandate_sector", with_any=True)


def _ask_state(state: State, now: datetime) -> Reply:
    language = state.language
    text = t("ask_state", language)
    if gstin_state := state.answers.get("gstin_state"):
        text = f"{t('state_hint', language, state=state_name(gstin_state, language))}\n{text}"
    return Reply.text(text)


def _ask_revenue(state: State, now: datetime) -> Reply:
    return Reply.text(t("ask_revenue", state.language, fiscal_year=last_fiscal_year(now)))


def _ask_ebitda(state: State, now: datetime) -> Reply:
    return Reply.text(t("ask_ebitda", state.language, fiscal_year=last_fiscal_year(now)))


def _ask_mandate_state(state: State, now: datetime) -> Reply:
    options = [Option(f"state:{ANY}", t("opt_anywhere", state.language))]
    return Reply.buttons(t("ask_mandate_state", state.language), options)


def _ask_ticket(state: State, now: datetime) -> Reply:
    key = "ask_ticket_investor" if state.role == "investor" else "ask_ticket_buyer"
    return Reply.text(t(key, state.language))


def _ask_confirm(state: State, now: datetime) -> Reply:
    lines = "\n".join(owner_lines(state, now))
    body = t("summary_owner", state.language, lines=lines)
    return Reply.buttons(body, confirm_options(state.language))


def _ask_mandate_confirm(state: State, now: datetime) -> Reply:
    lines = "\n".join(mandate_lines(state))
    body = t("summary_mandate", state.language, lines=lines)
    return Reply.buttons(body, confirm_options(state.language))


def _ask_done(state: State, now: datetime) -> Reply:
    return Reply.text(t("already_done", state.language))


_QUESTIONS: dict[Step, Callable[[State, datetime], Reply]] = {
    Step.LANGUAGE: _ask_language,
    Step.ROLE: _ask_role,
    Step.ROLE_SWITCH: _ask_role_switch,
    Step.GSTIN: _ask_gstin,
    Step.SECTOR: _ask_sector,
    Step.CITY: _ask_city,
    Step.STATE: _ask_state,
    Step.REVENUE: _ask_revenue,
    Step.EBITDA: _ask_ebitda,
    Step.CONFIRM: _ask_confirm,
    Step.MANDATE_SECTOR: _ask_mandate_sector,
    Step.MANDATE_STATE: _ask_mandate_state,
    Step.MANDATE_TICKET: _ask_ticket,
    Step.MANDATE_THESIS: _ask_thesis,
    Step.MANDATE_CONFIRM: _ask_mandate_confirm,
}


def register_question(step: Step, question: Callable[[State, datetime], Reply]) -> None:
    """Add the question of a step defined elsewhere (the menu, which imports this module)."""
    _QUESTIONS[step] = question


def _line(label: str, value: str) -> str:
    return f"*{label}:* {value}"


def owner_lines(state: State, now: datetime, *, given_only: bool = False) -> list[str]:
    """The owner's answers as summary lines (only those given, for `status`)."""
    language, answers = state.language, state.answers
    missing = t("not_given", language)
    sector = get_sector(str(answers.get("sector", "")))
    place = ", ".join(
        part
        for part in (answers.get("city"), state_name(str(answers.get("state", "")), language))
        if part
    )
    fields: list[tuple[str, Any]] = [
        (t("label_name", language), answers.get("name")),
        (t("label_gstin", language), answers.get("gstin") or (None if given_only else missing)),
        (t("label_sector", language), sector_name(sector, language) if sector else None),
        (t("label_place", language), place or None),
        (t("label_year", language), answers.get("year")),
        (
            t("label_revenue", language, fiscal_year=last_fiscal_year(now)),
            _money_or_none(answers.get("revenue"), language),
        ),
        (t("label_ebitda", language), _money_or_none(answers.get("ebitda"), language)),
        (t("label_employees", language), answers.get("employees")),
    ]
    return [_line(label, str(value)) for label, value in fields if value is not None]


def _money_or_none(value: Any, language: str | None) -> str | None:
    return None if value is None else money(int(value), language)


def mandate_place(state: State) -> str:
    """Where a buyer looks, in words."""
    chosen = state.answers.get("mandate_state")
    return state_name(chosen, state.language) if chosen else t("anywhere", state.language)


def mandate_sector(state: State) -> str:
    """What a buyer looks for, in words."""
    sector = get_sector(str(state.answers.get("mandate_sector") or ""))
    return sector_name(sector, state.language) if sector else t("opt_any_sector", state.language)


def budget(state: State) -> str | None:
    """The buyer's budget in words, or None when not given yet."""
    low, high = state.answers.get("ticket_min"), state.answers.get("ticket_max")
    if high is None:
        return None
    if low is None:
        return t("ticket_upto", state.language, high=money(int(high), state.language))
    return t(
        "ticket_range",
        state.language,
        low=money(int(low), state.language),
        high=money(int(high), state.language),
    )


def mandate_lines(state: State, *, given_only: bool = False) -> list[str]:
    """A buyer's answers as summary lines."""
    language, answers = state.language, state.answers
    fields: list[tuple[str, str | None]] = [
        (
            t("label_sector", language),
            mandate_sector(state) if "mandate_sector" in answers else None,
        ),
        (t("label_place", language), mandate_place(state) if "mandate_state" in answers else None),
        (t("label_budget", language), budget(state)),
        (
            t("label_thesis", language),
            answers.get("thesis") or (None if given_only else t("not_given", language)),
        ),
    ]
    if not given_only:
        fields[0] = (fields[0][0], mandate_sector(state))
        fields[1] = (fields[1][0], mandate_place(state))
    return [_line(label, value) for label, value in fields if value is not None]
