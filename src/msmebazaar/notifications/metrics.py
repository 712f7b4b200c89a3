"""The notifications service's metrics (docs/operations.md lists them with their alert)."""

from __future__ import annotations

from msmebazaar.shared.metrics import counter, gauge

NOTIFICATIONS_CREATED = counter(
    "notifications_created_total", "Notifications stored for a user, by kind.", ("kind",)
)
NOTIFICATIONS_DELIVERED = counter(
    "notifications_delivered_total",
    "Tries to deliver a notification, by channel (sms, whatsapp, email; stream for a live "
    "stream) and outcome (sent, failed: each failed try, retried or not).",
    ("channel", "status"),
)
SSE_CONNECTIONS = gauge("sse_connections", "Live notification streams open in this process.")
