"""Webhook signatures, checked as each provider defines them, in constant time.

- Meta: `X-Hub-Signature-256: sha256=<hex>`, HMAC-SHA256 of the raw body with the app secret.
- Twilio: `X-Twilio-Signature`, base64 HMAC-SHA1 with the auth token of the full public URL
  followed by every form field's name and value, sorted by name (then value). The URL is the
  one Twilio called: `PUBLIC_BASE_URL` + path (+ query), so it holds behind a proxy. As in
  Twilio's own libraries, the URL is also tried with its default port added or removed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections import defaultdict
from collections.abc import Iterable
from urllib.parse import urlsplit, urlunsplit

from msmebazaar.whatsapp.exceptions import WebhookSignatureError

META_PREFIX = "sha256="


def meta_signature(secret: str, body: bytes) -> str:
    """The hex HMAC-SHA256 of `body` keyed with the app secret."""
    return hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def verify_meta(secret: str | None, body: bytes, header: str | None) -> None:
    """Raise `WebhookSignatureError` unless `header` signs `body` with `secret`."""
    if not secret:
        raise WebhookSignatureError("not_configured", "Webhook signatures cannot be checked.")
    if not header:
        raise WebhookSignatureError("missing_signature")
    given = header.strip()
    if not given.lower().startswith(META_PREFIX):
        raise WebhookSignatureError("bad_signature")
    expected = meta_signature(secret, body)
    if not hmac.compare_digest(given[len(META_PREFIX) :].lower().encode(), expected.encode()):
        raise WebhookSignatureError("bad_signature")


def twilio_signature(auth_token: str, url: str, fields: Iterable[tuple[str, str]]) -> str:
    """Twilio's signature of a request to `url` with these form fields."""
    values: defaultdict[str, set[str]] = defaultdict(set)
    for name, value in fields:
        values[name].add(value)
    signed = url + "".join(
        name + value for name in sorted(values) for value in sorted(values[name])
    )
    digest = hmac.new(auth_token.encode(), signed.encode(), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _port_variants(url: str) -> list[str]:
    parts = urlsplit(url)
    default = 443 if parts.scheme == "https" else 80
    host = parts.hostname or ""
    if parts.port is None:
        other = parts._replace(netloc=f"{parts.netloc}:{default}")
    else:
        netloc = parts.netloc.rsplit(":", 1)[0] if ":" in parts.netloc else host
        other = parts._replace(netloc=netloc)
    return [url, urlunsplit(other)]


def verify_twilio(
    auth_token: str | None, url: str, fields: list[tuple[str, str]], header: str | None
) -> None:
    """Raise `WebhookSignatureError` unless `header` is Twilio's signature of this request."""
    if not auth_token:
        raise WebhookSignatureError("not_configured", "Webhook signatures cannot be checked.")
    if not header:
        raise WebhookSignatureError("missing_signature")
    given = header.strip().encode()
    matches = [
        hmac.compare_digest(given, twilio_signature(auth_token, candidate, fields).encode())
        for candidate in _port_variants(url)
    ]
    if not any(matches):
        raise WebhookSignatureError("bad_signature")
