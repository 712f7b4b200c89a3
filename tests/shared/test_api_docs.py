"""/docs and /redoc are served from the package: every script, style sheet and icon they load
is ours, the browser is told to load nothing else, and the vendored ReDoc is the release we
name (the same pages in a real browser: tests/web/e2e/test_same_origin.py)."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import httpx
import pytest
from swagger_ui_bundle import swagger_ui_path

from msmebazaar.shared.api_docs import DOCS_CONTENT_SECURITY_POLICY, docs_assets

REDOC_SHA256 = "dcaf76612bc4a3fbcc923a8966dee2f6146a5f32e5ce1b6f02dd60cbbf89500b"
_RESOURCE = re.compile(r'(?:src|href|spec-url|data-openapi-url)="([^"]+)"')


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_docs_pages_load_only_our_own_files(client: httpx.AsyncClient, path: str) -> None:
    page = await client.get(path)

    assert page.status_code == 200
    resources = _RESOURCE.findall(page.text)
    assert resources
    assert all(url.startswith("/") and not url.startswith("//") for url in resources), resources
    assert "http://" not in page.text
    assert "https://" not in page.text
    assert page.headers["content-security-policy"] == DOCS_CONTENT_SECURITY_POLICY


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
async def test_every_file_a_docs_page_names_is_served(client: httpx.AsyncClient, path: str) -> None:
    page = await client.get(path)
    assets = [url for url in _RESOURCE.findall(page.text) if url.startswith("/docs/assets/")]

    answers = [await client.get(url) for url in assets]

    assert assets
    assert [answer.status_code for answer in answers] == [200] * len(assets)
    assert all("immutable" in answer.headers["cache-control"] for answer in answers)


def test_the_docs_policy_allows_no_other_origin() -> None:
    sources = [part.split()[1:] for part in DOCS_CONTENT_SECURITY_POLICY.split(";")]

    allowed = {source for directive in sources for source in directive}

    assert allowed <= {"'self'", "'none'", "'unsafe-inline'", "data:", "blob:"}


async def test_an_unknown_docs_asset_is_a_404(client: httpx.AsyncClient) -> None:
    answer = await client.get("/docs/assets/..%2Fpyproject.toml")

    assert answer.status_code == 404


async def test_a_cached_docs_asset_is_not_sent_again(client: httpx.AsyncClient) -> None:
    asset = docs_assets()["swagger-ui.css"]

    again = await client.get(asset.url, headers={"If-None-Match": f'"{asset.digest}"'})

    assert again.status_code == 304
    assert again.content == b""


def test_the_vendored_redoc_is_the_named_release() -> None:
    body = docs_assets()["redoc.standalone.js"].body

    assert hashlib.sha256(body).hexdigest() == REDOC_SHA256


def test_swagger_ui_is_version_5_which_reads_openapi_3_1() -> None:
    assert Path(str(swagger_ui_path)).name.startswith("swagger-ui-5.")
    assert docs_assets()["swagger-ui-bundle.js"].body
