"""The match service: mandates, the scoring engine, semantic similarity and ranked matches."""
