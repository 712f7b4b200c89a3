"""From "Hi" to a profile and a valuation, through each webhook, in English and in Hindi."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import func, select
from tests.msme.factories import gstin_for, new_pan
from tests.whatsapp.helpers import PUBLIC_BASE_URL, Chat, MetaChat, TwilioChat

from msmebazaar.auth.models import User
from msmebazaar.msme.models import Financials, Msme
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.india import format_inr_short
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.valuation.models import Valuation
from msmebazaar.whatsapp.conversation.questions import last_fiscal_year
from msmebazaar.whatsapp.models import Conversation, InboundMessage


@dataclass(frozen=True)
class Expected:
    language: str
    name: str
    gstin: bool
    legal_form: str
    city: str
    revenue: int
    ebitda: int
    employees: int
    done_words: str


ENGLISH = Expected(
    "en", "Ganesh Namkeen Private Limited", True, "private_limited", "Pune",
    4_500_000, 600_000, 25, "Estimated value",
)  # fmt: skip
HINDI = Expected("hi", "गणेश नमकीन", False, "other", "पुणे", 12_000_000, 1_500_000, 12, "अनुमानित मूल्य")


async def _onboard_in_english(chat: Chat, gstin: str) -> str:
    await chat.say("Hi")
    await chat.tap("lang:en")
    await chat.tap("role:msme_owner")
    await chat.say("Ganesh Namkeen Private Limited")
    await chat.say(gstin.lower())  # gives the state, the PAN and (with the name) the legal form
    await chat.say("we make namkeen and snacks")
    await chat.say("Pune, 2012, 25 people")
    summary = await chat.say("sales ₹45,00,000, profit 6 lakh")
    assert "₹45 L" in summary.body
    assert "27" in summary.body
    return (await chat.tap("confirm")).body


async def _onboard_in_hindi(chat: Chat, gstin: str) -> str:
    await chat.say("नमस्ते")  # Devanagari: Hindi, without asking
    await chat.tap("role:msme_owner")
    await chat.say("गणेश नमकीन")
    await chat.tap("skip")
    await chat.say("खाद्य प्रसंस्करण")
    await chat.say("पुणे, महाराष्ट्र, २०१२, १२ लोग")
    await chat.say("1.2 करोड़")
    summary = await chat.say("15 लाख")
    assert "₹1.2 करोड़" in summary.body
    assert "महाराष्ट्र" in summary.body
    return (await chat.tap("confirm")).body


async def _assert_onboarded(database: Database, phone: str, expected: Expected, gstin: str) -> Msme:
    async with database.session() as session:
        user = (await session.scalars(select(User).where(User.phone == phone))).one()
        profile = (await session.scalars(select(Msme).where(Msme.owner_id == user.id))).one()
        years = list(
            await session.scalars(select(Financials).where(Financials.msme_id == profile.id))
        )
        valuations = list(
            await session.scalars(select(Valuation).where(Valuation.msme_id == profile.id))
        )
    assert (user.role, user.status, user.language) == ("msme_owner", "active", expected.language)
    assert user.phone_verified_at is not None
    assert profile.legal_name == expected.name
    assert profile.gstin == (gstin if expected.gstin else None)
    assert profile.pan == (gstin[2:12] if expected.gstin else None)
    assert (profile.legal_form, profile.sector, profile.state) == (
        expected.legal_form, "food_processing", "Maharashtra",
    )  # fmt: skip
    assert (profile.city, profile.year_established, profile.employees) == (
        expected.city, 2012, expected.employees,
    )  # fmt: skip
    assert profile.verification_status == "pending"
    assert [(y.fiscal_year, y.revenue, y.ebitda) for y in years] == [
        (last_fiscal_year(utcnow()), expected.revenue, expected.ebitda)
    ]
    assert len(valuations) == 1
    assert valuations[0].created_by == user.id
    assert 0 < valuations[0].low <= valuations[0].base <= valuations[0].high
    return profile


@pytest.mark.parametrize("provider", ["meta", "twilio"])
@pytest.mark.parametrize("expected", [ENGLISH, HINDI], ids=["english", "hindi"])
async def test_an_owner_goes_from_hi_to_a_profile_and_a_valuation(
    *,
    provider: str,
    expected: Expected,
    meta_chat: MetaChat,
    twilio_chat: TwilioChat,
    database: Database,
    phone: str,
) -> None:
    chat: Chat = meta_chat if provider == "meta" else twilio_chat
    gstin = gstin_for(new_pan("C"), "27")
    onboard = _onboard_in_english if expected.language == "en" else _onboard_in_hindi

    done = await onboard(chat, gstin)

    profile = await _assert_onboarded(database, phone, expected, gstin)
    async with database.session() as session:
        valuation = (await session.scalars(select(Valuation))).one()
        conversation = (await session.scalars(select(Conversation))).one()
        received = await session.scalar(select(func.count()).select_from(InboundMessage))
        queued = await session.scalar(
            select(func.count()).where(
                OutboxMessage.channel == "whatsapp", OutboxMessage.recipient == phone
            )
        )
    assert expected.done_words in done
    low, high = (
        format_inr_short(valuation.low, expected.language),
        format_inr_short(valuation.high, expected.language),
    )
    assert low in done
    assert high in done
    assert f"{PUBLIC_BASE_URL}/my/businesses/{profile.id}" in done
    assert "token" not in done.lower()
    assert (conversation.step, conversation.language) == ("done", expected.language)
    assert received == queued == 9  # every message answered once, through the outbox
