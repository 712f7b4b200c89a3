"""The conversation through the simulator: commands, refused answers, idle sessions, senders."""

from __future__ import annotations

from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select, update
from tests.whatsapp.helpers import SIMULATE, Chat, conversation_of

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Msme
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.whatsapp.models import Conversation


async def _to_name(chat: Chat, language: str = "lang:en") -> None:
    await chat.say("Hi")
    await chat.tap(language)
    await chat.tap("role:msme_owner")


async def _to_revenue(chat: Chat) -> None:
    await _to_name(chat)
    await chat.say("Asha Textiles")
    await chat.tap("skip")
    await chat.say("textiles")
    await chat.say("Surat, Gujarat, 2015")


async def _step(database: Database, phone: str) -> str | None:
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    return conversation.step


async def test_the_first_message_gets_the_welcome_and_the_language_question(chat: Chat) -> None:
    reply = await chat.say("hello")

    assert "Welcome to *MSMEBazaar*" in reply.body
    assert "स्वागत" in reply.body
    assert reply.kind == "buttons"
    assert [(o.id, o.title) for o in reply.options] == [
        ("lang:en", "English"),
        ("lang:hi", "हिन्दी"),
    ]


async def test_help_lists_the_commands_and_repeats_the_question(chat: Chat) -> None:
    await _to_name(chat)

    reply = await chat.say("help")

    for command in ("*help*", "*back*", "*restart*", "*status*", "*language*"):
        assert command in reply.body
    assert reply.body.endswith("(with the GSTIN, if you like).")


async def test_commands_work_in_hindi(chat: Chat, database: Database, phone: str) -> None:
    await _to_name(chat, "lang:hi")

    helped = await chat.say("मदद")
    back = await chat.say("पीछे")

    assert "*स्थिति*" in helped.body
    assert await _step(database, phone) == "role"
    assert "आप MSMEBazaar पर क्या करना चाहते हैं?" in back.body


async def test_back_returns_to_the_previous_question_and_keeps_nothing_wrong(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_revenue(chat)

    reply = await chat.say("back")
    again = await chat.say("2016")

    assert "in which year did it start" in reply.body
    assert "sales (turnover)" in again.body
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    assert conversation.answers["year"] == 2016


async def test_back_at_the_first_question_says_so(chat: Chat) -> None:
    await chat.say("Hi")

    reply = await chat.say("back")

    assert reply.body.startswith("This is the first question.")
    assert [o.id for o in reply.options] == ["lang:en", "lang:hi"]


async def test_restart_forgets_the_answers_and_keeps_the_language(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_revenue(chat)

    reply = await chat.say("restart")

    assert reply.body.startswith("Starting over.")
    assert [o.id for o in reply.options] == ["role:msme_owner", "role:buyer", "role:investor"]
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    assert (conversation.step, conversation.answers, conversation.language) == ("role", {}, "en")


async def test_status_shows_what_is_saved_and_the_current_question(chat: Chat) -> None:
    await _to_revenue(chat)

    reply = await chat.say("status")

    assert "*Business:* Asha Textiles" in reply.body
    assert "*Place:* Surat, Gujarat" in reply.body
    assert "*Started in:* 2015" in reply.body
    assert "GSTIN" not in reply.body  # skipped, so not "saved"
    assert "sales (turnover)" in reply.body.rsplit("\n\n", 1)[1]


async def test_status_before_any_answer_says_nothing_is_saved(chat: Chat) -> None:
    await _to_name(chat)

    reply = await chat.say("status")

    assert reply.body.startswith("Nothing is saved yet.")


async def test_language_switches_and_returns_to_the_same_question(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_revenue(chat)

    asked = await chat.say("language")
    reply = await chat.tap("lang:hi")

    assert [o.id for o in asked.options] == ["lang:en", "lang:hi"]
    assert reply.body.startswith("✓ अब बात हिन्दी में होगी।")
    assert "बिक्री (टर्नओवर)" in reply.body
    assert await _step(database, phone) == "revenue"


@pytest.mark.parametrize(
    ("answer", "reason"),
    [
        ("lots", "Please send an amount like 45 lakh"),
        ("-5 lakh", "cannot be negative"),
        ("45 dollars", "Please send an amount like 45 lakh"),
    ],
)
async def test_a_bad_amount_repeats_the_question_with_the_reason(
    chat: Chat, database: Database, phone: str, answer: str, reason: str
) -> None:
    await _to_revenue(chat)

    reply = await chat.say(answer)

    assert reply.body.startswith("❗")
    assert reason in reply.body
    assert "sales (turnover)" in reply.body
    assert await _step(database, phone) == "revenue"


async def test_ebitda_above_revenue_is_refused(chat: Chat, database: Database, phone: str) -> None:
    await _to_revenue(chat)
    await chat.say("45 lakh")

    reply = await chat.say("50 lakh")
    loss = await chat.say("-3 lakh")

    assert "cannot be more than the revenue (₹45 L)" in reply.body
    assert loss.body.startswith("✓ Noted: -₹3 L")
    assert await _step(database, phone) == "confirm"  # the people are not asked on their own


@pytest.mark.parametrize(
    ("gstin", "reason"),
    [
        ("27AAPFU0939F1Z", "A GSTIN has 15 characters; you sent 14."),
        ("00AAPFU0939F1ZV", "'00' is not one"),
        ("27AAPFU0939F1ZW", "does not match the rest"),
        ("2712345678901ZV", "Characters 3 to 12 of a GSTIN are the PAN"),
    ],
    ids=["length", "state-code", "checksum", "pan"],
)
async def test_a_bad_gstin_gets_a_clear_retry_prompt(
    chat: Chat, database: Database, phone: str, gstin: str, reason: str
) -> None:
    await _to_name(chat)
    await chat.say("Asha Textiles")

    reply = await chat.say(gstin)

    assert reason in reply.body
    assert [o.id for o in reply.options] == ["skip"]
    assert await _step(database, phone) == "gstin"


async def test_a_gstin_error_is_explained_in_hindi(chat: Chat) -> None:
    await _to_name(chat, "lang:hi")
    await chat.say("आशा टेक्सटाइल्स")

    reply = await chat.say("27AAPFU0939F1Z")

    assert "GSTIN में 15 अक्षर होते हैं; आपने 14 भेजे।" in reply.body


async def test_the_gstin_gives_the_state_and_pan_so_they_are_not_asked(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_name(chat)
    await chat.say("Asha Textiles")
    noted = await chat.say("27AAPFU0939F1ZV")
    await chat.say("textiles")

    place = await chat.say("Surat, Gujarat, 2015")  # the GSTIN's state wins over a typed one

    assert noted.body.startswith("✓ GSTIN noted: registered in Maharashtra.")
    assert "Which state" not in noted.body + place.body
    assert "sales (turnover)" in place.body
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    answers = conversation.answers
    assert (answers["state"], answers["pan"], answers["city"]) == (
        "Maharashtra", "AAPFU0939F", "Surat",
    )  # fmt: skip


async def test_other_invalid_answers_keep_the_step(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_name(chat)
    assert "2 to 200 characters" in (await chat.say("A")).body
    await chat.say("Asha Textiles")
    await chat.tap("skip")
    assert "Please pick a sector" in (await chat.say("space mining")).body
    assert (await chat.say("food")).body.startswith("✓ Sector: Food Processing")
    assert "Please send the city" in (await chat.say("!!")).body
    await chat.say("Surat")
    assert "We do not know that state" in (await chat.say("Atlantis")).body
    await chat.say("गुजरात")
    assert "between 1800 and" in (await chat.say("1700")).body
    assert "between 1800 and" in (await chat.say("next year")).body
    await chat.say("२०१५")
    await chat.say("45 lakh")
    summary = await chat.say("5 lakh")
    assert "Reply *yes* to confirm" in (await chat.say("maybe")).body
    assert summary.kind == "buttons"
    assert await _step(database, phone) == "confirm"


async def test_the_sector_list_pages_through_every_sector(chat: Chat) -> None:
    await _to_name(chat)
    await chat.say("Asha Textiles")
    await chat.tap("skip")
    first = await chat.say("space mining")  # not understood: the whole list

    second = await chat.tap("sector_page:1")
    fourth = await chat.tap("sector_page:2")
    fourth = await chat.tap("sector_page:3")
    back_to_first = await chat.tap("sector_page:0")

    assert "page 1 of 4" in first.body
    assert "page 2 of 4" in second.body
    assert len(first.options) == 10
    assert fourth.options[-1].id == "sector_page:0"
    assert back_to_first.options[0].id == "sector:food_processing"
    place_question = await chat.say("Waste Management and Recycling")
    assert "city and state" in place_question.body


async def test_an_unsure_sector_is_confirmed_with_buttons(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_name(chat)
    await chat.say("Asha Textiles")
    await chat.tap("skip")

    asked = await chat.say("garments and fabric")
    place = await chat.say("haan")  # yes: the likeliest one

    assert asked.kind == "buttons"
    assert [o.id for o in asked.options] == ["sector:apparel", "sector:textiles", "sector:other"]
    assert place.body.startswith("✓ Sector: Apparel and Garments")
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    assert conversation.answers["sector"] == "apparel"


async def test_status_at_the_summary_shows_it_once(chat: Chat) -> None:
    await _to_revenue(chat)
    await chat.say("45 lakh, 5 lakh")

    reply = await chat.say("status")

    assert reply.body.count("*Business:* Asha Textiles") == 1
    assert [o.id for o in reply.options] == ["confirm", "back", "restart"]


async def test_free_answers_in_hinglish_reach_the_summary(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("hello")
    await chat.say("mujhe apna business bechna hai")
    await chat.say("Raju General Store")
    await chat.say("gst nahi hai")
    await chat.say("kirana ki dukaan")
    await chat.say("Lucknow UP 2009 mein shuru kiya")
    ahead = await chat.say("sales around 45 lakh")
    summary = await chat.say("5 lakh")
    done = await chat.say("ok ji")

    assert ahead.body.startswith("✓ Noted: ₹45 L")
    assert "*Place:* Lucknow, Uttar Pradesh" in summary.body
    assert "*Sector:* Retail" in summary.body
    assert "Estimated value" in done.body
    assert await _step(database, phone) == "done"


async def test_a_session_idle_for_a_day_starts_over_politely(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_revenue(chat)
    async with database.session() as session:
        await session.execute(
            update(Conversation)
            .where(Conversation.phone == phone)
            .values(last_inbound_at=utcnow() - timedelta(hours=25))
        )

    reply = await chat.say("45 lakh")

    assert reply.body.startswith("Welcome back! It has been more than a day")
    assert next(o.id for o in reply.options) == "role:msme_owner"
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    assert (conversation.step, conversation.answers) == ("role", {})


async def test_a_sender_without_an_indian_mobile_is_told_politely(
    client: httpx.AsyncClient, database: Database
) -> None:
    def non_indian() -> float:
        value = REGISTRY.get_sample_value("whatsapp_onboardings_total", {"result": "non_indian"})
        return value or 0.0

    before = non_indian()

    response = await client.post(SIMULATE, json={"from": "+447700900123", "text": "Hi"})

    assert response.status_code == 200
    replies = response.json()["data"]["replies"]
    assert "needs an Indian mobile number (+91)" in replies[0]["body"]
    assert "भारतीय मोबाइल नंबर" in replies[0]["body"]
    assert non_indian() == before + 1
    async with database.session() as session:
        assert (await session.scalars(select(User))).all() == []


@pytest.mark.parametrize("sender", ["not a phone", "12345678"])
async def test_the_simulator_needs_a_phone_number(client: httpx.AsyncClient, sender: str) -> None:
    response = await client.post(SIMULATE, json={"from": sender, "text": "Hi"})

    assert response.status_code == 422
    assert response.json()["error"]["details"][0]["field"] == "from"


async def test_the_simulator_accepts_an_indian_mobile_without_the_country_code(
    client: httpx.AsyncClient, database: Database
) -> None:
    response = await client.post(SIMULATE, json={"from": "98765 43210", "text": "Hi"})

    assert response.status_code == 200
    assert response.json()["data"]["step"] == "language"
    assert await conversation_of(database, "+919876543210") is not None


async def test_after_onboarding_the_bot_says_so_and_restart_begins_another(
    chat: Chat, database: Database, phone: str
) -> None:
    await _to_revenue(chat)
    await chat.say("sales 45 lakh, profit 5 lakh")
    await chat.tap("confirm")

    done = await chat.say("thanks!")
    helped = await chat.say("help")
    restarted = await chat.say("restart")

    assert done.body.startswith("You are all set.")
    assert "*restart*" in helped.body
    assert next(o.id for o in restarted.options) == "role:msme_owner"
    async with database.session() as session:
        assert len((await session.scalars(select(Msme))).all()) == 1
