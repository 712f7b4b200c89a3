"""Who completes a conversation: new and existing users, role changes only with consent, and the
buyers' and investors' short mandate flow."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from tests.auth.factories import make_user
from tests.msme.factories import gstin_for, new_pan
from tests.whatsapp.helpers import PUBLIC_BASE_URL, Chat, conversation_of

from msmebazaar.auth.models import User
from msmebazaar.match.models import Mandate
from msmebazaar.msme.models import Financials, Msme
from msmebazaar.shared.db import Database
from msmebazaar.valuation.models import Valuation
from msmebazaar.whatsapp.models import Conversation


async def _owner_answers(chat: Chat, gstin: str | None = None) -> None:
    await chat.say("Asha Textiles Private Limited")
    await (chat.say(gstin) if gstin else chat.tap("skip"))
    await chat.say("we weave textiles")
    await chat.say("Surat, Maharashtra, 2015" if gstin is None else "Mumbai, 2015")
    await chat.say("sales 45 lakh, profit 5 lakh")


async def _users(database: Database) -> list[User]:
    async with database.session() as session:
        return list(await session.scalars(select(User)))


async def _profiles(database: Database) -> list[Msme]:
    async with database.session() as session:
        return list(await session.scalars(select(Msme)))


async def test_an_existing_owner_is_reused(chat: Chat, database: Database, phone: str) -> None:
    existing = await make_user(database, phone=phone, role="msme_owner", name="Asha Patel")
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)

    await chat.tap("confirm")

    users = await _users(database)
    assert [(u.id, u.role, u.name) for u in users] == [(existing.id, "msme_owner", "Asha Patel")]
    assert [p.owner_id for p in await _profiles(database)] == [existing.id]


async def test_a_buyer_choosing_to_sell_is_asked_and_may_keep_the_role(
    chat: Chat, database: Database, phone: str
) -> None:
    await make_user(database, phone=phone, role="buyer")
    await chat.say("Hi")
    await chat.tap("lang:en")

    asked = await chat.tap("role:msme_owner")
    kept = await chat.tap("switch:no")

    assert "already registered as a *buyer*. Switch your account to *business owner*?" in asked.body
    assert "Which sector are you looking for?" in kept.body
    assert [u.role for u in await _users(database)] == ["buyer"]


async def test_a_buyer_who_agrees_becomes_an_owner_on_completion(
    chat: Chat, database: Database, phone: str
) -> None:
    buyer = await make_user(database, phone=phone, role="buyer")
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await chat.tap("switch:yes")
    await _owner_answers(chat)
    assert [u.role for u in await _users(database)] == ["buyer"]  # not before completion

    await chat.tap("confirm")

    assert [(u.id, u.role) for u in await _users(database)] == [(buyer.id, "msme_owner")]
    assert [p.owner_id for p in await _profiles(database)] == [buyer.id]


async def test_a_role_changed_elsewhere_meanwhile_is_asked_again(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)
    await make_user(database, phone=phone, role="investor")  # signed up on the web meanwhile

    reply = await chat.tap("confirm")

    assert "already registered as a *investor*" in reply.body
    assert await _profiles(database) == []
    assert [u.role for u in await _users(database)] == ["investor"]


async def test_an_admin_keeps_the_admin_role(chat: Chat, database: Database, phone: str) -> None:
    admin = await make_user(database, phone=phone, role="admin")
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)

    await chat.tap("confirm")

    assert [(u.id, u.role) for u in await _users(database)] == [(admin.id, "admin")]
    assert [p.owner_id for p in await _profiles(database)] == [admin.id]


async def test_a_suspended_account_cannot_continue(
    chat: Chat, database: Database, phone: str
) -> None:
    await make_user(database, phone=phone, role="msme_owner", status="suspended")
    await chat.say("Hi")
    await chat.tap("lang:en")

    reply = await chat.tap("role:msme_owner")

    assert "This account is suspended" in reply.body
    conversation = await conversation_of(database, phone)
    assert conversation is not None
    assert conversation.step == "role"


async def test_a_gstin_registered_meanwhile_sends_the_user_back_and_keeps_nothing(
    chat: Chat, database: Database, phone: str
) -> None:
    gstin = gstin_for(new_pan("C"), "27")
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat, gstin)
    other = await make_user(database, role="msme_owner")
    async with database.session() as session:
        session.add(
            Msme(
                owner_id=other.id, legal_name="Someone Else", legal_form="other", gstin=gstin,
                pan=gstin[2:12], sector="textiles", state="Maharashtra",
                verification_status="pending", classification="unknown",
            )
        )  # fmt: skip

    reply = await chat.tap("confirm")

    assert reply.body.startswith("❗ We could not save this yet: this GSTIN is already registered")
    assert [o.id for o in reply.options] == ["skip"]
    assert [p.legal_name for p in await _profiles(database)] == ["Someone Else"]
    assert [u.id for u in await _users(database)] == [other.id]  # the sender's user rolled back
    skipped = await chat.tap("skip")  # every other answer is kept: straight to the summary
    assert "*GSTIN:* not given" in skipped.body


async def test_a_buyer_states_a_mandate_in_a_few_questions(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:buyer")
    await chat.tap("sector:food_processing")
    await chat.say("Karnataka")
    refused = await chat.say("2 crore to 50 lakh")
    await chat.say("50 lakh to 2 crore")
    summary = await chat.say("A profitable snack maker with its own brand")

    done = await chat.tap("confirm")

    assert "first amount must not be more than the second" in refused.body
    assert "*Budget:* ₹50 L to ₹2 Cr" in summary.body
    async with database.session() as session:
        user = (await session.scalars(select(User).where(User.phone == phone))).one()
        mandate = (await session.scalars(select(Mandate))).one()
    assert user.role == "buyer"
    assert mandate.owner_id == user.id
    assert (mandate.sectors, mandate.states) == (["food_processing"], ["Karnataka"])
    assert (mandate.ticket_min, mandate.ticket_max) == (5_000_000, 20_000_000)
    assert mandate.deal_types == ["full_sale", "stake_sale"]
    assert mandate.title == "Food Processing, Karnataka"
    assert mandate.thesis == "A profitable snack maker with its own brand"
    assert f"{PUBLIC_BASE_URL}/buyer/mandates/{mandate.id}" in done.body


async def test_an_investor_in_hindi_may_leave_sector_and_state_open(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("नमस्ते")  # Devanagari: Hindi without asking
    await chat.tap("role:investor")
    await chat.tap("sector:any")
    await chat.say("कहीं भी")
    await chat.say("५० लाख से २ करोड़")
    await chat.tap("skip")

    done = await chat.tap("confirm")

    assert done.body.startswith("✅ दर्ज हो गया")
    async with database.session() as session:
        mandate = (await session.scalars(select(Mandate))).one()
        role = await session.scalar(select(User.role).where(User.phone == phone))
    assert role == "investor"
    assert (mandate.sectors, mandate.states, mandate.thesis) == ([], [], "")
    assert (mandate.ticket_min, mandate.ticket_max) == (5_000_000, 20_000_000)
    assert mandate.deal_types == ["investment", "stake_sale"]
    assert mandate.title == "कोई भी सेक्टर, पूरे भारत में"


async def test_status_after_a_mandate_names_it(chat: Chat, database: Database) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:investor")
    await chat.tap("sector:any")
    await chat.tap("state:any")
    await chat.say("5 crore")
    await chat.tap("skip")
    await chat.tap("confirm")

    reply = await chat.say("status")

    assert reply.body.startswith("Your search *Any sector, anywhere in India* is saved.")
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Mandate)) == 1


async def test_an_owner_with_a_business_gets_the_menu_and_values_it_again(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)
    await chat.tap("confirm")
    await chat.say("restart")  # a fresh conversation, as from the web sign-up
    async with database.session() as session:
        await session.execute(delete(Conversation).where(Conversation.phone == phone))

    menu = await chat.say("Hi")
    valued = await chat.tap("value")

    assert menu.body.startswith("Namaste! 🙏 Welcome back")
    assert "*Asha Textiles Private Limited*" in menu.body
    assert [o.id for o in menu.options] == ["value", "figures", "interests", "new"]
    assert "estimated value" in valued.body
    assert len(await _profiles(database)) == 1  # no second sign-up
    async with database.session() as session:
        assert await session.scalar(select(func.count()).select_from(Valuation)) == 2


async def test_an_owner_updates_this_years_figures_from_the_menu(
    chat: Chat, database: Database, phone: str
) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)
    await chat.tap("confirm")

    menu = await chat.say("hello")  # after completion, a greeting opens the menu
    await chat.tap("figures")
    valued = await chat.say("sales 60 lakh, profit 8 lakh")

    assert [o.id for o in menu.options] == ["value", "figures", "interests", "new"]
    assert "estimated value" in valued.body
    async with database.session() as session:
        revenue = await session.scalar(select(Financials.revenue))
    assert revenue == 6_000_000


async def test_an_owner_sees_the_interests_received_from_the_menu(
    chat: Chat, database: Database
) -> None:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await _owner_answers(chat)
    await chat.tap("confirm")
    await chat.say("hi")

    interests = await chat.tap("interests")

    assert "received 0 interest(s)" in interests.body
    assert f"{PUBLIC_BASE_URL}/my/interests" in interests.body


async def test_a_first_message_with_a_role_from_a_suspended_account_says_so(
    chat: Chat, database: Database, phone: str
) -> None:
    await make_user(database, phone=phone, role="msme_owner", status="suspended")

    reply = await chat.say("Hello, I want to sell my business")

    assert "This account is suspended" in reply.body
    assert await conversation_of(database, phone) is not None
