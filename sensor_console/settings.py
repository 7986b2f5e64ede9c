"""The console's settings (YAML + SVRN_CONSOLE_* overrides)."""

from __future__ import annotations

from pathlib import Path
from typing import Self

from pydantic import Field, SecretStr, field_validator, model_validator

from sensor_core.sections import DEFAULT_DATA_DIR, HttpSettings, LoggingSettings
from sensor_core.settings import Section

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
    # empty: sqlite:///<datadir>/console.db; only sqlite:///PATH is supported in this version
    url: str = ""

    @field_validator("url")
    @classmethod
    def _supported(cls, url: str) -> str:
        if url and not url.startswith(SQLITE_PREFIX):
            raise ValueError("only sqlite:///PATH URLs are supported")
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


class ConsoleSettings(Section):
    grpc: GrpcSettings = GrpcSettings()
    http: ConsoleHttpSettings = ConsoleHttpSettings()
    datadir: Path = DEFAULT_DATA_DIR
    database: DatabaseSettings = DatabaseSettings()
    # every sensor that may push; a request with any other token is refused
    sensortokens: list[SensorToken] = Field(default_factory=list)
    logging: LoggingSettings = LoggingSettings()

    @model_validator(mode="after")
    def _tokens_unique(self) -> Self:
        secrets = [t.token.get_secret_value() for t in self.sensortokens]
        if len(set(secrets)) != len(secrets):
            raise ValueError("sensortokens: two entries share one token")
        return self

    @property
    def database_path(self) -> Path:
        """The SQLite file the console stores into."""
        if not self.database.url:
            return self.datadir / "console.db"
        return Path(self.database.url[len(SQLITE_PREFIX) :])
