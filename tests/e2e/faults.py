"""What the fault tests read: consumer-group lag, stats-client counters, stored batches."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

from confluent_kafka import Consumer, TopicPartition

from tests.e2e.procs import counter_value
from tests.e2e.stack import E2EStack

# how long the console stays down in test_console_outage (CI keeps it short)
OUTAGE_SECONDS = float(os.environ.get("DSENSOR_E2E_OUTAGE_SECONDS", "3"))


def group_lag(stack: E2EStack) -> int:
    """Messages of `events` the digger group has not committed (0: nothing left behind)."""
    topic = stack.topics["events"]
    group = stack.components["digger-b"].config["consumergroup"]
    consumer = Consumer(stack.kafka.consumer_config(group, **{"enable.auto.commit": False}))
    try:
        meta = consumer.list_topics(topic, timeout=10).topics[topic]
        parts = [TopicPartition(topic, p) for p in meta.partitions]
        lag = 0
        for committed in consumer.committed(parts, timeout=10):
            _low, high = consumer.get_watermark_offsets(committed, timeout=10)
            lag += high - max(committed.offset, 0)
        return lag
    finally:
        consumer.close()


def digger_counter(
    stack: E2EStack, source: str, event: str, diggers: tuple[str, ...] = ("digger-a", "digger-b")
) -> int:
    """`dsensor_digger_<source>{event=...}` summed over the running diggers."""
    total = 0.0
    for name in diggers:
        component = stack.components[name]
        if component.process is not None:
            total += counter_value(component.metrics(), f"dsensor_digger_{source}", event=event)
    return int(total)


def statsclient(
    stack: E2EStack, event: str, diggers: tuple[str, ...] = ("digger-a", "digger-b")
) -> int:
    return digger_counter(stack, "statsclient", event, diggers)


def interceptor_counter(stack: E2EStack, family: str) -> int:
    metrics = stack.components["interceptor"].metrics()
    return int(counter_value(metrics, f"dsensor_interceptor_{family}"))


def stored_batches(stack: E2EStack) -> int:
    path = Path(stack.components["console"].config["datadir"]) / "console.db"
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT COUNT(*) FROM batches").fetchone()[0])
    finally:
        conn.close()


def batch_surplus(stack: E2EStack) -> int:
    """Batches the console stored minus batches the running diggers count as sent (what the
    crawler and earlier digger processes sent), read until two reads agree (a batch in flight
    is stored before its sender counts it)."""
    last = None
    for _ in range(20):
        value = stored_batches(stack) - statsclient(stack, "sent_batches")
        if value == last:
            return value
        last = value
        time.sleep(0.3)
    raise AssertionError("stored and sent batch counts never settled")


def spooled_files(stack: E2EStack) -> int:
    return sum(
        1 for name in ("digger-a", "digger-b") for p in (stack.workdir / name).rglob("*")
        if p.is_file() and "spool" in p.parts
    )  # fmt: skip


def flows_seen_after(stack: E2EStack, since_ns: int) -> set[tuple[str, str, str, str]]:
    """Flow keys whose last_seen is at or after `since_ns` (traffic after a fault arrived)."""
    keys = set()
    for flow in stack.api("/api/v1/flows?limit=1000")["flows"]:
        if flow["last_seen_unix_nanos"] >= since_ns:
            src, dst = flow["source"], flow["destination"]
            keys.add((
                f"{src['namespace']}/{src['name']}" if src.get("namespace") else src["name"],
                f"{dst['namespace']}/{dst['name']}" if dst.get("namespace") else dst["name"],
                flow["method"], flow["path_template"],
            ))  # fmt: skip
    return keys


def now_ns() -> int:
    return time.time_ns()
