"""Typed settings, read once from the environment (and `.env`).

Every variable is listed with a comment in `.env.template`. Names of environment variables are part
of the contract (DESIGN.md §5), so each group maps its fields to those exact names.
"""

from __future__ import annotations

import base64
import binascii
from enum import StrEnum
from functools import lru_cache
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import (
    BaseSettings,
    NoDecode,
    PydanticBaseSettingsSource,
    SettingsConfigDict,
)

DEFAULT_JWT_SECRET = "dev-insecure-change-me"  # noqa: S105 - the value production refuses
DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///var/msmebazaar.db"


class Environment(StrEnum):
    DEVELOPMENT = "development"
    TESTING = "testing"
    PRODUCTION = "production"


class ConfigError(RuntimeError):
    """Raised when the configuration is unsafe or inconsistent; the message names the variable."""


class _Group(BaseSettings):
    # Every group reads the same flat variables; `populate_by_name` lets code and tests build a
    # group by field name, `extra="ignore"` lets one `.env` feed all groups, and an empty value
    # (a blank `NAME=` line copied from the template) means "unset", not "".
    model_config = SettingsConfigDict(
        env_file=".env",
        env_file_encoding="utf-8",
        env_ignore_empty=True,
        extra="ignore",
        populate_by_name=True,
    )

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # By-name population is for code only: the environment and `.env` must use the documented
        # names, or a stray `URL=` or `OTP_ECHO=` would silently configure us.
        for source in (env_settings, dotenv_settings):
            source.config = SettingsConfigDict(
                **{
                    **source.config,
                    "populate_by_name": False,
                    "validate_by_name": False,
                }
            )
        return init_settings, env_settings, dotenv_settings, file_secret_settings


CsvList = Annotated[list[str], NoDecode]


class AppSettings(_Group):
    environment: Environment = Field(Environment.DEVELOPMENT, validation_alias="ENVIRONMENT")
    debug: bool = Field(False, validation_alias="DEBUG")
    host: str = Field("127.0.0.1", validation_alias="HOST")
    port: int = Field(8000, ge=1, le=65535, validation_alias="PORT")
    public_base_url: str = Field("http://127.0.0.1:8000", validation_alias="PUBLIC_BASE_URL")
    cors_origins: CsvList = Field(
        default_factory=lambda: ["http://127.0.0.1:8000", "http://localhost:8000"],
        validation_alias="CORS_ORIGINS",
    )
    allowed_hosts: CsvList = Field(default_factory=lambda: ["*"], validation_alias="ALLOWED_HOSTS")
    trusted_proxies: CsvList = Field(default_factory=list, validation_alias="TRUSTED_PROXIES")
    rate_limit_per_minute: int = Field(600, ge=0, validation_alias="RATE_LIMIT_PER_MINUTE")
    max_body_bytes: int = Field(11 * 1024 * 1024, ge=1024, validation_alias="MAX_BODY_BYTES")
    allow_sqlite_in_production: bool = Field(False, validation_alias="ALLOW_SQLITE_IN_PRODUCTION")
    # Overload: requests one process lets reach the app at once; past it an immediate 503 with
    # Retry-After instead of a wait for a database connection (0: no limit). Health, metrics
    # and cached public answers are exempt. 48 is about what one core gets through in a quarter
    # of a second at ~5 ms of CPU a request: admitted requests stay fast, and the event loop
    # never lags past the 0.5 s a pooled connection's ping may take (DATABASE_PING_TIMEOUT).
    max_in_flight_requests: int = Field(48, ge=0, validation_alias="MAX_IN_FLIGHT_REQUESTS")
    # A client's share of those: past it, its next request gets 429 at once, so no one address
    # (a flood, a stuck integration) takes every slot from the rest (0: no share).
    max_in_flight_per_client: int = Field(16, ge=0, validation_alias="MAX_IN_FLIGHT_PER_CLIENT")
    # A request body that stops or trickles holds an admission slot while the app waits for
    # it: no gap between its parts may pass this, and past it the body must have kept up
    # REQUEST_BODY_MIN_RATE bytes a second on average; else 408 REQUEST_TIMEOUT (0: no limit).
    request_body_timeout_seconds: float = Field(
        10.0, ge=0, le=600, validation_alias="REQUEST_BODY_TIMEOUT"
    )
    request_body_min_rate: int = Field(8192, ge=0, validation_alias="REQUEST_BODY_MIN_RATE")
    # JSON bodies (the API, the Meta webhook) are checked before validation: no endpoint needs
    # more than a few kilobytes, so past these limits the answer is 413 or 422 in milliseconds.
    max_json_body_bytes: int = Field(1024 * 1024, ge=1024, validation_alias="MAX_JSON_BODY_BYTES")
    json_max_depth: int = Field(32, ge=2, le=200, validation_alias="JSON_MAX_DEPTH")
    json_max_keys: int = Field(10_000, ge=10, validation_alias="JSON_MAX_KEYS")
    json_max_array_items: int = Field(1000, ge=10, validation_alias="JSON_MAX_ARRAY_ITEMS")
    # How long a public answer the same for every caller (listing search, profile discovery)
    # may be served from the shared cache, so reads skip the database; the bound on its
    # staleness (shared/public_cache.py). Unset: 2 s, but 0 (off) in the testing environment.
    public_cache_seconds: int | None = Field(
        None, ge=0, le=60, validation_alias="PUBLIC_CACHE_SECONDS"
    )

    @property
    def public_cache_ttl(self) -> int:
        """`PUBLIC_CACHE_SECONDS`, or its default for the environment."""
        if self.public_cache_seconds is not None:
            return self.public_cache_seconds
        return 0 if self.environment is Environment.TESTING else 2

    @field_validator("cors_origins", "allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _split_csv(cls, value: object) -> object:
        # Lists come from the environment as "a,b,c", not JSON.
        if isinstance(value, str):
            return [item.strip() for item in value.split(",") if item.strip()]
        return value


class DatabaseSettings(_Group):
    url: str = Field(DEFAULT_DATABASE_URL, validation_alias="DATABASE_URL")
    pool_size: int = Field(10, ge=1, validation_alias="DATABASE_POOL_SIZE")
    max_overflow: int = Field(10, ge=0, validation_alias="DATABASE_MAX_OVERFLOW")
    pool_timeout_seconds: float = Field(10.0, gt=0, validation_alias="DATABASE_POOL_TIMEOUT")
    # A dead or hung PostgreSQL must answer 503 within 2 s (issue 11): a pooled connection gets
    # the ping timeout to answer before each use, then one new connection the connect timeout to
    # open (db.py). A slow ping under load only costs a reconnect, a slow connect a 503.
    ping_timeout_seconds: float = Field(0.5, gt=0, le=60, validation_alias="DATABASE_PING_TIMEOUT")
    connect_timeout_seconds: float = Field(
        1.0, gt=0, le=60, validation_alias="DATABASE_CONNECT_TIMEOUT"
    )
    statement_timeout_ms: int = Field(5_000, ge=0, validation_alias="DATABASE_STATEMENT_TIMEOUT_MS")
    # SQLite has one writer: a unit of work that may write waits this long for its turn (behind
    # this process's other writers, then behind another process's: the CLI, a second worker)
    # before answering 503. A wait is a queue, never a 409.
    sqlite_write_wait_seconds: float = Field(
        30.0, gt=0, le=600, validation_alias="DATABASE_SQLITE_WRITE_WAIT"
    )
    echo: bool = Field(False, validation_alias="DATABASE_ECHO")

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


class RedisSettings(_Group):
    url: str | None = Field(None, validation_alias="REDIS_URL")
    socket_timeout_seconds: float = Field(1.0, gt=0, validation_alias="REDIS_SOCKET_TIMEOUT")

    @field_validator("url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: object) -> object:
        return value or None


class AuthSettings(_Group):
    jwt_secret: SecretStr = Field(SecretStr(DEFAULT_JWT_SECRET), validation_alias="JWT_SECRET")
    jwt_algorithm: Literal["HS256", "RS256"] = Field("HS256", validation_alias="JWT_ALGORITHM")
    jwt_private_key: SecretStr | None = Field(None, validation_alias="JWT_PRIVATE_KEY")
    jwt_public_key: str | None = Field(None, validation_alias="JWT_PUBLIC_KEY")
    jwt_issuer: str = Field("msmebazaar", validation_alias="JWT_ISSUER")
    access_token_ttl_seconds: int = Field(900, ge=60, validation_alias="ACCESS_TOKEN_TTL_SECONDS")
    refresh_token_ttl_seconds: int = Field(
        30 * 24 * 3600, ge=3600, validation_alias="REFRESH_TOKEN_TTL_SECONDS"
    )
    otp_echo: bool = Field(False, validation_alias="AUTH_OTP_ECHO")
    otp_ttl_seconds: int = Field(300, ge=30, validation_alias="OTP_TTL_SECONDS")
    otp_max_attempts: int = Field(5, ge=1, validation_alias="OTP_MAX_ATTEMPTS")
    otp_resend_cooldown_seconds: int = Field(
        60, ge=0, validation_alias="OTP_RESEND_COOLDOWN_SECONDS"
    )
    otp_max_per_phone_per_hour: int = Field(5, ge=1, validation_alias="OTP_MAX_PER_PHONE_PER_HOUR")
    otp_max_per_ip_per_hour: int = Field(100, ge=1, validation_alias="OTP_MAX_PER_IP_PER_HOUR")
    otp_hash_key: SecretStr | None = Field(None, validation_alias="OTP_HASH_KEY")
    refresh_reuse_grace_seconds: float = Field(
        5.0, ge=0, le=60, validation_alias="REFRESH_REUSE_GRACE_SECONDS"
    )
    session_cache_seconds: float = Field(
        5.0, ge=0, le=30, validation_alias="AUTH_SESSION_CACHE_SECONDS"
    )
    # Fernet keys (comma-separated, newest first: it encrypts, all decrypt) for the stored TOTP
    # secrets. Unset: derived from JWT_SECRET outside production; production refuses to start.
    mfa_encryption_key: SecretStr | None = Field(None, validation_alias="MFA_ENCRYPTION_KEY")
    mfa_token_ttl_seconds: int = Field(300, ge=30, le=900, validation_alias="MFA_TOKEN_TTL_SECONDS")
    mfa_max_attempts: int = Field(5, ge=1, le=20, validation_alias="MFA_MAX_ATTEMPTS")
    # Second-factor codes checked per user and per client address per hour (sign-in, enable,
    # disable), on top of the five tries each sign-in's `mfa_token` allows.
    mfa_max_per_user_per_hour: int = Field(20, ge=1, validation_alias="MFA_MAX_PER_USER_PER_HOUR")
    mfa_max_per_ip_per_hour: int = Field(100, ge=1, validation_alias="MFA_MAX_PER_IP_PER_HOUR")

    @field_validator("mfa_encryption_key")
    @classmethod
    def _fernet_keys(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        for key in value.get_secret_value().split(","):
            if not _is_fernet_key(key.strip()):
                raise ValueError(
                    "MFA_ENCRYPTION_KEY must be Fernet keys (32 bytes, URL-safe base64), "
                    "comma-separated"
                )
        return value


def _is_fernet_key(key: str) -> bool:
    try:
        return len(base64.urlsafe_b64decode(key.encode())) == 32 and len(key) == 44
    except (ValueError, binascii.Error):
        return False


class SmsSettings(_Group):
    provider: Literal["console", "twilio"] = Field("console", validation_alias="SMS_PROVIDER")
    twilio_account_sid: str | None = Field(None, validation_alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: SecretStr | None = Field(None, validation_alias="TWILIO_AUTH_TOKEN")
    twilio_sms_from: str | None = Field(None, validation_alias="TWILIO_SMS_FROM")
    dlt_template_id: str | None = Field(None, validation_alias="SMS_DLT_TEMPLATE_ID")


class WhatsAppSettings(_Group):
    provider: Literal["console", "meta", "twilio"] = Field(
        "console", validation_alias="WHATSAPP_PROVIDER"
    )
    meta_app_secret: SecretStr | None = Field(None, validation_alias="WHATSAPP_META_APP_SECRET")
    meta_verify_token: SecretStr | None = Field(None, validation_alias="WHATSAPP_META_VERIFY_TOKEN")
    meta_access_token: SecretStr | None = Field(None, validation_alias="WHATSAPP_META_ACCESS_TOKEN")
    meta_phone_number_id: str | None = Field(None, validation_alias="WHATSAPP_META_PHONE_NUMBER_ID")
    twilio_whatsapp_from: str | None = Field(None, validation_alias="TWILIO_WHATSAPP_FROM")
    meta_api_version: str = Field(
        "v23.0", pattern=r"^v[0-9]+\.[0-9]+$", validation_alias="WHATSAPP_META_API_VERSION"
    )
    # Outside the 24-hour customer-service window only an approved template may be sent: its
    # Meta name, or its Twilio Content SID (HX...). Unset: such a message is not sent.
    template_name: str | None = Field(
        None, max_length=512, validation_alias="WHATSAPP_TEMPLATE_NAME"
    )
    # How often each app process looks for received messages left unprocessed (0: never).
    sweep_seconds: float = Field(30.0, ge=0, validation_alias="WHATSAPP_SWEEP_SECONDS")


class OidcSettings(_Group):
    """Single sign-on with OpenID Connect: Google when its client is set, and any one other
    issuer (Microsoft Entra ID, Okta, Keycloak...) by its issuer URL."""

    google_client_id: str | None = Field(None, validation_alias="OIDC_GOOGLE_CLIENT_ID")
    google_client_secret: SecretStr | None = Field(
        None, validation_alias="OIDC_GOOGLE_CLIENT_SECRET"
    )
    provider_name: str | None = Field(
        None, pattern=r"^[a-z][a-z0-9-]{1,30}$", validation_alias="OIDC_PROVIDER_NAME"
    )
    provider_label: str | None = Field(None, max_length=40, validation_alias="OIDC_PROVIDER_LABEL")
    issuer: str | None = Field(None, pattern=r"^https://", validation_alias="OIDC_ISSUER")
    client_id: str | None = Field(None, validation_alias="OIDC_CLIENT_ID")
    client_secret: SecretStr | None = Field(None, validation_alias="OIDC_CLIENT_SECRET")
    http_timeout_seconds: float = Field(
        10.0, gt=0, le=60, validation_alias="OIDC_HTTP_TIMEOUT_SECONDS"
    )

    @field_validator("provider_name")
    @classmethod
    def _not_google(cls, value: str | None) -> str | None:
        if value == "google":
            raise ValueError("OIDC_PROVIDER_NAME 'google' is Google's own: use OIDC_GOOGLE_*")
        return value


class OutboxSettings(_Group):
    # None: the worker runs inside the app in development only (tests drive it themselves and
    # production runs `msmebazaar worker`).
    worker_embedded: bool | None = Field(None, validation_alias="OUTBOX_WORKER_EMBEDDED")
    poll_interval_seconds: float = Field(1.0, gt=0, validation_alias="OUTBOX_POLL_INTERVAL_SECONDS")
    batch_size: int = Field(20, ge=1, le=500, validation_alias="OUTBOX_BATCH_SIZE")
    max_attempts: int = Field(8, ge=1, validation_alias="OUTBOX_MAX_ATTEMPTS")
    backoff_base_seconds: float = Field(2.0, gt=0, validation_alias="OUTBOX_BACKOFF_BASE_SECONDS")
    backoff_max_seconds: float = Field(600.0, gt=0, validation_alias="OUTBOX_BACKOFF_MAX_SECONDS")
    lease_seconds: float = Field(120.0, gt=0, validation_alias="OUTBOX_LEASE_SECONDS")


class EventSettings(_Group):
    # How often an idle dispatcher looks for new events (the app's own commits wake it at once).
    poll_seconds: float = Field(0.2, gt=0, validation_alias="EVENTS_POLL_SECONDS")
    batch_size: int = Field(100, ge=1, le=1000, validation_alias="EVENTS_BATCH_SIZE")
    # A handler that fails this many times on one event gives it up (dead letter) and goes on.
    max_attempts: int = Field(5, ge=1, validation_alias="EVENTS_MAX_ATTEMPTS")
    backoff_base_seconds: float = Field(1.0, gt=0, validation_alias="EVENTS_BACKOFF_BASE_SECONDS")
    backoff_max_seconds: float = Field(300.0, gt=0, validation_alias="EVENTS_BACKOFF_MAX_SECONDS")
    # A dispatcher holds a handler for this long per batch; one that dies is replaced after it.
    lease_seconds: float = Field(30.0, gt=0, validation_alias="EVENTS_LEASE_SECONDS")
    # Events every handler has taken are deleted once they are this old.
    retention_days: float = Field(7.0, gt=0, validation_alias="EVENTS_RETENTION_DAYS")


class NotifySettings(_Group):
    """Notifications: email over SMTP, and the live stream's limits."""

    # `smtp://user:password@host:587` (STARTTLS when the server offers it) or `smtps://…:465`
    # (TLS from the first byte). Unset: development prints emails; production sends none.
    smtp_url: SecretStr | None = Field(None, validation_alias="SMTP_URL")
    email_from: str = Field(
        "MSMEBazaar <no-reply@msmebazaar.in>", min_length=3, validation_alias="EMAIL_FROM"
    )
    smtp_timeout_seconds: float = Field(10.0, gt=0, validation_alias="SMTP_TIMEOUT_SECONDS")
    # A comment line this often keeps idle proxies and load balancers from closing a stream.
    heartbeat_seconds: float = Field(
        15.0, gt=0, le=120, validation_alias="NOTIFICATIONS_HEARTBEAT_SECONDS"
    )
    # Open streams one process holds; the next one answers 503 (another process may have room).
    max_streams: int = Field(2000, ge=1, validation_alias="NOTIFICATIONS_MAX_STREAMS")
    # A stream ends after this long and the browser reconnects (proving its sign-in again);
    # below the proxies' one-hour read timeout.
    stream_max_seconds: float = Field(
        1800.0, ge=1, le=3300, validation_alias="NOTIFICATIONS_STREAM_MAX_SECONDS"
    )


class StorageSettings(_Group):
    url: str = Field("file://var/documents", validation_alias="STORAGE_URL")
    s3_endpoint_url: str | None = Field(None, validation_alias="S3_ENDPOINT_URL")


class ObservabilitySettings(_Group):
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = Field(
        "INFO", validation_alias="LOG_LEVEL"
    )
    log_format: Literal["json", "console"] = Field("json", validation_alias="LOG_FORMAT")
    sentry_dsn: SecretStr | None = Field(None, validation_alias="SENTRY_DSN")
    health_timeout_seconds: float = Field(1.5, gt=0, validation_alias="HEALTH_CHECK_TIMEOUT")


class Settings(_Group):
    """All configuration, in groups; build it with `get_settings()`."""

    app: AppSettings = Field(default_factory=AppSettings)
    database: DatabaseSettings = Field(default_factory=DatabaseSettings)
    redis: RedisSettings = Field(default_factory=RedisSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    sms: SmsSettings = Field(default_factory=SmsSettings)
    whatsapp: WhatsAppSettings = Field(default_factory=WhatsAppSettings)
    outbox: OutboxSettings = Field(default_factory=OutboxSettings)
    oidc: OidcSettings = Field(default_factory=OidcSettings)
    events: EventSettings = Field(default_factory=EventSettings)
    notify: NotifySettings = Field(default_factory=NotifySettings)
    storage: StorageSettings = Field(default_factory=StorageSettings)
    observability: ObservabilitySettings = Field(default_factory=ObservabilitySettings)

    @property
    def environment(self) -> Environment:
        return self.app.environment

    @property
    def is_production(self) -> bool:
        return self.app.environment is Environment.PRODUCTION

    @model_validator(mode="after")
    def _refuse_unsafe_production(self) -> Settings:
        if self.is_production:
            problems = production_problems(self)
            if problems:
                raise ConfigError("Refusing to start in production: " + "; ".join(problems))
        return self


def production_problems(settings: Settings) -> list[str]:
    """What makes these settings unsafe for production, each naming the variable to fix."""
    problems: list[str] = []
    auth, app = settings.auth, settings.app
    if auth.jwt_algorithm == "HS256" and (
        auth.jwt_secret.get_secret_value() == DEFAULT_JWT_SECRET
        or len(auth.jwt_secret.get_secret_value()) < 32
    ):
        problems.append("JWT_SECRET is the default or shorter than 32 characters")
    if auth.jwt_algorithm == "RS256" and not (auth.jwt_private_key and auth.jwt_public_key):
        problems.append("JWT_ALGORITHM=RS256 needs JWT_PRIVATE_KEY and JWT_PUBLIC_KEY")
    if "*" in app.cors_origins:
        problems.append("CORS_ORIGINS must list origins, not '*'")
    if "*" in app.allowed_hosts:
        problems.append("ALLOWED_HOSTS must list host names, not '*'")
    if auth.otp_echo:
        problems.append("AUTH_OTP_ECHO must be off")
    if auth.mfa_encryption_key is None:
        problems.append("MFA_ENCRYPTION_KEY is not set (it encrypts the stored TOTP secrets)")
    if app.debug:
        problems.append("DEBUG must be off")
    if settings.database.is_sqlite and not app.allow_sqlite_in_production:
        problems.append("DATABASE_URL is SQLite (set ALLOW_SQLITE_IN_PRODUCTION=true to insist)")
    if settings.sms.provider == "console":
        problems.append("SMS_PROVIDER=console prints codes; use twilio")
    return problems


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process's settings, read once."""
    return Settings()


__all__ = [
    "AppSettings",
    "AuthSettings",
    "ConfigError",
    "DatabaseSettings",
    "Environment",
    "NotifySettings",
    "ObservabilitySettings",
    "OidcSettings",
    "OutboxSettings",
    "RedisSettings",
    "Settings",
    "SmsSettings",
    "StorageSettings",
    "WhatsAppSettings",
    "get_settings",
    "production_problems",
]
