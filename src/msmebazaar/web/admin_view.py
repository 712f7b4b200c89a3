"""The admin overview's charts: signups per day, the seller funnel, deal flow in crore and the
deal funnel."""

from __future__ import annotations

from markupsafe import Markup

from msmebazaar.admin.schemas import AnalyticsOverview
from msmebazaar.shared.india import CRORE, format_inr_short
from msmebazaar.web.charts import bar_chart, column_chart
from msmebazaar.web.context import Visit

_FUNNEL = ("signed_up", "created_profile", "verified", "listed", "interest_accepted")
_DEAL_FUNNEL = ("opened", "nda_signed", "offer_accepted", "won")


def analytics_charts(visit: Visit, figures: AnalyticsOverview) -> dict[str, Markup]:
    """The four charts of the overview page, labelled in the visitor's language."""
    days = figures.users.signups_per_day
    signups = column_chart(
        [(f"{day.date.day}/{day.date.month}", day.count) for day in days],
        title=visit.t("admin.signups_title"),
        description=visit.t("admin.signups_description", count=figures.users.signups),
    )
    first = max(1, figures.funnel.signed_up)
    funnel_rows = []
    for stage in _FUNNEL:
        count = int(getattr(figures.funnel, stage))
        share = f"{count} ({count / first:.0%})"
        funnel_rows.append((visit.t(f"funnel.{stage}"), float(count), share))
    funnel = bar_chart(
        funnel_rows,
        title=visit.t("admin.funnel_title"),
        description=visit.t("admin.funnel_description"),
    )

    def money(amount: int) -> str:  # "₹4.8 Cr", "₹4.8 करोड़"
        return format_inr_short(amount, visit.language)

    deals: list[tuple[str, float, str]] = [
        (visit.t(f"deal.{name}"), item.asking_value / CRORE, money(item.asking_value))
        for name, item in sorted(figures.deal_flow.by_deal_type.items())
    ]
    deal_flow = bar_chart(
        deals,
        title=visit.t("admin.deal_flow_title"),
        description=visit.t(
            "admin.deal_flow_description", total=money(figures.deal_flow.asking_value)
        ),
    )
    return {
        "signups_chart": signups,
        "funnel_chart": funnel,
        "deal_flow_chart": deal_flow,
        "deal_funnel_chart": _deal_funnel_chart(visit, figures),
    }


def _deal_funnel_chart(visit: Visit, figures: AnalyticsOverview) -> Markup:
    """How far the period's deals got: opened, both NDAs, an accepted offer, won."""
    funnel = figures.deals
    opened = max(1, funnel.opened)
    rows = []
    for stage in _DEAL_FUNNEL:
        count = int(getattr(funnel, stage))
        rows.append(
            (visit.t(f"deal_funnel.{stage}"), float(count), f"{count} ({count / opened:.0%})")
        )
    return bar_chart(
        rows,
        title=visit.t("admin.deal_funnel_title"),
        description=visit.t("admin.deal_funnel_description", lost=funnel.lost),
    )
