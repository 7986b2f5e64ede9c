"""The privacy guarantee, checked: search everything that left a detector for the canaries.

Searched: every file under the sensor's work directory (console database and its WAL, every
process's log, spools, configs), the console's JSON API and pages, every component's /metrics,
and the `iplist` and `heartbeat` topics. Each canary value and its SHA-256/SHA-1/MD5 hex digests
are looked for. The `events` topic is not searched: pairs carry values inside the cluster.
"""

from __future__ import annotations

import contextlib
import urllib.error

from confluent_kafka import Consumer, TopicPartition

from tests.e2e.procs import http_get
from tests.e2e.stack import E2EStack

API_PATHS = (
    "/api/v1/overview", "/api/v1/flows?limit=1000", "/api/v1/assets", "/api/v1/datatypes",
    "/api/v1/datastores", "/api/v1/events", "/api/v1/sensors", "/", "/flows", "/datamap",
)  # fmt: skip


def topic_bytes(stack: E2EStack, topic: str) -> list[bytes]:
    consumer = Consumer(
        stack.kafka.consumer_config(f"privacy-{topic}", **{"enable.auto.commit": False})
    )
    out: list[bytes] = []
    try:
        meta = consumer.list_topics(topic, timeout=10).topics[topic]
        consumer.assign([TopicPartition(topic, p, 0) for p in meta.partitions])
        idle = 0
        while idle < 5:
            msg = consumer.poll(0.3)
            if msg is None or msg.error() is not None:
                idle += 1
                continue
            out.append((msg.key() or b"") + b"\0" + (msg.value() or b""))
    finally:
        consumer.close()
    return out


def outputs(stack: E2EStack) -> dict[str, bytes]:
    """Name -> bytes of every place a sensor's output lands."""
    found: dict[str, bytes] = {}
    for path in sorted(stack.workdir.rglob("*")):
        if path.is_file():
            found[f"file:{path.relative_to(stack.workdir)}"] = path.read_bytes()
    headers = {"Authorization": f"Bearer {stack.api_token}"}
    for api_path in API_PATHS:
        with contextlib.suppress(urllib.error.HTTPError):
            found[f"console:{api_path}"] = http_get(stack.console_url() + api_path, headers)
    for name, component in stack.components.items():
        if component.process is not None:
            found[f"metrics:{name}"] = component.metrics()
    for topic in ("iplist", "heartbeat"):
        found[f"topic:{topic}"] = b"\n".join(topic_bytes(stack, stack.topics[topic]))
    return found


def leaks(stack: E2EStack) -> list[str]:
    """`where: canary #n` for every hit (the canary itself is never printed)."""
    needles = stack.canaries.needles()
    hits: list[str] = []
    for where, data in outputs(stack).items():
        lowered = data.lower()
        for index, needle in enumerate(needles):
            if needle in data or needle.lower() in lowered:
                hits.append(f"{where}: canary #{index}")
    return hits


def searched_bytes(stack: E2EStack) -> int:
    return sum(len(v) for v in outputs(stack).values())
