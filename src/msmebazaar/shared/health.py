"""Health endpoints for probes and people: liveness, readiness and a detailed report."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import Any, Literal

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel

from msmebazaar import __version__
from msmebazaar.shared.errors import error_response
from msmebazaar.shared.metrics import (
    DB_POOL_CONNECTIONS,
    DB_POOL_SIZE,
    DEPENDENCY_LATENCY,
    DEPENDENCY_UP,
    render_latest,
)
from msmebazaar.shared.responses import DataResponse, error_responses, ok
from msmebazaar.shared.runtime import runtime_of

router = APIRouter(tags=["operations"])

CheckStatus = Literal["ok", "down", "not_configured"]


class DependencyCheck(BaseModel):
    name: str
    status: CheckStatus
    latency_ms: float | None = None
    backend: str
    error: str | None = None


class Liveness(BaseModel):
    status: Literal["ok"] = "ok"


class Readiness(BaseModel):
    status: Literal["ok", "degraded"]
    checks: list[DependencyCheck]


class HealthReport(BaseModel):
    status: Literal["ok", "degraded", "down"]
    version: str
    environment: str
    uptime_seconds: float
    services: list[str]
    checks: list[DependencyCheck]


async def _check(
    name: str, backend: str, probe: Callable[[], Awaitable[float]], limit_seconds: float
) -> DependencyCheck:
    try:
        async with asyncio.timeout(limit_seconds):
            latency = await probe()
    except TimeoutError:
        return DependencyCheck(name=name, status="down", backend=backend, error="timeout")
    except Exception as exc:
        return DependencyCheck(name=name, status="down", backend=backend, error=type(exc).__name__)
    return DependencyCheck(name=name, status="ok", backend=backend, latency_ms=round(latency, 2))


async def dependency_checks(request: Request) -> list[DependencyCheck]:
    """Check the database and the cache concurrently, each within the health timeout."""
    runtime = runtime_of(request.app)
    timeout = runtime.settings.observability.health_timeout_seconds
    database_backend = runtime.database.engine.dialect.name
    checks = [_check("database", database_backend, runtime.database.ping, timeout)]
    if runtime.cache.backend == "redis":
        checks.append(_check("redis", "redis", runtime.cache.ping, timeout))
    results = list(await asyncio.gather(*checks))
    _record_checks(results)
    if runtime.cache.backend != "redis":
        results.append(DependencyCheck(name="redis", status="not_configured", backend="memory"))
    return results


def _record_checks(checks: list[DependencyCheck]) -> None:
    for check in checks:
        DEPENDENCY_UP.labels(check.name).set(1 if check.status == "ok" else 0)
        if check.latency_ms is not None:
            DEPENDENCY_LATENCY.labels(check.name).set(check.latency_ms / 1000)


def _record_pool(request: Request) -> None:
    # Read at scrape time, no I/O: SQLAlchemy's queue pool keeps these counts itself.
    # Any: the counts are QueuePool's, not the base Pool's; checked for just below.
    pool: Any = runtime_of(request.app).database.engine.pool
    if not all(hasattr(pool, name) for name in ("size", "checkedin", "checkedout", "overflow")):
        return  # a pool without counts (a test's static pool)
    DB_POOL_SIZE.set(pool.size())
    DB_POOL_CONNECTIONS.labels("in_use").set(pool.checkedout())
    DB_POOL_CONNECTIONS.labels("idle").set(pool.checkedin())
    DB_POOL_CONNECTIONS.labels("overflow").set(max(0, pool.overflow()))


def hold_readiness(app: FastAPI, name: str, until: asyncio.Event) -> None:
    """Readiness answers 503 until `until` is set: part of the process still warming up (match's
    listing index), so a new pod gets no traffic it would serve slowly or not at all."""
    runtime_of(app).warming[name] = until


def _still_warming(request: Request) -> list[str]:
    warming = runtime_of(request.app).warming
    return sorted(name for name, done in warming.items() if not done.is_set())


def _overall(checks: list[DependencyCheck]) -> Literal["ok", "degraded", "down"]:
    by_name = {check.name: check.status for check in checks}
    if by_name.get("database") == "down":
        return "down"
    return "degraded" if "down" in by_name.values() else "ok"


@router.get("/health/live", response_model=DataResponse[Liveness])
async def live() -> DataResponse[Liveness]:
    """Liveness: the process is up and serving (no I/O)."""
    return ok(Liveness())


@router.get("/health/ready", response_model=DataResponse[Readiness], responses=error_responses(503))
async def ready(request: Request) -> DataResponse[Readiness] | JSONResponse:
    """Readiness: 503 when the database is down or the process is still warming up; `degraded`
    (200) when only Redis is down."""
    checks = await dependency_checks(request)
    status = _overall(checks)
    if status == "down":
        details = [check.model_dump() for check in checks]
        return error_response(503, "SERVICE_UNAVAILABLE", "The database is unreachable.", details)
    if warming := _still_warming(request):
        message = f"Starting: still warming up ({', '.join(warming)})."
        return error_response(503, "SERVICE_UNAVAILABLE", message, {"warming": warming})
    return ok(Readiness(status=status, checks=checks))


@router.get("/health", response_model=DataResponse[HealthReport])
async def health(request: Request) -> DataResponse[HealthReport]:
    """Detailed health: version, uptime, environment, services and every dependency."""
    runtime = runtime_of(request.app)
    checks = await dependency_checks(request)
    report = HealthReport(
        status=_overall(checks),
        version=__version__,
        environment=runtime.settings.environment.value,
        uptime_seconds=round(time.monotonic() - runtime.started_at, 3),
        services=list(runtime.services),
        checks=checks,
    )
    return ok(report)


@router.get("/metrics", response_class=Response, include_in_schema=True)
async def metrics(request: Request) -> Response:
    """Prometheus metrics in the text exposition format (dependencies checked at each scrape)."""
    await dependency_checks(request)
    _record_pool(request)
    body, content_type = render_latest()
    return Response(body, media_type=content_type)
