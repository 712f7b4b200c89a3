"""Prometheus: the configuration and rules pass `promtool check`, every alert passes its unit tests
(`promtool test rules`), has a severity, a runbook section and a test of its own."""

from __future__ import annotations

import re
from typing import Any

from tests.devops.tools import (
    HTTP_COMPONENTS,
    OPERATIONS_DOC,
    PROMETHEUS,
    load_yaml,
    require_tool,
    run,
)

RULE_FILES = sorted((PROMETHEUS / "rules").glob("*.yml"))
TEST_FILES = sorted((PROMETHEUS / "tests").glob("*.yml"))


def _alerts() -> list[dict[str, Any]]:
    return [
        rule
        for path in RULE_FILES
        for group in load_yaml(path)["groups"]
        for rule in group["rules"]
        if "alert" in rule
    ]


def test_promtool_accepts_the_configuration_and_its_rule_files() -> None:
    promtool = require_tool("promtool")

    output = run([promtool, "check", "config", str(PROMETHEUS / "prometheus.yml")])

    assert f"{len(RULE_FILES)} rule files found" in output


def test_promtool_accepts_the_rules() -> None:
    promtool = require_tool("promtool")

    output = run([promtool, "check", "rules", *map(str, RULE_FILES)])

    assert output.count("SUCCESS") == len(RULE_FILES)


def test_the_rule_unit_tests_pass() -> None:
    promtool = require_tool("promtool")
    assert TEST_FILES, "no promtool unit tests"

    output = run(
        [promtool, "test", "rules", *(path.name for path in TEST_FILES)],
        cwd=PROMETHEUS / "tests",
    )

    assert output.count("SUCCESS") == len(TEST_FILES)


def test_every_alert_is_unit_tested_firing() -> None:
    fired: set[str] = set()
    for path in TEST_FILES:
        for case in load_yaml(path)["tests"]:
            for check in case.get("alert_rule_test", []):
                if check["exp_alerts"]:
                    fired.add(check["alertname"])

    assert {rule["alert"] for rule in _alerts()} - fired == set()


def test_the_issue_asks_for_these_alerts() -> None:
    names = {rule["alert"] for rule in _alerts()}

    assert {
        "AuthLatencyHigh",
        "MsmeLatencyHigh",
        "MatchLatencyHigh",
        "ValuationLatencyHigh",
        "HealthLatencyHigh",
        "HighErrorRatio",
        "ReadinessFailing",
        "OutboxBacklogGrowing",
        "OutboxMessagesFailing",
        "AvailabilitySLOBurnFast",
        "AvailabilitySLOBurnSlow",
        "ErrorBudgetBurnFast",
        "ErrorBudgetBurnSlow",
    } <= names


def test_latency_alerts_use_the_seed_targets() -> None:
    thresholds = {
        rule["alert"]: float(re.split(r">\s*", rule["expr"])[-1])
        for rule in _alerts()
        if rule["alert"].endswith("LatencyHigh")
    }

    assert thresholds == {
        "AuthLatencyHigh": 0.2,
        "MsmeLatencyHigh": 0.3,
        "MatchLatencyHigh": 0.5,
        "ValuationLatencyHigh": 1.0,
        "HealthLatencyHigh": 0.05,
    }


def test_every_alert_has_a_severity_and_a_runbook_section() -> None:
    headings = {
        line.lstrip("#").strip().lower()
        for line in OPERATIONS_DOC.read_text(encoding="utf-8").splitlines()
        if line.startswith("### ")
    }
    for rule in _alerts():
        assert rule["labels"]["severity"] in {"page", "ticket"}, rule["alert"]
        assert rule["annotations"]["runbook"] == (f"docs/operations.md#{rule['alert'].lower()}"), (
            rule["alert"]
        )
        assert rule["alert"].lower() in headings, f"no runbook section for {rule['alert']}"


def test_prometheus_scrapes_every_http_process_and_the_worker() -> None:
    config = load_yaml(PROMETHEUS / "prometheus.yml")
    targets = {
        target: static["labels"]["component"]
        for job in config["scrape_configs"]
        if job["job_name"].startswith("msmebazaar")
        for static in job["static_configs"]
        for target in static["targets"]
    }

    assert targets == {f"{name}:8000": name for name in HTTP_COMPONENTS} | {"worker:9100": "worker"}
