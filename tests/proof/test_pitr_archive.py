"""The WAL archive's commands and a restore's configuration, without a server: archive_command
runs on BusyBox's tools alone, flushes the folder, fails loudly and survives a `%` in its path;
a copied Debian postgresql.conf loses the old cluster's paths."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.devops.tools import DEVOPS, load_yaml
from tests.proof.drills import drills_module

archive = drills_module("archive")
errors = drills_module("errors")
postgres = drills_module("postgres")
restore = drills_module("restore")

# What postgres:16-alpine's BusyBox provides of what the command uses (`sync FILE` needs
# FEATURE_SYNC_FANCY, on by default; without it BusyBox syncs everything, which is stronger).
BUSYBOX_APPLETS = {"cp", "cmp", "mv", "sync", "test", "["}


def _as_postgres_runs(command: str, path: Path) -> str:
    """The shell line PostgreSQL runs for `command` and a segment: %p, %f and %% replaced."""
    places = {"p": str(path), "f": path.name, "%": "%"}
    return re.sub(r"%([pf%])", lambda found: places[found.group(1)], command)


def _tools_only(folder: Path, tools: set[str], log: Path) -> dict[str, str]:
    """An environment whose PATH holds only `tools`; `sync` writes its arguments to `log`."""
    folder.mkdir()
    for name in tools - {"sync"}:
        (folder / name).symlink_to(shutil.which(name) or name)
    if "sync" in tools:
        wrapper = folder / "sync"
        wrapper.write_text(f'#!/bin/sh\necho "$@" >> {log}\nexec {shutil.which("sync")} "$@"\n')
        wrapper.chmod(0o755)
    return {"PATH": str(folder)}


def _archive(command: str, segment: Path, env: dict[str, str] | None = None) -> int:
    line = _as_postgres_runs(command, segment)
    return subprocess.run(["/bin/sh", "-c", line], check=False, env=env).returncode  # noqa: S603


def test_the_archive_command_never_overwrites_a_segment_and_flushes_the_folder(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    segment = tmp_path / "000000010000000000000003"
    segment.write_bytes(b"first")
    log = tmp_path / "sync.log"
    # Nothing on PATH but the tools it declares, each a BusyBox applet: it needs nothing else.
    assert set(archive.ARCHIVE_TOOLS) <= BUSYBOX_APPLETS
    env = _tools_only(tmp_path / "bin", set(archive.ARCHIVE_TOOLS), log)
    command = archive.archive_command(str(folder))

    assert _archive(command, segment, env) == 0
    # The copy is flushed before the rename, and the folder (holding the new name) after it.
    assert log.read_text().splitlines() == [f"{folder}/{segment.name}.part", str(folder)]
    assert _archive(command, segment, env) == 0  # the same segment again (after a crash) is fine
    segment.write_bytes(b"other server")
    assert _archive(command, segment, env) != 0  # another server's segment of that name is refused
    assert (folder / segment.name).read_bytes() == b"first"
    assert [path.name for path in folder.iterdir()] == [segment.name]  # no temporary left


def test_a_missing_tool_fails_the_archive_command(tmp_path: Path) -> None:
    folder = tmp_path / "archive"
    folder.mkdir()
    segment = tmp_path / "000000010000000000000004"
    segment.write_bytes(b"wal")
    env = _tools_only(tmp_path / "bin", {"cp", "cmp", "mv"}, tmp_path / "sync.log")

    assert _archive(archive.archive_command(str(folder)), segment, env) != 0
    assert not (folder / segment.name).exists()  # never published unflushed


def test_a_percent_sign_in_the_archive_folder_is_taken_literally(tmp_path: Path) -> None:
    folder = tmp_path / "wal 100%f %p"
    folder.mkdir()
    segment = tmp_path / "000000010000000000000005"
    segment.write_bytes(b"wal")

    assert _archive(archive.archive_command(str(folder)), segment) == 0
    assert (folder / segment.name).read_bytes() == b"wal"
    back = tmp_path / "pg_wal" / "RECOVERYXLOG"
    back.parent.mkdir()
    restore_line = _as_postgres_runs(archive.restore_command(folder), back)
    restore_line = restore_line.replace(back.name, segment.name, 1)  # %f names what is asked for
    assert subprocess.run(["/bin/sh", "-c", restore_line], check=False).returncode == 0  # noqa: S603
    assert back.read_bytes() == b"wal"


def test_compose_archives_with_the_same_command_at_least_every_minute() -> None:
    service = load_yaml(DEVOPS / "docker-compose.yml")["services"]["postgres"]
    settings = dict(
        option.split("=", 1)
        for flag, option in zip(service["command"], service["command"][1:], strict=False)
        if flag == "-c"
    )

    assert settings["archive_mode"] == "on"
    wal = "/var/lib/postgresql/archive/wal"
    assert settings["archive_command"] == archive.archive_command(wal)
    assert 0 < int(settings["archive_timeout"].removesuffix("s")) <= 60
    assert "postgres-archive:/var/lib/postgresql/archive" in service["volumes"]


def test_a_copied_debian_postgresql_conf_loses_the_old_clusters_paths(tmp_path: Path) -> None:
    debian = (
        "data_directory = '/var/lib/postgresql/15/main'\n"
        "HBA_FILE='/etc/postgresql/15/main/pg_hba.conf'\n"
        "ident_file = '/etc/postgresql/15/main/pg_ident.conf'\n"
        "external_pid_file = '/var/run/postgresql/15-main.pid'\n"
        "port = 5432\n#data_directory = 'ConfigDir'\n"
    )
    kept = restore.without_old_cluster_paths(debian, tmp_path).splitlines()

    assert [line for line in kept if not line.startswith("#")] == ["port = 5432"]
    assert kept[0].endswith("data_directory = '/var/lib/postgresql/15/main'")
    with pytest.raises(errors.DrillError) as refused:
        restore.without_old_cluster_paths("include_dir = 'conf.d'\n", tmp_path)
    assert refused.value.status == errors.CANNOT_START
    assert "conf.d" in str(refused.value)
    (tmp_path / "conf.d").mkdir()
    assert restore.without_old_cluster_paths("include_dir = 'conf.d'\n", tmp_path)


def test_a_password_reaches_libpq_by_environment_never_on_a_command_line() -> None:
    url, env = postgres.libpq_env("postgresql://app:p%40ss%20word@db.internal:5432/shop")

    assert url == "postgresql://app@db.internal:5432/shop"
    assert env["PGPASSWORD"] == "p@ss word"
