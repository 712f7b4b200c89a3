"""Every metric a dashboard panel or an alert rule uses is one the app exports: the app is driven
through each service as its users would drive it, then /metrics is scraped and every name the
rules and dashboards read (recording rules expanded to what they are built from) must be there.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families

from msmebazaar.services import is_built
from msmebazaar.shared.config import Settings
from msmebazaar.shared.db import Database
from msmebazaar.shared.messaging import create_providers
from msmebazaar.shared.outbox import OutboxWorker
from tests.auth.factories import Actor
from tests.devops.test_grafana import as_promql, dashboard_queries
from tests.devops.tools import PROMETHEUS, load_yaml
from tests.match.factories import mandate_payload
from tests.msme.factories import financials_payload, listing_payload, profile_payload

# Prometheus makes `up` itself for every scrape target; no app can export it.
NOT_FROM_THE_APP = {"up"}
PROMQL_WORDS = {
    "by", "without", "on", "ignoring", "group_left", "group_right", "bool",
    "and", "or", "unless", "offset", "inf", "nan",
}  # fmt: skip
PDF = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"


def metric_names(expr: str) -> set[str]:
    """The metric names a PromQL expression reads."""
    expr = re.sub(r'"(?:[^"\\]|\\.)*"', '""', as_promql(expr))  # strings
    expr = re.sub(r"\{[^}]*\}", "", expr)  # label matchers
    expr = re.sub(r"\[[^\]]*\]", "", expr)  # ranges and subqueries
    expr = re.sub(r"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)", " ", expr)
    names = re.findall(r"(?<![\w.:$])([a-zA-Z_:][a-zA-Z0-9_:]*)\b(?!\s*\()", expr)
    return {name for name in names if name not in PROMQL_WORDS}


def _recorded() -> dict[str, set[str]]:
    """Each recording rule's name, with the names its expression reads."""
    recorded: dict[str, set[str]] = {}
    for path in sorted((PROMETHEUS / "rules").glob("*.yml")):
        for group in load_yaml(path)["groups"]:
            for rule in group["rules"]:
                if "record" in rule:
                    recorded.setdefault(rule["record"], set()).update(metric_names(rule["expr"]))
    return recorded


def used_metric_names() -> set[str]:
    """Raw metric names behind every alert and dashboard query, recording rules expanded."""
    recorded = _recorded()
    queries = list(dashboard_queries())
    for path in sorted((PROMETHEUS / "rules").glob("*.yml")):
        for group in load_yaml(path)["groups"]:
            queries += [rule["expr"] for rule in group["rules"] if "alert" in rule]
    pending = set().union(*(metric_names(query) for query in queries))
    names: set[str] = set()
    expanded: set[str] = set()
    while pending:
        name = pending.pop()
        if name in recorded:
            if name not in expanded:
                expanded.add(name)
                pending |= recorded[name]
        elif ":" in name:
            pytest.fail(f"{name} looks like a recording rule, but no rule records it")
        else:
            names.add(name)
    return names - NOT_FROM_THE_APP


_SAMPLE_SUFFIXES = {
    "counter": ("_total", "_created"),
    "histogram": ("_bucket", "_sum", "_count", "_created"),
    "summary": ("", "_sum", "_count", "_created"),
    "gauge": ("",),
    "info": ("_info",),
}


def exported_names(exposition: str) -> set[str]:
    """Every sample name in a scrape, and every one a declared family would produce: a labelled
    metric exists (HELP and TYPE) before its first sample."""
    names: set[str] = set()
    for family in text_string_to_metric_families(exposition):
        names |= {sample.name for sample in family.samples}
        names |= {family.name + suffix for suffix in _SAMPLE_SUFFIXES.get(family.type, ("",))}
    return names


# --- driving each service --------------------------------------------------------------------


async def _ok(response: httpx.Response, status: int = 200) -> dict[str, Any]:
    assert response.status_code == status, f"{response.request.url}: {response.text}"
    body: dict[str, Any] = response.json()
    return body


async def _exercise_marketplace(
    client: httpx.AsyncClient, owner: Actor, buyer: Actor, admin: Actor
) -> None:
    """Profile, figures, document, listing, review, interest, valuation, mandate, matches."""
    msmes, listings = "/api/v1/msmes", "/api/v1/listings"
    profile = await _ok(
        await client.post(msmes, json=profile_payload(), headers=owner.headers), 201
    )
    msme_id = profile["data"]["id"]
    year = f"{msmes}/{msme_id}/financials/2024-25"
    await _ok(await client.put(year, json=financials_payload(), headers=owner.headers), 201)
    upload = {"file": ("gst.pdf", PDF, "application/pdf")}
    document = await client.post(
        f"{msmes}/{msme_id}/documents", data={"kind": "gst_certificate"}, files=upload,
        headers=owner.headers,
    )  # fmt: skip
    await _ok(document, 201)
    listing = await client.post(listings, json=listing_payload(msme_id), headers=owner.headers)
    listing_id = (await _ok(listing, 201))["data"]["id"]
    await _ok(await client.post(f"{listings}/{listing_id}/submit", headers=owner.headers))
    admin_path = "/api/v1/admin"
    await _ok(await client.get(f"{admin_path}/verifications", headers=admin.headers))
    verdict = {"decision": "approve"}
    await _ok(
        await client.post(
            f"{admin_path}/msmes/{msme_id}/verify", json=verdict, headers=admin.headers
        )
    )
    await _ok(
        await client.post(
            f"{admin_path}/listings/{listing_id}/moderate", json=verdict, headers=admin.headers
        )
    )
    await _ok(await client.get(f"{admin_path}/analytics/overview", headers=admin.headers))
    await _ok(await client.get(listings))
    body = {"message": "We run two snack brands in Gujarat and would like to talk."}
    interest = await client.post(
        f"{listings}/{listing_id}/interests", json=body, headers=buyer.headers
    )
    interest_id = (await _ok(interest, 201))["data"]["id"]
    await _ok(await client.post(f"/api/v1/interests/{interest_id}/accept", headers=owner.headers))
    valuation = {"msme_id": msme_id}
    await _ok(await client.post("/api/v1/valuations", json=valuation, headers=owner.headers), 201)
    mandates = "/api/v1/mandates"
    mandate = await client.post(mandates, json=mandate_payload(), headers=buyer.headers)
    mandate_id = (await _ok(mandate, 201))["data"]["id"]
    await _ok(await client.get(f"/api/v1/matches/mandates/{mandate_id}", headers=buyer.headers))
    await _ok(await client.get(f"/api/v1/matches/listings/{listing_id}", headers=owner.headers))
    await _ok(await client.post(f"{listings}/{listing_id}/close", headers=owner.headers))


async def _exercise_whatsapp(client: httpx.AsyncClient) -> None:
    """A message to the bot, and a webhook call without a valid signature (refused)."""
    chat = {"from": "+919812300001", "text": "hi"}
    await _ok(await client.post("/api/v1/whatsapp/simulate", json=chat))
    forged = await client.post(
        "/api/v1/whatsapp/webhook",
        content=b'{"object": "whatsapp_business_account", "entry": []}',
        headers={"Content-Type": "application/json", "X-Hub-Signature-256": "sha256=00"},
    )
    assert forged.status_code == 403, forged.text


async def _deliver_outbox(database: Database, settings: Settings) -> None:
    """What `msmebazaar worker` does: deliver the queued sign-in codes and notifications."""
    worker = OutboxWorker(database, create_providers(settings), settings.outbox)
    try:
        assert await worker.run_once() > 0
    finally:
        await worker.stop()


async def _drive_every_service(
    client: httpx.AsyncClient,
    actors: tuple[Actor, Actor, Actor],
    database: Database,
    settings: Settings,
) -> None:
    for path in ("/health/live", "/health/ready", "/health"):
        await _ok(await client.get(path))
    await _exercise_marketplace(client, *actors)
    if is_built("whatsapp"):
        await _exercise_whatsapp(client)
    if is_built("web"):
        page = await client.get("/")
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
    await _deliver_outbox(database, settings)


# --- the checks ----------------------------------------------------------------------------


def test_metric_names_are_read_from_promql() -> None:
    expr = (
        'sum by (le, route) (rate(http_request_duration_seconds_bucket{route=~"/api.*"}[5m]))'
        ' / on (route) group_left () service:x:rate5m + 1e7 * scalar(up{job="a"}) and $x'
    )

    assert metric_names(expr) == {"http_request_duration_seconds_bucket", "service:x:rate5m", "up"}


@pytest.fixture
def actors(owner: Actor, buyer: Actor, admin: Actor) -> tuple[Actor, Actor, Actor]:
    """An owner, a buyer and an admin, signed in."""
    return owner, buyer, admin


async def test_every_metric_in_the_dashboards_and_alerts_is_exported(
    client: httpx.AsyncClient,
    actors: tuple[Actor, Actor, Actor],
    database: Database,
    settings: Settings,
) -> None:
    await _drive_every_service(client, actors, database, settings)

    scrape = await client.get("/metrics")

    assert scrape.status_code == 200
    used = used_metric_names()
    assert {"http_requests_total", "outbox_queue_depth", "listing_value_rupees_total"} <= used
    missing = sorted(used - exported_names(scrape.text))
    assert missing == [], f"used by a dashboard or an alert, not exported: {missing}"


async def test_a_scrape_reports_the_dependencies_and_the_database_pool(
    client: httpx.AsyncClient,
) -> None:
    scrape = await client.get("/metrics")

    samples = {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(scrape.text)
        for sample in family.samples
    }
    assert samples[("dependency_up", (("dependency", "database"),))] == 1
    assert samples[("dependency_latency_seconds", (("dependency", "database"),))] >= 0
    assert samples[("db_pool_size", ())] >= 1
    for state in ("in_use", "idle", "overflow"):
        assert samples[("db_pool_connections", (("state", state),))] >= 0
