"""The whatsapp service's public face: what its router and app wiring call — the webhooks' work
(`webhooks`), background handling (`processing`) and the simulator (`simulator`).

No other service imports this one; it reaches auth, msme, valuation and match only through their
`service` modules (see `conversation/finish.py`).
"""

from __future__ import annotations

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
    "receive_meta",
    "receive_twilio",
    "receive_twilio_status",
    "simulate",
    "simulator_phone",
    "sweep",
]
