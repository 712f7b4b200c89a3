"""Refresh-token rotation, reuse detection with its grace window, and logout."""

from __future__ import annotations

from datetime import timedelta

import httpx
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.auth.models import AuthSession, RefreshToken, User
from msmebazaar.auth.tokens import refresh_token_hash
from msmebazaar.shared.db import utcnow
from tests.auth.factories import LOGOUT, ME, REFRESH, bearer, rows, sign_in


async def _refresh(client: httpx.AsyncClient, token: str) -> httpx.Response:
    return await client.post(REFRESH, json={"refresh_token": token})


async def _age_spent_tokens(connection: AsyncConnection, seconds: int) -> None:
    await connection.execute(
        update(RefreshToken)
        .where(RefreshToken.used_at.is_not(None))
        .values(used_at=utcnow() - timedelta(seconds=seconds))
    )


async def test_refresh_returns_a_new_pair_and_spends_the_old_token(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)

    response = await _refresh(client, tokens["refresh_token"])

    assert response.status_code == 200
    pair = response.json()["data"]
    assert pair["refresh_token"] != tokens["refresh_token"]
    assert pair["token_type"] == "bearer"
    assert pair["user"]["id"] == tokens["user"]["id"]
    old_hash = refresh_token_hash(tokens["refresh_token"])
    (old,) = await rows(
        db_connection, select(RefreshToken).where(RefreshToken.token_hash == old_hash)
    )
    assert old.used_at is not None
    new_hash = refresh_token_hash(pair["refresh_token"])
    (new,) = await rows(
        db_connection, select(RefreshToken).where(RefreshToken.token_hash == new_hash)
    )
    assert (new.parent_id, new.session_id, new.used_at) == (old.id, old.session_id, None)


async def test_new_access_token_from_refresh_works(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)
    pair = (await _refresh(client, tokens["refresh_token"])).json()["data"]

    response = await client.get(ME, headers=bearer(pair))

    assert response.status_code == 200


async def test_refresh_token_reuse_revokes_family(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)
    pair = (await _refresh(client, tokens["refresh_token"])).json()["data"]
    await _age_spent_tokens(db_connection, 30)

    reuse = await _refresh(client, tokens["refresh_token"])

    assert reuse.status_code == 401
    assert reuse.json()["error"]["code"] == "REFRESH_TOKEN_REUSED"
    (session,) = await rows(db_connection, select(AuthSession))
    assert session.revoked_at is not None
    assert session.revoked_reason == "refresh_token_reuse"
    descendant = await _refresh(client, pair["refresh_token"])
    assert descendant.status_code == 401
    assert (await client.get(ME, headers=bearer(pair))).status_code == 401


async def test_reuse_ends_only_the_family_it_belongs_to(client: httpx.AsyncClient) -> None:
    phone_tokens = await sign_in(client)
    other_device = await sign_in(client, phone=phone_tokens["user"]["phone"])
    await _refresh(client, phone_tokens["refresh_token"])
    await _refresh(client, phone_tokens["refresh_token"])  # inside the grace window: fine

    response = await client.get(ME, headers=bearer(other_device))

    assert response.status_code == 200


async def test_racing_duplicate_refresh_within_grace_gets_the_same_pair(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)
    first = await _refresh(client, tokens["refresh_token"])

    duplicate = await _refresh(client, tokens["refresh_token"])

    assert duplicate.status_code == 200
    assert duplicate.json()["data"]["refresh_token"] == first.json()["data"]["refresh_token"]
    assert duplicate.json()["data"]["access_token"] == first.json()["data"]["access_token"]
    assert len(await rows(db_connection, select(RefreshToken.id))) == 2
    (session,) = await rows(db_connection, select(AuthSession.revoked_at))
    assert session.revoked_at is None


async def test_duplicate_after_the_successor_was_used_is_reuse(
    client: httpx.AsyncClient,
) -> None:
    tokens = await sign_in(client)
    pair = (await _refresh(client, tokens["refresh_token"])).json()["data"]
    await _refresh(client, pair["refresh_token"])

    response = await _refresh(client, tokens["refresh_token"])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "REFRESH_TOKEN_REUSED"


async def test_unknown_refresh_token_is_401_invalid_token(client: httpx.AsyncClient) -> None:
    response = await _refresh(client, "x" * 43)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "INVALID_TOKEN"


async def test_overlong_refresh_token_is_rejected(client: httpx.AsyncClient) -> None:
    response = await _refresh(client, "x" * 5000)

    assert response.status_code == 422


async def test_expired_refresh_token_is_401_token_expired(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)
    await db_connection.execute(
        update(RefreshToken).values(expires_at=utcnow() - timedelta(seconds=1))
    )

    response = await _refresh(client, tokens["refresh_token"])

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "TOKEN_EXPIRED"


async def test_logout_revokes_the_family(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)

    response = await client.post(
        LOGOUT, json={"refresh_token": tokens["refresh_token"]}, headers=bearer(tokens)
    )

    assert response.status_code == 200
    assert response.json()["data"] == {"sessions_ended": 1}
    (session,) = await rows(db_connection, select(AuthSession))
    assert (session.revoked_reason, session.revoked_at is not None) == ("logout", True)
    assert (await _refresh(client, tokens["refresh_token"])).status_code == 401
    me = await client.get(ME, headers=bearer(tokens))
    assert (me.status_code, me.json()["error"]["code"]) == (401, "SESSION_REVOKED")


async def test_logout_needs_a_signed_in_caller(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)

    response = await client.post(LOGOUT, json={"refresh_token": tokens["refresh_token"]})

    assert response.status_code == 401
    assert (await _refresh(client, tokens["refresh_token"])).status_code == 200


async def test_logout_leaves_another_users_family_alone(client: httpx.AsyncClient) -> None:
    mine = await sign_in(client)
    theirs = await sign_in(client)

    await client.post(LOGOUT, json={"refresh_token": theirs["refresh_token"]}, headers=bearer(mine))

    assert (await client.get(ME, headers=bearer(theirs))).status_code == 200
    assert (await client.get(ME, headers=bearer(mine))).status_code == 401


async def test_refresh_for_a_suspended_user_is_403(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client)
    await db_connection.execute(update(User).values(status="suspended"))

    response = await _refresh(client, tokens["refresh_token"])

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "ACCOUNT_SUSPENDED"


async def test_token_responses_are_never_cached(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client)

    response = await _refresh(client, tokens["refresh_token"])

    assert response.headers["Cache-Control"] == "no-store"
