"""The portal's static files (CSS, JavaScript): read once, served with a content hash in the URL
so browsers may keep them for a year; no front-end build step."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

STATIC_DIR: Final = Path(__file__).parent / "static"
_CONTENT_TYPES: Final = {
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".svg": "image/svg+xml",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True, slots=True)
class StaticFile:
    """One file: its bytes, type and content hash (the `v` of its URL and its ETag)."""

    name: str
    body: bytes
    content_type: str
    digest: str

    @property
    def url(self) -> str:
        return f"/static/{self.name}?v={self.digest}"


@cache
def static_files() -> dict[str, StaticFile]:
    """Every file in `static/` by name (no folders: nothing else can ever be served)."""
    files = {}
    for path in sorted(STATIC_DIR.iterdir()):
        content_type = _CONTENT_TYPES.get(path.suffix)
        if path.is_file() and content_type:
            body = path.read_bytes()
            digest = hashlib.sha256(body).hexdigest()[:12]
            files[path.name] = StaticFile(path.name, body, content_type, digest)
    return files


def static_url(name: str) -> str:
    """The versioned URL of a static file (KeyError for a file that does not exist)."""
    return static_files()[name].url
