"""Prometheus metrics: one registry for the process; services add their business counters to it."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest
from prometheus_client.exposition import CONTENT_TYPE_LATEST
from prometheus_client.gc_collector import GCCollector
from prometheus_client.platform_collector import PlatformCollector
from prometheus_client.process_collector import ProcessCollector

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

# Buckets around the latency targets (50 ms health ... 1 s valuation).
_LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 0.75, 1.0, 2.5, 5.0, 10.0)

HTTP_REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests answered, by method, route template and status.",
    ["method", "route", "status"],
    registry=REGISTRY,
)
HTTP_LATENCY = Histogram(
    "http_request_duration_seconds",
    "Time to answer an HTTP request, by method, route template and status.",
    ["method", "route", "status"],
    buckets=_LATENCY_BUCKETS,
    registry=REGISTRY,
)
HTTP_IN_FLIGHT = Gauge(
    "http_requests_in_flight",
    "HTTP requests being served now.",
    registry=REGISTRY,
)
SHED = Counter(
    "http_requests_shed_total",
    "Requests refused at once with 503 because the process was at MAX_IN_FLIGHT_REQUESTS.",
    registry=REGISTRY,
)
PUBLIC_CACHE = Counter(
    "http_public_cache_total",
    "Public reads answered from the shared cache (hit) or computed and stored (miss).",
    ["result"],
    registry=REGISTRY,
)
RATE_LIMITED = Counter(
    "http_rate_limited_total",
    "Requests refused by the global per-IP rate limit.",
    registry=REGISTRY,
)
# Refreshed by every readiness check and every scrape of /metrics (shared/health.py), so the
# "readiness failing" alert and the availability SLO see the dependencies as the app does.
DEPENDENCY_UP = Gauge(
    "dependency_up",
    "Whether a dependency answered its last health check (1) or not (0).",
    ["dependency"],
    registry=REGISTRY,
)
DEPENDENCY_LATENCY = Gauge(
    "dependency_latency_seconds",
    "Round trip of a dependency's last successful health check.",
    ["dependency"],
    registry=REGISTRY,
)
DB_POOL_CONNECTIONS = Gauge(
    "db_pool_connections",
    "Database pool connections at the last scrape, by state (in_use, idle, overflow).",
    ["state"],
    registry=REGISTRY,
)
DB_POOL_SIZE = Gauge("db_pool_size", "Connections the database pool keeps.", registry=REGISTRY)


def counter(name: str, documentation: str, labels: tuple[str, ...] = ()) -> Counter:
    """A business counter on the app's registry (services call this once, at import)."""
    return Counter(name, documentation, list(labels), registry=REGISTRY)


def gauge(name: str, documentation: str, labels: tuple[str, ...] = ()) -> Gauge:
    """A business gauge on the app's registry."""
    return Gauge(name, documentation, list(labels), registry=REGISTRY)


def render_latest() -> tuple[bytes, str]:
    """The registry in the Prometheus text format, with its content type."""
    return generate_latest(REGISTRY), CONTENT_TYPE_LATEST
