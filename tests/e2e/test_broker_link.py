"""The harness pieces the outage tests rely on: Kafka behind a veth, and the Kubernetes API fake
coming back on the same port."""

from __future__ import annotations

import urllib.error

import pytest
from confluent_kafka import Producer

from tests.e2e.broker import start_netns_kafka
from tests.e2e.procs import http_get
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.k8s_objects import make_namespace
from tests.harness.kafka import KafkaBroker
from tests.harness.prereq import require_binary, require_root

pytestmark = [pytest.mark.privileged, pytest.mark.integration]


def test_kafka_behind_a_veth_is_cut_off_and_comes_back() -> None:
    require_root("network namespaces")
    require_binary("ip")
    kafka = start_netns_kafka()
    try:
        assert kafka.broker.bootstrap.startswith("127.0.0.1:")
        topic = KafkaBroker.new_topic("link")
        producer = Producer(kafka.broker.producer_config())
        producer.produce(topic, b"before")
        assert producer.flush(15) == 0  # through both relays and the veth
        kafka.set_link(False)
        producer.produce(topic, b"during")
        assert producer.flush(2) == 1  # cut off: nothing is acknowledged
        kafka.set_link(True)
        assert producer.flush(30) == 0  # the same message, once the link is back
    finally:
        kafka.close()


def test_kubernetes_fake_restarts_on_its_port_with_its_objects() -> None:
    with FakeKubeApi() as api:
        url = f"{api.url}/api/v1/namespaces"
        headers = {"Authorization": f"Bearer {api.token}"}
        api.add(make_namespace("shop"))
        api.stop()
        with pytest.raises((urllib.error.URLError, ConnectionError)):
            http_get(url, headers, timeout=2)
        api.restart()
        assert b'"shop"' in http_get(url, headers)
