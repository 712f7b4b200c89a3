"""The backup drills' modules (scripts/drills/), imported for the tests that run them."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from types import ModuleType

SCRIPTS = Path(__file__).resolve().parents[2] / "scripts"


def drills_module(name: str) -> ModuleType:
    """`scripts/drills/<name>.py`, found as the entry scripts find it (scripts/ on the path)."""
    if str(SCRIPTS) not in sys.path:
        sys.path.insert(0, str(SCRIPTS))
    return importlib.import_module(f"drills.{name}")
