"""Driving the portal like a browser in tests: forms with their CSRF token, signing in with a
phone and the echoed code, and reading what a page shows."""

from __future__ import annotations

import html
import re
from typing import Any

import httpx

from tests.auth.factories import Authenticator, new_phone

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
_DEBUG_CODE = re.compile(r'data-testid="debug-code">[^<]*<strong>([0-9]{6})</strong>')
_TAGS = re.compile(r"<[^>]+>")


def csrf_token(page: str) -> str:
    """The CSRF token of a rendered page's forms."""
    found = _CSRF.search(page)
    assert found, "the page has no form with a CSRF token"
    return found.group(1)


def visible_text(page: str) -> str:
    """A page's text without tags, unescaped, whitespace collapsed."""
    return " ".join(html.unescape(_TAGS.sub(" ", page)).split())


async def token_for(client: httpx.AsyncClient) -> str:
    """A CSRF token valid for this browser (its cookie and sign-in session); from the account
    page for an admin still setting up two-step sign-in, who may see nothing else."""
    response = await client.get("/sectors")
    if response.status_code == 303 and response.headers["location"].startswith("/account"):
        response = await client.get("/account")
    assert response.status_code == 200, response.text
    return csrf_token(response.text)


async def submit(
    client: httpx.AsyncClient,
    path: str,
    data: dict[str, Any] | None = None,
    *,
    files: dict[str, Any] | None = None,
) -> httpx.Response:
    """POST a form as the page would (with this browser's CSRF token)."""
    fields = {"csrf_token": await token_for(client), **(data or {})}
    return await client.post(path, data=fields, files=files)


async def phone_step(client: httpx.AsyncClient, phone: str, **fields: str) -> httpx.Response:
    """Ask for a sign-in code on the pages and enter the echoed one: the answer that follows."""
    sent = await submit(client, "/signin", {"phone": phone, "next": "/"})
    assert sent.status_code == 200, sent.text
    code = _DEBUG_CODE.search(sent.text)
    assert code, "the code page shows no development code"
    return await submit(
        client, "/signin/verify", {"phone": phone, "code": code.group(1), "next": "/", **fields}
    )


async def web_sign_in(
    client: httpx.AsyncClient,
    phone: str | None = None,
    *,
    role: str = "msme_owner",
    name: str = "Asha Patel",
) -> str:
    """Sign in through the pages (phone, then the echoed code); returns the phone."""
    phone = phone or new_phone()
    verified = await phone_step(client, phone, role=role, name=name)
    assert verified.status_code == 303, verified.text
    return phone


_TOTP_SECRET = re.compile(r'data-testid="totp-secret">([A-Z2-7]+)<')
_RECOVERY_CODE = re.compile(r"<li><code>([a-z2-9]{5}-[a-z2-9]{5})</code></li>")


async def web_enrol_totp(client: httpx.AsyncClient) -> Authenticator:
    """Turn two-step sign-in on through the account pages, reading the key the page shows."""
    started = await submit(client, "/account/2fa/setup")
    assert started.status_code == 303, started.text
    page = await client.get("/account/2fa/setup")
    secret = _TOTP_SECRET.search(page.text)
    assert secret, "the set-up page shows no key"
    app = Authenticator(secret.group(1))
    enabled = await submit(client, "/account/2fa/enable", {"code": app.code()})
    assert enabled.status_code == 200, enabled.text
    app.recovery_codes = _RECOVERY_CODE.findall(enabled.text)
    assert len(app.recovery_codes) == 10, enabled.text
    return app
