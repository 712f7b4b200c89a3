"""Stored embeddings: float32 bytes in `match_vectors`, keyed by subject and provider."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession

from msmebazaar.match.embedders import Embedder, Vectors, text_hash
from msmebazaar.match.models import StoredVector
from msmebazaar.shared.db import dialect_insert, utcnow
from msmebazaar.shared.session_source import SessionSource

# Rows per INSERT: well under PostgreSQL's 32,767 bind parameters (6 per row).
_CHUNK = 2000
_WHOLE_TABLE_CHUNKS = 5


def to_bytes(vector: Vectors) -> bytes:
    """A vector as little-endian float32 bytes."""
    return np.asarray(vector, "<f4").tobytes()


def from_bytes(data: bytes, dimension: int) -> Vectors:
    """Bytes stored by `to_bytes` back to a float32 vector."""
    return np.frombuffer(data, "<f4", count=dimension).astype(np.float32)


async def load_vectors(
    session: AsyncSession, subject_type: str, provider: str, ids: Sequence[uuid.UUID] | None
) -> dict[uuid.UUID, tuple[str, bytes]]:
    """Stored (text hash, bytes) by subject id, for `ids` (or every subject when `None`)."""
    statement = select(StoredVector.subject_id, StoredVector.text_hash, StoredVector.vector).where(
        StoredVector.subject_type == subject_type, StoredVector.provider == provider
    )
    found: dict[uuid.UUID, tuple[str, bytes]] = {}
    if ids is None:
        for row in await session.execute(statement):
            found[row.subject_id] = (row.text_hash, row.vector)
        return found
    for start in range(0, len(ids), _CHUNK):
        chunk = list(ids[start : start + _CHUNK])
        for row in await session.execute(statement.where(StoredVector.subject_id.in_(chunk))):
            found[row.subject_id] = (row.text_hash, row.vector)
    return found


async def save_vectors(
    session: AsyncSession,
    subject_type: str,
    embedder: Embedder,
    items: Sequence[tuple[uuid.UUID, str]],
    vectors: Vectors,
) -> None:
    """Insert or replace the vectors of `(subject id, embedded text)` pairs, in chunks."""
    now = utcnow()
    rows: list[dict[str, Any]] = [
        {
            "subject_type": subject_type,
            "subject_id": subject_id,
            "provider": embedder.provider,
            "dimension": int(vectors.shape[1]),
            "text_hash": text_hash(text),
            "vector": to_bytes(vectors[position]),
            "updated_at": now,
        }
        for position, (subject_id, text) in enumerate(items)
    ]
    statement = dialect_insert(session, StoredVector)
    replaced = {
        name: statement.excluded[name]
        for name in ("dimension", "text_hash", "vector", "updated_at")
    }
    upsert = statement.on_conflict_do_update(
        index_elements=["subject_type", "subject_id", "provider"], set_=replaced
    )
    # A list of parameter sets runs as one executemany (insertmanyvalues batches), which is
    # far cheaper to compile than one statement with thousands of VALUES tuples.
    for start in range(0, len(rows), _CHUNK):
        await session.execute(upsert, rows[start : start + _CHUNK])


async def embed_and_save(
    session: AsyncSession,
    subject_type: str,
    embedder: Embedder,
    items: Sequence[tuple[uuid.UUID, str]],
) -> Vectors:
    """Embed the texts, store the vectors and return them (rows in `items` order)."""
    vectors = await embedder.embed([text for _, text in items])
    if items:
        await save_vectors(session, subject_type, embedder, items, vectors)
    return vectors


async def delete_vectors(session: AsyncSession, subject_type: str, subject_id: uuid.UUID) -> None:
    """Forget every stored vector of one subject (all providers)."""
    await session.execute(
        delete(StoredVector).where(
            StoredVector.subject_type == subject_type, StoredVector.subject_id == subject_id
        )
    )


async def current_vectors(
    database: SessionSource,
    subject_type: str,
    embedder: Embedder,
    items: Sequence[tuple[uuid.UUID, str]],
    *,
    reader: AsyncSession | None = None,
) -> Vectors:
    """Vectors of `(id, text)` pairs: stored ones whose text is unchanged, the rest embedded now
    and stored. The embedding (CPU) runs outside any transaction, and the store is a short unit
    of work of its own: on SQLite nothing holds the one writer while it computes. A request
    passes its own session as `reader`, so the common case (every vector stored) takes no second
    pooled connection while the request holds one."""
    # Past a few chunks (an index's full load) one scan of every stored vector beats dozens of
    # IN lists over the same rows.
    ids: list[uuid.UUID] | None = [subject_id for subject_id, _ in items]
    if len(items) > _CHUNK * _WHOLE_TABLE_CHUNKS:
        ids = None
    if reader is not None:
        stored = await load_vectors(reader, subject_type, embedder.provider, ids)
    else:
        async with database.read_session() as session:
            stored = await load_vectors(session, subject_type, embedder.provider, ids)
    rows: list[Vectors | None] = []
    stale: list[tuple[int, tuple[uuid.UUID, str]]] = []
    for position, (subject_id, text) in enumerate(items):
        hit = stored.get(subject_id)
        if hit is not None and hit[0] == text_hash(text):
            rows.append(from_bytes(hit[1], len(hit[1]) // 4))
        else:
            rows.append(None)
            stale.append((position, (subject_id, text)))
    if stale:
        fresh_items = [item for _, item in stale]
        fresh = await embedder.embed([text for _, text in fresh_items])
        async with database.session("store vectors") as session:
            await save_vectors(session, subject_type, embedder, fresh_items, fresh)
        for (position, _), vector in zip(stale, fresh, strict=True):
            rows[position] = vector
    dimension = embedder.dimension or (len(rows[0]) if rows and rows[0] is not None else 0)
    if not rows:
        return np.zeros((0, dimension), np.float32)
    return np.vstack([row for row in rows if row is not None]).astype(np.float32)
