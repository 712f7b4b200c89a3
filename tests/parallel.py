"""How `make pytest` shares the suite between pytest-xdist workers (`--dist loadfile`).

Each test file goes to one worker whole, as xdist's loadfile does (module fixtures start once).
The files below go further: all of them to one worker, one after another, as a single unit. They
start real servers and time what those do (faults, restarts, migrations under traffic, SIGTERM),
share one throwaway cluster per worker, or drive Chromium; run side by side they would starve
each other and flake. The longest unit by far, it is sent first and the rest fill the other
workers around it.

(xdist's own `--dist loadgroup` would do this from `xdist_group` marks, but it tags groups by
rewriting node ids, which pytest 9.2 no longer allows: pytest-xdist issue 1386.)
"""

from __future__ import annotations

import pytest
from xdist.scheduler import LoadFileScheduling

SERIAL_GROUP = "serial: real servers and the browser"
SERIAL_PREFIXES = (
    "tests/web/e2e/",
    "tests/proof/test_faults_",
    "tests/proof/test_rolling_restart.py",
    "tests/proof/test_migration_under_load.py",
    "tests/proof/test_pitr_drill.py",
    "tests/proof/test_backup_drill.py",
    "tests/proof/test_concurrency.py",
    "tests/proof/test_fuzz.py",
    "tests/devops/test_sigterm.py",
)


def work_unit(nodeid: str) -> str:
    """The unit a test is scheduled in: the serial group, else its file."""
    path = nodeid.split("::", 1)[0]
    return SERIAL_GROUP if path.startswith(SERIAL_PREFIXES) else path


class SerialGroupScheduling(LoadFileScheduling):  # type: ignore[misc]  # xdist is untyped
    """loadfile, with the serial files sent to one worker as one unit."""

    def _split_scope(self, nodeid: str) -> str:
        return work_unit(nodeid)

    def _assign_work_unit(self, node: object) -> None:
        # The longest unit first, whatever its test count (xdist orders units by that).
        if SERIAL_GROUP in self.workqueue:
            self.workqueue.move_to_end(SERIAL_GROUP, last=False)
        super()._assign_work_unit(node)


def make_scheduler(config: pytest.Config, log: object) -> SerialGroupScheduling | None:
    """Our scheduler for `--dist loadfile`; None leaves any other mode to xdist."""
    if config.getvalue("dist") != "loadfile":
        return None
    return SerialGroupScheduling(config, log)
