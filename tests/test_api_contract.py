"""docs/api.md, the contract for the API's users, stays in step with the app: every path of the
OpenAPI document is listed there with its method, and every route listed there exists."""

from __future__ import annotations

import re
from pathlib import Path

import httpx

API_DOC = Path(__file__).resolve().parents[1] / "docs" / "api.md"
ROUTE = re.compile(r"`(GET|POST|PUT|PATCH|DELETE) (/[^`\s]*)`")
METHODS = {"get", "post", "put", "patch", "delete"}
# Served by the app but, being the document and its viewers, not in the document itself.
DOCS_ROUTES = {("GET", "/docs"), ("GET", "/redoc"), ("GET", "/openapi.json")}


def documented_routes() -> set[tuple[str, str]]:
    """Every `METHOD /path` named in docs/api.md."""
    return set(ROUTE.findall(API_DOC.read_text(encoding="utf-8")))


async def served_routes(client: httpx.AsyncClient) -> set[tuple[str, str]]:
    paths = (await client.get("/openapi.json")).json()["paths"]
    return {
        (method.upper(), path)
        for path, operations in paths.items()
        for method in operations
        if method in METHODS
    }


async def test_every_route_of_the_openapi_document_is_in_api_md(
    client: httpx.AsyncClient,
) -> None:
    missing = await served_routes(client) - documented_routes()

    assert missing == set(), f"add these to docs/api.md: {sorted(missing)}"


async def test_every_route_in_api_md_is_served(client: httpx.AsyncClient) -> None:
    stale = documented_routes() - await served_routes(client) - DOCS_ROUTES

    assert stale == set(), f"docs/api.md names routes the app does not serve: {sorted(stale)}"


async def test_the_docs_routes_api_md_names_answer(client: httpx.AsyncClient) -> None:
    statuses = {path: (await client.get(path)).status_code for _, path in DOCS_ROUTES}

    assert statuses == {path: 200 for _, path in DOCS_ROUTES}


def test_the_readme_links_only_inside_the_repository() -> None:
    repo = API_DOC.parents[1]
    readme = (repo / "README.md").read_text(encoding="utf-8")
    targets = re.findall(r"\]\(([^)#]+)", readme) + re.findall(
        r"`((?:\.\./|docs/)[^`]+\.md)`", readme
    )

    assert "../" not in readme
    assert {"docs/api.md", "docs/architecture.md"} <= set(targets)
    for target in targets:
        if "://" not in target:
            assert (repo / target).is_file(), target
