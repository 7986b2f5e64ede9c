"""The digger's view of the cluster: API client, watcher, resolver and the iplist publisher."""

from __future__ import annotations

import threading
from typing import Any

from confluent_kafka import Producer
from kubernetes import client, config

from sensor_core.kafka_settings import client_config
from sensor_core.logs import get_logger
from sensor_dim.digger.assets import Resolver, StaticResolver
from sensor_dim.digger.iplist import IpListPublisher
from sensor_dim.digger.kube_resolver import KubeResolver
from sensor_dim.digger.kube_state import KubeState, Scope
from sensor_dim.digger.kube_watch import KubeWatcher
from sensor_dim.digger.settings import DiggerSettings

log = get_logger("dsensor.digger.cluster")


def api_client(settings: DiggerSettings) -> Any:
    """A configured `kubernetes.client.ApiClient`: the kubeconfig given, else in-cluster."""
    configuration = client.Configuration()
    kubeconfig = settings.kubernetes.kubeconfig
    if kubeconfig is not None:
        config.load_kube_config(  # type: ignore[no-untyped-call]
            config_file=str(kubeconfig), client_configuration=configuration
        )
    else:
        config.load_incluster_config(client_configuration=configuration)  # type: ignore[no-untyped-call]
    return client.ApiClient(configuration)


class ClusterView:
    """Runs the watches and the iplist publisher while the digger runs; `resolver` names peers."""

    def __init__(self, settings: DiggerSettings, api: Any | None = None) -> None:
        k8s = settings.kubernetes
        fallback = StaticResolver(settings.workloads, settings.statsclient.clustername)
        self.state = KubeState(
            Scope(
                allow=tuple(k8s.namespaces.allow),
                deny=tuple(k8s.namespaces.deny),
                excludelabels=tuple(k8s.excludelabels),
            )
        )
        self._api = api if api is not None else api_client(settings)
        self.watcher = KubeWatcher(self._api, self.state, watch_timeout=k8s.watchtimeout)
        self.resolver: Resolver = KubeResolver(
            self.state, fallback, settings.statsclient.clustername
        )
        self._producer = Producer({**client_config(settings.kafka), "linger.ms": 100})
        self.publisher = IpListPublisher(
            self.state, self._produce, k8s.iplisttopic, refresh=k8s.iplistrefresh
        )
        self._interval = k8s.iplistinterval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._publish_loop, name="iplist", daemon=True)

    def _produce(self, topic: str, value: bytes, key: bytes) -> None:
        try:
            self._producer.produce(topic, value=value, key=key)
        except BufferError:
            self._producer.poll(1.0)
            self._producer.produce(topic, value=value, key=key)
        self._producer.poll(0)

    def _publish_loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.publisher.publish()
            except Exception as exc:  # a Kafka hiccup must not end the loop; the next try resends
                log.warning("iplist_publish_failed", error=type(exc).__name__)

    def start(self) -> None:
        self.watcher.start()
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self.watcher.stop()
        if self._thread.is_alive():
            self._thread.join(5)
        self._producer.flush(5)
        self._api.close()
