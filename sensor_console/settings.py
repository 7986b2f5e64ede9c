"""The console's settings (YAML + SVRN_CONSOLE_* overrides)."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator

from sensor_console.policy_model import PolicySettings
from sensor_core.durations import Duration
from sensor_core.sections import DEFAULT_DATA_DIR, HttpSettings, LoggingSettings
from sensor_core.settings import Section
from sensor_core.vault import VaultSettings

SQLITE_PREFIX = "sqlite:///"


class GrpcTlsSettings(Section):
    """Server certificate and key (PEM). Both or neither; neither means plaintext gRPC."""

    certfile: Path | None = None
    keyfile: Path | None = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        if (self.certfile is None) != (self.keyfile is None):
            raise ValueError("set both certfile and keyfile, or neither")
        return self

    @property
    def enabled(self) -> bool:
        return self.certfile is not None


class GrpcSettings(Section):
    host: str = "0.0.0.0"  # noqa: S104 - a pod listens on all interfaces
    port: int = Field(default=10350, ge=0, le=65535)
    tls: GrpcTlsSettings = GrpcTlsSettings()
    # flows and assets together in one PushBatch; more is refused with RESOURCE_EXHAUSTED
    maxbatchflows: int = Field(default=10_000, ge=1)
    maxmessagebytes: int = Field(default=16 * 1024 * 1024, ge=1024)


class ConsoleHttpSettings(HttpSettings):
    port: int = Field(default=8080, ge=0, le=65535)


class DatabaseSettings(Section):
    # empty: sqlite:///<datadir>/console.db; or sqlite:///PATH; or postgresql://user:pw@host/db
    url: str = ""

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        if url and not url.startswith((SQLITE_PREFIX, "postgresql://", "postgres://")):
            raise ValueError("use sqlite:///PATH or postgresql://USER:PASSWORD@HOST/DB")
        if url == SQLITE_PREFIX or url.endswith(":memory:"):
            raise ValueError("the SQLite database needs a file path")
        return url


class SensorToken(Section):
    """A sensor allowed to push: its id and the bearer token it presents."""

    sensorid: str = Field(min_length=1)
    token: SecretStr

    @model_validator(mode="after")
    def _token_not_empty(self) -> Self:
        if not self.token.get_secret_value():
            raise ValueError("token must not be empty")
        return self


class AuthSettings(Section):
    """Dashboard and API login. Users and API tokens live in the database (`console user`)."""

    sessionttl: Duration = 12 * 3600.0
    # set the session cookie's Secure flag (serve the console behind TLS)
    securecookies: bool = False


class RetentionSettings(Section):
    """Flows, fields and data assets not seen for `maxage` are deleted; 0 keeps everything."""

    maxage: Duration = 90 * 86400.0
    events: Duration = 30 * 86400.0
    interval: Duration = 3600.0


class WebhookSettings(Section):
    """Where events are POSTed (JSON with a Slack-compatible `text`)."""

    url: str = Field(min_length=1)
    # only these event kinds; empty: all
    kinds: list[str] = Field(default_factory=list)
    timeout: Duration = 5.0
    retries: int = Field(default=5, ge=0, le=20)
    backoff: Duration = 1.0

    @field_validator("url")
    @classmethod
    def _http_url(cls, url: str) -> str:
        if not url.startswith(("http://", "https://")):
            raise ValueError("webhook url must start with http:// or https://")
        return url


class ConsoleSettings(Section):
    # native Vault: secrets read before the settings load (sensor_core.vault)
    vault: VaultSettings = VaultSettings()
    grpc: GrpcSettings = GrpcSettings()
    http: ConsoleHttpSettings = ConsoleHttpSettings()
    datadir: Path = DEFAULT_DATA_DIR
    database: DatabaseSettings = DatabaseSettings()
    # every sensor that may push; a request with any other token is refused
    sensortokens: list[SensorToken] = Field(default_factory=list)
    auth: AuthSettings = AuthSettings()
    retention: RetentionSettings = RetentionSettings()
    policies: PolicySettings = PolicySettings()
    webhooks: list[WebhookSettings] = Field(default_factory=list)
    logging: LoggingSettings = LoggingSettings()

    @model_validator(mode="after")
    def _tokens_unique(self) -> Self:
        secrets = [t.token.get_secret_value() for t in self.sensortokens]
        if len(set(secrets)) != len(secrets):
            raise ValueError("sensortokens: two entries share one token")
        return self

    @property
    def database_path(self) -> Path:
        """The SQLite file the console stores into (unused with PostgreSQL)."""
        if not self.database.url.startswith(SQLITE_PREFIX):
            return self.datadir / "console.db"
        return Path(self.database.url[len(SQLITE_PREFIX) :])

    @property
    def postgres_url(self) -> str:
        """The PostgreSQL URL, or "" for SQLite."""
        return "" if self.database.url.startswith(SQLITE_PREFIX) else self.database.url
