"""What the digger knows of the cluster: addresses -> workloads, kept current by watch events.

Pure and thread-safe: it holds plain JSON objects as the API returns them (no client models) and
answers two questions — which workload owns an address, and which addresses live on which node.
The watcher (`kube_watch.py`) feeds it; the resolver (`kube_resolver.py`) reads it.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from typing import Any

Obj = Mapping[str, Any]

# the kinds the state keeps; namespaced ones are keyed by (namespace, name)
KINDS = ("Pod", "Service", "ReplicaSet", "Job", "Node", "EndpointSlice")
# owners a pod's controller chain may end in
TOP_OWNERS = ("Deployment", "StatefulSet", "DaemonSet", "CronJob", "Job", "ReplicaSet")


@dataclass(frozen=True)
class Workload:
    """A named thing an address belongs to."""

    name: str
    namespace: str
    kind: str  # Deployment, StatefulSet, DaemonSet, CronJob, Job, ReplicaSet, Pod, Service, Node
    node: str = ""
    labels: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Scope:
    """Which namespaces and pods the digger reports on (shell-style wildcards)."""

    allow: tuple[str, ...] = ("*",)
    deny: tuple[str, ...] = ()
    # a pod with any of these label=value pairs is left out ("key" alone matches any value)
    excludelabels: tuple[str, ...] = ()

    def namespace_allowed(self, namespace: str) -> bool:
        if any(fnmatchcase(namespace, p) for p in self.deny):
            return False
        return any(fnmatchcase(namespace, p) for p in self.allow)

    def labels_allowed(self, labels: Mapping[str, str]) -> bool:
        for rule in self.excludelabels:
            key, _, value = rule.partition("=")
            if key in labels and (not value or labels[key] == value):
                return False
        return True


def _meta(obj: Obj) -> Mapping[str, Any]:
    meta = obj.get("metadata")
    return meta if isinstance(meta, Mapping) else {}


def _key(obj: Obj) -> tuple[str, str]:
    meta = _meta(obj)
    return str(meta.get("namespace") or ""), str(meta.get("name") or "")


def _controller(obj: Obj) -> Mapping[str, Any] | None:
    for ref in _meta(obj).get("ownerReferences") or ():
        if isinstance(ref, Mapping) and ref.get("controller"):
            return ref
    return None


def _labels(obj: Obj) -> dict[str, str]:
    labels = _meta(obj).get("labels") or {}
    return {str(k): str(v) for k, v in labels.items()} if isinstance(labels, Mapping) else {}


class KubeState:
    """Objects by kind and key, plus the address index derived from them."""

    def __init__(self, scope: Scope | None = None) -> None:
        self.scope = scope or Scope()
        self._lock = threading.Lock()
        self._objects: dict[str, dict[tuple[str, str], Obj]] = {k: {} for k in KINDS}
        self._by_ip: dict[str, Workload] = {}
        self._dirty = True
        self.version = 0  # grows with every change; publishers compare it

    # -- feeding -----------------------------------------------------------------------------

    def replace(self, kind: str, items: Iterable[Obj]) -> None:
        """A fresh list of one kind (after a relist) replaces what was known of it."""
        with self._lock:
            self._objects[kind] = {_key(o): o for o in items}
            self._changed()

    def apply(self, kind: str, event_type: str, obj: Obj) -> None:
        """One watch event (ADDED, MODIFIED, DELETED)."""
        if kind not in self._objects:
            return
        with self._lock:
            if event_type == "DELETED":
                self._objects[kind].pop(_key(obj), None)
            elif event_type in ("ADDED", "MODIFIED"):
                self._objects[kind][_key(obj)] = obj
            else:
                return
            self._changed()

    def _changed(self) -> None:
        self._dirty = True
        self.version += 1

    # -- questions ---------------------------------------------------------------------------

    def workload_for(self, ip: str) -> Workload | None:
        with self._lock:
            if self._dirty:
                self._by_ip = self._index()
                self._dirty = False
            return self._by_ip.get(ip)

    def addresses_by_node(self) -> dict[str, list[str]]:
        """Pod addresses (not host-network) per node, in scope: what each interceptor captures."""
        with self._lock:
            pods = list(self._objects["Pod"].values())
        out: dict[str, set[str]] = {}
        for pod in pods:
            spec, status = pod.get("spec") or {}, pod.get("status") or {}
            node = str(spec.get("nodeName") or "")
            if not node or spec.get("hostNetwork") or not self._in_scope(pod):
                continue
            out.setdefault(node, set()).update(_pod_ips(status))
        return {node: sorted(ips) for node, ips in sorted(out.items())}

    # -- derivation (lock held) --------------------------------------------------------------

    def _in_scope(self, obj: Obj) -> bool:
        namespace, _ = _key(obj)
        return self.scope.namespace_allowed(namespace) and self.scope.labels_allowed(_labels(obj))

    def _index(self) -> dict[str, Workload]:
        index: dict[str, Workload] = {}
        for node in self._objects["Node"].values():
            for address in (node.get("status") or {}).get("addresses") or ():
                if address.get("type") == "InternalIP" and address.get("address"):
                    name = _key(node)[1]
                    index[str(address["address"])] = Workload(name, "", "Node", name)
        services = self._services_by_pod()
        for service in self._objects["Service"].values():
            if not self._in_scope(service):
                continue
            namespace, name = _key(service)
            for ip in _service_ips(service.get("spec") or {}):
                index[ip] = Workload(name, namespace, "Service", labels=_labels(service))
        for pod in self._objects["Pod"].values():
            spec, status = pod.get("spec") or {}, pod.get("status") or {}
            if spec.get("hostNetwork") or not self._in_scope(pod):
                continue  # host-network pods share the node's address: the node names it
            namespace, pod_name = _key(pod)
            kind, name = self._owner(pod)
            labels = dict(_labels(pod))
            service_name = services.get((namespace, pod_name))
            if service_name:
                labels["dsensor.io/service"] = service_name
            workload = Workload(name, namespace, kind, str(spec.get("nodeName") or ""), labels)
            for ip in _pod_ips(status):
                index[ip] = workload
        return index

    def _owner(self, pod: Obj) -> tuple[str, str]:
        """(kind, name) at the top of a pod's controller chain."""
        namespace, name = _key(pod)
        kind, current = "Pod", pod
        for _ in range(4):  # Pod -> ReplicaSet -> Deployment, Pod -> Job -> CronJob
            ref = _controller(current)
            if ref is None or ref.get("kind") not in TOP_OWNERS:
                break
            kind, name = str(ref["kind"]), str(ref.get("name") or name)
            store = self._objects.get(kind)
            parent = store.get((namespace, name)) if store is not None else None
            if parent is None:
                if kind == "ReplicaSet":  # not listed yet: the pod-template-hash names the parent
                    suffix = "-" + _labels(pod).get("pod-template-hash", "\0")
                    if name.endswith(suffix):
                        kind, name = "Deployment", name[: -len(suffix)]
                break
            current = parent
        return kind, name

    def _services_by_pod(self) -> dict[tuple[str, str], str]:
        out: dict[tuple[str, str], str] = {}
        for eps in self._objects["EndpointSlice"].values():
            namespace, _ = _key(eps)
            service = _labels(eps).get("kubernetes.io/service-name", "")
            for endpoint in eps.get("endpoints") or ():
                target = endpoint.get("targetRef") or {}
                if service and target.get("kind") == "Pod" and target.get("name"):
                    out[(namespace, str(target["name"]))] = service
        return out


def _pod_ips(status: Mapping[str, Any]) -> set[str]:
    ips = {
        str(p["ip"]) for p in status.get("podIPs") or () if isinstance(p, Mapping) and p.get("ip")
    }
    if status.get("podIP"):
        ips.add(str(status["podIP"]))
    return ips


def _service_ips(spec: Mapping[str, Any]) -> list[str]:
    ips = [str(ip) for ip in spec.get("clusterIPs") or () if ip and ip != "None"]
    if spec.get("clusterIP") and spec["clusterIP"] != "None":
        ips.append(str(spec["clusterIP"]))
    return ips
