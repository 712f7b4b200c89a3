"""Document storage: the local folder and the S3-compatible bucket behave the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import boto3
import pytest
from moto import mock_aws

from msmebazaar.shared.config import StorageSettings
from msmebazaar.shared.storage import (
    LocalStorage,
    S3Storage,
    Storage,
    StorageKeyError,
    StorageNotFoundError,
    create_storage,
    local_root,
)

BAD_KEYS = ["../escape", "a/../../b", "/etc/passwd", "a//b", "a/./b", "", "a\\b", "a b", "~/x"]


@pytest.fixture
def aws_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "ap-south-1")
    monkeypatch.delenv("AWS_PROFILE", raising=False)


@pytest.fixture
def s3_storage(aws_env: None) -> Iterator[S3Storage]:
    with mock_aws():
        client = boto3.client("s3", region_name="ap-south-1")
        client.create_bucket(
            Bucket="docs", CreateBucketConfiguration={"LocationConstraint": "ap-south-1"}
        )
        yield S3Storage("docs", "/uploads/", client=client)


@pytest.fixture(params=["local", "s3"])
def storage(request: pytest.FixtureRequest, tmp_path: Path) -> Storage:
    if request.param == "local":
        return LocalStorage(tmp_path / "documents")
    s3: S3Storage = request.getfixturevalue("s3_storage")
    return s3


async def test_put_then_get_returns_the_bytes(storage: Storage) -> None:
    await storage.put("msmes/1/doc", b"%PDF-1.7 hello", "application/pdf")

    assert await storage.get("msmes/1/doc") == b"%PDF-1.7 hello"


async def test_put_replaces_what_was_there(storage: Storage) -> None:
    await storage.put("a/b", b"one", "text/plain")
    await storage.put("a/b", b"two", "text/plain")

    assert await storage.get("a/b") == b"two"


async def test_get_of_a_missing_key_raises_not_found(storage: Storage) -> None:
    with pytest.raises(StorageNotFoundError):
        await storage.get("nothing/here")


async def test_delete_removes_and_is_idempotent(storage: Storage) -> None:
    await storage.put("gone", b"x", "text/plain")

    await storage.delete("gone")
    await storage.delete("gone")

    with pytest.raises(StorageNotFoundError):
        await storage.get("gone")


@pytest.mark.parametrize("key", BAD_KEYS)
async def test_keys_cannot_escape_the_root(storage: Storage, key: str) -> None:
    with pytest.raises(StorageKeyError):
        await storage.put(key, b"x", "text/plain")
    with pytest.raises(StorageKeyError):
        await storage.get(key)


async def test_local_files_land_inside_the_folder(tmp_path: Path) -> None:
    storage = LocalStorage(tmp_path / "documents")

    await storage.put("msmes/42/file", b"data", "application/pdf")

    assert (tmp_path / "documents" / "msmes" / "42" / "file").read_bytes() == b"data"
    assert not list((tmp_path / "documents" / "msmes" / "42").glob(".*.part"))


async def test_a_symlink_out_of_the_folder_is_refused(tmp_path: Path) -> None:
    root = tmp_path / "documents"
    root.mkdir()
    (tmp_path / "outside").mkdir()
    (root / "link").symlink_to(tmp_path / "outside")
    storage = LocalStorage(root)

    with pytest.raises(StorageKeyError):
        await storage.put("link/secret", b"x", "text/plain")
    assert not (tmp_path / "outside" / "secret").exists()


async def test_s3_objects_carry_the_prefix_and_content_type(s3_storage: S3Storage) -> None:
    await s3_storage.put("msmes/1/doc", b"%PDF-", "application/pdf")

    head = s3_storage.client.head_object(Bucket="docs", Key="uploads/msmes/1/doc")
    assert head["ContentType"] == "application/pdf"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("file://var/documents", Path("var/documents")),
        ("file:///srv/msmebazaar/documents", Path("/srv/msmebazaar/documents")),
    ],
)
def test_file_urls_may_be_relative_or_absolute(url: str, expected: Path) -> None:
    assert local_root(url) == expected
    storage = create_storage(StorageSettings(url=url))
    assert isinstance(storage, LocalStorage)
    assert storage.root == expected.resolve()


def test_s3_url_names_bucket_prefix_and_endpoint(aws_env: None) -> None:
    storage = create_storage(
        StorageSettings(url="s3://msme-docs/prod/files", s3_endpoint_url="http://127.0.0.1:9000")
    )

    assert isinstance(storage, S3Storage)
    assert (storage.bucket, storage.prefix) == ("msme-docs", "prod/files")
    assert storage.client.meta.endpoint_url == "http://127.0.0.1:9000"


@pytest.mark.parametrize("url", ["ftp://host/x", "s3://", "file://", "var/documents"])
def test_unknown_storage_urls_are_refused(url: str) -> None:
    with pytest.raises(ValueError, match="STORAGE_URL"):
        create_storage(StorageSettings(url=url))
