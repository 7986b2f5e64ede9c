"""`dsensor scan` flags on top of the crawler's settings (they add connections, never replace).

Errors name the flag, the entry and the field, never the value (a connection string holds a
password).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from sensor_dar.connections import KafkaConnection, PostgresConnection, S3Connection
from sensor_dar.settings import CrawlerSettings


@dataclass(frozen=True)
class FlagConnections:
    postgres: tuple[str, ...] = ()
    s3_urls: tuple[str, ...] = ()
    buckets: tuple[str, ...] = ()
    kafka: tuple[str, ...] = ()
    max_records: int | None = None
    data_dir: Path | None = None


def _validated(flag: str, index: int, model: type[Any], data: dict[str, Any]) -> Any:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors(include_input=False, include_url=False, include_context=False):
            where = ".".join(str(p) for p in err["loc"])
            problems.append(f"{flag} entry {index}: field {where!r}: {err['msg']}")
        raise ValueError("; ".join(problems)) from None


def apply_flags(settings: CrawlerSettings, flags: FlagConnections) -> CrawlerSettings:
    """The settings with the flags' connections added; ValueError names the flag and entry."""
    if flags.buckets and not flags.s3_urls:
        raise ValueError("--bucket needs --s3")
    postgres = [
        _validated("--postgres", i, PostgresConnection, {"connectionString": text})
        for i, text in enumerate(flags.postgres)
    ]
    s3 = [
        _validated(
            "--s3",
            i,
            S3Connection,
            {"url": "" if url == "aws" else url, "buckets": list(flags.buckets)},
        )
        for i, url in enumerate(flags.s3_urls)
    ]
    kafka = [
        _validated("--kafka", i, KafkaConnection, {"brokers": text.split(",")})
        for i, text in enumerate(flags.kafka)
    ]
    crawl = settings.crawl.model_copy(
        update={
            "s3": [*settings.crawl.s3, *s3],
            "kafka": [*settings.crawl.kafka, *kafka],
            "database": settings.crawl.database.model_copy(
                update={"postgres": [*settings.crawl.database.postgres, *postgres]}
            ),
        }
    )
    update: dict[str, Any] = {"crawl": crawl}
    if flags.max_records is not None:
        update["sampling"] = settings.sampling.model_copy(update={"maxrecords": flags.max_records})
    if flags.data_dir is not None:
        update["datadir"] = flags.data_dir
    return settings.model_copy(update=update)
