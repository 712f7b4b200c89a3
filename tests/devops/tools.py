"""Shared helpers for the production-stack checks: paths, external tools, subprocesses."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import IN_CI, TEST_DATABASE_URL

REPO = Path(__file__).resolve().parents[2]
DEVOPS = REPO / "devops"
PROMETHEUS = DEVOPS / "prometheus"
GRAFANA = DEVOPS / "grafana"
K8S = DEVOPS / "k8s"
OPERATIONS_DOC = REPO / "docs" / "operations.md"
# The HTTP processes of the stack: the seven services, the web portal, and the all-services one.
HTTP_COMPONENTS = (
    "auth", "msme", "valuation", "match", "admin", "whatsapp", "notifications", "web", "apidocs",
)  # fmt: skip


def require_tool(name: str) -> str:
    """The path of an external tool. Missing: a failure in CI and in the PostgreSQL run (which
    must skip nothing; .ci/run installs the tools), a skip with the reason on a laptop."""
    candidates = (Path(sys.executable).parent / name, Path("/usr/sbin") / name)
    found = next((str(path) for path in candidates if path.exists()), None) or shutil.which(name)
    if found:
        return found
    message = f"`{name}` is not installed (.ci/run installs it: see its ensure_ops_tools)"
    if IN_CI or TEST_DATABASE_URL:
        pytest.fail(message)
    pytest.skip(message)


def run(args: list[str], *, cwd: Path = REPO, timeout: float = 120) -> str:
    """Run a command; fail the test with its output unless it exits 0. Returns stdout."""
    result = subprocess.run(  # noqa: S603 - our own tools with our own arguments
        args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False
    )
    if result.returncode != 0:
        pytest.fail(
            f"{' '.join(args)} exited {result.returncode}\n{result.stdout}\n{result.stderr}"
        )
    return result.stdout


def load_yaml(path: Path) -> Any:
    """One YAML document."""
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def load_yaml_all(text: str) -> list[dict[str, Any]]:
    """Every non-empty document of a YAML stream."""
    return [doc for doc in yaml.safe_load_all(text) if doc]


def free_port() -> int:
    """A TCP port on the loopback interface that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def msmebazaar_command() -> list[str]:
    """The installed `msmebazaar` console script (the one the image runs)."""
    script = Path(sys.executable).parent / "msmebazaar"
    return [str(script)] if script.exists() else [sys.executable, "-m", "msmebazaar"]


def clean_environment(**overrides: str) -> dict[str, str]:
    """The process environment without any MSMEBazaar setting, plus `overrides`."""
    keep = {
        key: value
        for key, value in os.environ.items()
        if key in {"PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "SYSTEMROOT", "VIRTUAL_ENV"}
        or key.startswith(("OPENBLAS_", "PYTHON"))
    }
    return keep | overrides
