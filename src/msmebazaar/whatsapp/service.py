"""The whatsapp service's public face: what its router and app wiring call — the webhooks' work
(`webhooks`), background handling (`processing`) and the simulator (`simulator`).

Only notifications imports it (to send a notice inside a user's WhatsApp window); it reaches
auth, msme, valuation and match only through their `service` modules (see
`conversation/finish.py`).
"""

from __future__ import annotations

from msmebazaar.whatsapp.notices import queue_notice
from msmebazaar.whatsapp.processing import Sweeper, handle_in_background, sweep
from msmebazaar.whatsapp.simulator import simulate, simulator_phone
from msmebazaar.whatsapp.webhooks import (
    meta_handshake,
    receive_meta,
    receive_twilio,
    receive_twilio_status,
)

__all__ = [
    "Sweeper",
    "handle_in_background",
    "meta_handshake",
    "queue_notice",
    "receive_meta",
    "receive_twilio",
    "receive_twilio_status",
    "simulate",
    "simulator_phone",
    "sweep",
]
