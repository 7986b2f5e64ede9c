"""The Kafka plugin against librdkafka's mock cluster: last N messages, no group, no commit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from confluent_kafka import Producer

from plugins.kafka.plugin import is_internal
from tests.crawler.helpers import crawl_once, settings_for, types_at
from tests.crawler.seed import People
from tests.harness.kafka import KafkaBroker


@pytest.fixture(scope="module")
def orders_topic(kafka_broker: KafkaBroker, people: People) -> str:
    topic = kafka_broker.new_topic("orders")
    producer = Producer(kafka_broker.producer_config())
    for i, person in enumerate(people.people(60, start=200)):
        key = json.dumps({"customer_email": person["email"]}).encode()
        value = {"order": i, "buyer": {"name": person["full_name"], "card": person["card_number"]}}
        producer.produce(topic, key=key, value=json.dumps(value).encode(), partition=i % 4)
    producer.produce(topic, key=b"plain-key", value=b"\xff\xfe binary", partition=0)
    producer.produce(topic, value=b'{"broken": ', partition=1)
    assert producer.flush(15) == 0
    return topic


def _kafka(broker: KafkaBroker, topics: list[str], per_partition: int = 100) -> dict[str, object]:
    connection = {
        "instancename": "events-cluster",
        "brokers": [broker.bootstrap],
        "tls": False,
        "tlsconfig": {"insecureskipverify": False, "cafile": "", "certfile": "", "keyfile": ""},
        "sasl": False,
        "user": "",
        "password": "",
        "topics": topics,
        "messagesperpartition": per_partition,
    }
    return {"crawl": {"kafka": [connection]}}


def test_last_messages_typed_by_key_and_value(
    kafka_broker: KafkaBroker, orders_topic: str, tmp_path: Path
) -> None:
    report, results = crawl_once(settings_for(tmp_path, **_kafka(kafka_broker, [orders_topic])))
    topic = results[orders_topic]
    assert topic.source == "kafka"
    assert topic.instance == "events-cluster"
    assert topic.sampled == 62
    assert "email" in types_at(topic, "$.key.customer_email")
    assert "credit_card_number" in types_at(topic, "$.value.buyer.card")
    assert "person_name" in types_at(topic, "$.value.buyer.name")
    assert topic.errors == {"value_binary": 1, "value_invalid_json": 1}
    assert report.failures == []


def test_message_counts_from_watermarks(
    kafka_broker: KafkaBroker, orders_topic: str, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, **_kafka(kafka_broker, [orders_topic], per_partition=5))
    _, results = crawl_once(settings)
    topic = results[orders_topic]
    assert topic.partitions == 4
    assert topic.records_estimate == 62  # 60 orders, one binary and one broken message
    assert topic.size_bytes == -1  # brokers do not tell a consumer how big a log is
    assert topic.objects == -1
    # 5 messages from the end of each partition: their keys and values, nothing more
    assert 0 < topic.bytes_read < 20 * 200


def test_incremental_skips_unchanged_topics(
    kafka_broker: KafkaBroker, people: People, tmp_path: Path
) -> None:
    quiet, busy = kafka_broker.new_topic("quiet"), kafka_broker.new_topic("busy")
    producer = Producer(kafka_broker.producer_config())
    for person in people.people(6, start=300):
        for topic in (quiet, busy):
            producer.produce(topic, value=json.dumps({"mail": person["email"]}).encode(), key=None)
    assert producer.flush(15) == 0
    settings = settings_for(tmp_path, **_kafka(kafka_broker, [quiet, busy]))
    first, scanned = crawl_once(settings, incremental=True)
    assert set(scanned) == {quiet, busy}
    assert "assets_unchanged" not in first.counters
    second, again = crawl_once(settings, incremental=True)
    assert again == {}
    assert second.counters["assets_unchanged"] == 2
    producer.produce(busy, value=b'{"mail": "nobody"}', partition=0)
    assert producer.flush(15) == 0
    _, changed = crawl_once(settings, incremental=True)
    assert set(changed) == {busy}
    assert changed[busy].records_estimate == 7


def test_only_the_tail_of_each_partition(
    kafka_broker: KafkaBroker, orders_topic: str, tmp_path: Path
) -> None:
    settings = settings_for(tmp_path, **_kafka(kafka_broker, [orders_topic], per_partition=5))
    _, results = crawl_once(settings)
    assert results[orders_topic].sampled == 4 * 5


def test_no_consumer_group_is_left_behind(
    kafka_broker: KafkaBroker, orders_topic: str, tmp_path: Path
) -> None:
    from confluent_kafka.admin import AdminClient

    crawl_once(settings_for(tmp_path, **_kafka(kafka_broker, [orders_topic])))
    admin = AdminClient({"bootstrap.servers": kafka_broker.bootstrap})
    listed = admin.list_consumer_groups(request_timeout=10).result(timeout=15)
    assert not [g for g in listed.valid if g.group_id.startswith("dsensor-crawler")]


def test_internal_topics_skipped() -> None:
    assert is_internal("__consumer_offsets")
    assert is_internal("_schemas")
    assert is_internal("_confluent-metrics")
    assert not is_internal("orders")


def test_unreachable_brokers_reported(tmp_path: Path) -> None:
    settings = settings_for(
        tmp_path,
        sampling={"timeout": "1s"},
        crawl={"kafka": [{"instancename": "gone", "brokers": ["127.0.0.1:1"]}]},
    )
    report, results = crawl_once(settings)
    assert results == {}
    assert [(f.instance, f.reason) for f in report.failures] == [("gone", "unreachable")]
