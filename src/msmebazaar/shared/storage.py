"""Where uploaded files live: a local folder by default, S3-compatible object storage in production.

`STORAGE_URL` chooses: `file://var/documents` (relative to the working directory),
`file:///srv/documents` (absolute), or `s3://bucket/prefix` (with the standard `AWS_*` variables and
`S3_ENDPOINT_URL` for MinIO, R2 and the like). Keys are chosen by the application, never by users,
and are still checked so that none can reach outside the folder or prefix.
"""

from __future__ import annotations

import asyncio
import os
import re
import uuid
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import urlsplit

from msmebazaar.shared.config import StorageSettings

# Segments of letters, digits, `.`, `_` and `-`; no empty, `.` or `..` segment.
_KEY_RE = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*(/[A-Za-z0-9_-][A-Za-z0-9._-]*)*")
_MAX_KEY_LENGTH = 255


class StorageKeyError(ValueError):
    """A key that is malformed or would escape the storage root."""


class StorageNotFoundError(KeyError):
    """No object is stored under the key."""


def check_key(key: str) -> str:
    """Return `key` if it is a safe relative key (`a/b/c.pdf`), else raise StorageKeyError."""
    if len(key) > _MAX_KEY_LENGTH or not _KEY_RE.fullmatch(key):
        raise StorageKeyError(f"invalid storage key {key!r}")
    if any(part in {".", ".."} for part in key.split("/")):
        raise StorageKeyError(f"invalid storage key {key!r}")
    return key


class Storage(Protocol):
    """Put, get and delete bytes by key."""

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key`, replacing what was there."""

    async def get(self, key: str) -> bytes:
        """The bytes under `key`; StorageNotFoundError when there are none."""

    async def delete(self, key: str) -> None:
        """Remove `key`; no error when it is already gone."""


class LocalStorage:
    """Files under one folder; writes go to a temporary file first, then are renamed."""

    def __init__(self, root: str | os.PathLike[str]) -> None:
        self.root = Path(root).resolve()

    def _path(self, key: str) -> Path:
        path = (self.root / check_key(key)).resolve()
        if not path.is_relative_to(self.root):  # a symlink inside the root pointing out
            raise StorageKeyError(f"storage key {key!r} leaves the storage folder")
        return path

    def _put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{uuid.uuid4().hex}.part")
        partial.write_bytes(data)
        partial.replace(path)

    def _get(self, key: str) -> bytes:
        try:
            return self._path(key).read_bytes()
        except (FileNotFoundError, IsADirectoryError) as exc:
            raise StorageNotFoundError(key) from exc

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key` (the content type is not kept: callers record it)."""
        await asyncio.to_thread(self._put, key, data)

    async def get(self, key: str) -> bytes:
        """The bytes under `key`."""
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        """Remove `key` if present."""
        await asyncio.to_thread(self._path(key).unlink, missing_ok=True)


class S3Storage:
    """Objects in an S3-compatible bucket under a prefix, through boto3 (run in threads)."""

    def __init__(self, bucket: str, prefix: str = "", client: Any = None, **client_args: Any):
        import boto3  # noqa: PLC0415 - only deployments that use S3 pay for importing boto3

        self.bucket = bucket
        self.prefix = prefix.strip("/")
        self.client = client or boto3.client("s3", **client_args)

    def _object_key(self, key: str) -> str:
        check_key(key)
        return f"{self.prefix}/{key}" if self.prefix else key

    def _get(self, key: str) -> bytes:
        try:
            response = self.client.get_object(Bucket=self.bucket, Key=self._object_key(key))
        except self.client.exceptions.NoSuchKey as exc:
            raise StorageNotFoundError(key) from exc
        body: bytes = response["Body"].read()
        return body

    async def put(self, key: str, data: bytes, content_type: str) -> None:
        """Store `data` under `key` with its content type."""
        await asyncio.to_thread(
            self.client.put_object,
            Bucket=self.bucket,
            Key=self._object_key(key),
            Body=data,
            ContentType=content_type,
        )

    async def get(self, key: str) -> bytes:
        """The bytes under `key`."""
        return await asyncio.to_thread(self._get, key)

    async def delete(self, key: str) -> None:
        """Remove `key` (S3 deletes are idempotent)."""
        await asyncio.to_thread(
            self.client.delete_object, Bucket=self.bucket, Key=self._object_key(key)
        )


def local_root(url: str) -> Path:
    """The folder of a `file://` URL: `file://var/x` is relative, `file:///srv/x` absolute."""
    path = url.removeprefix("file://")
    if not path:
        raise ValueError("STORAGE_URL file:// needs a folder, e.g. file://var/documents")
    return Path(path)


def create_storage(settings: StorageSettings) -> Storage:
    """The storage that `STORAGE_URL` names."""
    url = settings.url.strip()
    if url.startswith("file://"):
        return LocalStorage(local_root(url))
    parts = urlsplit(url)
    if parts.scheme == "s3" and parts.netloc:
        return S3Storage(parts.netloc, parts.path, endpoint_url=settings.s3_endpoint_url or None)
    raise ValueError(f"STORAGE_URL must be file://<folder> or s3://<bucket>/<prefix>, not {url!r}")
