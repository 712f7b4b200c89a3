"""The auth API as documented: OpenAPI paths, fields and security, and the business metrics."""

from __future__ import annotations

import httpx

from tests.auth.factories import sign_in

AUTH_PATHS = {
    "/api/v1/auth/otp/request": {"post"},
    "/api/v1/auth/otp/verify": {"post"},
    "/api/v1/auth/token/refresh": {"post"},
    "/api/v1/auth/logout": {"post"},
    "/api/v1/auth/me": {"get", "patch"},
}


async def test_openapi_lists_every_auth_path(client: httpx.AsyncClient) -> None:
    paths = (await client.get("/openapi.json")).json()["paths"]

    assert {path: set(paths[path]) & {"get", "post", "patch"} for path in AUTH_PATHS} == AUTH_PATHS


async def test_openapi_documents_every_user_and_token_field(client: httpx.AsyncClient) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]

    assert set(schemas["UserRead"]["properties"]) >= {
        "id",
        "phone",
        "name",
        "email",
        "role",
        "status",
        "language",
        "created_at",
    }
    assert set(schemas["TokenResponse"]["properties"]) >= {
        "access_token",
        "refresh_token",
        "token_type",
        "expires_in",
        "user",
    }
    assert set(schemas["OtpRequested"]["properties"]) == {
        "expires_in",
        "resend_after",
        "debug_code",
    }


async def test_openapi_offers_bearer_sign_in_on_protected_routes(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    assert document["paths"]["/api/v1/auth/me"]["get"]["security"] == [{"HTTPBearer": []}]


async def test_sign_in_is_counted_in_the_metrics(client: httpx.AsyncClient) -> None:
    await sign_in(client, role="investor")

    metrics = (await client.get("/metrics")).text

    assert "auth_otp_requested_total" in metrics
    assert 'auth_otp_verified_total{result="success"}' in metrics
    assert 'auth_logins_total{role="investor"}' in metrics
    assert "outbox_queue_depth" in metrics
