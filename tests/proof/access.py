"""Who may call each route: the one table every new route must be added to.

tests/proof/test_authorization.py enumerates the app's routes and fails on any route missing
here, so nobody adds a route without saying who may call it. Entries for services not built yet
are allowed (they are checked once the service lands); an entry whose service is built but whose
route is gone fails too, so the table never drifts from the app.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Access(enum.Enum):
    OPS = "ops"  # probes, metrics and docs: anyone, never rate limited
    PUBLIC = "public"  # anyone, no token needed
    OPTIONAL = "optional"  # anyone; a token may show more (a bad token is still 401)
    SIGNED_IN = "signed_in"  # any role; what they may touch is decided per resource
    OWNER_ROLE = "owner_role"  # msme_owner (and admin)
    BUYER_ROLE = "buyer_role"  # buyer or investor (and admin)
    ADMIN = "admin"  # admin only
    WEBHOOK = "webhook"  # providers only: no token, a valid signature (403 without)
    NOT_IN_PRODUCTION = "not_in_production"  # anyone, outside production only (404 there)
    # Any role, by token or the portal's cookie, answered with a stream that never ends: the
    # matrix checks only that nobody signed out is served (tests/notifications reads the stream).
    STREAM = "stream"
    # The portal's pages (cookie sessions and CSRF, proved per role in tests/web); here only
    # what an anonymous visitor gets: a page, or a redirect to /signin (a form without its CSRF
    # token is refused first, 403).
    WEB_PUBLIC = "web_public"
    WEB_SIGNED_IN = "web_signed_in"
    WEB_ADMIN = "web_admin"


ROLES = ("msme_owner", "buyer", "investor", "admin")

ALLOWED_ROLES: dict[Access, frozenset[str]] = {
    Access.SIGNED_IN: frozenset(ROLES),
    Access.STREAM: frozenset(ROLES),
    Access.OWNER_ROLE: frozenset({"msme_owner", "admin"}),
    Access.BUYER_ROLE: frozenset({"buyer", "investor", "admin"}),
    Access.ADMIN: frozenset({"admin"}),
}


@dataclass(frozen=True)
class Rule:
    access: Access
    service: str  # the service that owns the route ("kernel" for health, metrics and docs)


def _rules(service: str, access: Access, *routes: str) -> dict[tuple[str, str], Rule]:
    table = {}
    for route in routes:
        method, path = route.split(" ", 1)
        table[(method, path)] = Rule(access, service)
    return table


API = "/api/v1"

ROUTES: dict[tuple[str, str], Rule] = {
    **_rules(
        "kernel",
        Access.OPS,
        "GET /openapi.json",
        "GET /docs",
        "GET /docs/assets/{name}",
        "GET /redoc",
        "GET /health/live",
        "GET /health/ready",
        "GET /health",
        "GET /metrics",
    ),
    # auth
    **_rules(
        "auth",
        Access.PUBLIC,
        f"POST {API}/auth/otp/request",
        f"POST {API}/auth/otp/verify",
        f"POST {API}/auth/token/refresh",
        f"POST {API}/auth/2fa/verify",
        f"GET {API}/auth/oidc/{{provider}}/start",
        f"GET {API}/auth/oidc/{{provider}}/callback",
    ),
    **_rules(
        "auth",
        Access.SIGNED_IN,
        f"POST {API}/auth/logout",
        f"GET {API}/auth/me",
        f"PATCH {API}/auth/me",
        f"GET {API}/auth/sessions",
        f"DELETE {API}/auth/sessions/{{session_id}}",
        f"GET {API}/auth/2fa",
        f"POST {API}/auth/2fa/totp/setup",
        f"POST {API}/auth/2fa/totp/enable",
        f"POST {API}/auth/2fa/totp/disable",
        f"POST {API}/auth/2fa/recovery-codes",
        f"GET {API}/auth/identities",
        f"DELETE {API}/auth/identities/{{provider}}",
    ),
    # msme: deal rooms (their two sides, and admins to read; anyone else 404)
    **_rules(
        "msme",
        Access.SIGNED_IN,
        f"GET {API}/deals",
        f"GET {API}/deals/{{deal_id}}",
        f"GET {API}/deals/{{deal_id}}/nda",
        f"POST {API}/deals/{{deal_id}}/nda/accept",
        f"POST {API}/deals/{{deal_id}}/messages",
        f"GET {API}/deals/{{deal_id}}/messages",
        f"POST {API}/deals/{{deal_id}}/close",
        f"POST {API}/deals/{{deal_id}}/offers",
        f"GET {API}/deals/{{deal_id}}/offers",
        f"POST {API}/offers/{{offer_id}}/accept",
        f"POST {API}/offers/{{offer_id}}/reject",
        f"POST {API}/offers/{{offer_id}}/withdraw",
        f"GET {API}/deals/{{deal_id}}/documents",
        f"GET {API}/deals/{{deal_id}}/documents/{{document_id}}",
        f"GET {API}/deals/{{deal_id}}/document-access",
    ),
    # msme: profiles, financials, documents
    **_rules("msme", Access.PUBLIC, f"GET {API}/msmes/sectors", f"GET {API}/msmes"),
    # DESIGN.md lists GET /msmes/{id} among the signed-in routes; msme serves a verified profile
    # without an anonymous listing to anyone, as GET /msmes already lists it publicly.
    **_rules("msme", Access.OPTIONAL, f"GET {API}/msmes/{{msme_id}}"),
    **_rules("msme", Access.OWNER_ROLE, f"POST {API}/msmes"),
    **_rules(
        "msme",
        Access.SIGNED_IN,
        f"GET {API}/msmes/mine",
        f"PATCH {API}/msmes/{{msme_id}}",
        f"DELETE {API}/msmes/{{msme_id}}",
        f"PUT {API}/msmes/{{msme_id}}/financials/{{fiscal_year}}",
        f"GET {API}/msmes/{{msme_id}}/financials",
        f"POST {API}/msmes/{{msme_id}}/documents",
        f"GET {API}/msmes/{{msme_id}}/documents",
        f"GET {API}/documents/{{document_id}}/download",
    ),
    # msme: listings and interests
    **_rules("msme", Access.PUBLIC, f"GET {API}/listings", f"GET {API}/listings/{{listing_id}}"),
    **_rules("msme", Access.OWNER_ROLE, f"POST {API}/listings"),
    **_rules("msme", Access.BUYER_ROLE, f"POST {API}/listings/{{listing_id}}/interests"),
    **_rules(
        "msme",
        Access.SIGNED_IN,
        f"GET {API}/listings/mine",
        f"PATCH {API}/listings/{{listing_id}}",
        f"POST {API}/listings/{{listing_id}}/submit",
        f"POST {API}/listings/{{listing_id}}/close",
        f"GET {API}/interests/mine",
        f"GET {API}/interests/received",
        f"POST {API}/interests/{{interest_id}}/accept",
        f"POST {API}/interests/{{interest_id}}/decline",
        f"POST {API}/interests/{{interest_id}}/withdraw",
    ),
    # valuation
    **_rules("valuation", Access.PUBLIC, f"GET {API}/valuations/sectors"),
    **_rules(
        "valuation",
        Access.SIGNED_IN,
        f"POST {API}/valuations",
        f"GET {API}/valuations/{{valuation_id}}",
        f"GET {API}/valuations/{{valuation_id}}/report.pdf",
        f"GET {API}/msmes/{{msme_id}}/valuations",
    ),
    # match
    **_rules("match", Access.BUYER_ROLE, f"POST {API}/mandates"),
    **_rules(
        "match",
        Access.SIGNED_IN,
        f"GET {API}/mandates/mine",
        f"GET {API}/mandates/{{mandate_id}}",
        f"PATCH {API}/mandates/{{mandate_id}}",
        f"DELETE {API}/mandates/{{mandate_id}}",
        f"GET {API}/matches/mandates/{{mandate_id}}",
        f"GET {API}/matches/listings/{{listing_id}}",
    ),
    # admin
    **_rules(
        "admin",
        Access.ADMIN,
        f"GET {API}/admin/verifications",
        f"POST {API}/admin/msmes/{{msme_id}}/verify",
        f"POST {API}/admin/msmes/{{msme_id}}/transfer",
        f"POST {API}/admin/listings/{{listing_id}}/moderate",
        f"GET {API}/admin/users",
        f"PATCH {API}/admin/users/{{user_id}}",
        f"GET {API}/admin/analytics/overview",
        f"GET {API}/admin/deals",
        f"GET {API}/admin/analytics/export",
        f"GET {API}/admin/audit-log",
        f"GET {API}/admin/events/failed",
    ),
    # whatsapp
    **_rules(
        "whatsapp",
        Access.WEBHOOK,
        f"GET {API}/whatsapp/webhook",
        f"POST {API}/whatsapp/webhook",
        f"POST {API}/whatsapp/twilio",
        f"POST {API}/whatsapp/twilio/status",
    ),
    **_rules("whatsapp", Access.NOT_IN_PRODUCTION, f"POST {API}/whatsapp/simulate"),
    # notifications: each caller's own (tests/proof/test_idor.py proves nobody else's is reached)
    **_rules(
        "notifications",
        Access.SIGNED_IN,
        f"GET {API}/notifications",
        f"POST {API}/notifications/{{notification_id}}/read",
        f"POST {API}/notifications/read-all",
        f"GET {API}/notifications/preferences",
        f"PATCH {API}/notifications/preferences",
    ),
    **_rules("notifications", Access.STREAM, f"GET {API}/notifications/stream"),
    # web: the portal's pages
    **_rules(
        "web",
        Access.WEB_PUBLIC,
        "GET /",
        "GET /listings/{listing_id}",
        "GET /sectors",
        "GET /sectors/{code}",
        "GET /check/{field}",
        "GET /static/{name}",
        "GET /signin",
        "POST /signin",
        "POST /signin/verify",
        "GET /signin/2fa",
        "POST /signin/2fa",
        "POST /language",
        "GET /valuation",
        "POST /valuation",
    ),
    **_rules(
        "web",
        Access.WEB_SIGNED_IN,
        "POST /listings/{listing_id}/interest",
        "GET /notifications",
        "POST /notifications/{notification_id}/read",
        "POST /notifications/read-all",
        "GET /notifications/preferences",
        "POST /notifications/preferences",
        "POST /signout",
        "GET /welcome",
        "POST /welcome",
        "GET /account",
        "POST /account",
        "POST /account/sessions/{session_id}/end",
        "POST /account/2fa/setup",
        "GET /account/2fa/setup",
        "POST /account/2fa/enable",
        "POST /account/2fa/disable",
        "POST /account/2fa/recovery-codes",
        "POST /account/identities/{provider}/unlink",
        "GET /account/link",
        "POST /account/link",
        "GET /valuations/{valuation_id}",
        "GET /valuations/{valuation_id}/report.pdf",
        "GET /documents/{document_id}",
        "GET /my/businesses",
        "GET /my/businesses/new",
        "POST /my/businesses/new",
        "GET /my/businesses/{msme_id}",
        "GET /my/businesses/{msme_id}/edit",
        "POST /my/businesses/{msme_id}/edit",
        "POST /my/businesses/{msme_id}/financials",
        "POST /my/businesses/{msme_id}/documents",
        "POST /my/businesses/{msme_id}/valuations",
        "GET /my/listings",
        "GET /my/listings/new",
        "POST /my/listings/new",
        "GET /my/listings/{listing_id}",
        "GET /my/listings/{listing_id}/edit",
        "POST /my/listings/{listing_id}/edit",
        "POST /my/listings/{listing_id}/submit",
        "POST /my/listings/{listing_id}/close",
        "GET /my/interests",
        "POST /my/interests/{interest_id}/{decision}",
        "GET /buyer/mandates",
        "GET /buyer/mandates/new",
        "POST /buyer/mandates/new",
        "GET /buyer/mandates/{mandate_id}",
        "GET /buyer/mandates/{mandate_id}/edit",
        "POST /buyer/mandates/{mandate_id}/edit",
        "POST /buyer/mandates/{mandate_id}/delete",
        "GET /buyer/interests",
        "POST /buyer/interests/{interest_id}/withdraw",
        # deal rooms: their two sides act, admins read (msme decides per deal; others 404)
        "GET /deals",
        "GET /deals/{deal_id}",
        "POST /deals/{deal_id}/nda",
        "POST /deals/{deal_id}/messages",
        "GET /deals/{deal_id}/messages",
        "POST /deals/{deal_id}/offers",
        "POST /deals/{deal_id}/offers/{offer_id}/{decision}",
        "POST /deals/{deal_id}/close",
        "GET /deals/{deal_id}/documents/{document_id}",
    ),
    **_rules(
        "web",
        Access.WEB_ADMIN,
        "GET /admin",
        "GET /admin/verifications",
        "POST /admin/verifications/{msme_id}",
        "GET /admin/listings",
        "POST /admin/listings/{listing_id}",
        "GET /admin/users",
        "POST /admin/users/{user_id}",
        "GET /admin/audit-log",
        "GET /admin/exports/{dataset}.csv",
        "GET /admin/deals",
    ),
}
WEB = {Access.WEB_PUBLIC, Access.WEB_SIGNED_IN, Access.WEB_ADMIN}
