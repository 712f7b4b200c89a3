"""The app factory: services mounted by name, hooks run, and a complete OpenAPI document."""

from __future__ import annotations

from collections.abc import Sequence

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import APIRouter, FastAPI

from msmebazaar import app as app_module
from msmebazaar import services
from msmebazaar.app import create_app
from msmebazaar.services import (
    ServiceSpec,
    UnknownServiceError,
    available_services,
    load_service,
    resolve_services,
)
from msmebazaar.shared.cache import MemoryCache
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.ratelimit import RateLimiter
from msmebazaar.shared.responses import DataResponse, ok


def test_unknown_service_is_refused() -> None:
    with pytest.raises(UnknownServiceError, match="unknown service"):
        resolve_services(["billing"])


def test_none_means_every_built_service_and_empty_means_none() -> None:
    assert [spec.name for spec in resolve_services(None)] == available_services()
    assert resolve_services([]) == []


def test_a_service_not_built_yet_cannot_be_loaded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Every service exists now; a build without one (its package absent) is what this guards.
    monkeypatch.setattr(services, "_module_exists", lambda name: name != "msmebazaar.admin.api")
    assert "admin" not in available_services()
    with pytest.raises(UnknownServiceError, match="not built yet"):
        load_service("admin")


async def test_create_app_mounts_a_services_routers_under_api_v1_and_runs_its_hooks(
    monkeypatch: pytest.MonkeyPatch,
    settings: Settings,
    database: Database,
    rate_limiter: RateLimiter,
) -> None:
    events: list[str] = []
    router = APIRouter(prefix="/widgets", tags=["widgets"])

    @router.get("/{widget_id}", response_model=DataResponse[int])
    async def get_widget(widget_id: int) -> DataResponse[int]:
        """Read one widget."""
        return ok(widget_id)

    async def started(_: FastAPI) -> None:
        events.append("started")

    async def stopped(_: FastAPI) -> None:
        events.append("stopped")

    spec = ServiceSpec(
        name="widgets", routers=[router], on_startup=[started], on_shutdown=[stopped]
    )

    def fake_resolve(names: Sequence[str] | None) -> list[ServiceSpec]:
        return [spec]

    monkeypatch.setattr(app_module, "resolve_services", fake_resolve)
    application = create_app(
        settings, database=database, cache=MemoryCache(), rate_limiter=rate_limiter
    )
    async with LifespanManager(application):
        transport = httpx.ASGITransport(app=application)
        async with httpx.AsyncClient(transport=transport, base_url="http://t") as http:
            response = await http.get("/api/v1/widgets/7")
            health = (await http.get("/health")).json()["data"]
            metrics = (await http.get("/metrics")).text
    assert response.json()["data"] == 7
    assert 'route="/api/v1/widgets/{widget_id}",status="200"' in metrics
    assert health["services"] == ["widgets"]
    assert events == ["started", "stopped"]


async def test_openapi_documents_the_error_envelope_on_every_operation(
    client: httpx.AsyncClient,
) -> None:
    document = (await client.get("/openapi.json")).json()

    assert "ErrorResponse" in document["components"]["schemas"]
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert "422" in operation["responses"], f"{method} {path}"
            assert "HTTPValidationError" not in str(operation["responses"]), f"{method} {path}"


async def test_docs_and_redoc_are_served(client: httpx.AsyncClient) -> None:
    assert (await client.get("/docs")).status_code == 200
    assert (await client.get("/redoc")).status_code == 200


def test_operations_routes_exist_without_any_service(settings: Settings) -> None:
    application = create_app(settings, services=[])

    paths = set(application.openapi()["paths"])

    assert {"/health/live", "/health/ready", "/health", "/metrics"} <= paths
