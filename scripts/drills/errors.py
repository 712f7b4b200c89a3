"""Exit statuses of the drills and the error that carries one."""

from __future__ import annotations

VERIFIED, NOT_EQUAL, CANNOT_START, STEP_FAILED = 0, 1, 2, 3


class DrillError(Exception):
    """A drill step failed; `status` is the exit status to report."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
