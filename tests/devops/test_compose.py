"""The Compose file: valid against the Compose specification's JSON schema, and the stack the
issue describes — dependencies, a one-shot migration, each service in its own container, the
worker, the proxy, Prometheus and Grafana — wired together with secrets only from `.env`."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.devops.tools import DEVOPS, HTTP_COMPONENTS, REPO, load_yaml, require_tool, run

COMPOSE = DEVOPS / "docker-compose.yml"
SECRET_NAME = re.compile(r"PASSWORD|SECRET|TOKEN|_KEY|DSN|ACCOUNT_SID", re.IGNORECASE)
APP_SERVICES = (*HTTP_COMPONENTS, "worker", "migrate")


def _services() -> dict[str, dict[str, Any]]:
    services: dict[str, dict[str, Any]] = load_yaml(COMPOSE)["services"]
    return services


def test_the_compose_file_passes_the_compose_specification_schema() -> None:
    checker = require_tool("check-jsonschema")

    run([checker, "--builtin-schema", "vendor.compose-spec", str(COMPOSE)])


def test_dependencies_are_postgres_15_or_later_redis_7_and_minio() -> None:
    services = _services()
    postgres_major = int(re.search(r"postgres:(\d+)", services["postgres"]["image"]).group(1))  # type: ignore[union-attr]

    assert postgres_major >= 15
    assert services["redis"]["image"].startswith("redis:7")
    assert services["minio"]["image"].startswith("minio/minio:")
    for name in ("postgres", "redis", "minio"):
        assert "healthcheck" in services[name], name


@pytest.mark.parametrize("name", HTTP_COMPONENTS)
def test_each_service_runs_in_its_own_container_after_the_migration(name: str) -> None:
    service = _services()[name]

    expected = ["serve"] if name == "apidocs" else ["serve", "--service", name]
    assert service["command"] == expected
    assert service["depends_on"]["migrate"] == {"condition": "service_completed_successfully"}
    assert service["depends_on"]["redis"] == {"condition": "service_healthy"}
    assert service["environment"]["ENVIRONMENT"] == "${ENVIRONMENT:-production}"


def test_one_image_serves_every_app_container() -> None:
    services = _services()
    images = {services[name]["image"] for name in APP_SERVICES}

    assert images == {"${MSMEBAZAAR_IMAGE:-msmebazaar:local}"}
    assert services["migrate"]["build"] == {"context": "..", "dockerfile": "devops/Dockerfile"}
    assert (COMPOSE.parent / ".." / "devops" / "Dockerfile").resolve().exists()


def test_the_migration_is_a_one_shot_job_after_postgres_is_healthy() -> None:
    migrate = _services()["migrate"]

    assert migrate["command"] == ["migrate"]
    assert migrate["restart"] == "no"
    assert migrate["depends_on"] == {"postgres": {"condition": "service_healthy"}}


def test_the_worker_runs_apart_and_the_apps_do_not_embed_it() -> None:
    services = _services()

    assert services["worker"]["command"] == ["worker", "--metrics-port", "9100"]
    assert "9100/metrics" in " ".join(services["worker"]["healthcheck"]["test"])
    for name in HTTP_COMPONENTS:
        assert services[name]["environment"]["OUTBOX_WORKER_EMBEDDED"] == "false"


def test_every_dependency_volume_and_mounted_file_exists() -> None:
    compose = load_yaml(COMPOSE)
    services = compose["services"]
    for name, service in services.items():
        for dependency in service.get("depends_on", {}):
            assert dependency in services, f"{name} depends on unknown {dependency}"
        for volume in service.get("volumes", []):
            source = volume.split(":", 1)[0]
            if source.startswith("."):
                assert (COMPOSE.parent / source).exists(), f"{name} mounts missing {source}"
            else:
                assert source in compose["volumes"], f"{name} uses undeclared volume {source}"


def test_only_the_proxy_is_public_and_the_consoles_listen_on_loopback() -> None:
    services = _services()
    published = {name: service["ports"] for name, service in services.items() if "ports" in service}

    assert published["proxy"] == ["${PROXY_PORT:-8080}:8080"]
    assert published["prometheus"] == ["127.0.0.1:${PROMETHEUS_PORT:-9090}:9090"]
    assert published["grafana"] == ["127.0.0.1:${GRAFANA_PORT:-3000}:3000"]
    assert set(published) == {"proxy", "prometheus", "grafana"}


def test_proxy_mounts_the_routing_table_and_waits_for_every_service() -> None:
    proxy = _services()["proxy"]

    assert "./nginx/nginx.conf:/etc/nginx/nginx.conf:ro" in proxy["volumes"]
    assert set(proxy["depends_on"]) == set(HTTP_COMPONENTS)


def _environment_values() -> list[tuple[str, str, str]]:
    return [
        (service_name, key, str(value))
        for service_name, service in _services().items()
        for key, value in (service.get("environment") or {}).items()
    ]


def test_no_secret_is_written_in_the_compose_file() -> None:
    for service, key, value in _environment_values():
        if SECRET_NAME.search(key):
            assert re.fullmatch(r"\$\{[A-Z_]+(:?[-?][^}]*)?\}", value), (service, key, value)
    database_url = _services()["auth"]["environment"]["DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in database_url


def test_every_variable_compose_reads_is_documented_in_the_env_template() -> None:
    template = (REPO / ".env.template").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", template, flags=re.MULTILINE))
    used = set(re.findall(r"(?<!\$)\$\{([A-Z][A-Z0-9_]*)", COMPOSE.read_text(encoding="utf-8")))

    assert used - documented == set()
