"""MSME classification (DESIGN.md §4): composite limits on investment and turnover.

An enterprise is in the smallest class whose investment limit AND turnover limit it both meets;
exceeding the medium limits on either figure makes it no MSME at all. The limits are the Gazette
notifications' own, kept as a table so history stays answerable: S.O. 2119(E) (26 June 2020, in
force from 1 July 2020) and S.O. 1364(E) (21 March 2025, in force from 1 April 2025).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from msmebazaar.shared.india import CRORE


class Classification(StrEnum):
    MICRO = "micro"
    SMALL = "small"
    MEDIUM = "medium"
    NOT_MSME = "not_msme"
    UNKNOWN = "unknown"


@dataclass(frozen=True, slots=True)
class Limit:
    """The upper limits (inclusive, whole rupees) of one class."""

    classification: Classification
    max_investment: int
    max_turnover: int


@dataclass(frozen=True, slots=True)
class ClassificationRule:
    """One notification's limits, in force from `effective_from`."""

    notification: str
    effective_from: date
    limits: tuple[Limit, ...]  # smallest class first


def _cr(crores: float) -> int:
    return round(crores * CRORE)


RULES: Final[tuple[ClassificationRule, ...]] = (
    ClassificationRule(
        "S.O. 2119(E)",
        date(2020, 7, 1),
        (
            Limit(Classification.MICRO, _cr(1), _cr(5)),
            Limit(Classification.SMALL, _cr(10), _cr(50)),
            Limit(Classification.MEDIUM, _cr(50), _cr(250)),
        ),
    ),
    ClassificationRule(
        "S.O. 1364(E)",
        date(2025, 4, 1),
        (
            Limit(Classification.MICRO, _cr(2.5), _cr(10)),
            Limit(Classification.SMALL, _cr(25), _cr(100)),
            Limit(Classification.MEDIUM, _cr(125), _cr(500)),
        ),
    ),
)


def rule_in_force(on: date) -> ClassificationRule:
    """The notification whose limits apply on `on`; ValueError before 1 July 2020."""
    applicable = [rule for rule in RULES if rule.effective_from <= on]
    if not applicable:
        raise ValueError(f"no composite MSME classification rule was in force on {on}")
    return max(applicable, key=lambda rule: rule.effective_from)


def classify_msme(investment: int | None, turnover: int | None, on: date) -> Classification:
    """Classify by investment in plant and machinery and annual turnover, as on `on`.

    A missing figure gives `unknown`, unless the other one alone already exceeds the medium
    limit: then no value of the missing figure could make the enterprise an MSME.
    """
    rule = rule_in_force(on)
    medium = rule.limits[-1]
    if (investment is not None and investment > medium.max_investment) or (
        turnover is not None and turnover > medium.max_turnover
    ):
        return Classification.NOT_MSME
    if investment is None or turnover is None:
        return Classification.UNKNOWN
    for limit in rule.limits:
        if investment <= limit.max_investment and turnover <= limit.max_turnover:
            return limit.classification
    return Classification.NOT_MSME  # pragma: no cover - the medium check above returns first
