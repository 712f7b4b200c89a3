"""The authorisation matrix: every route × anonymous and every role → the expected answer.

Routes come from the app itself, so a new route is covered the moment it is mounted, and one
missing from tests/proof/access.py fails the suite.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
from fastapi import FastAPI
from fastapi.routing import iter_route_contexts

from msmebazaar.services import is_built
from msmebazaar.shared.db import Database
from tests.auth.factories import Actor
from tests.msme.factories import make_listing, make_msme
from tests.proof.access import ALLOWED_ROLES, ROUTES, WEB, Access

OPEN = {Access.OPS, Access.PUBLIC, Access.OPTIONAL, Access.NOT_IN_PRODUCTION}
_PARAM = re.compile(r"\{([a-z_]+)(?::[a-z]+)?\}")


def app_routes(app: FastAPI) -> Iterator[tuple[str, str]]:
    """(method, path template) of every route the app serves (`*` for mounts)."""
    for route in iter_route_contexts(app.routes):
        path = route.path
        if path is None:
            continue
        methods = set(route.methods or {"*"}) - {"HEAD"}
        for method in sorted(methods):
            yield method, path


def concrete(path: str) -> str:
    """The template with plausible values: random ids, a fiscal year."""

    def value(match: re.Match[str]) -> str:
        return "2024-25" if match.group(1) == "fiscal_year" else str(uuid.uuid4())

    return _PARAM.sub(value, path)


def test_every_route_says_who_may_call_it(app: FastAPI) -> None:
    unknown = sorted(set(app_routes(app)) - set(ROUTES))
    assert not unknown, f"add these routes to tests/proof/access.py: {unknown}"


def test_no_rule_outlives_its_route(app: FastAPI) -> None:
    served = set(app_routes(app))
    stale = sorted(
        key
        for key, rule in ROUTES.items()
        if key not in served and (rule.service == "kernel" or is_built(rule.service))
    )
    assert not stale, f"these routes are gone; remove them from tests/proof/access.py: {stale}"


def _request(method: str, path: str, access: Access) -> dict[str, Any]:
    if access is Access.WEBHOOK:
        if method == "GET":
            return {
                "params": {"hub.mode": "subscribe", "hub.verify_token": "x", "hub.challenge": "1"}
            }
        if path.endswith("/twilio") or path.endswith("/twilio/status"):
            form = {"From": "whatsapp:+919876543210", "Body": "hi", "MessageSid": "SM1"}
            return {"data": form}
        return {"json": {"object": "whatsapp_business_account", "entry": []}}
    return {"json": {}} if method in {"POST", "PUT", "PATCH"} else {}


def _expected(access: Access, role: str | None) -> str:
    if access in OPEN:
        return "served"
    if access is Access.WEBHOOK:
        return "403"  # unsigned: refused whoever sends it, a token changes nothing
    if role is None:
        return "401"
    return "served" if role in ALLOWED_ROLES[access] else "403"


def _verdict(response: httpx.Response, expected: str) -> str | None:
    status = response.status_code
    code = response.json()["error"]["code"] if status in (401, 403) else None
    if expected == "served" and (status in (401, 403) or status >= 500):
        return f"expected to be served, got {status} {code}"
    if expected == "401" and (status, code) != (401, "AUTHENTICATION_REQUIRED"):
        return f"expected 401 AUTHENTICATION_REQUIRED, got {status} {code}"
    if expected == "403" and status != 403:
        return f"expected 403, got {status}"
    return None


async def test_each_route_answers_each_role_as_its_rule_says(
    app: FastAPI,
    client: httpx.AsyncClient,
    *,
    owner: Actor,
    buyer: Actor,
    investor: Actor,
    admin: Actor,
) -> None:
    callers: list[tuple[str | None, dict[str, str]]] = [(None, {})]
    callers += [(actor.role, actor.headers) for actor in (owner, buyer, investor, admin)]
    wrong = []
    for method, path in sorted(set(app_routes(app))):
        access = ROUTES[(method, path)].access
        if access in WEB or method == "*":
            continue  # the portal's pages: test_each_page_answers_an_anonymous_visitor
        for role, headers in callers:
            if access is Access.STREAM and role is not None:
                continue  # served, it never ends (see Access.STREAM)
            response = await client.request(
                method, concrete(path), headers=headers, **_request(method, path, access)
            )
            problem = _verdict(response, _expected(access, role))
            if problem:
                wrong.append(f"{method} {path} as {role or 'anonymous'}: {problem}")
    assert not wrong, "\n".join(wrong)


def _page_path(path: str) -> str:
    # Pages take ids, and a few plain words (a field to check, a file, a sector, a decision).
    words = {"field": "gstin", "name": "app.css", "code": "textiles", "decision": "accept"}
    return _PARAM.sub(lambda match: words.get(match.group(1), str(uuid.uuid4())), path)


async def test_each_page_answers_an_anonymous_visitor_as_its_rule_says(
    app: FastAPI, client: httpx.AsyncClient
) -> None:
    wrong = []
    for method, path in sorted(set(app_routes(app))):
        access = ROUTES[(method, path)].access
        if access not in WEB:
            continue
        response = await client.request(method, _page_path(path))
        to_signin = response.status_code == 303 and response.headers["location"].startswith(
            "/signin"
        )
        if response.status_code >= 500:
            wrong.append(f"{method} {path}: {response.status_code}")
        elif access is Access.WEB_PUBLIC and to_signin:
            wrong.append(f"{method} {path}: a public page sent the visitor to sign in")
        elif access is not Access.WEB_PUBLIC and not (to_signin or response.status_code == 403):
            wrong.append(f"{method} {path}: served {response.status_code} to a visitor")
    assert not wrong, "\n".join(wrong)


async def test_a_bad_token_on_a_page_that_reads_the_caller_is_401_not_anonymous(
    client: httpx.AsyncClient, database: Database, owner: Actor
) -> None:
    msme = await make_msme(database, owner.id)  # verified: public to anonymous callers
    listing = await make_listing(database, msme, anonymous=False)
    bad = {"Authorization": "Bearer not-a-token"}
    for path in (f"/api/v1/msmes/{msme.id}", f"/api/v1/listings/{listing.id}"):
        assert (await client.get(path)).status_code == 200
        response = await client.get(path, headers=bad)
        assert response.status_code == 401, path
        assert response.json()["error"]["code"] == "INVALID_TOKEN"
