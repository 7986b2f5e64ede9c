"""The last N messages of every partition of a topic, without joining a group or committing.

The consumer is only ever `assign`ed (never `subscribe`d) at offsets computed from the
watermarks, with auto-commit and offset storage off, so the crawler leaves no trace in the
cluster's consumer groups. Keys and values that are JSON are walked as documents; text becomes a
string; binary payloads are counted and skipped.
"""

from __future__ import annotations

import json
import logging
import time
import uuid
from typing import Any

from confluent_kafka import Consumer, KafkaError, KafkaException, TopicPartition

from sensor_core.kafka_settings import client_config
from sensor_dar.connections import KafkaConnection
from sensor_dar.model import AssetError, Sample, SampleLimits

MAX_MESSAGE_BYTES = 1024 * 1024
LIBRDKAFKA_LOG = logging.getLogger("plugins.kafka.librdkafka")


def new_consumer(conn: KafkaConnection, timeout: float) -> Any:
    config: dict[str, Any] = {
        **client_config(conn),
        # required by the client even though no group is ever joined (assign only)
        "group.id": f"dsensor-crawler-{uuid.uuid4().hex[:8]}",
        "enable.auto.commit": False,
        "enable.auto.offset.store": False,
        "enable.partition.eof": True,
        "fetch.wait.max.ms": 50,
        "socket.timeout.ms": max(1000, int(timeout * 1000)),
        "client.id": "dsensor-crawler",
        # librdkafka's own messages go through logging (broker addresses, never payloads)
        "logger": LIBRDKAFKA_LOG,
    }
    return Consumer(config)


def decode(raw: bytes | None, sample: Sample, what: str) -> object:
    """A JSON document, a text string, or None for absent and binary payloads."""
    if raw is None:
        return None
    if len(raw) > MAX_MESSAGE_BYTES:
        sample.add_error(f"{what}_too_large")
        return None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        sample.add_error(f"{what}_binary")
        return None
    stripped = text.lstrip()
    if stripped[:1] in ("{", "["):
        try:
            return json.loads(text)
        except (json.JSONDecodeError, RecursionError):
            sample.add_error(f"{what}_invalid_json")
            return None
    return text


def schema_of(value: object) -> str:
    if isinstance(value, dict):
        return "object:" + ",".join(sorted(str(k) for k in value)[:64])
    return type(value).__name__


def read_tail(
    consumer: Any,
    topic: str,
    partitions: list[int],
    per_partition: int,
    limits: SampleLimits,
    watermarks: dict[int, tuple[int, int]] | None = None,
) -> Sample:
    """The last `per_partition` messages of each partition (within the record and byte caps).

    `watermarks` (partition -> low, high) seen at discovery save a round trip per partition;
    messages written since are read too, up to the caps.
    """
    sample = Sample()
    assignment = []
    try:
        for p in partitions:
            if watermarks is not None and p in watermarks:
                low, high = watermarks[p]
            else:
                low, high = consumer.get_watermark_offsets(
                    TopicPartition(topic, p), timeout=limits.timeout_seconds, cached=False
                )
            if high > low:
                assignment.append(TopicPartition(topic, p, max(low, high - per_partition)))
    except KafkaException as exc:
        raise AssetError(kafka_reason(exc)) from None
    if not assignment:
        return sample
    consumer.assign(assignment)
    pending = {tp.partition for tp in assignment}
    deadline = time.monotonic() + limits.timeout_seconds
    schemas: set[str] = set()
    try:
        while pending and time.monotonic() < deadline and len(sample.records) < limits.max_records:
            messages = consumer.consume(num_messages=500, timeout=0.2)
            for msg in messages:
                err = msg.error()
                if err is not None:
                    if err.code() == KafkaError._PARTITION_EOF:
                        pending.discard(msg.partition())
                        continue
                    raise AssetError(kafka_reason(KafkaException(err)))
                if sample.bytes_read >= limits.max_bytes:
                    sample.add_error("byte_cap_reached")
                    pending.clear()
                    break
                key, value = msg.key(), msg.value()
                sample.bytes_read += len(key or b"") + len(value or b"")
                record = {
                    "key": decode(key, sample, "key"),
                    "value": decode(value, sample, "value"),
                }
                schemas.add(schema_of(record["key"]) + "|" + schema_of(record["value"]))
                sample.records.append(record)
        if pending and time.monotonic() >= deadline:
            sample.add_error("timeout", len(pending))
    finally:
        consumer.unassign()
    sample.groups = len(schemas)
    return sample


def kafka_reason(exc: KafkaException) -> str:
    err = exc.args[0] if exc.args else None
    code = err.code() if isinstance(err, KafkaError) else None
    if code in (KafkaError.TOPIC_AUTHORIZATION_FAILED, KafkaError.GROUP_AUTHORIZATION_FAILED):
        return "permission_denied"
    if code in (KafkaError._TIMED_OUT, KafkaError.REQUEST_TIMED_OUT):
        return "timeout"
    if code == KafkaError.UNKNOWN_TOPIC_OR_PART:
        return "not_found"
    return "read_failed"
