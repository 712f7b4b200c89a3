"""whatsapp fixtures: the app with Meta and Twilio credentials, and a chat driver per provider."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from pydantic import SecretStr
from tests.conftest import make_settings
from tests.whatsapp.helpers import (
    META_ACCESS_TOKEN,
    META_PHONE_NUMBER_ID,
    META_SECRET,
    PUBLIC_BASE_URL,
    TWILIO_FROM,
    TWILIO_SID,
    TWILIO_TOKEN,
    VERIFY_TOKEN,
    Chat,
    MetaChat,
    SimulatorChat,
    TwilioChat,
    new_mobile,
)

from msmebazaar.shared.config import Settings, SmsSettings, StorageSettings, WhatsAppSettings
from msmebazaar.shared.db import Database


def whatsapp_settings(**changes: object) -> WhatsAppSettings:
    """Meta and Twilio WhatsApp both configured (console remains the default provider)."""
    fields: dict[str, object] = {
        "meta_app_secret": SecretStr(META_SECRET),
        "meta_verify_token": SecretStr(VERIFY_TOKEN),
        "meta_access_token": SecretStr(META_ACCESS_TOKEN),
        "meta_phone_number_id": META_PHONE_NUMBER_ID,
        "twilio_whatsapp_from": TWILIO_FROM,
        **changes,
    }
    return WhatsAppSettings(**fields)  # type: ignore[arg-type]


@pytest.fixture
def settings(database_url: str, tmp_path: Path) -> Settings:
    """The test settings with WhatsApp credentials and a public URL behind a proxy."""
    test_settings = make_settings(database_url, public_base_url=PUBLIC_BASE_URL)
    test_settings.storage = StorageSettings(url=f"file://{tmp_path / 'documents'}")
    test_settings.whatsapp = whatsapp_settings()
    test_settings.sms = SmsSettings(
        twilio_account_sid=TWILIO_SID, twilio_auth_token=SecretStr(TWILIO_TOKEN)
    )
    return test_settings


@pytest.fixture
def phone() -> str:
    """A new Indian mobile (E.164) for this test's sender."""
    return new_mobile()


@pytest.fixture
def meta_chat(client: httpx.AsyncClient, database: Database, phone: str) -> MetaChat:
    return MetaChat(client, database, phone)


@pytest.fixture
def twilio_chat(client: httpx.AsyncClient, database: Database, phone: str) -> TwilioChat:
    return TwilioChat(client, database, phone)


@pytest.fixture
def chat(client: httpx.AsyncClient, database: Database, phone: str) -> Chat:
    """A conversation through `POST /whatsapp/simulate`."""
    return SimulatorChat(client, database, phone)
