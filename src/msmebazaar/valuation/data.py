"""The versioned valuation data file: every parameter of the engine, loaded and validated.

Files live in `valuation/data/valuation-<version>.json`. The newest version is the one in use;
older files stay so a stored valuation can be recomputed from the version it names. Changing a
figure is a new file with a new `data_version`, never a code change. From 2026.12.1 a file also
carries `private_market` (what small private businesses sell for); the engine values on it when
present and on listed multiples less discounts when not, so older versions recompute unchanged.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import cache
from importlib import resources
from typing import Any, Literal

_FILE_RE = re.compile(r"^valuation-(?P<version>[0-9]{4}\.[0-9]{2}\.[0-9]+)\.json$")
WEIGHTED_METHODS = ("ebitda_multiple", "dcf", "revenue_multiple", "net_assets")
# With three complete years on a verified profile high/low must stay within 1.8:
# (1 + s) / (1 - s) <= 1.8  <=>  s <= 2/7.
_MAX_FULL_DATA_SPREAD = Decimal(2) / Decimal(7)
CONFIDENCE_PARTS = ("completeness", "history", "verification", "documents", "agreement")
Basis = Literal["sde", "ebitda"]  # owner's earnings, or EBITDA


class DataFileError(ValueError):
    """The data file is missing, malformed or inconsistent."""


@dataclass(frozen=True, slots=True)
class Industry:
    name: str
    n_firms: int
    ev_ebitda_positive: Decimal | None
    ev_ebitda_all: Decimal | None


@dataclass(frozen=True, slots=True)
class SectorMapping:
    code: str
    industry: str
    fallback: str | None
    asset_heavy: bool
    typical_ebitda_margin: Decimal


@dataclass(frozen=True, slots=True)
class ResolvedMultiple:
    """The multiple a sector uses, after fall-back for thin industries and the outlier cap."""

    requested_industry: str
    industry: str
    n_firms: int
    multiple: Decimal
    capped_multiple: Decimal
    fell_back: bool


@dataclass(frozen=True, slots=True)
class Parameters:
    risk_free_rate: Decimal
    risk_free_as_of: str
    equity_risk_premium: Decimal
    small_company_premium: Decimal
    long_run_growth: Decimal
    tax_rate: Decimal
    reinvestment_rate: Decimal
    growth_floor: Decimal
    growth_cap: Decimal
    projection_years: int
    multiple_cap: Decimal
    min_industry_firms: int
    illiquidity_discount: Decimal
    size_small_revenue: int
    size_small_discount: Decimal
    size_large_revenue: int
    size_large_discount: Decimal
    market_wage: int
    asset_haircut: Decimal
    asset_haircut_low: Decimal
    asset_haircut_high: Decimal
    normalisation_weights: tuple[int, ...]
    multiple_band: Decimal
    revenue_band: Decimal
    discount_rate_points: Decimal
    thin_margin: Decimal
    max_revenue: int
    weights: dict[str, dict[str, Decimal]]
    range: dict[str, Decimal]
    confidence: dict[str, Decimal]

    @property
    def discount_rate(self) -> Decimal:
        """Cost of equity: risk-free rate + equity risk premium + small-company premium."""
        return self.risk_free_rate + self.equity_risk_premium + self.small_company_premium


@dataclass(frozen=True, slots=True)
class MultipleBand:
    """What small private businesses of one size sell for: a range and its typical multiple."""

    earnings: int  # the annual profit (SDE or EBITDA, see basis) this band is quoted at
    basis: Basis
    low: Decimal
    typical: Decimal
    high: Decimal
    evidence: tuple[str, ...]  # source ids


@dataclass(frozen=True, slots=True)
class SectorGroup:
    code: str
    name: str
    bands: tuple[MultipleBand, ...]  # by increasing earnings


@dataclass(frozen=True, slots=True)
class PrivateMarket:
    """The private-market calibration (data files from 2026.12.1): see the data README."""

    owner_operated_below: int
    general_group: str
    groups: dict[str, SectorGroup]
    sector_groups: dict[str, str]
    agree_within: Decimal
    disagree_at: Decimal

    def group_of(self, sector: str) -> SectorGroup:
        return self.groups[self.sector_groups[sector]]


@dataclass(frozen=True, slots=True)
class ValuationData:
    version: str
    published: str
    parameters: Parameters
    sectors: dict[str, SectorMapping]
    industries: dict[str, Industry]
    market_industry: str
    sources: tuple[dict[str, str], ...]
    # None in files before 2026.12.1: those value on listed multiples less size and
    # illiquidity discounts, and stored valuations of theirs still recompute that way.
    private_market: PrivateMarket | None = None

    def resolve_multiple(self, sector: str) -> ResolvedMultiple:
        """The EV/EBITDA multiple for one of our sector codes (KeyError when unmapped)."""
        mapping = self.sectors[sector]
        chosen = self.industries[mapping.industry]
        fell_back = not _usable(chosen, self.parameters.min_industry_firms)
        if fell_back:
            name = mapping.fallback or self.market_industry
            chosen = self.industries[name]
            if not _usable(chosen, 1):
                chosen = self.industries[self.market_industry]
        multiple = chosen.ev_ebitda_positive
        assert multiple is not None  # noqa: S101 - guaranteed by validation of the market row
        return ResolvedMultiple(
            requested_industry=mapping.industry,
            industry=chosen.name,
            n_firms=chosen.n_firms,
            multiple=multiple,
            capped_multiple=min(multiple, self.parameters.multiple_cap),
            fell_back=fell_back,
        )


def _usable(industry: Industry, min_firms: int) -> bool:
    return industry.ev_ebitda_positive is not None and industry.n_firms >= min_firms


def _decimal(raw: Any, where: str) -> Decimal:
    if isinstance(raw, dict):
        raw = raw.get("value")
    if isinstance(raw, bool) or not isinstance(raw, str | int):
        raise DataFileError(f"{where}: expected a number as a string, got {raw!r}")
    try:
        value = Decimal(str(raw))
    except InvalidOperation as exc:
        raise DataFileError(f"{where}: not a number: {raw!r}") from exc
    if not value.is_finite():
        raise DataFileError(f"{where}: not finite")
    return value


def _rate(raw: Any, where: str, low: str = "-1", high: str = "1") -> Decimal:
    value = _decimal(raw, where)
    if not Decimal(low) <= value <= Decimal(high):
        raise DataFileError(f"{where}: {value} outside [{low}, {high}]")
    return value


def _decimals(raw: Any, where: str) -> dict[str, Decimal]:
    if not isinstance(raw, dict):
        raise DataFileError(f"{where}: expected an object")
    return {key: _decimal(value, f"{where}.{key}") for key, value in raw.items()}


def _weights(raw: Any) -> dict[str, dict[str, Decimal]]:
    profiles = {}
    for name in (
        "earnings",
        "earnings_asset_heavy",
        "revenue_assets",
        "revenue_assets_asset_heavy",
    ):
        weights = _decimals(raw.get(name) if isinstance(raw, dict) else None, f"weights.{name}")
        if set(weights) != set(WEIGHTED_METHODS) or sum(weights.values()) != 1:
            raise DataFileError(f"weights.{name}: give all four methods, summing to 1")
        if any(weight < 0 for weight in weights.values()):
            raise DataFileError(f"weights.{name}: weights cannot be negative")
        profiles[name] = weights
    return profiles


def _range(raw: Any) -> dict[str, Decimal]:
    spread = _decimals(raw, "range")
    needed = {"base_spread", "per_missing_year", "unverified", "incomplete", "disagreement"}
    needed |= {"industry_fallback", "max_spread"}
    if missing := needed - set(spread):
        raise DataFileError(f"range: missing {sorted(missing)}")
    widest_full = spread["base_spread"] + spread["disagreement"] + spread["industry_fallback"]
    if widest_full > _MAX_FULL_DATA_SPREAD:
        raise DataFileError("range: with full data high/low could exceed 1.8")
    if not spread["base_spread"] <= spread["max_spread"] < 1:
        raise DataFileError("range: max_spread must lie in [base_spread, 1)")
    return spread


def _parameters(raw: dict[str, Any]) -> Parameters:
    size = raw["size_discount"]
    haircut = raw["asset_haircut"]
    bands = raw["method_bands"]
    confidence = _decimals(raw["confidence"], "confidence")
    parts = [*CONFIDENCE_PARTS, *(["cross_check"] if "cross_check" in confidence else [])]
    if sum(confidence[part] for part in parts) != 1:
        raise DataFileError(f"confidence: the parts {parts} must sum to 1")
    parameters = Parameters(
        risk_free_rate=_rate(raw["risk_free_rate"], "risk_free_rate", "0", "0.25"),
        risk_free_as_of=str(raw["risk_free_rate"]["as_of"]),
        equity_risk_premium=_rate(raw["equity_risk_premium"], "equity_risk_premium", "0", "0.3"),
        small_company_premium=_rate(raw["small_company_premium"], "small_company_premium", "0"),
        long_run_growth=_rate(raw["long_run_growth"], "long_run_growth", "0", "0.2"),
        tax_rate=_rate(raw["tax_rate"], "tax_rate", "0", "0.6"),
        reinvestment_rate=_rate(raw["reinvestment_rate"], "reinvestment_rate", "0", "0.9"),
        growth_floor=_rate(raw["growth_floor"], "growth_floor", "-0.5", "0"),
        growth_cap=_rate(raw["growth_cap"], "growth_cap", "0", "1"),
        projection_years=int(raw["projection_years"]),
        multiple_cap=_decimal(raw["multiple_cap"], "multiple_cap"),
        min_industry_firms=int(raw["min_industry_firms"]),
        illiquidity_discount=_rate(raw["illiquidity_discount"], "illiquidity_discount", "0"),
        size_small_revenue=int(size["small"]["revenue"]),
        size_small_discount=_rate(size["small"]["discount"], "size_discount.small", "0"),
        size_large_revenue=int(size["large"]["revenue"]),
        size_large_discount=_rate(size["large"]["discount"], "size_discount.large", "0"),
        market_wage=int(raw["market_wage"]["value"]),
        asset_haircut=_rate(haircut, "asset_haircut", "0"),
        asset_haircut_low=_rate(haircut["low"], "asset_haircut.low", "0"),
        asset_haircut_high=_rate(haircut["high"], "asset_haircut.high", "0"),
        normalisation_weights=tuple(int(w) for w in raw["normalisation_weights"]),
        multiple_band=_rate(bands["multiple"], "method_bands.multiple", "0", "0.9"),
        revenue_band=_rate(bands["revenue"], "method_bands.revenue", "0", "0.9"),
        discount_rate_points=_rate(bands["discount_rate_points"], "discount_rate_points", "0"),
        thin_margin=_rate(raw["thin_margin"], "thin_margin", "0"),
        max_revenue=int(raw["max_revenue"]),
        weights=_weights(raw["weights"]),
        range=_range(raw["range"]),
        confidence=confidence,
    )
    _check_consistency(parameters)
    return parameters


def _check_consistency(p: Parameters) -> None:
    if p.discount_rate - p.discount_rate_points <= p.long_run_growth:
        raise DataFileError("the discount rate (less its band) must exceed long-run growth")
    if not p.growth_floor <= p.long_run_growth <= p.growth_cap:
        raise DataFileError("long-run growth must lie within [growth_floor, growth_cap]")
    if not 0 < p.size_small_revenue < p.size_large_revenue:
        raise DataFileError("size_discount: anchors must be increasing revenues")
    if not p.asset_haircut_high <= p.asset_haircut <= p.asset_haircut_low:
        raise DataFileError("asset_haircut: need high <= value <= low")
    if p.projection_years < 2 or not p.normalisation_weights or p.multiple_cap <= 0:
        raise DataFileError("projection_years >= 2, normalisation weights and a positive cap")


def _industries(raw: Any) -> dict[str, Industry]:
    industries = {}
    for name, row in raw.items():
        multiples = [row.get("ev_ebitda_positive"), row.get("ev_ebitda_all")]
        positive, every = (
            None if value is None else _decimal(value, f"industries.{name}") for value in multiples
        )
        if positive is not None and positive <= 0:
            raise DataFileError(f"industries.{name}: multiples must be positive")
        industries[name] = Industry(name, int(row["n_firms"]), positive, every)
    return industries


def _sectors(raw: Any, industries: dict[str, Industry]) -> dict[str, SectorMapping]:
    sectors = {}
    for code, row in raw.items():
        for field in ("industry", "fallback"):
            if row.get(field) is not None and row[field] not in industries:
                raise DataFileError(f"sectors.{code}.{field}: unknown industry {row[field]!r}")
        margin = _rate(row["typical_ebitda_margin"], f"sectors.{code}.margin", "0.01", "0.6")
        sectors[code] = SectorMapping(
            code, row["industry"], row.get("fallback"), bool(row["asset_heavy"]), margin
        )
    return sectors


def _band(raw: Any, where: str, sources: set[str], threshold: int) -> MultipleBand:
    earnings = int(raw["earnings"])
    expected: Basis = "sde" if earnings < threshold else "ebitda"
    if earnings <= 0 or raw["basis"] != expected:
        raise DataFileError(f"{where}: basis must be {expected!r} at earnings {earnings}")
    band = MultipleBand(
        earnings=earnings,
        basis=expected,
        low=_decimal(raw["low"], f"{where}.low"),
        typical=_decimal(raw["typical"], f"{where}.typical"),
        high=_decimal(raw["high"], f"{where}.high"),
        evidence=tuple(str(source) for source in raw["evidence"]),
    )
    if not 0 < band.low <= band.typical <= band.high:
        raise DataFileError(f"{where}: need 0 < low <= typical <= high")
    if not band.evidence or set(band.evidence) - sources:
        raise DataFileError(f"{where}: evidence must name sources of this file")
    return band


def _group(code: str, raw: Any, sources: set[str], threshold: int) -> SectorGroup:
    where = f"private_market.groups.{code}"
    bands = tuple(
        _band(row, f"{where}.bands.{index}", sources, threshold)
        for index, row in enumerate(raw["bands"])
    )
    if not bands:
        raise DataFileError(f"{where}: give at least one band")
    for before, after in itertools.pairwise(bands):
        # Rising typical multiples keep the value rising with profit (and across the bands).
        if after.earnings <= before.earnings or after.typical < before.typical:
            raise DataFileError(f"{where}: earnings must rise and typical multiples never fall")
    return SectorGroup(code, str(raw["name"]), bands)


def _private_market(
    raw: Any, parameters: Parameters, sectors: set[str], sources: set[str]
) -> PrivateMarket | None:
    if raw is None:
        return None
    threshold = int(raw["owner_operated_below"]["value"])
    groups = {code: _group(code, row, sources, threshold) for code, row in raw["groups"].items()}
    mapping = {str(code): str(group) for code, group in raw["sector_groups"].items()}
    if set(mapping) != sectors or not set(mapping.values()) <= set(groups):
        raise DataFileError("private_market.sector_groups: map every sector to a known group")
    check = raw["cross_check"]
    market = PrivateMarket(
        owner_operated_below=threshold,
        general_group=str(raw["general_group"]),
        groups=groups,
        sector_groups=mapping,
        agree_within=_decimal(check["agree_within"], "cross_check.agree_within"),
        disagree_at=_decimal(check["disagree_at"], "cross_check.disagree_at"),
    )
    if market.general_group not in groups:
        raise DataFileError("private_market.general_group must name a group")
    if not 1 < market.agree_within < market.disagree_at:
        raise DataFileError("private_market.cross_check: need 1 < agree_within < disagree_at")
    _check_implied_rates(market, parameters)
    return market


def _check_implied_rates(market: PrivateMarket, p: Parameters) -> None:
    # The DCF's implied rate (long-run growth + cash yield of the typical multiple) less its
    # band must stay above long-run growth, or the terminal value has no finite answer.
    cash_share = (1 - p.tax_rate) * (1 - p.reinvestment_rate) * (1 + p.long_run_growth)
    richest = max(band.typical for group in market.groups.values() for band in group.bands)
    if cash_share / richest <= p.discount_rate_points:
        raise DataFileError("private_market: a typical multiple this high leaves no DCF rate")


def parse_data(raw: dict[str, Any]) -> ValuationData:
    """Validate a data file's content; DataFileError names the first problem."""
    try:
        industries = _industries(raw["industries"])
        market = str(raw["market_industry"])
        if market not in industries or industries[market].ev_ebitda_positive is None:
            raise DataFileError("market_industry must name an industry with a multiple")
        parameters = _parameters(raw["parameters"])
        sectors = _sectors(raw["sectors"], industries)
        sources = tuple({k: str(v) for k, v in source.items()} for source in raw["sources"])
        private = _private_market(
            raw.get("private_market"), parameters, set(sectors), {s["id"] for s in sources}
        )
        if (private is None) == ("cross_check" in parameters.confidence):
            raise DataFileError("confidence.cross_check goes with private_market, and only then")
        return ValuationData(
            version=str(raw["data_version"]),
            published=str(raw["published"]),
            parameters=parameters,
            sectors=sectors,
            industries=industries,
            market_industry=market,
            sources=sources,
            private_market=private,
        )
    except (KeyError, TypeError, AttributeError) as exc:
        raise DataFileError(f"malformed data file: {exc!r}") from exc


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


@cache
def available_versions() -> tuple[str, ...]:
    """Every data version shipped with the package, oldest first."""
    folder = resources.files("msmebazaar.valuation") / "data"
    found = [m["version"] for entry in folder.iterdir() if (m := _FILE_RE.match(entry.name))]
    return tuple(sorted(found, key=_version_key))


def current_version() -> str:
    """The data version new valuations use: the newest file."""
    versions = available_versions()
    if not versions:
        raise DataFileError("no valuation data file is installed")
    return versions[-1]


@cache
def load_data(version: str | None = None) -> ValuationData:
    """The data of `version` (default: the current one), validated; cached per process."""
    version = version or current_version()
    if version not in available_versions():
        raise DataFileError(f"no valuation data file for version {version!r}")
    path = resources.files("msmebazaar.valuation") / "data" / f"valuation-{version}.json"
    data = parse_data(json.loads(path.read_text(encoding="utf-8")))
    if data.version != version:
        raise DataFileError(f"file valuation-{version}.json says data_version {data.version}")
    return data


def raw_data(version: str | None = None) -> dict[str, Any]:
    """The data file as JSON (for serving the sectors endpoint)."""
    version = version or current_version()
    path = resources.files("msmebazaar.valuation") / "data" / f"valuation-{version}.json"
    loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return loaded
