"""Tests for msmebazaar.shared.config: defaults, environment names, `.env`, production refusals."""

from __future__ import annotations

import re
from pathlib import Path

import pydantic
import pytest
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from msmebazaar.shared.config import (
    DEFAULT_DATABASE_URL,
    DEFAULT_JWT_SECRET,
    ConfigError,
    Environment,
    Settings,
    get_settings,
    production_problems,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
ENV_TEMPLATE = REPO_ROOT / ".env.template"
STRONG_SECRET = "s3cr3t-" + "x" * 40
POSTGRES_URL = "postgresql+asyncpg://msme:pw@db.internal:5432/msmebazaar"


def _env_names() -> list[str]:
    """Every environment variable name the settings read (the `validation_alias` values)."""
    names: list[str] = []
    for group_field in Settings.model_fields.values():
        group = group_field.annotation
        assert isinstance(group, type)
        assert issubclass(group, BaseModel)
        for field in group.model_fields.values():
            alias = field.validation_alias
            assert isinstance(alias, str), f"{group.__name__} has a field without an env name"
            names.append(alias)
    return names


def _field_names() -> list[str]:
    """Field names in upper case: pydantic-settings reads these from the environment as well."""
    names = [name.upper() for name in Settings.model_fields]
    for group_field in Settings.model_fields.values():
        group = group_field.annotation
        assert isinstance(group, type)
        assert issubclass(group, BaseModel)
        names += [name.upper() for name in group.model_fields]
    return names


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """No settings variable in the environment and no `.env` in the working directory."""
    for name in (*_env_names(), *_field_names()):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _set_env(monkeypatch: pytest.MonkeyPatch, values: dict[str, str]) -> None:
    for name, value in values.items():
        monkeypatch.setenv(name, value)


SAFE_PRODUCTION_ENV: dict[str, str] = {
    "ENVIRONMENT": "production",
    "JWT_SECRET": STRONG_SECRET,
    "CORS_ORIGINS": "https://msmebazaar.in,https://www.msmebazaar.in",
    "ALLOWED_HOSTS": "msmebazaar.in,api.msmebazaar.in",
    "AUTH_OTP_ECHO": "false",
    "DEBUG": "false",
    "DATABASE_URL": POSTGRES_URL,
    "SMS_PROVIDER": "twilio",
    "MFA_ENCRYPTION_KEY": "oWX0m7Szo3Q3tmsrnQsRqkrkSm5aIG2H1xqvxXgqqAo=",
}


# --- defaults ---------------------------------------------------------------------------------


def test_defaults_suit_local_development() -> None:
    settings = Settings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.is_production is False
    assert settings.app.debug is False
    assert (settings.app.host, settings.app.port) == ("127.0.0.1", 8000)
    assert settings.app.cors_origins == ["http://127.0.0.1:8000", "http://localhost:8000"]
    assert settings.app.allowed_hosts == ["*"]
    assert settings.app.trusted_proxies == []
    assert settings.app.rate_limit_per_minute == 600
    assert settings.app.allow_sqlite_in_production is False
    assert settings.database.url == DEFAULT_DATABASE_URL
    assert settings.database.is_sqlite is True
    assert settings.redis.url is None
    assert settings.auth.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET
    assert settings.auth.jwt_algorithm == "HS256"
    assert settings.auth.otp_echo is False
    assert settings.auth.otp_ttl_seconds == 300
    assert settings.auth.otp_max_attempts == 5
    assert settings.auth.otp_resend_cooldown_seconds == 60
    assert settings.auth.otp_max_per_phone_per_hour == 5
    assert settings.auth.otp_max_per_ip_per_hour == 100
    assert settings.sms.provider == "console"
    assert settings.whatsapp.provider == "console"
    assert settings.observability.log_format == "json"
    assert settings.observability.log_level == "INFO"


def test_default_settings_have_production_problems_but_development_accepts_them() -> None:
    settings = Settings()

    problems = production_problems(settings)

    assert any("JWT_SECRET" in problem for problem in problems)
    assert any("SMS_PROVIDER" in problem for problem in problems)


def test_secrets_do_not_appear_in_repr() -> None:
    settings = Settings()

    assert DEFAULT_JWT_SECRET not in repr(settings)


# --- environment variables --------------------------------------------------------------------


def test_environment_variables_fill_the_groups(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_env(
        monkeypatch,
        {
            "DATABASE_URL": POSTGRES_URL,
            "DATABASE_POOL_SIZE": "3",
            "REDIS_URL": "redis://cache.internal:6379/2",
            "REDIS_SOCKET_TIMEOUT": "0.25",
            "JWT_SECRET": STRONG_SECRET,
            "HOST": "0.0.0.0",  # noqa: S104 - a value under test, nothing binds
            "PORT": "9000",
            "DEBUG": "true",
            "RATE_LIMIT_PER_MINUTE": "42",
            "SMS_PROVIDER": "twilio",
            "WHATSAPP_PROVIDER": "meta",
            "LOG_FORMAT": "console",
            "LOG_LEVEL": "DEBUG",
            "STORAGE_URL": "s3://bucket/docs",
        },
    )

    settings = Settings()

    assert settings.database.url == POSTGRES_URL
    assert settings.database.is_sqlite is False
    assert settings.database.pool_size == 3
    assert settings.redis.url == "redis://cache.internal:6379/2"
    assert settings.redis.socket_timeout_seconds == 0.25
    assert settings.auth.jwt_secret.get_secret_value() == STRONG_SECRET
    assert (settings.app.host, settings.app.port) == ("0.0.0.0", 9000)  # noqa: S104
    assert settings.app.debug is True
    assert settings.app.rate_limit_per_minute == 42
    assert settings.sms.provider == "twilio"
    assert settings.whatsapp.provider == "meta"
    assert settings.observability.log_format == "console"
    assert settings.observability.log_level == "DEBUG"
    assert settings.storage.url == "s3://bucket/docs"


def test_otp_variables_fill_auth_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_env(
        monkeypatch,
        {
            "AUTH_OTP_ECHO": "true",
            "OTP_TTL_SECONDS": "120",
            "OTP_MAX_ATTEMPTS": "3",
            "OTP_RESEND_COOLDOWN_SECONDS": "30",
            "OTP_MAX_PER_PHONE_PER_HOUR": "4",
            "OTP_MAX_PER_IP_PER_HOUR": "250",
        },
    )

    auth = Settings().auth

    assert auth.otp_echo is True
    assert auth.otp_ttl_seconds == 120
    assert auth.otp_max_attempts == 3
    assert auth.otp_resend_cooldown_seconds == 30
    assert auth.otp_max_per_phone_per_hour == 4
    assert auth.otp_max_per_ip_per_hour == 250


def test_cors_origins_are_a_comma_separated_list(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CORS_ORIGINS", " https://a.in , https://b.in,, ")

    assert Settings().app.cors_origins == ["https://a.in", "https://b.in"]


def test_trusted_proxies_and_allowed_hosts_are_comma_separated_lists(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRUSTED_PROXIES", "10.0.0.0/8, 127.0.0.1")
    monkeypatch.setenv("ALLOWED_HOSTS", "msmebazaar.in,*.msmebazaar.in")

    app = Settings().app

    assert app.trusted_proxies == ["10.0.0.0/8", "127.0.0.1"]
    assert app.allowed_hosts == ["msmebazaar.in", "*.msmebazaar.in"]


def test_empty_redis_url_means_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REDIS_URL", "")

    assert Settings().redis.url is None


def test_environment_name_is_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "testing")

    assert Settings().environment is Environment.TESTING


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("PORT", "0"),
        ("PORT", "70000"),
        ("RATE_LIMIT_PER_MINUTE", "-1"),
        ("OTP_TTL_SECONDS", "10"),
        ("OTP_MAX_ATTEMPTS", "0"),
        ("ENVIRONMENT", "staging"),
        ("SMS_PROVIDER", "carrier-pigeon"),
        ("JWT_ALGORITHM", "none"),
    ],
)
def test_out_of_range_values_are_refused(
    monkeypatch: pytest.MonkeyPatch, name: str, value: str
) -> None:
    monkeypatch.setenv(name, value)

    with pytest.raises(PydanticValidationError, match=name):
        Settings()


def test_only_the_documented_names_are_read_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("OTP_ECHO", "true")
    monkeypatch.setenv("URL", "postgresql+asyncpg://stray/variable")

    settings = Settings()

    assert settings.auth.otp_echo is False
    assert settings.database.url == DEFAULT_DATABASE_URL
    assert settings.redis.url is None


# --- .env -------------------------------------------------------------------------------------


def test_dotenv_file_in_the_working_directory_is_read(clean_env: Path) -> None:
    (clean_env / ".env").write_text(
        f"DATABASE_URL={POSTGRES_URL}\n"
        f"JWT_SECRET={STRONG_SECRET}\n"
        "CORS_ORIGINS=https://a.in,https://b.in\n"
        "AUTH_OTP_ECHO=true\n"
        "SOMETHING_ELSE=ignored\n",
        encoding="utf-8",
    )

    settings = Settings()

    assert settings.database.url == POSTGRES_URL
    assert settings.auth.jwt_secret.get_secret_value() == STRONG_SECRET
    assert settings.app.cors_origins == ["https://a.in", "https://b.in"]
    assert settings.auth.otp_echo is True


def test_environment_variable_overrides_dotenv(
    clean_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (clean_env / ".env").write_text("RATE_LIMIT_PER_MINUTE=10\n", encoding="utf-8")
    monkeypatch.setenv("RATE_LIMIT_PER_MINUTE", "20")

    assert Settings().app.rate_limit_per_minute == 20


def test_production_refusal_applies_to_dotenv_too(clean_env: Path) -> None:
    (clean_env / ".env").write_text("ENVIRONMENT=production\n", encoding="utf-8")

    with pytest.raises(ConfigError, match="JWT_SECRET"):
        Settings()


def test_env_template_copied_to_dotenv_loads(clean_env: Path) -> None:
    (clean_env / ".env").write_text(ENV_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")

    settings = Settings()

    assert settings.environment is Environment.DEVELOPMENT
    assert settings.redis.url is None
    assert settings.app.trusted_proxies == []


def test_empty_optional_variables_in_the_template_mean_unset(clean_env: Path) -> None:
    (clean_env / ".env").write_text(ENV_TEMPLATE.read_text(encoding="utf-8"), encoding="utf-8")

    settings = Settings()

    assert settings.whatsapp.meta_app_secret is None
    assert settings.storage.s3_endpoint_url is None
    assert settings.auth.jwt_public_key is None
    assert settings.observability.sentry_dsn is None


# --- production refusals ----------------------------------------------------------------------


def test_safe_production_config_is_accepted(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_env(monkeypatch, SAFE_PRODUCTION_ENV)

    settings = Settings()

    assert settings.is_production is True
    assert production_problems(settings) == []


def _refusal(monkeypatch: pytest.MonkeyPatch, overrides: dict[str, str]) -> str:
    """The refusal message for the safe production config with `overrides` applied; asserts that
    the override is the only problem."""
    _set_env(monkeypatch, {**SAFE_PRODUCTION_ENV, **overrides, "ENVIRONMENT": "testing"})
    problems = production_problems(Settings())
    assert len(problems) == 1, f"expected exactly one problem, got: {problems}"
    monkeypatch.setenv("ENVIRONMENT", "production")
    with pytest.raises(ConfigError) as caught:
        Settings()
    message = str(caught.value)
    assert message == "Refusing to start in production: " + problems[0]
    return message


def test_production_refuses_default_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "JWT_SECRET" in _refusal(monkeypatch, {"JWT_SECRET": DEFAULT_JWT_SECRET})


def test_production_refuses_short_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "JWT_SECRET" in _refusal(monkeypatch, {"JWT_SECRET": "a" * 31})


def test_production_accepts_a_32_character_jwt_secret(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_env(monkeypatch, {**SAFE_PRODUCTION_ENV, "JWT_SECRET": "a" * 32})

    assert Settings().is_production is True


def test_production_refuses_wildcard_cors_origin(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _refusal(monkeypatch, {"CORS_ORIGINS": "https://msmebazaar.in,*"})

    assert "CORS_ORIGINS" in message


def test_production_refuses_wildcard_allowed_host(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "ALLOWED_HOSTS" in _refusal(monkeypatch, {"ALLOWED_HOSTS": "*"})


def test_production_refuses_otp_echo(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "AUTH_OTP_ECHO" in _refusal(monkeypatch, {"AUTH_OTP_ECHO": "true"})


def test_production_refuses_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "DEBUG" in _refusal(monkeypatch, {"DEBUG": "true"})


def test_production_refuses_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    message = _refusal(monkeypatch, {"DATABASE_URL": "sqlite+aiosqlite:///var/prod.db"})

    assert "DATABASE_URL" in message
    assert "ALLOW_SQLITE_IN_PRODUCTION" in message


def test_production_accepts_sqlite_when_explicitly_allowed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _set_env(
        monkeypatch,
        {
            **SAFE_PRODUCTION_ENV,
            "DATABASE_URL": "sqlite+aiosqlite:///var/prod.db",
            "ALLOW_SQLITE_IN_PRODUCTION": "true",
        },
    )

    settings = Settings()

    assert settings.database.is_sqlite is True
    assert settings.is_production is True


def test_production_refuses_console_sms_provider(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "SMS_PROVIDER" in _refusal(monkeypatch, {"SMS_PROVIDER": "console"})


def test_production_refuses_a_missing_mfa_encryption_key(monkeypatch: pytest.MonkeyPatch) -> None:
    assert "MFA_ENCRYPTION_KEY" in _refusal(monkeypatch, {"MFA_ENCRYPTION_KEY": ""})


@pytest.mark.parametrize("key", ["not-a-key", "oWX0m7Szo3Q3tmsrnQsRqkrkSm5aIG2H1xqvxXgqqAo=,short"])
def test_an_mfa_encryption_key_that_is_not_fernet_keys_is_refused(
    monkeypatch: pytest.MonkeyPatch, key: str
) -> None:
    monkeypatch.setenv("MFA_ENCRYPTION_KEY", key)

    with pytest.raises(pydantic.ValidationError, match="Fernet keys"):
        Settings()


def test_production_lists_every_problem_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ENVIRONMENT", "production")

    with pytest.raises(ConfigError) as caught:
        Settings()

    message = str(caught.value)
    for name in ("JWT_SECRET", "ALLOWED_HOSTS", "DATABASE_URL", "SMS_PROVIDER"):
        assert name in message


def test_unsafe_values_are_accepted_outside_production(monkeypatch: pytest.MonkeyPatch) -> None:
    _set_env(
        monkeypatch,
        {
            "ENVIRONMENT": "testing",
            "CORS_ORIGINS": "*",
            "AUTH_OTP_ECHO": "true",
            "DEBUG": "true",
        },
    )

    settings = Settings()

    assert settings.app.cors_origins == ["*"]
    assert production_problems(settings) != []


# --- get_settings -----------------------------------------------------------------------------


def test_get_settings_is_read_once_and_cached(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "8101")
    first = get_settings()
    monkeypatch.setenv("PORT", "8102")

    assert get_settings() is first
    assert get_settings().app.port == 8101

    get_settings.cache_clear()
    assert get_settings().app.port == 8102


# --- .env.template ----------------------------------------------------------------------------


def test_env_names_are_collected_from_every_group() -> None:
    names = _env_names()

    assert len(names) == len(set(names)), "two settings share one environment variable"
    for name in ("DATABASE_URL", "REDIS_URL", "JWT_SECRET", "AUTH_OTP_ECHO", "SENTRY_DSN"):
        assert name in names


def test_every_env_var_is_listed_in_env_template() -> None:
    assert ENV_TEMPLATE.exists(), f"{ENV_TEMPLATE} is missing"
    template = ENV_TEMPLATE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s*([A-Z][A-Z0-9_]*)=", template, flags=re.MULTILINE))

    missing = sorted(set(_env_names()) - listed)

    assert missing == [], f"not in .env.template: {missing}"
