"""The `kafka` source kind: `crawl.kafka` connections (SVRN_CRAWLER_CRAWL_KAFKA).

Each topic that is not internal (`__consumer_offsets`, `_schemas`, names starting with `__` or
`_confluent`) is one asset; its records are `{"key": ..., "value": ...}`, so paths read
`$.value.a.b` and `$.key.a`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from confluent_kafka import KafkaException

from plugins.kafka.reader import new_consumer, read_tail
from sensor_dar import hookimpl
from sensor_dar.connections import KafkaConnection
from sensor_dar.model import AssetRef, Connection, Sample, SampleLimits, SourceError, SourceKind
from sensor_dar.settings import CrawlerSettings, SamplingSettings
from sensor_dar.source import Source

KIND = "kafka"
INTERNAL_PREFIXES = ("__", "_confluent", "_schemas", "_connect")


def is_internal(topic: str) -> bool:
    return topic.startswith(INTERNAL_PREFIXES)


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
        assets.append(AssetRef(topic, handle=partitions))
    return assets


@hookimpl
def sample_records(source: Source, asset: AssetRef, limits: SampleLimits) -> Sample | None:
    if not isinstance(source, KafkaSource) or not isinstance(asset.handle, list):
        return None
    partitions = [int(p) for p in asset.handle]
    per_partition = min(
        source.target.connection.messagesperpartition,
        max(1, limits.max_records // max(1, len(partitions))),
    )
    return read_tail(source.consumer, asset.name, partitions, per_partition, limits)
