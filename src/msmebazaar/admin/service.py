"""The admin service's public face: the only module (with `schemas`) other packages import.

The web portal's admin pages call these, so a decision made on a page is audited and notified
exactly as one made through the API, and the audit log and the CSV exports a page shows are the
API's own.
"""

from __future__ import annotations

from msmebazaar.admin.analytics.export import csv_chunks, start_export
from msmebazaar.admin.analytics.overview import overview
from msmebazaar.admin.analytics.period import Period, period_of
from msmebazaar.admin.audit import AuditFilters, list_entries
from msmebazaar.admin.moderation import moderate
from msmebazaar.admin.notify import OwnerDecisionMade
from msmebazaar.admin.profiles import decide, review_queue, transfer
from msmebazaar.admin.users import update_user

__all__ = [
    "AuditFilters",
    "OwnerDecisionMade",
    "Period",
    "csv_chunks",
    "decide",
    "list_entries",
    "moderate",
    "overview",
    "period_of",
    "review_queue",
    "start_export",
    "transfer",
    "update_user",
]
