"""The digger with Kubernetes enabled: pairs from Kafka are named by the API fake's workloads,
and every node's address list reaches the `iplist` topic."""

from __future__ import annotations

import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml
from confluent_kafka import Consumer, Producer
from dsensor.v1 import pair_pb2

from sensor_console.server import ConsoleServer
from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console
from sensor_core.sections import LoggingSettings
from sensor_dim.digger.service import DiggerService
from sensor_dim.digger.settings import DiggerSettings
from sensor_dim.interceptor.pipeline import read_pairs
from tests.harness import k8s_objects as k
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import KafkaBroker

# the demo capture's addresses, as pods of a small cluster
PODS = {
    "10.244.1.10": ("frontend", "shop", "node-a"),
    "10.244.2.20": ("users", "shop", "node-a"),
    "10.244.3.30": ("payments", "payments", "node-b"),
    "10.244.4.40": ("orders", "shop", "node-b"),
    "10.244.5.50": ("kyc", "compliance", "node-b"),
}


def _kubeconfig(api: FakeKubeApi, path: Path) -> Path:
    path.write_text(
        yaml.safe_dump(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": "fake", "cluster": {"server": api.url}}],
                "users": [{"name": "digger", "user": {"token": api.token}}],
                "contexts": [{"name": "fake", "context": {"cluster": "fake", "user": "digger"}}],
                "current-context": "fake",
            }
        )
    )
    return path


@pytest.fixture
def console(tmp_path: Path) -> Iterator[tuple[ConsoleServer, str]]:
    token = secrets.token_urlsafe(16)
    settings = DemoSettings(bundled_capture(), tmp_path / "console", LoggingSettings())
    with running_console(settings, token) as server:
        yield server, token


def test_workloads_named_from_the_api_and_iplists_published(
    k8s_api: FakeKubeApi,
    kafka_broker: KafkaBroker,
    console: tuple[ConsoleServer, str],
    tmp_path: Path,
) -> None:
    for name in ("shop", "payments", "compliance"):
        k8s_api.add(k.make_namespace(name))
    for node in ("node-a", "node-b"):
        k8s_api.add(k.make_node(node, "192.0.2.1" if node == "node-a" else "192.0.2.2"))
    for ip, (app, namespace, node) in PODS.items():
        deploy = k.make_deployment(app, namespace)
        rs = k.make_replicaset(f"{app}-7d9f", namespace, owner=deploy)
        for obj in (deploy, rs, k.make_pod(f"{app}-7d9f-zz", namespace, ip, node, owner=rs)):
            k8s_api.add(obj)

    topic, iplist_topic = KafkaBroker.new_topic("events"), KafkaBroker.new_topic("iplist")
    server, token = console
    settings = DiggerSettings.model_validate(
        {
            "kafka": {"brokers": [kafka_broker.bootstrap]},
            "eventstopic": topic,
            "consumergroup": f"g-{topic}",
            "fetchwaitmax": "10ms",
            "flushinterval": "300ms",
            "statsclient": {
                "address": f"127.0.0.1:{server.grpc_port}",
                "token": token,
                "sensorid": SENSOR_ID,
                "clustername": "prod",
            },
            "kubernetes": {
                "enabled": True,
                "kubeconfig": str(_kubeconfig(k8s_api, tmp_path / "kubeconfig")),
                "namespaces": {"deny": ["compliance"]},
                "iplisttopic": iplist_topic,
                "iplistinterval": "200ms",
            },
            "datadir": tmp_path / "digger",
            "http": {"host": "127.0.0.1", "port": 0},
        }
    )
    producer = Producer(kafka_broker.producer_config())
    for pair in read_pairs(bundled_capture()).pairs:
        key = f"{pair.destination.ip}:{pair.destination.port}".encode()
        producer.produce(topic, value=pair.SerializeToString(), key=key)
    assert producer.flush(10) == 0

    service = DiggerService(settings)
    assert service.cluster is not None
    thread = threading.Thread(target=service.run, daemon=True)
    thread.start()
    try:
        assert service.cluster.watcher.wait_synced(10)
        lists: dict[str, list[str]] = {}
        consumer = Consumer(kafka_broker.consumer_config(f"probe-{iplist_topic}"))
        consumer.subscribe([iplist_topic])
        deadline = time.monotonic() + 20
        try:
            while len(lists) < 2 and time.monotonic() < deadline:
                msg = consumer.poll(0.2)
                if msg is not None and msg.error() is None:
                    value = pair_pb2.IpList.FromString(msg.value() or b"")
                    assert (msg.key() or b"").decode() == value.node
                    lists[value.node] = list(value.addresses)
        finally:
            consumer.close()
        assert lists == {
            "node-a": ["10.244.1.10", "10.244.2.20"],
            "node-b": ["10.244.3.30", "10.244.4.40"],  # compliance is denied
        }
        assert server.store is not None
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            flows = server.store.data_map()
            if len(flows) >= 7:
                break
            time.sleep(0.2)
        named = {(f.source.namespace, f.source.name, f.source.workload_kind) for f in flows}
        assert ("shop", "frontend", "Deployment") in named
        assert ("shop", "orders", "Deployment") in named
        destinations = {f.destination.name for f in flows}
        assert {"users", "payments", "api.stripe-like.example"} <= destinations
        assert "kyc" not in destinations  # denied namespace: only an address
    finally:
        service.stop()
        thread.join(30)
    assert not thread.is_alive()
