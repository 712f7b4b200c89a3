"""The `msmebazaar` command: serve, migrate, and each service's own commands."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from collections.abc import Iterator
from types import FrameType
from typing import Annotated

import typer
import uvicorn
from prometheus_client import start_http_server
from rich.console import Console

from msmebazaar.app import SERVICES_ENV
from msmebazaar.services import SERVICE_NAMES, available_services, load_service
from msmebazaar.shared.config import get_settings
from msmebazaar.shared.db import upgrade_database
from msmebazaar.shared.metrics import REGISTRY
from msmebazaar.shared.sentry import init_sentry
from msmebazaar.worker import run_worker

app = typer.Typer(
    name="msmebazaar",
    help="MSMEBazaar: run and operate the marketplace.",
    no_args_is_help=True,
    add_completion=False,
)
console = Console(stderr=True)


@app.command()
def serve(
    service: Annotated[
        list[str] | None,
        typer.Option(
            "--service",
            "-s",
            help=f"Service to serve (repeatable): all, {', '.join(SERVICE_NAMES)}.",
        ),
    ] = None,
    host: Annotated[str | None, typer.Option(help="Interface to bind (default: HOST).")] = None,
    port: Annotated[int | None, typer.Option(help="Port to bind (default: PORT).")] = None,
    workers: Annotated[int, typer.Option(min=1, help="Worker processes.")] = 1,
    reload: Annotated[bool, typer.Option(help="Reload on code changes (development).")] = False,
) -> None:
    """Serve one, several or all services (the default) over HTTP."""
    names = service or ["all"]
    for name in names:
        if name != "all" and name not in SERVICE_NAMES:
            raise typer.BadParameter(f"unknown service {name!r}", param_hint="--service")
    settings = get_settings()
    bind_host, bind_port = host or settings.app.host, port or settings.app.port
    os.environ[SERVICES_ENV] = ",".join(names)
    served = available_services() if "all" in names else names
    base = f"http://{bind_host}:{bind_port}"
    console.print(f"[bold]MSMEBazaar[/] serving {', '.join(served) or 'no services yet'} on {base}")
    console.print(f"  API docs  {base}/docs")
    console.print(f"  health    {base}/health/ready")
    with _exit_zero_on_sigterm():
        _run_uvicorn(bind_host, bind_port, workers, reload)


def _run_uvicorn(host: str, port: int, workers: int, reload: bool) -> None:
    uvicorn.run(
        "msmebazaar.app:create_app_from_env",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        reload=reload,
        log_config=None,
        proxy_headers=False,  # client IPs come from TRUSTED_PROXIES rules, not uvicorn's
        server_header=False,
        timeout_graceful_shutdown=20,
        # A rolling restart (SIGHUP) keeps each old worker until its replacement answers; the
        # app takes seconds to import, more under load, and uvicorn's default 5 s gave up and
        # aborted the restart (tests/proof/test_rolling_restart.py).
        timeout_worker_healthcheck=60,
    )


@app.command()
def migrate(
    revision: Annotated[str, typer.Option(help="Alembic revision to upgrade to.")] = "head",
) -> None:
    """Apply database migrations (to the latest by default)."""
    url = get_settings().database.url
    upgrade_database(url, revision)
    console.print(f"Database at {_redact(url)} is at revision {revision}.")


@app.command()
def worker(
    metrics_port: Annotated[
        int,
        typer.Option(min=0, max=65535, help="Port for Prometheus' /metrics on HOST (0: none)."),
    ] = 9100,
) -> None:
    """Deliver queued outbound messages (SMS, WhatsApp) and domain events to every service's
    handlers until stopped (SIGTERM)."""
    settings = get_settings()
    init_sentry(settings, ["worker"])
    console.print(f"[bold]MSMEBazaar[/] worker on {_redact(settings.database.url)}")
    if metrics_port:
        start_http_server(metrics_port, addr=settings.app.host, registry=REGISTRY)
        console.print(f"  metrics   http://{settings.app.host}:{metrics_port}/metrics")
    with _exit_zero_on_sigterm():
        asyncio.run(run_worker(settings))


def _exit_cleanly(_signum: int, _frame: FrameType | None) -> None:
    raise SystemExit(0)


@contextlib.contextmanager
def _exit_zero_on_sigterm() -> Iterator[None]:
    # A container stops us with SIGTERM. Once running, uvicorn and the worker handle it
    # themselves (finish in-flight work); uvicorn then raises the signal again, and with the
    # default action the process would die by it (exit 143, a failure to Kubernetes and
    # Compose). Here it ends the process with 0, as it does in the moments before they start.
    previous = signal.signal(signal.SIGTERM, _exit_cleanly)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def _redact(url: str) -> str:
    # Never print a password that may sit in DATABASE_URL.
    if "@" not in url or "://" not in url:
        return url
    scheme, rest = url.split("://", 1)
    return f"{scheme}://***@{rest.rsplit('@', 1)[1]}"


for _name in available_services():
    _cli = load_service(_name).cli
    if _cli is not None:
        app.add_typer(_cli)
