"""Every path reaches the service that owns it: the proxy table (nginx, for Compose), the Ingress
(Kubernetes) and the recording rules' route → service mapping agree with the app's own routes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import iter_route_contexts

from msmebazaar.app import create_app
from msmebazaar.services import available_services
from tests.conftest import make_settings
from tests.devops.tools import DEVOPS, K8S, load_yaml, load_yaml_all, require_tool, run

NGINX_CONF = DEVOPS / "nginx" / "nginx.conf"
INGRESS = K8S / "base" / "ingress.yaml"
RECORDING_RULES = DEVOPS / "prometheus" / "rules" / "recording.yml"
STREAM_PATH = "/api/v1/notifications/stream"

# DESIGN.md §3 fixes these paths, whether or not their service is built yet; every built
# service's routes are read from the app itself below.
CONTRACT_PATHS = {
    "/api/v1/admin/verifications": "admin",
    "/api/v1/admin/msmes/{msme_id}/verify": "admin",
    "/api/v1/admin/listings/{listing_id}/moderate": "admin",
    "/api/v1/admin/users": "admin",
    "/api/v1/admin/users/{user_id}": "admin",
    "/api/v1/admin/analytics/overview": "admin",
    "/api/v1/admin/audit-log": "admin",
    "/api/v1/whatsapp/webhook": "whatsapp",
    "/api/v1/whatsapp/twilio": "whatsapp",
    "/api/v1/whatsapp/simulate": "whatsapp",
    "/api/v1/notifications": "notifications",
    "/api/v1/notifications/{notification_id}/read": "notifications",
    "/api/v1/notifications/read-all": "notifications",
    "/api/v1/notifications/preferences": "notifications",
    "/api/v1/notifications/stream": "notifications",
}
# Paths outside /api: where the proxies send them, and the `service` the rules give them.
OTHER_PATHS = {
    "/": ("web", "web"),
    "/listings/4f9c2a1e-0000-4000-8000-000000000000": ("web", "web"),
    "/signin": ("web", "web"),
    "/notifications": ("web", "web"),
    "/notifications/preferences": ("web", "web"),
    "/health/live": ("apidocs", "health"),
    "/health/ready": ("apidocs", "health"),
    "/health": ("apidocs", "health"),
    "/docs": ("apidocs", "platform"),
    "/redoc": ("apidocs", "platform"),
    "/openapi.json": ("apidocs", "platform"),
}


# Every app serves these itself (shared/health.py, FastAPI's docs); they are not a service's.
_KERNEL_PATHS = ("/health", "/metrics", "/docs", "/redoc", "/openapi.json")


def _routes(tmp_path: Path) -> dict[str, str]:
    """Every route template of every built service (the web portal's pages included), with the
    service that serves it."""
    settings = make_settings(f"sqlite+aiosqlite:///{tmp_path / 'routes.db'}")
    owners = dict(CONTRACT_PATHS)
    for name in available_services():
        app = create_app(settings, [name])
        for route in iter_route_contexts(app.routes):
            path = route.path
            if path and not path.startswith(_KERNEL_PATHS):
                owners[path] = name
    return owners


def _concrete(template: str) -> str:
    """A real path for a route template: each `{parameter}` becomes a plausible value."""
    return (
        re.sub(r"\{[^}]+\}", "2024-25", template)
        if "financials/" in template
        else re.sub(r"\{[^}]+\}", "0b6f2c8e-3f1a-4c3e-9a57-1d2e3f4a5b6c", template)
    )


def _nginx_table() -> tuple[list[tuple[str, str]], str]:
    text = NGINX_CONF.read_text(encoding="utf-8")
    block = re.search(r"map \$uri \$upstream_service \{(.*?)\n    \}", text, re.DOTALL)
    assert block, "the routing map is missing from nginx.conf"
    entries, default = [], ""
    for raw in block.group(1).splitlines():
        line = raw.split("#", 1)[0].strip().rstrip(";")
        if not line:
            continue
        pattern, upstream = line.rsplit(None, 1)
        if pattern == "default":
            default = upstream
        else:
            entries.append((pattern.removeprefix("~"), upstream))
    return entries, default


def _nginx_upstream(path: str) -> str:
    entries, default = _nginx_table()
    return next((upstream for regex, upstream in entries if re.search(regex, path)), default)


def _ingresses() -> dict[str, dict[str, Any]]:
    documents = load_yaml_all(INGRESS.read_text(encoding="utf-8"))
    return {doc["metadata"]["name"]: doc for doc in documents if doc["kind"] == "Ingress"}


def _ingress_backend(path: str) -> str:
    # ingress-nginx merges every Ingress of a host into one server; with use-regex each path is
    # case-insensitive, anchored at the start, and the longest path is tried first.
    rules = [
        rule
        for ingress in _ingresses().values()
        for rule in ingress["spec"]["rules"][0]["http"]["paths"]
    ]
    ordered = sorted(rules, key=lambda rule: len(rule["path"]), reverse=True)
    for rule in ordered:
        if re.match(rule["path"], path, re.IGNORECASE):
            return str(rule["backend"]["service"]["name"]).removeprefix("msmebazaar-")
    pytest.fail(f"no Ingress path matches {path}")


def _rules_service(route: str) -> str | None:
    expr = load_yaml(RECORDING_RULES)["groups"][0]["rules"][0]["expr"]
    pairs = re.findall(r'"service", "([a-z]+)", "route", "([^"]+)"', expr)
    assert len(pairs) >= 8, "the route → service mapping is missing from the first rule"
    service = None
    for name, regex in pairs:  # label_replace applies in order; later matches win
        if re.fullmatch(regex, route):
            service = name
    return service


def test_every_route_is_proxied_to_its_owner_in_compose_and_kubernetes(
    tmp_path: Path,
) -> None:
    routes = _routes(tmp_path)
    assert {"auth", "msme", "valuation", "match"} <= set(routes.values())

    wrong = {
        template: (
            owner,
            _nginx_upstream(_concrete(template)),
            _ingress_backend(_concrete(template)),
        )
        for template, owner in routes.items()
        if {_nginx_upstream(_concrete(template)), _ingress_backend(_concrete(template))} != {owner}
    }

    assert wrong == {}, "route: (owner, nginx upstream, ingress backend)"


def test_every_route_template_is_labelled_with_its_owner_in_the_recording_rules(
    tmp_path: Path,
) -> None:
    routes = _routes(tmp_path)

    wrong = {t: (o, _rules_service(t)) for t, o in routes.items() if _rules_service(t) != o}

    assert wrong == {}


@pytest.mark.parametrize(("path", "expected"), OTHER_PATHS.items())
def test_pages_health_and_docs_go_where_they_belong(path: str, expected: tuple[str, str]) -> None:
    upstream, service = expected

    assert _nginx_upstream(path) == upstream
    assert _ingress_backend(path) == upstream
    assert _rules_service(path) == service


def test_unknown_api_paths_go_to_the_process_that_answers_404_in_the_envelope() -> None:
    assert _nginx_upstream("/api/v1/nothing-here") == "apidocs"
    assert _ingress_backend("/api/v1/nothing-here") == "apidocs"
    assert _rules_service("unmatched") == "unmatched"


def test_a_prefix_does_not_capture_a_longer_word() -> None:
    # `/api/v1/msmesX` is not the msme service's; it must not slip into its table entry.
    assert _nginx_upstream("/api/v1/msmesx") == "apidocs"
    assert _ingress_backend("/api/v1/msmesx") == "apidocs"


def test_every_upstream_in_the_proxy_is_a_compose_service() -> None:
    entries, default = _nginx_table()
    upstreams = {upstream for _, upstream in entries} | {default}
    declared = set(re.findall(r"upstream (\w+)\s*\{", NGINX_CONF.read_text(encoding="utf-8")))
    services = set(load_yaml(DEVOPS / "docker-compose.yml")["services"])

    assert upstreams == declared
    assert upstreams <= services


def test_metrics_are_not_exposed_through_the_proxy() -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")

    assert re.search(r"location = /metrics \{\s*return 404;", text)
    ingress = _ingresses()["msmebazaar"]
    snippet = ingress["metadata"]["annotations"]["nginx.ingress.kubernetes.io/server-snippet"]
    assert "location = /metrics { return 404; }" in snippet


def test_the_notifications_stream_passes_both_proxies_unbuffered_for_hours() -> None:
    text = NGINX_CONF.read_text(encoding="utf-8")
    block = re.search(r"location = /api/v1/notifications/stream \{(.*?)\n        \}", text, re.S)
    assert block, "no location of its own for the stream in nginx.conf"
    directives = {
        line.split(None, 1)[0]: line.split(None, 1)[1].rstrip(";")
        for line in (raw.split("#", 1)[0].strip() for raw in block.group(1).splitlines())
        if line
    }
    assert directives["proxy_pass"] == "http://notifications"
    assert (directives["proxy_buffering"], directives["proxy_cache"]) == ("off", "off")
    assert directives["gzip"] == "off"
    assert directives["proxy_read_timeout"] == "1h"
    assert directives["proxy_http_version"] == "1.1"
    assert 'Connection ""' in block.group(1)

    (stream,) = (
        ingress
        for ingress in _ingresses().values()
        if any(
            rule["path"].rstrip("$") == STREAM_PATH
            for rule in ingress["spec"]["rules"][0]["http"]["paths"]
        )
    )
    annotations = stream["metadata"]["annotations"]
    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "off"
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= 3600
    assert "gzip off;" in annotations["nginx.ingress.kubernetes.io/configuration-snippet"]
    assert _ingress_backend(STREAM_PATH) == "notifications"
    assert _nginx_upstream(STREAM_PATH) == "notifications"


def test_nginx_accepts_the_proxy_configuration(tmp_path: Path) -> None:
    nginx = require_tool("nginx")
    # Compose's service names resolve only inside its network: point them at loopback here.
    text = re.sub(r"server \w+:8000;", "server 127.0.0.1:8000;", NGINX_CONF.read_text("utf-8"))
    (tmp_path / "nginx.conf").write_text(text, encoding="utf-8")

    output = run(
        [nginx, "-t", "-q", "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf")],
        cwd=tmp_path,
    )

    assert "emerg" not in output
