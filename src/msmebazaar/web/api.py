"""The web portal as the app mounts it: pages at the root, beside the API under /api/v1.

`msmebazaar serve --service web` serves only the pages (with health, metrics and static files);
the services whose functions the pages call run their start-up hooks there too (`uses`).
"""

from __future__ import annotations

from msmebazaar.services import ServiceSpec
from msmebazaar.web.routes import build_router

SERVICE = ServiceSpec(
    name="web",
    routers=[build_router()],
    prefix="",
    uses=("auth", "msme", "valuation", "match", "admin"),
)
