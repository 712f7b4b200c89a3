"""The WAL archive: the commands that fill and read it, and what it holds."""

from __future__ import annotations

import re
import shlex
import time
from pathlib import Path

from drills.errors import CANNOT_START, STEP_FAILED, DrillError

# A WAL segment's name: timeline, then log and segment number (the position), 8 hex digits each.
SEGMENT_NAME = re.compile(r"[0-9A-F]{24}")
# The only tools archive_command runs: POSIX, and BusyBox applets in the postgres:*-alpine image
# (BusyBox's `sync FILE` fsyncs each FILE, or without FEATURE_SYNC_FANCY syncs everything).
ARCHIVE_TOOLS = ("cp", "cmp", "mv", "sync")


def _placeholder_safe(text: str) -> str:
    # PostgreSQL reads %p, %f and %% in these commands: a % of the folder's own must be doubled.
    return text.replace("%", "%%")


def archive_command(archive: str) -> str:
    """The `archive_command` for a folder: copy under a temporary name, flush, rename, flush the
    folder, so a half-written segment is never visible and a renamed one survives a power cut;
    refuse to overwrite a segment unless it is the same file again (PostgreSQL may re-archive one
    after a crash). Every step is chained with `&&`: a missing tool fails the command loudly."""
    folder = _placeholder_safe(shlex.quote(archive))
    final = f"{folder}/%f"
    return (
        f"if [ -f {final} ]; then cmp -s %p {final}; "
        f"else cp %p {final}.part && sync {final}.part && mv {final}.part {final} "
        f"&& sync {folder}; fi"
    )


def restore_command(archive: Path) -> str:
    """The `restore_command` that reads segments back from the archive folder."""
    return f"cp {_placeholder_safe(shlex.quote(str(archive.resolve())))}/%f %p"


def archiving_settings(archive: str, timeout_seconds: int = 60) -> dict[str, str]:
    """Server settings that archive every segment, and one at least every `timeout_seconds`."""
    return {
        "wal_level": "replica",
        "archive_mode": "on",
        "archive_command": archive_command(archive),
        "archive_timeout": f"{timeout_seconds}s",
    }


def position(segment: str) -> str:
    """Where a segment lies in the WAL, whatever its timeline (log and segment number)."""
    return segment[8:24]


def newest_segment(archive: Path) -> str | None:
    """The archived segment furthest along the WAL (None when there is none)."""
    names = [path.name for path in archive.iterdir() if SEGMENT_NAME.fullmatch(path.name)]
    return max(names, key=lambda name: (position(name), name[:8])) if names else None


def backup_start_segment(base_backup: Path) -> str:
    """The segment a base backup starts in (`START WAL LOCATION` in its backup_label)."""
    label = (base_backup / "backup_label").read_text()
    found = re.search(r"^START WAL LOCATION: \S+ \(file ([0-9A-F]{24})\)", label, re.MULTILINE)
    if not found:
        raise DrillError(CANNOT_START, f"{base_backup}/backup_label names no start segment")
    return found.group(1)


def check_archive(archive: Path, base_backup: Path) -> str:
    """The newest segment of an archive that goes on from the base backup; refuses a missing or
    empty one, with which a restore would silently bring back the base backup alone."""
    if not archive.is_dir():
        raise DrillError(CANNOT_START, f"the WAL archive {archive} does not exist (--archive)")
    start = backup_start_segment(base_backup)
    newest = newest_segment(archive)
    if newest is None or position(newest) < position(start):
        raise DrillError(
            CANNOT_START,
            f"the WAL archive {archive} holds no segment from the base backup's start ({start}) "
            "on: the restore would hold the base backup alone, none of the writes since",
        )
    return newest


def wait_archived(archive: Path, segment: str, timeout: float) -> float:
    """Seconds until `segment` is in the archive folder (at most `timeout`)."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if (archive / segment).exists():
            return round(time.monotonic() - started, 3)
        time.sleep(0.2)
    raise DrillError(
        STEP_FAILED,
        f"WAL segment {segment} did not reach {archive} within {timeout:.0f} s: check "
        "archive_command in the source's log (pg_stat_archiver.last_failed_wal)",
    )
