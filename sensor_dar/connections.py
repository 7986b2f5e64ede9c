"""Connection objects of the crawler, in the documented formats (shared/REFERENCE.md).

`SVRN_CRAWLER_CRAWL_S3`, `SVRN_CRAWLER_CRAWL_KAFKA` and `SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES`
hold JSON lists of these objects; keys are exactly as the chart renders them (including the
camelCase `connectionString` and `defaultDBName`). Secrets are `SecretStr`, and validators never
put a value into an error message.
"""

from __future__ import annotations

from typing import Literal
from urllib.parse import urlsplit

from pydantic import Field, SecretStr, field_validator

from sensor_core.durations import Duration
from sensor_core.kafka_settings import KafkaSettings
from sensor_core.settings import Section

_PG_SCHEMES = ("postgres", "postgresql")


class PostgresConnection(Section):
    """One PostgreSQL instance; with no database in the string every database is enumerated."""

    name: str = ""
    connection_string: SecretStr = Field(alias="connectionString")
    default_db_name: str = Field(default="", alias="defaultDBName")
    checkinterval: Duration = 24 * 3600.0
    includeviews: bool = False

    @field_validator("connection_string")
    @classmethod
    def _looks_like_postgres(cls, value: SecretStr) -> SecretStr:
        text = value.get_secret_value().strip()
        if not text:
            raise ValueError("must not be empty")
        if "://" in text:
            try:
                parts = urlsplit(text)
                _ = parts.port  # raises on a port that is not a number
            except ValueError:
                raise ValueError("not a valid postgres:// URL") from None
            if parts.scheme not in _PG_SCHEMES:
                raise ValueError("the URL scheme must be postgres:// or postgresql://")
            if not parts.hostname and "host=" not in parts.query:
                raise ValueError("the URL names no host")
        elif "=" not in text:
            raise ValueError("not a postgres:// URL nor key=value pairs")
        return SecretStr(text)

    def instance_name(self) -> str:
        """What output calls this instance: `name`, else host:port of the string (no user)."""
        if self.name:
            return self.name
        text = self.connection_string.get_secret_value()
        if "://" in text:
            parts = urlsplit(text)
            return f"{parts.hostname or 'localhost'}:{parts.port or 5432}"
        return "postgres"


class DatabaseSettings(Section):
    postgres: list[PostgresConnection] = Field(default_factory=list)


class S3Connection(Section):
    """One S3 endpoint: AWS when `url` is empty, else a custom endpoint (MinIO, moto)."""

    name: str = ""
    url: str = ""
    type: Literal["aws", "minio"] = "aws"
    region: str = "us-east-1"
    accesskeyid: str = ""
    secretaccesskey: SecretStr = SecretStr("")
    rolearn: str = ""
    rolesessionname: str = "dsensor-crawler"
    duration: Duration = 3600.0
    checkinterval: Duration = 12 * 3600.0
    retrymaxattempts: int = Field(default=5, ge=1, le=20)
    retrymaxbackoffdelay: Duration = 20.0
    # empty: every bucket the credentials can list
    buckets: list[str] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _http_url(cls, value: str) -> str:
        text = value.strip()
        if text:
            parts = urlsplit(text)
            if parts.scheme not in ("http", "https") or not parts.hostname:
                raise ValueError("must be an http:// or https:// URL (empty means AWS)")
        return text

    @field_validator("duration")
    @classmethod
    def _sts_duration(cls, value: float) -> float:
        if not 900 <= value <= 43200:
            raise ValueError("assume-role duration must be between 15m and 12h")
        return value

    def instance_name(self) -> str:
        if self.name:
            return self.name
        if self.url:
            parts = urlsplit(self.url)
            return parts.netloc.rpartition("@")[2]
        return "aws"


class KafkaConnection(KafkaSettings):
    """One Kafka cluster: the shared connection shape plus the seeds' `instancename`."""

    instancename: str = ""
    brokers: list[str] = Field(min_length=1)
    # the last N messages of every partition are read
    messagesperpartition: int = Field(default=100, ge=1, le=10_000)
    checkinterval: Duration | None = None
    # topics to read; empty: every topic that is not internal
    topics: list[str] = Field(default_factory=list)

    def instance_name(self) -> str:
        return self.instancename or self.brokers[0]


class CrawlSettings(Section):
    s3: list[S3Connection] = Field(default_factory=list)
    kafka: list[KafkaConnection] = Field(default_factory=list)
    database: DatabaseSettings = DatabaseSettings()
    # third-party plugins: plugin source kind -> list of connection objects it validates itself
    plugins: dict[str, list[dict[str, object]]] = Field(default_factory=dict)
