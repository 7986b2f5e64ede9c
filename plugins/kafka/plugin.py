"""The `kafka` source kind: `crawl.kafka` connections (SVRN_CRAWLER_CRAWL_KAFKA).

Each topic that is not internal (`__consumer_offsets`, `_schemas`, names starting with `__` or
`_confluent`) is one asset; its records are `{"key": ..., "value": ...}`, so paths read
`$.value.a.b` and `$.key.a`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaException, TopicPartition

from plugins.kafka.reader import kafka_reason, new_consumer, read_tail
from sensor_core.logs import get_logger
from sensor_dar import hookimpl
from sensor_dar.connections import KafkaConnection
from sensor_dar.model import AssetRef, Connection, Sample, SampleLimits, SourceError, SourceKind
from sensor_dar.settings import CrawlerSettings, SamplingSettings
from sensor_dar.source import Source

KIND = "kafka"
INTERNAL_PREFIXES = ("__", "_confluent", "_schemas", "_connect")
log = get_logger("plugins.kafka")


def is_internal(topic: str) -> bool:
    return topic.startswith(INTERNAL_PREFIXES)


@dataclass(frozen=True)
class TopicHandle:
    partitions: tuple[int, ...]
    # partition -> (low, high) watermarks seen at discovery; None when the broker did not answer
    watermarks: dict[int, tuple[int, int]] | None


def topic_asset(topic: str, handle: TopicHandle) -> AssetRef:
    """The topic as an asset: messages between the watermarks; the high watermarks (end offsets)
    are its fingerprint, so a topic nothing was written to since the last scan is skipped."""
    if handle.watermarks is None:
        return AssetRef(topic, handle=handle, partitions=len(handle.partitions))
    marks = handle.watermarks
    return AssetRef(
        topic,
        fingerprint=",".join(f"{p}:{marks[p][1]}" for p in sorted(marks)),
        records_estimate=sum(max(0, high - low) for low, high in marks.values()),
        handle=handle,
        partitions=len(handle.partitions),
    )


@dataclass(frozen=True)
class KafkaTarget:
    connection: KafkaConnection
    sampling: SamplingSettings


class KafkaSource(Source):
    def __init__(self, connection: Connection, target: KafkaTarget) -> None:
        super().__init__(connection)
        self.target = target
        try:
            self.consumer: Any = new_consumer(target.connection, target.sampling.timeout)
        except (KafkaException, ValueError):
            raise SourceError("invalid_client_config") from None

    def topics(self) -> dict[str, list[int]]:
        try:
            meta = self.consumer.list_topics(timeout=self.target.sampling.timeout)
        except KafkaException:
            raise SourceError("unreachable") from None
        wanted = set(self.target.connection.topics)
        out = {}
        for name, topic in meta.topics.items():
            if is_internal(name) or (wanted and name not in wanted) or topic.error is not None:
                continue
            out[name] = sorted(topic.partitions)
        return dict(sorted(out.items()))

    def watermarks(self, topic: str, partitions: list[int]) -> dict[int, tuple[int, int]] | None:
        """Low and high watermarks of every partition, or None when one cannot be read."""
        out = {}
        try:
            for p in partitions:
                low, high = self.consumer.get_watermark_offsets(
                    TopicPartition(topic, p), timeout=self.target.sampling.timeout, cached=False
                )
                out[p] = (int(low), int(high))
        except KafkaException as exc:
            log.warning("watermarks_unavailable", reason=kafka_reason(exc))
            return None
        return out

    def close(self) -> None:
        self.consumer.close()


@hookimpl
def register_sources(register: Callable[[SourceKind], None]) -> None:
    register(SourceKind(KIND, "Kafka: topics, the last messages of every partition"))


@hookimpl
def configure_connections(settings: CrawlerSettings) -> Sequence[Connection]:
    return [
        Connection(KIND, c.instance_name(), KafkaTarget(c, settings.sampling), c.checkinterval)
        for c in settings.crawl.kafka
    ]


@hookimpl
def open_source(connection: Connection) -> Source | None:
    if connection.kind != KIND or not isinstance(connection.config, KafkaTarget):
        return None
    return KafkaSource(connection, connection.config)


@hookimpl
def discover_assets(source: Source) -> Iterable[AssetRef] | None:
    if not isinstance(source, KafkaSource):
        return None
    assets = []
    for topic, partitions in source.topics().items():
        handle = TopicHandle(tuple(partitions), source.watermarks(topic, partitions))
        assets.append(topic_asset(topic, handle))
    return assets


@hookimpl
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    if not isinstance(source, KafkaSource) or not isinstance(asset.handle, TopicHandle):
        return None
    partitions = list(asset.handle.partitions)
    per_partition = min(
        source.target.connection.messagesperpartition,
        max(1, limits.max_records // max(1, len(partitions))),
    )
    return read_tail(
        source.consumer, asset.name, partitions, per_partition, limits, asset.handle.watermarks
    )
