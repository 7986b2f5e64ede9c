"""List-then-watch of the kinds KubeState keeps, one thread per kind, resynced on 410.

When the API is unreachable the state keeps what it last knew and the watcher retries with
capped backoff; every outcome is counted. Objects are kept as the JSON the API sends.
"""

from __future__ import annotations

import json
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

from kubernetes import client
from kubernetes import watch as k8s_watch
from kubernetes.client.exceptions import ApiException

from sensor_core.logs import get_logger
from sensor_dim.digger.kube_state import KINDS, KubeState

log = get_logger("dsensor.digger.kube")

# kind -> (API group class, cluster-wide list method)
_LISTERS: dict[str, tuple[type[Any], str]] = {
    "Pod": (client.CoreV1Api, "list_pod_for_all_namespaces"),
    "Service": (client.CoreV1Api, "list_service_for_all_namespaces"),
    "Node": (client.CoreV1Api, "list_node"),
    "ReplicaSet": (client.AppsV1Api, "list_replica_set_for_all_namespaces"),
    "Job": (client.BatchV1Api, "list_job_for_all_namespaces"),
    "EndpointSlice": (client.DiscoveryV1Api, "list_endpoint_slice_for_all_namespaces"),
}
assert set(_LISTERS) == set(KINDS)


class _GoneError(Exception):
    """The resourceVersion is too old (HTTP 410): list again."""


class KubeWatcher:
    """Keeps a KubeState current from the API. `start()`, `wait_synced()`, `stop()`."""

    def __init__(
        self,
        api_client: Any,
        state: KubeState,
        *,
        watch_timeout: float = 300.0,
        backoff_max: float = 30.0,
    ) -> None:
        self._api = api_client
        self.state = state
        self.watch_timeout = watch_timeout
        self.backoff_max = backoff_max
        self.counters: Counter[str] = Counter()
        self._stop = threading.Event()
        self._synced = {kind: threading.Event() for kind in KINDS}
        self._threads: list[threading.Thread] = []
        self._lock = threading.Lock()

    def start(self) -> None:
        for kind in KINDS:
            thread = threading.Thread(target=self._run, args=(kind,), name=f"kube-{kind}")
            thread.daemon = True
            thread.start()
            self._threads.append(thread)

    def stop(self, timeout: float = 2.0) -> None:
        """Ask every thread to end and wait `timeout` in all. A thread blocked on an open watch
        ends when its stream does; the threads are daemons, so shutdown never waits on them."""
        self._stop.set()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))

    def wait_synced(self, timeout: float) -> bool:
        """True once every kind was listed at least once."""
        deadline = threading.Event()
        timer = threading.Timer(timeout, deadline.set)
        timer.start()
        try:
            for event in self._synced.values():
                while not event.wait(0.05):
                    if deadline.is_set():
                        return False
            return True
        finally:
            timer.cancel()

    def _count(self, name: str) -> None:
        with self._lock:
            self.counters[name] += 1

    def _lister(self, kind: str) -> Callable[..., Any]:
        api_class, method = _LISTERS[kind]
        lister: Callable[..., Any] = getattr(api_class(self._api), method)
        return lister

    def _run(self, kind: str) -> None:
        lister = self._lister(kind)
        version: str | None = None
        delay = 0.5
        while not self._stop.is_set():
            try:
                if version is None:
                    version = self._list(kind, lister)
                version = self._watch(kind, lister, version)
                delay = 0.5
            except _GoneError:
                self._count("relists")
                version = None
            except ApiException as exc:
                if exc.status == 410:
                    self._count("relists")
                    version = None
                    continue
                self._count("api_errors")
                log.warning("kube_api_error", kind=kind, status=exc.status)
                delay = self._backoff(delay)
            except Exception as exc:  # unreachable API, broken stream: keep the last state
                self._count("api_unreachable")
                log.warning("kube_api_unreachable", kind=kind, error=type(exc).__name__)
                delay = self._backoff(delay)

    def _backoff(self, delay: float) -> float:
        self._stop.wait(delay)
        return min(delay * 2, self.backoff_max)

    def _list(self, kind: str, lister: Callable[..., Any]) -> str:
        response = lister(_preload_content=False, _request_timeout=30)
        try:
            body = json.loads(response.data)
        finally:
            response.release_conn()
        self.state.replace(kind, body.get("items") or [])
        self._synced[kind].set()
        self._count("lists")
        return str((body.get("metadata") or {}).get("resourceVersion") or "")

    def _watch(self, kind: str, lister: Callable[..., Any], version: str) -> str:
        watcher = k8s_watch.Watch()  # type: ignore[no-untyped-call]
        stream = watcher.stream(  # type: ignore[no-untyped-call]
            lister,
            resource_version=version,
            timeout_seconds=max(1, int(self.watch_timeout)),
            _request_timeout=self.watch_timeout + 10,
        )
        try:
            for event in stream:
                if self._stop.is_set():
                    break
                kind_of_event = event.get("type")
                raw = event.get("raw_object") or {}
                if kind_of_event == "ERROR":
                    if raw.get("code") == 410:
                        raise _GoneError
                    self._count("watch_errors")
                    continue
                version = str((raw.get("metadata") or {}).get("resourceVersion") or version)
                if kind_of_event != "BOOKMARK":
                    self.state.apply(kind, str(kind_of_event), raw)
                    self._count("events")
        finally:
            watcher.stop()  # type: ignore[no-untyped-call]
        return version
