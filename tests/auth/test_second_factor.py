"""Two-step sign-in through the API (DESIGN.md §3 "Accounts, second factor and single sign-on"):
setting up TOTP, signing in with it or a recovery code, replays, wrong codes, admins' duty to
enrol, turning it off, and the audit of each."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any
from urllib.parse import parse_qs, urlparse

import httpx
import pyotp
import pytest
from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncConnection

from msmebazaar.admin.models import AuditEntry
from msmebazaar.auth.models import AuthSession, MfaChallenge, RecoveryCode, TotpFactor, User
from msmebazaar.shared.db import Database, utcnow
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.outbox import OutboxMessage
from tests.auth.conftest import ClientFactory
from tests.auth.factories import (
    ME,
    MFA_VERIFY,
    OTP_VERIFY,
    RECOVERY_CODES,
    SECOND_FACTOR,
    TOTP_DISABLE,
    TOTP_ENABLE,
    TOTP_SETUP,
    Authenticator,
    bearer,
    enrol_totp,
    make_user,
    new_phone,
    request_code,
    rows,
    sign_in,
)

ADMIN_USERS = "/api/v1/admin/users"


async def _phone_step(client: httpx.AsyncClient, phone: str) -> dict[str, Any]:
    """The answer to a right phone code: tokens, or the second-factor step."""
    code = await request_code(client, phone)
    response = await client.post(OTP_VERIFY, json={"phone": phone, "code": code})
    assert response.status_code == 200, response.text
    data: dict[str, Any] = response.json()["data"]
    return data


async def _enrolled_user(client: httpx.AsyncClient) -> tuple[str, dict[str, Any], Authenticator]:
    phone = new_phone()
    tokens = await sign_in(client, phone, role="buyer", name="Meera")
    return phone, tokens, await enrol_totp(client, bearer(tokens))


async def _verify(client: httpx.AsyncClient, mfa_token: str, code: str) -> httpx.Response:
    return await client.post(MFA_VERIFY, json={"mfa_token": mfa_token, "code": code})


def _mfa_count(result: str) -> float:
    return REGISTRY.get_sample_value("auth_mfa_verified_total", {"result": result}) or 0.0


async def _audit_actions(connection: AsyncConnection, user_id: uuid.UUID) -> list[str]:
    found = await rows(
        connection,
        select(AuditEntry.action)
        .where(AuditEntry.target_id == user_id)
        .order_by(AuditEntry.created_at),
    )
    return [row.action for row in found]


# --- setting it up ------------------------------------------------------------------------------


async def test_setup_gives_a_secret_for_an_authenticator_app_stored_only_encrypted(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client, new_phone(), role="buyer")

    response = await client.post(TOTP_SETUP, headers=bearer(tokens))

    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.json()["data"]
    uri = urlparse(data["otpauth_uri"])
    assert (uri.scheme, uri.netloc) == ("otpauth", "totp")
    assert parse_qs(uri.query)["secret"] == [data["secret"]]
    assert parse_qs(uri.query)["issuer"] == ["MSMEBazaar"]
    assert len(data["secret"]) == 32  # 160 bits of base32
    (stored,) = await rows(
        db_connection, select(TotpFactor.secret_encrypted, TotpFactor.enabled_at)
    )
    assert data["secret"] not in stored.secret_encrypted
    assert stored.enabled_at is None  # not on until a first code proves it
    status = await client.get(SECOND_FACTOR, headers=bearer(tokens))
    assert status.json()["data"] == {
        "enabled": False,
        "enabled_at": None,
        "recovery_codes_left": 0,
        "required": False,
    }


async def test_enable_needs_a_right_code_and_answers_ten_single_use_recovery_codes(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    tokens = await sign_in(client, new_phone(), role="buyer")
    no_setup = await client.post(TOTP_ENABLE, json={"code": "123456"}, headers=bearer(tokens))
    setup = await client.post(TOTP_SETUP, headers=bearer(tokens))
    app = Authenticator(setup.json()["data"]["secret"])
    wrong = await client.post(TOTP_ENABLE, json={"code": "000000"}, headers=bearer(tokens))

    right = await client.post(TOTP_ENABLE, json={"code": app.code()}, headers=bearer(tokens))

    assert no_setup.status_code == 409
    assert no_setup.json()["error"]["code"] == "MFA_SETUP_REQUIRED"
    assert wrong.status_code == 400
    assert wrong.json()["error"]["code"] == "MFA_CODE_INVALID"
    assert right.status_code == 200
    codes = right.json()["data"]["recovery_codes"]
    assert len(set(codes)) == 10
    assert all(len(code) == 11 and code[5] == "-" for code in codes)
    stored = [row.code_hash for row in await rows(db_connection, select(RecoveryCode.code_hash))]
    assert len(stored) == 10
    assert not set(codes) & set(stored)  # only hashes are kept
    again = await client.post(TOTP_SETUP, headers=bearer(tokens))
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "MFA_ALREADY_ENABLED"
    status = (await client.get(SECOND_FACTOR, headers=bearer(tokens))).json()["data"]
    assert (status["enabled"], status["recovery_codes_left"]) == (True, 10)


async def test_a_new_setup_replaces_one_not_finished(client: httpx.AsyncClient) -> None:
    tokens = await sign_in(client, new_phone(), role="buyer")
    first = await client.post(TOTP_SETUP, headers=bearer(tokens))
    second = await client.post(TOTP_SETUP, headers=bearer(tokens))
    old_app = Authenticator(first.json()["data"]["secret"])

    response = await client.post(TOTP_ENABLE, json={"code": old_app.code()}, headers=bearer(tokens))

    assert first.json()["data"]["secret"] != second.json()["data"]["secret"]
    assert response.status_code == 400


# --- signing in with it ---------------------------------------------------------------------------


async def test_with_it_on_the_phone_code_alone_opens_no_session(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone, _, _ = await _enrolled_user(client)
    before = len(await rows(db_connection, select(AuthSession.id)))
    last_login = await rows(db_connection, select(User.last_login_at).where(User.phone == phone))

    answer = await _phone_step(client, phone)

    assert answer["mfa_required"] is True
    assert answer["expires_in"] == 300
    assert "access_token" not in answer
    assert len(await rows(db_connection, select(AuthSession.id))) == before
    (challenge,) = await rows(db_connection, select(MfaChallenge.token_hash))
    assert challenge.token_hash != answer["mfa_token"]  # stored as a keyed hash
    assert await rows(db_connection, select(User.last_login_at).where(User.phone == phone)) == (
        last_login
    )  # not signed in yet


async def test_the_app_code_finishes_the_sign_in_once(client: httpx.AsyncClient) -> None:
    phone, _, app = await _enrolled_user(client)
    answer = await _phone_step(client, phone)
    verified_before = _mfa_count("totp")

    code = app.code()
    signed_in = await _verify(client, answer["mfa_token"], code)
    reused = await _verify(client, answer["mfa_token"], code)

    assert signed_in.status_code == 200
    assert signed_in.headers["Cache-Control"] == "no-store"
    tokens = signed_in.json()["data"]
    assert tokens["mfa_required"] is False
    me = await client.get(ME, headers=bearer(tokens))
    assert me.json()["data"]["phone"] == phone
    assert reused.status_code == 401
    assert reused.json()["error"]["code"] == "MFA_TOKEN_INVALID"
    assert _mfa_count("totp") == verified_before + 1


async def test_a_code_is_accepted_once(client: httpx.AsyncClient) -> None:
    phone, _, app = await _enrolled_user(client)
    first = await _phone_step(client, phone)
    second = await _phone_step(client, phone)
    code = app.code()

    used = await _verify(client, first["mfa_token"], code)
    replayed = await _verify(client, second["mfa_token"], code)

    assert used.status_code == 200
    assert replayed.status_code == 400
    assert replayed.json()["error"]["code"] == "MFA_CODE_INVALID"


async def test_the_code_that_turned_it_on_cannot_sign_in(client: httpx.AsyncClient) -> None:
    phone = new_phone()
    tokens = await sign_in(client, phone, role="buyer")
    setup = await client.post(TOTP_SETUP, headers=bearer(tokens))
    secret = setup.json()["data"]["secret"]
    code = pyotp.TOTP(secret).now()
    enabled = await client.post(TOTP_ENABLE, json={"code": code}, headers=bearer(tokens))
    answer = await _phone_step(client, phone)

    replayed = await _verify(client, answer["mfa_token"], code)

    assert enabled.status_code == 200
    assert replayed.status_code == 400


async def test_a_code_from_long_ago_or_another_secret_is_refused(client: httpx.AsyncClient) -> None:
    phone, _, app = await _enrolled_user(client)
    answer = await _phone_step(client, phone)
    old = pyotp.TOTP(app.secret).at(utcnow() - timedelta(minutes=5))
    other = pyotp.TOTP(pyotp.random_base32()).now()

    responses = [await _verify(client, answer["mfa_token"], code) for code in (old, other)]

    assert [r.status_code for r in responses] == [400, 400]


async def test_the_fifth_wrong_code_ends_the_sign_in(client: httpx.AsyncClient) -> None:
    phone, _, app = await _enrolled_user(client)
    answer = await _phone_step(client, phone)
    locked_before = _mfa_count("locked")

    wrong = [await _verify(client, answer["mfa_token"], "000000") for _ in range(5)]
    right = await _verify(client, answer["mfa_token"], app.code())

    assert [r.status_code for r in wrong] == [400, 400, 400, 400, 429]
    assert wrong[-1].json()["error"]["code"] == "MFA_ATTEMPTS_EXCEEDED"
    assert "Retry-After" in wrong[-1].headers
    assert right.status_code == 401
    assert right.json()["error"]["code"] == "MFA_TOKEN_INVALID"
    assert _mfa_count("locked") == locked_before + 1


async def test_an_expired_mfa_token_is_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone, _, app = await _enrolled_user(client)
    answer = await _phone_step(client, phone)
    async with database.session() as session:
        await session.execute(update(MfaChallenge).values(expires_at=utcnow()))

    response = await _verify(client, answer["mfa_token"], app.code())

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "MFA_TOKEN_INVALID"


@pytest.mark.parametrize(
    "body",
    [
        {"mfa_token": "forged", "code": "123456"},
        {"mfa_token": "", "code": "123456"},
        {"mfa_token": "x" * 129, "code": "123456"},
        {"mfa_token": "forged", "code": "12345"},
        {"mfa_token": "forged", "code": "1" * 33},
        {"mfa_token": "forged"},
        {"mfa_token": "forged", "code": 123456},
        {"mfa_token": "forged", "code": "123456", "extra": 1},
    ],
)
async def test_malformed_or_forged_second_steps_are_clear_4xx(
    client: httpx.AsyncClient, body: dict[str, Any]
) -> None:
    response = await client.post(MFA_VERIFY, json=body)

    assert response.status_code in {401, 422}
    assert response.json()["success"] is False
    assert response.json()["error"]["code"] in {"MFA_TOKEN_INVALID", "VALIDATION_ERROR"}


async def test_a_recovery_code_signs_in_once_and_is_audited(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone, tokens, app = await _enrolled_user(client)
    code = app.recovery_codes[3]
    first = await _phone_step(client, phone)
    second = await _phone_step(client, phone)

    used = await _verify(client, first["mfa_token"], f"  {code.upper()} ")  # as typed
    again = await _verify(client, second["mfa_token"], code)

    assert used.status_code == 200
    assert again.status_code == 400
    status = await client.get(SECOND_FACTOR, headers=bearer(used.json()["data"]))
    assert status.json()["data"]["recovery_codes_left"] == 9
    user_id = uuid.UUID(tokens["user"]["id"])
    assert await _audit_actions(db_connection, user_id) == [
        "user.second_factor_enabled",
        "user.recovery_code_used",
    ]


async def test_new_recovery_codes_replace_the_old_ones(client: httpx.AsyncClient) -> None:
    phone, tokens, app = await _enrolled_user(client)

    renewed = await client.post(RECOVERY_CODES, json={"code": app.code()}, headers=bearer(tokens))
    answer = await _phone_step(client, phone)
    old = await _verify(client, answer["mfa_token"], app.recovery_codes[0])
    new = await _verify(client, answer["mfa_token"], renewed.json()["data"]["recovery_codes"][0])

    assert renewed.status_code == 200
    assert old.status_code == 400
    assert new.status_code == 200


# --- turning it off -------------------------------------------------------------------------------


async def test_disable_needs_a_code_then_the_phone_code_signs_in_alone(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone, tokens, app = await _enrolled_user(client)

    wrong = await client.post(TOTP_DISABLE, json={"code": "000000"}, headers=bearer(tokens))
    code = app.code()
    off = await client.post(TOTP_DISABLE, json={"code": code}, headers=bearer(tokens))
    twice = await client.post(TOTP_DISABLE, json={"code": code}, headers=bearer(tokens))
    answer = await _phone_step(client, phone)

    assert wrong.status_code == 400
    assert off.status_code == 200
    assert off.json()["data"]["enabled"] is False
    assert twice.status_code == 409
    assert twice.json()["error"]["code"] == "MFA_NOT_ENABLED"
    assert "access_token" in answer
    assert await rows(db_connection, select(TotpFactor.user_id)) == []
    assert await rows(db_connection, select(RecoveryCode.id)) == []
    user_id = uuid.UUID(tokens["user"]["id"])
    assert await _audit_actions(db_connection, user_id) == [
        "user.second_factor_enabled",
        "user.second_factor_disabled",
    ]


async def test_the_routes_need_a_sign_in(client: httpx.AsyncClient) -> None:
    for path in (TOTP_SETUP, TOTP_ENABLE, TOTP_DISABLE, RECOVERY_CODES):
        response = await client.post(path, json={"code": "123456"})
        assert response.status_code == 401, path
    assert (await client.get(SECOND_FACTOR)).status_code == 401


# --- admins must have it --------------------------------------------------------------------------


async def test_an_admin_is_made_to_enrol_then_signs_in_with_sms_and_totp(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await make_user(database, phone=phone, role="admin", name="Admin")
    first = await sign_in(client, phone)

    refused = await client.get(ADMIN_USERS, headers=bearer(first))
    me = await client.get(ME, headers=bearer(first))
    status = await client.get(SECOND_FACTOR, headers=bearer(first))
    app = await enrol_totp(client, bearer(first))
    allowed = await client.get(ADMIN_USERS, headers=bearer(first))
    answer = await _phone_step(client, phone)
    second = (await _verify(client, answer["mfa_token"], app.code())).json()["data"]

    assert refused.status_code == 403
    assert refused.json()["error"]["code"] == "MFA_ENROLLMENT_REQUIRED"
    assert me.status_code == 200
    assert status.json()["data"]["required"] is True
    assert allowed.status_code == 200
    assert answer["mfa_required"] is True
    assert (await client.get(ADMIN_USERS, headers=bearer(second))).status_code == 200


async def test_an_admin_sign_in_made_before_enrolment_stays_refused(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await make_user(database, phone=phone, role="admin", name="Admin")
    laptop = await sign_in(client, phone)
    tablet = await sign_in(client, phone)
    await enrol_totp(client, bearer(laptop))

    response = await client.get(ADMIN_USERS, headers=bearer(tablet))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "MFA_ENROLLMENT_REQUIRED"


async def test_an_admin_who_turns_it_off_loses_the_admin_routes(
    client: httpx.AsyncClient, database: Database
) -> None:
    phone = new_phone()
    await make_user(database, phone=phone, role="admin", name="Admin")
    tokens = await sign_in(client, phone)
    app = await enrol_totp(client, bearer(tokens))

    await client.post(TOTP_DISABLE, json={"code": app.code()}, headers=bearer(tokens))
    response = await client.get(ADMIN_USERS, headers=bearer(tokens))

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "MFA_ENROLLMENT_REQUIRED"


# --- limits (races: tests/proof/test_second_factor_races.py) ---------------------------------


async def test_codes_are_limited_per_user_across_sign_ins(client_with: ClientFactory) -> None:
    async with client_with(mfa_max_per_user_per_hour=3) as limited:
        phone, _, app = await _enrolled_user(limited)
        answers = [await _phone_step(limited, phone) for _ in range(2)]
        spent = [await _verify(limited, answers[0]["mfa_token"], "000000") for _ in range(2)]

        refused = await _verify(limited, answers[1]["mfa_token"], app.code())

    assert [r.status_code for r in spent] == [400, 400]
    assert refused.status_code == 429
    assert refused.json()["error"]["code"] == "RATE_LIMITED"


@pytest.mark.parametrize("code", ["१२३४५६", "١٢٣٤٥٦", "12345６", "abc'; --"])
async def test_codes_in_other_scripts_are_a_clear_4xx(client: httpx.AsyncClient, code: str) -> None:
    phone, tokens, _ = await _enrolled_user(client)
    answer = await _phone_step(client, phone)

    verify = await _verify(client, answer["mfa_token"], code)
    disable = await client.post(TOTP_DISABLE, json={"code": code}, headers=bearer(tokens))

    for response in (verify, disable):
        assert response.status_code in {400, 422}, response.text
        assert response.json()["success"] is False


async def test_turning_it_on_tells_the_user_by_sms(
    client: httpx.AsyncClient, db_connection: AsyncConnection
) -> None:
    phone, _, _ = await _enrolled_user(client)

    sent = await rows(
        db_connection,
        select(OutboxMessage.body).where(
            OutboxMessage.recipient == phone, OutboxMessage.template == "auth_second_factor_on"
        ),
    )
    assert len(sent) == 1
    assert "two-step sign-in was turned on" in sent[0].body
