"""scripts/pip_audit.sh (the CI step): fails on a known vulnerability and never passes silently
when the advisory service cannot be reached. pip-audit and curl are stood in for by stubs, so
each outcome is produced on purpose."""

from __future__ import annotations

import os
import stat
import subprocess
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "pip_audit.sh"


def _stub(path: Path, body: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/usr/bin/env bash\n{body}\n")
    path.chmod(path.stat().st_mode | stat.S_IEXEC)


def _run(tmp_path: Path, *, reachable: bool, audit: str, required: bool = False) -> tuple[int, str]:
    _stub(tmp_path / "bin" / "curl", "exit 0" if reachable else "exit 7")
    _stub(tmp_path / "cache" / "msmebazaar" / "pip-audit-2.10.1" / "bin" / "pip-audit", audit)
    env = os.environ | {
        "PATH": f"{tmp_path / 'bin'}:{os.environ['PATH']}",
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "AUDIT_REQUIRED": "1" if required else "0",
    }
    done = subprocess.run(  # noqa: S603 - our own script
        ["/bin/bash", str(SCRIPT)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def test_a_clean_audit_says_how_many_dependencies_it_checked(tmp_path: Path) -> None:
    status, output = _run(tmp_path, reachable=True, audit="exit 0")

    assert status == 0
    assert "no known vulnerabilities in the" in output


def test_a_known_vulnerability_fails_the_run_with_the_report(tmp_path: Path) -> None:
    report = 'echo "Found 1 known vulnerability in 1 package"; echo "jinja2 3.1.0 GHSA-x"; exit 1'

    status, output = _run(tmp_path, reachable=True, audit=report)

    assert status == 1
    assert "GHSA-x" in output


@pytest.mark.parametrize("required", [False, True])
def test_an_unreachable_service_is_said_plainly(tmp_path: Path, required: bool) -> None:
    status, output = _run(tmp_path, reachable=False, audit="exit 0", required=required)

    assert status == (2 if required else 0)
    assert "DEPENDENCIES NOT AUDITED" in output
    assert "cannot be reached" in output


def test_a_service_that_cannot_answer_for_every_dependency_is_said_plainly(
    tmp_path: Path,
) -> None:
    error = "ERROR:pip_audit._cli:x: Dependency not found on PyPI and could not be audited: x (1.0)"
    partial = f'echo "{error}" >&2; exit 1'

    status, output = _run(tmp_path, reachable=True, audit=partial)

    assert status == 0
    assert "DEPENDENCIES NOT AUDITED" in output
    assert "could not be audited: x (1.0)" in output
