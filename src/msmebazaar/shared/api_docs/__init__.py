"""The API reference pages, `/docs` (Swagger UI) and `/redoc` (ReDoc), served entirely from the
package: no page loads anything from another origin, so the docs work on a machine without
internet (air-gapped deployments, offices behind strict proxies).

Swagger UI comes from the pinned `swagger-ui-bundle-v2` wheel (Swagger UI 5, which reads
OpenAPI 3.1); ReDoc is vendored in `redoc/` with its licence (see `redoc/README.md`). Assets are
served under `/docs/assets/` with a content hash in the URL, so browsers keep them for a year.
The pages carry a Content-Security-Policy that only allows this origin, so even a future asset
that tried to reach a CDN would be stopped by the browser.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from html import escape
from pathlib import Path
from typing import Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from swagger_ui_bundle import swagger_ui_path

from msmebazaar.shared.exceptions import NotFoundError

ASSETS_PATH: Final = "/docs/assets"
_HERE: Final = Path(__file__).parent
_SWAGGER: Final = Path(str(swagger_ui_path))
# name served → file on disk
_SOURCES: Final = {
    "swagger-ui-bundle.js": _SWAGGER / "swagger-ui-bundle.js",
    "swagger-ui.css": _SWAGGER / "swagger-ui.css",
    "favicon-32x32.png": _SWAGGER / "favicon-32x32.png",
    "swagger-init.js": _HERE / "swagger-init.js",
    "redoc.standalone.js": _HERE / "redoc" / "redoc.standalone.js",
}
_TYPES: Final = {
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".png": "image/png",
}
# Swagger UI and ReDoc inject <style> elements (styled-components); ReDoc runs its search in a
# worker started from a blob: URL. Nothing may come from another origin.
DOCS_CONTENT_SECURITY_POLICY: Final = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
    "form-action 'self'"
)

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True, slots=True)
class DocsAsset:
    """One file the docs pages load: its bytes, type and content hash."""

    name: str
    body: bytes
    content_type: str
    digest: str

    @property
    def url(self) -> str:
        return f"{ASSETS_PATH}/{self.name}?v={self.digest}"


@cache
def docs_assets() -> dict[str, DocsAsset]:
    """Every asset by name, read once (a missing file fails at first use, loudly)."""
    assets = {}
    for name, path in _SOURCES.items():
        body = path.read_bytes()
        digest = hashlib.sha256(body).hexdigest()[:12]
        assets[name] = DocsAsset(name, body, _TYPES[path.suffix], digest)
    return assets


def _url(name: str) -> str:
    return docs_assets()[name].url


def _page(title: str, head: str, body: str) -> HTMLResponse:
    html = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{escape(title)}</title>
<link rel="icon" type="image/png" href="{_url("favicon-32x32.png")}">
{head}
</head>
<body>
{body}
</body>
</html>
"""
    response = HTMLResponse(html)
    response.headers["Content-Security-Policy"] = DOCS_CONTENT_SECURITY_POLICY
    response.headers["Cache-Control"] = "no-cache"
    return response


def _openapi_url(request: Request) -> str:
    return escape(str(request.app.openapi_url or "/openapi.json"), quote=True)


@router.get("/docs")
async def swagger_ui(request: Request) -> HTMLResponse:
    """Swagger UI over this app's OpenAPI document."""
    title = f"{request.app.title} - Swagger UI"
    head = f'<link rel="stylesheet" href="{_url("swagger-ui.css")}">'
    body = (
        f'<div id="swagger-ui" data-openapi-url="{_openapi_url(request)}"></div>\n'
        f'<script src="{_url("swagger-ui-bundle.js")}"></script>\n'
        f'<script src="{_url("swagger-init.js")}"></script>'
    )
    return _page(title, head, body)


@router.get("/redoc")
async def redoc(request: Request) -> HTMLResponse:
    """ReDoc over this app's OpenAPI document."""
    title = f"{request.app.title} - ReDoc"
    body = (
        f'<redoc spec-url="{_openapi_url(request)}"></redoc>\n'
        f'<script src="{_url("redoc.standalone.js")}"></script>'
    )
    return _page(title, "<style>body { margin: 0; padding: 0; }</style>", body)


@router.get(ASSETS_PATH + "/{name}")
async def docs_asset(name: str, request: Request) -> Response:
    """One asset of the docs pages (only the files listed above can ever be served)."""
    asset = docs_assets().get(name)
    if asset is None:
        raise NotFoundError()
    etag = f'"{asset.digest}"'
    headers = {"ETag": etag, "Cache-Control": "public, max-age=31536000, immutable"}
    if request.headers.get("if-none-match") == etag:
        return Response(status_code=304, headers=headers)
    return Response(asset.body, media_type=asset.content_type, headers=headers)
