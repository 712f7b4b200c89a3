"""Every error — ours, FastAPI's, Starlette's, the database's and unexpected ones — answers the
error envelope of DESIGN.md §3 with the request id."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import httpx
import pytest


def assert_envelope(body: dict[str, Any], code: str) -> None:
    assert body["success"] is False
    assert body["error"]["code"] == code
    assert isinstance(body["message"], str)
    assert body["message"]
    assert body["request_id"]
    datetime.fromisoformat(body["timestamp"])


async def test_unknown_path_is_404_envelope_carrying_the_callers_request_id(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get("/nope", headers={"X-Request-ID": "abc"})

    assert response.status_code == 404
    assert_envelope(response.json(), "NOT_FOUND")
    assert response.json()["request_id"] == "abc"
    assert response.headers["X-Request-ID"] == "abc"


async def test_request_id_is_generated_when_absent_and_replaced_when_not_sane(
    client: httpx.AsyncClient,
) -> None:
    generated = await client.get("/health/live")
    hostile = await client.get("/health/live", headers={"X-Request-ID": "x" * 500})
    injected = await client.get("/health/live", headers={"X-Request-ID": "a b<script>"})

    assert len(generated.headers["X-Request-ID"]) == 32
    assert hostile.headers["X-Request-ID"] != "x" * 500
    assert injected.headers["X-Request-ID"] != "a b<script>"


async def test_wrong_method_is_405_envelope(client: httpx.AsyncClient) -> None:
    response = await client.delete("/health/live")

    assert response.status_code == 405
    assert_envelope(response.json(), "METHOD_NOT_ALLOWED")


@pytest.mark.parametrize(
    ("kind", "status", "code"),
    [
        ("not_found", 404, "MSME_NOT_FOUND"),
        ("conflict", 409, "VERSION_CONFLICT"),
        ("forbidden", 403, "FORBIDDEN"),
        ("unauthenticated", 401, "AUTHENTICATION_REQUIRED"),
        ("rate_limited", 429, "RATE_LIMITED"),
        ("unavailable", 503, "SERVICE_UNAVAILABLE"),
        ("rule", 422, "GSTIN_PAN_MISMATCH"),
    ],
)
async def test_app_errors_answer_their_status_and_code(
    kernel_client: httpx.AsyncClient, kind: str, status: int, code: str
) -> None:
    response = await kernel_client.get(f"/test/errors/{kind}")

    assert response.status_code == status
    assert_envelope(response.json(), code)


async def test_rate_limited_error_sets_retry_after(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.get("/test/errors/rate_limited")

    assert response.headers["Retry-After"] == "42"
    assert response.json()["error"]["details"] == {"retry_after": 42}


async def test_authentication_error_asks_for_a_bearer_token(
    kernel_client: httpx.AsyncClient,
) -> None:
    response = await kernel_client.get("/test/errors/unauthenticated")

    assert response.headers["WWW-Authenticate"] == "Bearer"


async def test_domain_rule_lists_its_field(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.get("/test/errors/rule")

    assert response.json()["error"]["details"] == [
        {"field": "gstin", "message": "The PAN inside the GSTIN differs."}
    ]


async def test_validation_error_lists_every_field_by_dotted_location(
    kernel_client: httpx.AsyncClient,
) -> None:
    body = {"name": "x", "financials": [{"revenue": 5}, {"revenue": -1}]}

    response = await kernel_client.post("/test/profiles?limit=0", json=body)

    assert response.status_code == 422
    assert_envelope(response.json(), "VALIDATION_ERROR")
    fields = {item["field"] for item in response.json()["error"]["details"]}
    assert fields == {"name", "financials.1.revenue", "query.limit"}


async def test_validation_error_never_echoes_the_input(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.post("/test/profiles", json={"name": "+919876543210"})

    assert "9876543210" not in response.text


async def test_malformed_json_is_422(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.post(
        "/test/profiles", content=b"{not json", headers={"Content-Type": "application/json"}
    )

    assert response.status_code == 422
    assert_envelope(response.json(), "VALIDATION_ERROR")
    assert response.json()["error"]["details"][0]["message"] == "The body is not valid JSON."


async def test_json_that_is_not_an_object_is_422(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.post("/test/profiles", json=[1, 2, 3])

    assert response.status_code == 422
    assert_envelope(response.json(), "VALIDATION_ERROR")


async def test_unexpected_error_is_500_without_stack_trace_and_is_logged(
    kernel_client: httpx.AsyncClient, caplog: pytest.LogCaptureFixture
) -> None:
    response = await kernel_client.get("/test/boom", headers={"X-Request-ID": "boom-1"})

    assert response.status_code == 500
    assert_envelope(response.json(), "INTERNAL_ERROR")
    assert "secret internals" not in response.text
    assert "Traceback" not in response.text
    assert response.headers["X-Request-ID"] == "boom-1"
    logged = caplog.text
    assert "Traceback" in logged
    assert "RuntimeError" in logged
    assert "9876543210" not in logged


async def test_database_unreachable_is_503(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.get("/test/db-down")

    assert response.status_code == 503
    assert_envelope(response.json(), "SERVICE_UNAVAILABLE")
    assert response.headers["Retry-After"] == "5"


async def test_integrity_race_is_409(kernel_client: httpx.AsyncClient) -> None:
    response = await kernel_client.get("/test/race")

    assert response.status_code == 409
    assert_envelope(response.json(), "CONFLICT")
