"""The image: hadolint passes, and the Dockerfile keeps its promises — multi-stage, non-root,
healthcheck on /health/live, the `msmebazaar` command as PID 1 (it receives SIGTERM), a small
build context — and every command a container runs is one the CLI accepts."""

from __future__ import annotations

import fnmatch
import re

import pytest
import typer
from typer.core import TyperGroup

from msmebazaar.cli import app
from msmebazaar.services import SERVICE_NAMES
from tests.devops.tools import DEVOPS, K8S, load_yaml, load_yaml_all, require_tool, run

DOCKERFILE = DEVOPS / "Dockerfile"
DOCKERIGNORE = DEVOPS / "Dockerfile.dockerignore"


def _instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(None, 1)[0].upper(), line.split(None, 1)[1] if " " in line else "")
        for line in lines
        if line and not line.startswith("#")
    ]


def _stages() -> list[list[tuple[str, str]]]:
    stages: list[list[tuple[str, str]]] = []
    for instruction in _instructions():
        if instruction[0] == "FROM":
            stages.append([])
        if stages:
            stages[-1].append(instruction)
    return stages


def _final(instruction: str) -> list[str]:
    return [args for name, args in _stages()[-1] if name == instruction]


def test_hadolint_passes() -> None:
    hadolint = require_tool("hadolint")

    run([hadolint, "--failure-threshold", "info", str(DOCKERFILE)])


def test_the_build_is_multi_stage_and_the_runtime_copies_only_the_virtualenv() -> None:
    stages = _stages()

    assert len(stages) >= 2
    assert _final("COPY") == ["--from=build /opt/venv /opt/venv"]
    assert not [args for name, args in stages[-1] if name == "RUN" and "pip install" in args]


def test_the_runtime_runs_as_a_non_root_user() -> None:
    (user,) = _final("USER")

    uid = user.split(":", 1)[0]
    assert uid.isdigit()  # numeric: Kubernetes' runAsNonRoot can check it
    assert int(uid) >= 1000


def test_the_healthcheck_asks_for_liveness() -> None:
    (healthcheck,) = _final("HEALTHCHECK")

    assert "/health/live" in healthcheck
    assert "--timeout=" in healthcheck


def test_msmebazaar_is_pid_1_and_stops_on_sigterm() -> None:
    assert _final("ENTRYPOINT") == ['["msmebazaar"]']  # exec form: no shell swallows signals
    assert _final("CMD") == ['["serve"]']
    assert _final("STOPSIGNAL") == ["SIGTERM"]
    assert "8000" in _final("EXPOSE")[0].split()


def test_no_secret_is_baked_into_the_image() -> None:
    environment = " ".join(_final("ENV"))

    for name in ("JWT_SECRET", "DATABASE_URL", "PASSWORD", "TOKEN", "SENTRY_DSN"):
        assert name not in environment
    assert "ENVIRONMENT=production" in environment


def _included(path: str) -> bool:
    """Whether the build context keeps `path`, by .dockerignore's rules (last match wins)."""
    keep = True
    for line in DOCKERIGNORE.read_text(encoding="utf-8").splitlines():
        rule = line.strip()
        if not rule or rule.startswith("#"):
            continue
        negated, pattern = rule.startswith("!"), rule.lstrip("!").rstrip("/")
        if fnmatch.fnmatch(path, pattern) or path.startswith(pattern + "/"):
            keep = negated
    return keep


def test_the_build_context_holds_only_what_the_image_needs() -> None:
    sources = [
        args.split()[0]
        for stage in _stages()
        for name, args in stage
        if name == "COPY" and "--from" not in args
    ]
    assert sources == ["pyproject.toml", "src"]

    for needed in ("pyproject.toml", "README.md", "src/msmebazaar/app.py"):
        assert _included(needed), needed
    for excluded in (".env", ".git/config", "var/msmebazaar.db", "tests/conftest.py", ".venv"):
        assert not _included(excluded), excluded


def _container_commands() -> list[list[str]]:
    """What each app container runs: Compose's commands and the Kubernetes containers' args."""
    compose = load_yaml(DEVOPS / "docker-compose.yml")["services"]
    commands = [s["command"] for s in compose.values() if s.get("image", "").endswith(":local}")]
    for path in sorted(K8S.glob("base/*.yaml")):
        for document in load_yaml_all(path.read_text(encoding="utf-8")):
            pod = document.get("spec", {}).get("template", {}).get("spec", {})
            commands += [container["args"] for container in pod.get("containers", [])]
    return commands


@pytest.mark.parametrize("command", _container_commands(), ids=" ".join)
def test_every_container_command_is_one_the_cli_accepts(command: list[str]) -> None:
    group = typer.main.get_command(app)
    assert isinstance(group, TyperGroup)
    context = group.make_context("msmebazaar", list(command))
    subcommand = group.get_command(context, command[0])
    assert subcommand is not None, command

    parsed = subcommand.make_context(command[0], list(command[1:]), parent=context)

    for name in parsed.params.get("service") or []:
        assert name in SERVICE_NAMES, command
