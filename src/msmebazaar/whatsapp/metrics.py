"""The whatsapp service's counters (issue 8), on the app's Prometheus registry."""

from __future__ import annotations

from msmebazaar.shared.metrics import counter

MESSAGES = counter(
    "whatsapp_messages_total",
    "WhatsApp messages: received (direction=in, new ones only; type text, button, list, "
    "unsupported or status) and sent (direction=out; type text, buttons, list or template).",
    ("direction", "provider", "type"),
)
ONBOARDINGS = counter(
    "whatsapp_onboardings_total",
    "Conversations by outcome: completed (profile and valuation), mandate (a buyer's search), "
    "refused (a service refused the answers), expired (idle 24 h), non_indian.",
    ("result",),
)
WEBHOOK_REJECTED = counter(
    "whatsapp_webhook_rejected_total",
    "Webhook calls refused, by reason (missing_signature, bad_signature, not_configured, "
    "bad_payload, bad_verify_token).",
    ("reason",),
)
