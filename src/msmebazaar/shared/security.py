"""Who is calling: the client IP (trusting `X-Forwarded-For` only from known proxies)."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from functools import lru_cache

from starlette.datastructures import Headers
from starlette.types import Scope

IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=64)
def parse_networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    """`TRUSTED_PROXIES` entries (addresses or CIDR blocks) as networks."""
    return tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries if entry)


def _is_trusted(address: str, networks: Iterable[IPNetwork]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def client_ip(scope: Scope, trusted_proxies: Sequence[str]) -> str:
    """The caller's address: the TCP peer, or — only when the peer is a trusted proxy — the
    right-most address in `X-Forwarded-For` that is not itself a trusted proxy."""
    peer = (scope.get("client") or ("unknown", 0))[0]
    networks = parse_networks(tuple(trusted_proxies))
    if not networks or not _is_trusted(peer, networks):
        return str(peer)
    forwarded = Headers(scope=scope).get("x-forwarded-for", "")
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _is_trusted(hop, networks):
            return hop if _is_ip(hop) else str(peer)
    return hops[0] if hops and _is_ip(hops[0]) else str(peer)


def _is_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def ip_prefix(address: str | None) -> str | None:
    """The network an address belongs to, as much as a user needs to recognise a sign-in and no
    more: a /24 for IPv4, a /48 for IPv6 (None for anything that is not an IP address)."""
    if not address:
        return None
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return None
    bits = 24 if ip.version == 4 else 48
    return str(ipaddress.ip_network(f"{ip}/{bits}", strict=False))
