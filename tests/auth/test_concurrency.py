"""Races on a real database (separate connections, committed data): guesses and refreshes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncEngine

from msmebazaar.auth.models import AuthSession, OtpChallenge, RefreshToken, User
from msmebazaar.auth.otp import CodeCheck, check_code, issue_code
from msmebazaar.auth.sessions import refresh_tokens, start_session
from msmebazaar.auth.tokens import TokenCodec
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import RedisSettings, Settings
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.outbox import OutboxMessage
from msmebazaar.shared.ratelimit import create_rate_limiter
from tests.auth.factories import new_phone


@pytest.fixture
def phones() -> list[str]:
    """Phones a test used: their rows are removed after it."""
    return []


@pytest.fixture
async def committed(engine: AsyncEngine, phones: list[str]) -> AsyncIterator[Database]:
    """A database whose units of work really commit (each on its own connection)."""
    database = Database(engine)
    yield database
    async with database.session() as session:
        await session.execute(delete(OtpChallenge).where(OtpChallenge.phone.in_(phones)))
        await session.execute(delete(OutboxMessage).where(OutboxMessage.recipient.in_(phones)))
        await session.execute(delete(User).where(User.phone.in_(phones)))


async def _guess(
    database: Database, codec: TokenCodec, settings: Settings, phone: str
) -> CodeCheck:
    async with database.session() as session:
        return await check_code(session, codec, phone, "000000", settings.auth)


async def test_racing_wrong_guesses_never_exceed_the_try_limit(
    committed: Database, phones: list[str], codec: TokenCodec, settings: Settings
) -> None:
    phone = new_phone()
    phones.append(phone)
    limiter = create_rate_limiter(RedisSettings(url=None))
    async with committed.session() as session:
        issued = await issue_code(
            session, limiter, codec, phone=phone, settings=settings.auth, sms=settings.sms
        )
    assert issued.code != "000000"

    results = await asyncio.gather(*(_guess(committed, codec, settings, phone) for _ in range(8)))

    assert sorted(result.value for result in results) == ["invalid"] * 5 + ["locked"] * 3
    async with committed.session() as session:
        attempts = await session.scalar(
            select(OtpChallenge.attempts).where(OtpChallenge.phone == phone)
        )
    assert attempts == 8


async def test_racing_refreshes_of_one_token_get_the_same_pair(
    committed: Database, phones: list[str], codec: TokenCodec
) -> None:
    phone = new_phone()
    phones.append(phone)
    async with committed.session() as session:
        user = User(id=uuid.uuid4(), phone=phone, role="buyer", status="active", language="en")
        user.phone_verified_at = utcnow()
        session.add(user)
        await session.flush()
        first = await start_session(session, codec, user)
    cache = MemoryCache()

    pairs = await asyncio.gather(
        *(
            refresh_tokens(committed, codec, cache, first.refresh_token, grace_seconds=5)
            for _ in range(2)
        )
    )

    assert pairs[0].refresh_token == pairs[1].refresh_token
    assert pairs[0].access_token == pairs[1].access_token
    async with committed.session() as session:
        successors = await session.scalars(
            select(RefreshToken.id)
            .join(AuthSession, AuthSession.id == RefreshToken.session_id)
            .join(User, User.id == AuthSession.user_id)
            .where(User.phone == phone, RefreshToken.parent_id.is_not(None))
        )
        assert len(successors.all()) == 1
