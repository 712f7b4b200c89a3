"""Grafana: the provisioned data source and dashboards are consistent, every panel's query is valid
PromQL (checked by promtool), and the three dashboards the issue asks for exist."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.devops.tools import DEVOPS, GRAFANA, load_yaml, require_tool, run

DASHBOARDS = sorted((GRAFANA / "dashboards").glob("*.json"))
# Grafana's own variables, replaced by what they stand for before promtool reads a query.
GRAFANA_VARIABLES = {"$__rate_interval": "5m", "$__range": "1d", "$__interval": "1m"}


def _dashboard(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _panels(dashboard: dict[str, Any]) -> list[dict[str, Any]]:
    return [panel for panel in dashboard["panels"] if panel["type"] != "row"]


def dashboard_queries() -> list[str]:
    """Every PromQL query of every panel, as Grafana sends it (before variable substitution)."""
    return [
        target["expr"]
        for path in DASHBOARDS
        for panel in _panels(_dashboard(path))
        for target in panel["targets"]
    ]


def as_promql(query: str) -> str:
    """A dashboard query with Grafana's variables replaced: plain PromQL."""
    for variable, value in GRAFANA_VARIABLES.items():
        query = query.replace(variable, value)
    return re.sub(r"\$\{?\w+\}?", ".*", query)  # dashboard variables select everything


def test_the_three_dashboards_exist() -> None:
    titles = {_dashboard(path)["title"] for path in DASHBOARDS}

    assert titles == {
        "MSMEBazaar / Platform overview",
        "MSMEBazaar / Business",
        "MSMEBazaar / Dependencies",
    }


def test_dashboards_have_unique_uids_and_panel_ids_and_fit_the_grid() -> None:
    uids = [_dashboard(path)["uid"] for path in DASHBOARDS]
    assert len(uids) == len(set(uids))
    for path in DASHBOARDS:
        panels = _dashboard(path)["panels"]
        ids = [panel["id"] for panel in panels]
        assert len(ids) == len(set(ids)), path.name
        for panel in panels:
            grid = panel["gridPos"]
            assert grid["x"] + grid["w"] <= 24, (path.name, panel["title"])


def test_every_panel_queries_the_provisioned_data_source() -> None:
    datasources = load_yaml(GRAFANA / "provisioning" / "datasources" / "prometheus.yml")
    uid = datasources["datasources"][0]["uid"]
    assert datasources["datasources"][0]["url"] == "http://prometheus:9090"
    for path in DASHBOARDS:
        for panel in _panels(_dashboard(path)):
            assert panel["datasource"]["uid"] == uid, (path.name, panel["title"])
            assert panel["targets"], (path.name, panel["title"])
            assert all(target["expr"].strip() for target in panel["targets"])


def test_the_business_dashboard_shows_deal_flow_in_crore_and_whatsapp_onboarding() -> None:
    queries = " ".join(
        target["expr"]
        for panel in _panels(_dashboard(GRAFANA / "dashboards" / "business.json"))
        for target in panel["targets"]
    )

    assert "listing_value_rupees_total" in queries
    assert "/ 1e7" in queries  # rupees to crore
    for name in ("auth_signups_total", "msme_profiles_created_total", "valuations_total"):
        assert name in queries
    for name in ("listings_total", "interests_total", "whatsapp_onboardings_total"):
        assert name in queries


def test_every_dashboard_query_is_valid_promql(tmp_path: Path) -> None:
    promtool = require_tool("promtool")
    rules = [
        {"record": f"dashboard:query_{number}:check", "expr": as_promql(query)}
        for number, query in enumerate(dashboard_queries())
    ]
    path = tmp_path / "dashboard-queries.yml"
    path.write_text(yaml.safe_dump({"groups": [{"name": "dashboards", "rules": rules}]}))

    output = run([promtool, "check", "rules", str(path)])

    assert f"{len(rules)} rules found" in output


@pytest.mark.parametrize("path", DASHBOARDS, ids=lambda path: path.name)
def test_compose_mounts_the_dashboards_where_the_provider_reads_them(path: Path) -> None:
    provider = load_yaml(GRAFANA / "provisioning" / "dashboards" / "msmebazaar.yml")
    folder = provider["providers"][0]["options"]["path"]
    grafana = load_yaml(DEVOPS / "docker-compose.yml")["services"]["grafana"]

    assert f"./grafana/dashboards:{folder}:ro" in grafana["volumes"]
    assert "./grafana/provisioning:/etc/grafana/provisioning:ro" in grafana["volumes"]
    assert path.parent == GRAFANA / "dashboards"
