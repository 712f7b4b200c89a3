"""Ranking quality on the labelled evaluation set (tests/match/evaluation.py), default embedder.

Measured with wordllama (default weights): nDCG@10 0.759, precision@5 0.570 (relevance ≥ 2; the
best possible precision@5 on this set is 0.78, as some mandates have fewer than five relevant
listings). The floors sit a little below: the set is seeded, so only a real change moves them.
"""

from __future__ import annotations

import statistics

import numpy as np

from msmebazaar.match.embedders import Embedder, WordLlamaEmbedder
from msmebazaar.match.engine import ListingTable, MandateTable, ScoringParams, score_pairs, top
from tests.match.evaluation import build_listings, build_mandates, ndcg_at, relevance
from tests.match.helpers import WEIGHTS

NDCG_FLOOR = 0.73
PRECISION_FLOOR = 0.53


async def evaluate(embedder: Embedder) -> tuple[float, float]:
    """Mean nDCG@10 and precision@5 over every mandate of the set."""
    listings = build_listings()
    mandates = build_mandates()
    facts = [item for item, _ in listings]
    table = ListingTable.of(facts)
    vectors = await embedder.embed([item.text for item in facts])
    theses = await embedder.embed([m.terms.thesis for m in mandates])
    params = ScoringParams(
        weights=WEIGHTS, current_year=2026, semantic_range=embedder.semantic_range
    )
    ndcgs, precisions = [], []
    for row, mandate in enumerate(mandates):
        gains = [relevance(mandate, item, theme) for item, theme in listings]
        cosine = (vectors @ theses[row]).astype(np.float64)
        scores = score_pairs(
            MandateTable.of([mandate.terms]), 0, table, slice(None), cosine=cosine, params=params
        )
        ranked = [gains[position] for position in top(scores, 10)]
        ndcgs.append(ndcg_at(ranked, gains, 10))
        precisions.append(sum(gain >= 2 for gain in ranked[:5]) / 5)
    return statistics.mean(ndcgs), statistics.mean(precisions)


def test_the_set_has_enough_mandates_listings_and_graded_labels() -> None:
    listings, mandates = build_listings(), build_mandates()
    grades = {relevance(m, item, theme) for m in mandates for item, theme in listings}

    assert len(listings) == 300
    assert len(mandates) >= 30
    assert grades == {0, 1, 2, 3}


async def test_default_embedder_ranking_quality_stays_above_the_floor() -> None:
    ndcg, precision = await evaluate(WordLlamaEmbedder())

    assert ndcg >= NDCG_FLOOR
    assert precision >= PRECISION_FLOOR


async def test_semantic_similarity_improves_the_ranking() -> None:
    class NoMeaning:
        name, provider, dimension, semantic_range = "none", "none", 4, (0.0, 1.0)

        async def embed(self, texts: list[str]) -> np.ndarray:
            return np.zeros((len(texts), 4), np.float32)

    with_meaning, _ = await evaluate(WordLlamaEmbedder())
    without, _ = await evaluate(NoMeaning())  # type: ignore[arg-type]

    assert with_meaning > without + 0.02


async def _report() -> None:  # pragma: no cover - prints the figures for the issue note
    import importlib.util  # noqa: PLC0415

    embedders: list[Embedder] = [WordLlamaEmbedder()]
    if importlib.util.find_spec("sentence_transformers"):
        from msmebazaar.match.embedders import MiniLmEmbedder  # noqa: PLC0415

        embedders.append(MiniLmEmbedder())
    for embedder in embedders:
        ndcg, precision = await evaluate(embedder)
        print(f"{embedder.name}: nDCG@10 {ndcg:.3f}, precision@5 {precision:.3f}")


if __name__ == "__main__":  # pragma: no cover
    import asyncio

    asyncio.run(_report())
