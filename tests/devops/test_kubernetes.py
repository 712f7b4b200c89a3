"""Kubernetes: each overlay renders with kustomize (`kubectl kustomize`), every resource passes its
schema (kubernetes-validate, strict), and the shape the issue asks for holds: per service a
Deployment, Service, HPA and PDB; probes on the health endpoints; resources; a migration Job;
configuration and secrets apart, no secret in the repository."""

from __future__ import annotations

import functools
from typing import Any

import kubernetes_validate
import pytest

from tests.devops.tools import HTTP_COMPONENTS, K8S, load_yaml_all, require_tool, run

OVERLAYS = ("staging", "production")
KUBERNETES_VERSION = "1.31.0"
SECRET_KEYS = (
    "DATABASE_URL",
    "REDIS_URL",
    "JWT_SECRET",
    "MFA_ENCRYPTION_KEY",
    "TWILIO_AUTH_TOKEN",
    "SENTRY_DSN",
)


@functools.cache
def _render(overlay: str) -> tuple[dict[str, Any], ...]:
    kubectl = require_tool("kubectl")
    output = run([kubectl, "kustomize", str(K8S / "overlays" / overlay)])
    return tuple(load_yaml_all(output))


def _of_kind(overlay: str, kind: str) -> dict[str, dict[str, Any]]:
    return {doc["metadata"]["name"]: doc for doc in _render(overlay) if doc["kind"] == kind}


def _containers(deployment: dict[str, Any]) -> list[dict[str, Any]]:
    containers: list[dict[str, Any]] = deployment["spec"]["template"]["spec"]["containers"]
    return containers


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_resource_passes_its_kubernetes_schema(overlay: str) -> None:
    documents = _render(overlay)
    assert len(documents) > 30

    for document in documents:
        try:
            kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)
        except kubernetes_validate.ValidationError as error:
            name = f"{document['kind']}/{document['metadata']['name']}"
            pytest.fail(f"{overlay}: {name}: {error.message} at {list(error.path)}")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_every_service_has_a_deployment_service_autoscaler_and_disruption_budget(
    overlay: str,
) -> None:
    expected = {f"msmebazaar-{name}" for name in HTTP_COMPONENTS}

    assert expected <= set(_of_kind(overlay, "Deployment"))
    assert expected == set(_of_kind(overlay, "Service"))
    assert expected <= set(_of_kind(overlay, "HorizontalPodAutoscaler"))
    assert expected <= set(_of_kind(overlay, "PodDisruptionBudget"))
    assert "msmebazaar-worker" in _of_kind(overlay, "Deployment")


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_autoscalers_budgets_and_services_select_real_deployments(overlay: str) -> None:
    deployments = _of_kind(overlay, "Deployment")
    pod_labels = [d["spec"]["template"]["metadata"]["labels"] for d in deployments.values()]

    for hpa in _of_kind(overlay, "HorizontalPodAutoscaler").values():
        assert hpa["spec"]["scaleTargetRef"]["name"] in deployments
        assert 1 <= hpa["spec"]["minReplicas"] <= hpa["spec"]["maxReplicas"]
    for budget in _of_kind(overlay, "PodDisruptionBudget").values():
        selector = budget["spec"]["selector"]["matchLabels"]
        assert sum(selector.items() <= labels.items() for labels in pod_labels) == 1
    for service in _of_kind(overlay, "Service").values():
        selector = service["spec"]["selector"]
        assert sum(selector.items() <= labels.items() for labels in pod_labels) == 1


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_http_deployments_probe_the_health_endpoints_and_set_resources(overlay: str) -> None:
    for name in HTTP_COMPONENTS:
        deployment = _of_kind(overlay, "Deployment")[f"msmebazaar-{name}"]
        (container,) = _containers(deployment)
        assert container["readinessProbe"]["httpGet"]["path"] == "/health/ready"
        assert container["livenessProbe"]["httpGet"]["path"] == "/health/live"
        assert container["resources"]["requests"].keys() >= {"cpu", "memory"}
        assert "memory" in container["resources"]["limits"]
        expected = ["serve"] if name == "apidocs" else ["serve", "--service", name]
        assert container["args"] == expected
        annotations = deployment["spec"]["template"]["metadata"]["annotations"]
        assert annotations["prometheus.io/scrape"] == "true"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_pods_run_as_non_root_with_a_read_only_root(overlay: str) -> None:
    pods = [d["spec"]["template"]["spec"] for d in _of_kind(overlay, "Deployment").values()]
    pods += [j["spec"]["template"]["spec"] for j in _of_kind(overlay, "Job").values()]
    for pod in pods:
        assert pod["securityContext"]["runAsNonRoot"] is True
        assert pod["automountServiceAccountToken"] is False
        for container in pod["containers"]:
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            assert container["securityContext"]["allowPrivilegeEscalation"] is False


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_a_job_runs_the_migrations(overlay: str) -> None:
    job = _of_kind(overlay, "Job")["msmebazaar-migrate"]

    (container,) = job["spec"]["template"]["spec"]["containers"]
    assert container["args"] == ["migrate"]
    assert job["spec"]["template"]["spec"]["restartPolicy"] == "Never"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_the_ingress_buffers_answers_so_slow_clients_hold_no_admission_slot(overlay: str) -> None:
    annotations = _of_kind(overlay, "Ingress")["msmebazaar"]["metadata"]["annotations"]

    assert annotations["nginx.ingress.kubernetes.io/proxy-buffering"] == "on"


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_configuration_and_secrets_are_apart_and_no_secret_is_committed(overlay: str) -> None:
    assert _of_kind(overlay, "Secret") == {}
    (config,) = _of_kind(overlay, "ConfigMap").values()
    assert not set(SECRET_KEYS) & set(config["data"])
    assert config["data"]["ENVIRONMENT"] == "production"
    for deployment in _of_kind(overlay, "Deployment").values():
        (container,) = _containers(deployment)
        sources = container["envFrom"]
        assert {"configMapRef": {"name": config["metadata"]["name"]}} in sources
        assert {"secretRef": {"name": "msmebazaar-secrets"}} in sources
        assert "env" not in container


def test_the_secret_example_lists_every_secret_and_no_value() -> None:
    lines = (K8S / "base" / "secrets.env.example").read_text(encoding="utf-8").splitlines()
    entries = dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))

    assert set(SECRET_KEYS) <= set(entries)
    assert all(value == "" or "CHANGE_ME" in value for value in entries.values())


@pytest.mark.parametrize("overlay", OVERLAYS)
def test_each_overlay_pins_a_release_image(overlay: str) -> None:
    images = {
        container["image"]
        for kind in ("Deployment", "Job")
        for workload in _of_kind(overlay, kind).values()
        for container in workload["spec"]["template"]["spec"]["containers"]
    }

    (image,) = images
    assert image.startswith("ghcr.io/msmebazaar/msmebazaar:")
    assert not image.endswith(":latest")
