"""A fake Kubernetes API server (list, get and chunked watch) for the real `kubernetes` client.

Gives `FakeKubeApi`: `add/update/delete` change its store and push ADDED/MODIFIED/DELETED events
to open watches; `compact()` makes older resourceVersions too old (a watch from one gets a 410
ERROR event, like an apiserver after etcd compaction); `expire_watches()` sends that 410 to the
watches open now; `end_watches()` closes them cleanly; `stop()` then `restart()` is an outage
on the same port. `api_client()` is a configured `kubernetes.client.ApiClient`. Objects come
from `tests.harness.k8s_objects`.
"""

from __future__ import annotations

import copy
import threading
from types import TracebackType
from typing import Any

from tests.harness.http_fake import TrackingHTTPServer
from tests.harness.k8s_handler import BY_KIND, Event, KubeHandler, Resource

Obj = dict[str, Any]
DEFAULT_TOKEN = "dsensor-test-token"


class FakeKubeApi:
    """The fake's state (objects, event history) and its HTTP server on 127.0.0.1:0."""

    def __init__(self, token: str = DEFAULT_TOKEN) -> None:
        self.token = token
        self.cond = threading.Condition()
        self.rv = 1000
        self.compacted_rv = 0
        self.gone_generation = 0
        self.end_generation = 0
        self.objects: dict[tuple[str, str, str], Obj] = {}
        self.events: list[Event] = []
        self.requests: list[str] = []
        self._clients: list[Any] = []
        self._handler = type("BoundKubeHandler", (KubeHandler,), {"api": self})
        self._server = TrackingHTTPServer(self._handler)
        self.closing = self._server.closing

    @property
    def port(self) -> int:
        return self._server.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> FakeKubeApi:
        self._server.start("k8s-fake")
        return self

    def stop(self) -> None:
        for api in self._clients:
            api.close()
        with self.cond:
            self.cond.notify_all()
        self._server.stop()

    def restart(self) -> FakeKubeApi:
        """Serve again on the same port after `stop()`, with the same objects and history."""
        self._server = TrackingHTTPServer(self._handler, port=self.port)
        self.closing = self._server.closing
        return self.start()

    def __enter__(self) -> FakeKubeApi:
        return self.start()

    def __exit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()

    def api_client(self) -> Any:
        """A real `kubernetes.client.ApiClient` for this server (closed when the fake stops)."""
        from kubernetes import client

        cfg = client.Configuration()
        cfg.host = self.url
        cfg.api_key = {"authorization": self.token}
        cfg.api_key_prefix = {"authorization": "Bearer"}
        api = client.ApiClient(cfg)
        self._clients.append(api)
        return api

    # -- state changes -------------------------------------------------------------------------

    @staticmethod
    def _key(resource: Resource, namespace: str | None, name: str) -> tuple[str, str, str]:
        return (resource.kind, (namespace or "") if resource.namespaced else "", name)

    def _record(self, kind: str, event_type: str, obj: Obj) -> Obj:
        resource = BY_KIND[kind]
        self.rv += 1
        obj["metadata"]["resourceVersion"] = str(self.rv)
        self.events.append(Event(self.rv, event_type, resource, copy.deepcopy(obj)))
        self.cond.notify_all()
        return copy.deepcopy(obj)

    def add(self, obj: Obj) -> Obj:
        """Create `obj` (ValueError if it exists); returns the stored copy with resourceVersion."""
        resource = BY_KIND[obj["kind"]]
        meta = obj["metadata"]
        if resource.namespaced and not meta.get("namespace"):
            raise ValueError(f"{obj['kind']} {meta['name']} needs metadata.namespace")
        key = self._key(resource, meta.get("namespace"), meta["name"])
        with self.cond:
            if key in self.objects:
                raise ValueError(f"{obj['kind']} {key[1]}/{key[2]} already exists")
            stored = copy.deepcopy(obj)
            self.objects[key] = stored
            return self._record(resource.kind, "ADDED", stored)

    def update(self, obj: Obj) -> Obj:
        """Replace an existing object (KeyError if missing); watches get MODIFIED."""
        resource = BY_KIND[obj["kind"]]
        meta = obj["metadata"]
        key = self._key(resource, meta.get("namespace"), meta["name"])
        with self.cond:
            old = self.objects[key]
            stored = copy.deepcopy(obj)
            stored["metadata"]["uid"] = old["metadata"]["uid"]
            self.objects[key] = stored
            return self._record(resource.kind, "MODIFIED", stored)

    def delete(self, kind: str, namespace: str | None, name: str) -> Obj:
        """Remove an object (KeyError if missing); watches get DELETED with its last state."""
        resource = BY_KIND[kind]
        with self.cond:
            stored = self.objects.pop(self._key(resource, namespace, name))
            return self._record(kind, "DELETED", stored)

    def get(self, kind: str, namespace: str | None, name: str) -> Obj:
        with self.cond:
            return copy.deepcopy(self.objects[self._key(BY_KIND[kind], namespace, name)])

    def compact(self) -> int:
        """Forget the event history: watching from any resourceVersion before now gets 410."""
        with self.cond:
            self.compacted_rv = self.rv
            self.events.clear()
            return self.rv

    def expire_watches(self) -> None:
        """Send a 410 Expired ERROR event to every open watch and end it."""
        with self.cond:
            self.gone_generation += 1
            self.cond.notify_all()

    def end_watches(self) -> None:
        """End every open watch stream cleanly, as an apiserver does at its timeout."""
        with self.cond:
            self.end_generation += 1
            self.cond.notify_all()

    def watch_count(self) -> int:
        """How many watch requests arrived so far (to wait for a client's reconnect)."""
        with self.cond:
            return sum(1 for r in self.requests if "watch=true" in r or "watch=1" in r)
