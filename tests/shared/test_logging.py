"""Tests for msmebazaar.shared.logging: PII masking and JSON output through structlog and stdlib."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator, MutableMapping
from typing import Any

import pytest
import structlog

from msmebazaar.shared import logging as logging_module
from msmebazaar.shared.config import ObservabilitySettings
from msmebazaar.shared.logging import configure_logging, mask_pii, mask_text, mask_value

JWT = (
    "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9"
    ".eyJzdWIiOiIxMjM0NTY3ODkwIn0"
    ".SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"
)


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put the root logger, uvicorn's loggers and structlog back as they were."""
    root = logging.getLogger()
    handlers, level = root.handlers[:], root.level
    access_disabled = logging.getLogger("uvicorn.access").disabled
    structlog_config = structlog.get_config()
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.getLogger("uvicorn.access").disabled = access_disabled
    structlog.contextvars.clear_contextvars()
    structlog.configure(**structlog_config)


def _json_lines(output: str) -> list[dict[str, Any]]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


# --- mask_text --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "phone",
    [
        "9876543210",
        "+919876543210",
        "+91 9876543210",
        "+91-9876543210",
        "+91 98765 43210",
        "919876543210",
        "09876543210",
        "98765-43210",
        "98765 43210",
    ],
)
def test_mask_text_masks_indian_mobiles_keeping_last_four_digits(phone: str) -> None:
    masked = mask_text(f"OTP sent to {phone} just now")

    assert masked == "OTP sent to ******3210 just now"


def test_mask_text_masks_every_phone_in_the_text() -> None:
    masked = mask_text("from 9876543210 to +91 91234 56789")

    assert masked == "from ******3210 to ******6789"


@pytest.mark.parametrize(
    "text",
    [
        "order 12345",
        "amount 1234567890123",  # longer than a phone number
        "landline 5876543210",  # Indian mobiles start with 6-9
        "2026-11-26T05:54:13Z",
    ],
)
def test_mask_text_leaves_other_numbers_alone(text: str) -> None:
    assert mask_text(text) == text


def test_mask_text_masks_bearer_tokens() -> None:
    masked = mask_text("Authorization: Bearer abc.DEF-123_456~+/= rest")

    assert "abc.DEF" not in masked
    assert masked == "Authorization: Bearer *** rest"


def test_mask_text_masks_bare_jwts() -> None:
    masked = mask_text(f"token={JWT} end")

    assert JWT not in masked
    assert "eyJ" not in masked
    assert masked == "token=*** end"


def test_mask_text_leaves_plain_text_alone() -> None:
    assert mask_text("valuation computed for msme") == "valuation computed for msme"


# --- mask_value -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    [
        "otp",
        "otp_code",
        "code",
        "token",
        "access_token",
        "refresh_token",
        "password",
        "Authorization",
        "secret",
        "jwt_secret",
        "cookie",
        "api_key",
        "signature",
    ],
)
def test_mask_value_hides_whole_values_under_sensitive_keys(key: str) -> None:
    assert mask_value(key, "123456") == "***"
    assert mask_value(key, 123456) == "***"
    assert mask_value(key, {"nested": "x"}) == "***"


@pytest.mark.parametrize("key", ["status_code", "error_code"])
def test_mask_value_keeps_status_and_error_codes(key: str) -> None:
    assert mask_value(key, 429) == 429
    assert mask_value(key, "RATE_LIMITED") == "RATE_LIMITED"


def test_mask_value_masks_phones_inside_ordinary_values() -> None:
    assert mask_value("phone", "+91 98765 43210") == "******3210"
    assert mask_value("message", "call 9876543210") == "call ******3210"


def test_mask_value_leaves_non_text_values_alone() -> None:
    assert mask_value("count", 42) == 42
    assert mask_value("ok", True) is True
    assert mask_value("nothing", None) is None


def test_mask_value_walks_nested_dicts_and_lists() -> None:
    value = {
        "user": {"phone": "9876543210", "otp": "123456", "name": "Asha"},
        "headers": [{"authorization": f"Bearer {JWT}"}, {"accept": "json"}],
        "phones": ["9876543210", ("+919123456789",)],
    }

    masked = mask_value("payload", value)

    assert masked == {
        "user": {"phone": "******3210", "otp": "***", "name": "Asha"},
        "headers": [{"authorization": "***"}, {"accept": "json"}],
        "phones": ["******3210", ["******6789"]],
    }
    assert "123456" not in json.dumps(masked)


def test_mask_value_hides_lists_under_sensitive_keys() -> None:
    assert mask_value("tokens", ["a", "b"]) == "***"


# --- mask_pii ---------------------------------------------------------------------------------


def test_mask_pii_masks_every_field_and_the_event_text() -> None:
    event: dict[str, Any] = {
        "event": "otp sent to 9876543210",
        "otp": "123456",
        "phone": "+91 98765 43210",
        "status_code": 200,
        "exception": f"Traceback ... Bearer {JWT}",
        "context": {"password": "hunter2", "city": "Pune"},
    }

    masked = mask_pii(None, "info", event)

    assert masked == {
        "event": "otp sent to ******3210",
        "otp": "***",
        "phone": "******3210",
        "status_code": 200,
        "exception": "Traceback ... Bearer ***",
        "context": {"password": "***", "city": "Pune"},
    }


def test_mask_pii_keeps_a_non_text_event() -> None:
    event: dict[str, Any] = {"event": {"k": "v"}}

    assert mask_pii(None, "info", event) == {"event": {"k": "v"}}


# --- configure_logging ------------------------------------------------------------------------


@pytest.mark.usefixtures("restore_logging")
def test_structlog_writes_json_with_request_id_and_no_pii(
    capsys: pytest.CaptureFixture[str],
) -> None:
    configure_logging(ObservabilitySettings(log_format="json", log_level="INFO"))
    structlog.contextvars.bind_contextvars(request_id="req-42")

    structlog.get_logger("msmebazaar.test").info(
        "otp_sent to 9876543210", phone="+91 98765 43210", otp="482913", code="482913"
    )

    output = capsys.readouterr().out
    (line,) = _json_lines(output)
    assert line["event"] == "otp_sent to ******3210"
    assert line["request_id"] == "req-42"
    assert line["level"] == "info"
    assert line["logger"] == "msmebazaar.test"
    assert line["phone"] == "******3210"
    assert line["otp"] == "***"
    assert "timestamp" in line
    assert "9876543210" not in output
    assert "98765 43210" not in output
    assert "482913" not in output


@pytest.mark.usefixtures("restore_logging")
def test_stdlib_logging_comes_out_as_masked_json(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(ObservabilitySettings(log_format="json", log_level="INFO"))
    structlog.contextvars.bind_contextvars(request_id="req-7")

    logging.getLogger("some.library").warning("texting %s with Bearer %s", "9876543210", JWT)

    output = capsys.readouterr().out
    (line,) = _json_lines(output)
    assert line["event"] == "texting ******3210 with Bearer ***"
    assert line["level"] == "warning"
    assert line["logger"] == "some.library"
    assert line["request_id"] == "req-7"
    assert "9876543210" not in output
    assert JWT not in output


@pytest.mark.usefixtures("restore_logging")
def test_log_level_filters_lower_records(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(ObservabilitySettings(log_format="json", log_level="WARNING"))

    logging.getLogger("some.library").info("hidden")
    logging.getLogger("some.library").error("shown")

    lines = _json_lines(capsys.readouterr().out)
    assert [line["event"] for line in lines] == ["shown"]


@pytest.mark.usefixtures("restore_logging")
def test_exceptions_are_rendered_and_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(ObservabilitySettings(log_format="json", log_level="INFO"))

    try:
        raise ValueError("bad phone 9876543210")
    except ValueError:
        structlog.get_logger("msmebazaar.test").exception("failed")

    output = capsys.readouterr().out
    (line,) = _json_lines(output)
    assert "ValueError" in line["exception"]
    assert "******3210" in line["exception"]
    assert "9876543210" not in output


@pytest.mark.usefixtures("restore_logging")
def test_stdlib_exceptions_are_rendered_and_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(ObservabilitySettings(log_format="json", log_level="INFO"))

    try:
        raise ValueError("bad phone 9876543210")
    except ValueError:
        logging.getLogger("some.library").exception("failed")

    output = capsys.readouterr().out
    (line,) = _json_lines(output)
    assert "ValueError" in line["exception"]
    assert "9876543210" not in output


@pytest.mark.usefixtures("restore_logging")
def test_console_format_is_not_json_but_still_masked(capsys: pytest.CaptureFixture[str]) -> None:
    configure_logging(ObservabilitySettings(log_format="console", log_level="INFO"))

    logging.getLogger("some.library").warning("texting 9876543210")

    output = capsys.readouterr().out
    assert "texting ******3210" in output
    assert "9876543210" not in output
    with pytest.raises(json.JSONDecodeError):
        json.loads(output.splitlines()[0])


@pytest.mark.usefixtures("restore_logging")
def test_configure_logging_replaces_uvicorn_access_log() -> None:
    logging.getLogger("uvicorn.error").addHandler(logging.NullHandler())

    configure_logging(ObservabilitySettings())

    assert logging.getLogger("uvicorn.access").disabled is True
    assert logging.getLogger("uvicorn.error").handlers == []
    assert logging.getLogger("uvicorn.error").propagate is True
    configure_logging(ObservabilitySettings())  # building a second app adds no second handler
    ours = [h for h in logging.getLogger().handlers if h.get_name() == "msmebazaar"]
    assert len(ours) == 1


@pytest.mark.usefixtures("restore_logging")
def test_an_event_below_the_level_is_dropped_before_any_masking(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # The access log is one event a request: below the level it must cost nothing.
    masked: list[str] = []
    original = logging_module.mask_pii

    def counting(logger: Any, method: str, event: MutableMapping[str, Any]) -> Any:
        masked.append(str(event.get("event")))
        return original(logger, method, event)

    monkeypatch.setattr(logging_module, "mask_pii", counting)
    configure_logging(ObservabilitySettings(log_format="json", log_level="WARNING"))

    structlog.get_logger("msmebazaar.access").info("request", route="/health/live")
    structlog.get_logger("msmebazaar.access").warning("shown", phone="9876543210")

    assert masked == ["shown"]
    [line] = _json_lines(capsys.readouterr().out)
    assert line["phone"] == "******3210"
