"""Restoring a cluster: base backup + WAL archive into an empty data folder, replayed, checked."""

from __future__ import annotations

import os
import pwd
import re
import shlex
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from drills.archive import check_archive, position, restore_command
from drills.errors import CANNOT_START, STEP_FAILED, DrillError
from drills.postgres import psql

# Settings in a copied postgresql.conf (Debian's, from /etc) that name the old cluster's files:
# data_directory would even override -D and start the old folder instead of the restored one.
OLD_CLUSTER_PATHS = ("data_directory", "hba_file", "ident_file", "external_pid_file")
_OLD_PATH_LINE = re.compile(rf"^\s*({'|'.join(OLD_CLUSTER_PATHS)})\b", re.IGNORECASE)
_INCLUDE_LINE = re.compile(r"^\s*(include|include_dir)\s*=?\s*'([^']*)'", re.IGNORECASE)


def os_user(requested: str | None) -> str | None:
    """The user the server tools run as: PostgreSQL refuses root, so as root `postgres`."""
    if requested:
        return requested
    return "postgres" if os.geteuid() == 0 else None


def pg_bin(requested: Path | None, major: str) -> Path:
    """The folder of the server tools of a major version (`--pg-bin`, `PG_BIN`, Debian's)."""
    found = requested or Path(os.environ.get("PG_BIN", f"/usr/lib/postgresql/{major}/bin"))
    if not (found / "pg_ctl").exists():
        raise DrillError(
            CANNOT_START, f"PostgreSQL {major} server tools not found in {found} (--pg-bin)"
        )
    return found


def run(
    user: str | None, *command: object, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run a tool as `user`; a failure is a failed step, with the tool's own message."""
    done = subprocess.run(  # noqa: S603 - our own tools and arguments
        [str(part) for part in command],
        capture_output=True, text=True, check=False, user=user, env=env,
    )  # fmt: skip
    if done.returncode != 0:
        raise DrillError(STEP_FAILED, f"{Path(str(command[0])).name} failed: {done.stderr.strip()}")
    return done


def own(path: Path, user: str | None) -> None:
    """Give a file or folder to the server's user."""
    if user:
        account = pwd.getpwnam(user)
        os.chown(path, account.pw_uid, account.pw_gid)


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def conf_lines(settings: dict[str, str]) -> str:
    """`postgresql.conf` lines for settings (values quoted, quotes doubled)."""
    return "".join(
        f"{key} = '{value.replace(chr(39), chr(39) * 2)}'\n" for key, value in settings.items()
    )


def base_backup_major(base_backup: Path) -> str:
    """The major version a base backup was taken from; refuses a folder that is not one."""
    if not (base_backup / "backup_label").exists() or not (base_backup / "PG_VERSION").exists():
        raise DrillError(CANNOT_START, f"{base_backup} is not a base backup (no backup_label)")
    return (base_backup / "PG_VERSION").read_text().strip()


def without_old_cluster_paths(conf: str, data: Path) -> str:
    """A copied postgresql.conf with the old cluster's file paths commented out; refuses an
    `include` of a file the restored folder does not have (Debian's `conf.d`)."""
    lines = []
    for line in conf.splitlines(keepends=True):
        include = _INCLUDE_LINE.match(line)
        if include and not (data / include.group(2)).exists():
            raise DrillError(
                CANNOT_START,
                f"postgresql.conf includes {include.group(2)!r}, which the base backup lacks: "
                "copy it in beside postgresql.conf, or remove the line",
            )
        old_path = _OLD_PATH_LINE.match(line)
        lines.append(f"# the old cluster's, not ours (pitr_drill.py): {line}" if old_path else line)
    return "".join(lines)


@dataclass
class RestorePlan:
    """What to restore where: base backup + archive into an empty data folder."""

    base_backup: Path
    archive: Path
    data: Path
    port: int
    target: dict[str, str]
    # A scratch copy (the drill): no TCP, local trust only, archiving off.
    scratch: bool
    # A restored primary goes on archiving (a new timeline) unless told not to.
    archive_after: bool = True
    database: str = "postgres"
    role: str = "postgres"
    recovery_timeout: float = 3600
    pg_bin: Path | None = None
    os_user: str | None = None


@dataclass
class RestoredServer:
    """A cluster being restored from a base backup: its folder, port and tools."""

    plan: RestorePlan
    pg_bin: Path
    user: str | None

    @property
    def data(self) -> Path:
        """The restored data folder."""
        return self.plan.data

    @property
    def url(self) -> str:
        """Over the server's Unix socket (in its data folder), as the plan's role."""
        plan = self.plan
        socket_dir = quote(str(plan.data), safe="")
        return f"postgresql:///{plan.database}?host={socket_dir}&port={plan.port}&user={plan.role}"

    @property
    def log(self) -> Path:
        """The server's log file."""
        return self.data / "restore.log"

    def log_tail(self, lines: int = 15) -> str:
        """The end of the server's log, to say why a restore failed."""
        if not self.log.exists():
            return "(no server log)"
        return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])

    def start(self) -> None:
        """Start the server; it replays the archive before it accepts writes."""
        options = f"-p {self.plan.port} -k {shlex.quote(str(self.data))}"
        if self.plan.scratch:
            options += " -c listen_addresses=''"
        done = subprocess.run(  # noqa: S603 - our own tools and arguments
            [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
             "-o", options, "-w", "-t", "120", "start"],
            capture_output=True, text=True, check=False, user=self.user,
        )  # fmt: skip
        # A long replay with hot_standby off outlasts pg_ctl's wait; only a dead server failed.
        if done.returncode != 0 and not (self.data / "postmaster.pid").exists():
            raise DrillError(STEP_FAILED, f"the restored server did not start:\n{self.log_tail()}")

    def wait_promoted(self) -> None:
        """Wait until recovery has ended and the server is a primary."""
        deadline = time.monotonic() + self.plan.recovery_timeout
        while time.monotonic() < deadline:
            try:
                if psql(self.url, "SELECT pg_is_in_recovery()") == ["f"]:
                    return
            except subprocess.CalledProcessError:
                if not (self.data / "postmaster.pid").exists():
                    break  # the server gave up (a recovery target it never reached, say)
            time.sleep(0.2)
        raise DrillError(STEP_FAILED, f"recovery did not finish:\n{self.log_tail()}")

    def replayed_segment(self) -> str:
        """The segment recovery ended in (the end of the last record it replayed)."""
        return psql(self.url, "SELECT pg_walfile_name(pg_last_wal_replay_lsn())")[0]

    def stop(self) -> None:
        """Stop the server (fast: a scratch copy has nothing to wait for)."""
        subprocess.run(  # noqa: S603
            [str(self.pg_bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"],
            capture_output=True, check=False, user=self.user,
        )  # fmt: skip


def _write(path: Path, text: str, user: str | None, mode: str = "w") -> None:
    with path.open(mode) as file:
        file.write(text)
    own(path, user)


def _refuse_unusable(plan: RestorePlan) -> None:
    if (plan.data / "PG_VERSION").exists():
        raise DrillError(
            CANNOT_START, f"{plan.data} holds a cluster; restore only into an empty folder"
        )
    missing = [
        name
        for name in ("postgresql.conf", "pg_hba.conf")
        if not (plan.base_backup / name).exists()
    ]
    if missing and not plan.scratch:
        raise DrillError(
            CANNOT_START,
            f"{plan.base_backup} has no {' or '.join(missing)} (Debian keeps them in "
            "/etc/postgresql): copy the server's configuration files into the base backup",
        )


def _configure(plan: RestorePlan, user: str | None) -> None:
    data = plan.data
    if plan.scratch:
        _write(data / "pg_hba.conf", "local all all trust\n", user)
    for name in ("postgresql.conf", "pg_ident.conf"):  # the drill's copy may lack them
        _write(data / name, "", user, mode="a")
    conf = data / "postgresql.conf"
    _write(conf, without_old_cluster_paths(conf.read_text(), data), user)
    settings = {
        "restore_command": restore_command(plan.archive),
        "recovery_target_action": "promote",
        **plan.target,
    }
    if plan.scratch or not plan.archive_after:
        settings["archive_mode"] = "off"  # its new timeline must not go into the real archive
    _write(data / "postgresql.auto.conf", "# pitr_drill.py\n" + conf_lines(settings), user, "a")
    _write(data / "recovery.signal", "", user)


def prepare_restore(plan: RestorePlan, user: str | None) -> None:
    """Copy the base backup into the empty data folder and configure recovery from the archive."""
    _refuse_unusable(plan)
    plan.data.mkdir(mode=0o700, parents=True, exist_ok=True)
    own(plan.data, user)
    run(user, "cp", "-a", f"{plan.base_backup}/.", plan.data)
    _configure(plan, user)


def _check_replayed_all(server: RestoredServer, newest: str) -> None:
    replayed = server.replayed_segment()
    if position(replayed) < position(newest):
        server.stop()
        raise DrillError(
            STEP_FAILED,
            f"recovery ended in segment {position(replayed)} but the archive holds segments up "
            f"to {newest}: one in between is missing or damaged, so the writes after it are not "
            f"here. The server was stopped; restore again into an empty folder once the archive "
            f"is whole.\n{server.log_tail()}",
        )


def restore_server(plan: RestorePlan) -> RestoredServer:
    """Restore as planned, start the server and wait until it has replayed and been promoted;
    with no recovery target, check that it replayed everything the archive held."""
    user = os_user(plan.os_user)
    tools = pg_bin(plan.pg_bin, base_backup_major(plan.base_backup))
    newest = check_archive(plan.archive, plan.base_backup)
    server = RestoredServer(plan=plan, pg_bin=tools, user=user)
    prepare_restore(plan, user)
    server.start()
    try:
        server.wait_promoted()
    except DrillError:
        if plan.scratch:
            server.stop()
        raise
    if not plan.target:
        _check_replayed_all(server, newest)
    return server
