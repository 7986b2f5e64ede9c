"""The `s3` source kind: `crawl.s3` connections (SVRN_CRAWLER_CRAWL_S3).

Every bucket the credentials can list (or the connection's `buckets`), keys grouped by name
pattern; each group is one asset `<bucket>/<pattern>`, sampled in proportion to the log of its
size with ranged reads. Problems with single objects are counted per reason on the asset.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError

from plugins.s3.client import make_client, with_retries
from plugins.s3.reader import object_reason, read_object
from sensor_core.logs import get_logger
from sensor_dar import hookimpl
from sensor_dar.connections import S3Connection
from sensor_dar.keygroups import KeyGroup, KeyGrouper, objects_to_sample
from sensor_dar.model import (
    AssetError,
    AssetRef,
    Connection,
    Sample,
    SampleLimits,
    SourceError,
    SourceKind,
)
from sensor_dar.settings import CrawlerSettings, SamplingSettings
from sensor_dar.source import Source

KIND = "s3"
log = get_logger("plugins.s3")


@dataclass(frozen=True)
class S3Target:
    connection: S3Connection
    sampling: SamplingSettings


@dataclass(frozen=True)
class GroupHandle:
    bucket: str
    group: KeyGroup


class S3Source(Source):
    def __init__(self, connection: Connection, target: S3Target) -> None:
        super().__init__(connection)
        self.target = target
        self.conn = target.connection
        try:
            self.client: Any = make_client(self.conn, target.sampling.timeout)
        except (BotoCoreError, ClientError) as exc:
            raise SourceError(object_reason(exc)) from None

    def _call(self, fn: Callable[[], Any]) -> Any:
        return with_retries(fn, self.conn.retrymaxattempts, self.conn.retrymaxbackoffdelay)

    def buckets(self) -> list[str]:
        if self.conn.buckets:
            return list(self.conn.buckets)
        try:
            out = self._call(self.client.list_buckets)
        except (BotoCoreError, ClientError) as exc:
            raise SourceError(object_reason(exc)) from None
        return sorted(b["Name"] for b in out.get("Buckets", []))

    def groups(self, bucket: str) -> list[KeyGroup]:
        grouper = KeyGrouper(bucket, self.target.sampling.maxobjectspergroup)
        token: str | None = None
        while True:
            kwargs: dict[str, Any] = {"Bucket": bucket, "MaxKeys": 1000}
            if token:
                kwargs["ContinuationToken"] = token
            page = self._list_page(kwargs)
            for item in page.get("Contents", []):
                modified = item.get("LastModified")
                grouper.add(
                    item["Key"], int(item.get("Size", 0)), modified.timestamp() if modified else 0.0
                )
            if not page.get("IsTruncated"):
                break
            token = page.get("NextContinuationToken")
            if not token:
                break
        return grouper.groups()

    def _list_page(self, kwargs: dict[str, Any]) -> Any:
        return self._call(lambda: self.client.list_objects_v2(**kwargs))

    def close(self) -> None:
        self.client.close()


@hookimpl
def register_sources(register: Callable[[SourceKind], None]) -> None:
    register(SourceKind(KIND, "S3 and S3-compatible stores: buckets, key groups, sampled objects"))


@hookimpl
def configure_connections(settings: CrawlerSettings) -> Sequence[Connection]:
    return [
        Connection(KIND, c.instance_name(), S3Target(c, settings.sampling), c.checkinterval)
        for c in settings.crawl.s3
    ]


@hookimpl
def open_source(connection: Connection) -> Source | None:
    if connection.kind != KIND or not isinstance(connection.config, S3Target):
        return None
    return S3Source(connection, connection.config)


@hookimpl
def discover_assets(source: Source) -> Iterable[AssetRef] | None:
    if not isinstance(source, S3Source):
        return None
    assets: list[AssetRef] = []
    for bucket in source.buckets():
        try:
            groups = source.groups(bucket)
        except (BotoCoreError, ClientError) as exc:
            # one bucket that cannot be listed is reported as an asset of its own
            assets.append(AssetRef(f"{bucket}/", handle=object_reason(exc)))
            continue
        assets.extend(
            AssetRef(
                name=f"{bucket}/{g.pattern}",
                fingerprint=g.fingerprint(),
                size_bytes=g.total_bytes,
                objects=g.count,
                handle=GroupHandle(bucket, g),
            )
            for g in groups
        )
    return assets


@hookimpl
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    if not isinstance(source, S3Source):
        return None
    if isinstance(asset.handle, str):
        raise AssetError(asset.handle)
    if not isinstance(asset.handle, GroupHandle):
        return None
    sampling = source.target.sampling
    group, bucket = asset.handle.group, asset.handle.bucket
    wanted = objects_to_sample(group.count, sampling.objectsperlog, sampling.maxobjectspergroup)
    sample = Sample(groups=0)
    per_object = max(1, limits.max_records // wanted)
    for key, size in group.reservoir[:wanted]:
        room = limits.max_bytes - sample.bytes_read
        if room <= 0 or len(sample.records) >= limits.max_records:
            sample.add_error("byte_cap_reached" if room <= 0 else "record_cap_reached")
            break
        max_bytes = min(sampling.maxobjectbytes, room)
        try:
            parsed, read = read_object(
                source.client, source.conn, bucket, key, size, max_bytes, per_object
            )
        except (BotoCoreError, ClientError) as exc:
            sample.add_error(object_reason(exc))
            continue
        sample.groups += 1
        sample.bytes_read += read
        sample.records.extend(parsed.records)
        for reason, count in parsed.problems.items():
            sample.add_error(reason, count)
    if sample.groups == 0 and sample.errors:
        raise AssetError(max(sample.errors, key=lambda r: sample.errors[r]))
    return sample
