"""HTTP side of the fake Kubernetes API: routes, selectors, list, get and chunked watch.

Status codes and bodies follow the apiserver: 401/404/405 as `Status` objects, lists with
`kind: <Kind>List` and `metadata.resourceVersion`, watch events one JSON object per line.
"""

from __future__ import annotations

import bisect
import copy
import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tests.harness.http_fake import JsonHandler

if TYPE_CHECKING:
    from tests.harness.k8s_fake import FakeKubeApi

Obj = dict[str, Any]
MAX_WATCH_SECONDS = 1800.0


@dataclass(frozen=True)
class Resource:
    kind: str
    api_version: str
    plural: str
    namespaced: bool

    @property
    def prefix(self) -> str:
        return "/api/v1" if self.api_version == "v1" else f"/apis/{self.api_version}"


RESOURCES = (
    Resource("Pod", "v1", "pods", True),
    Resource("Service", "v1", "services", True),
    Resource("Endpoints", "v1", "endpoints", True),
    Resource("Node", "v1", "nodes", False),
    Resource("Namespace", "v1", "namespaces", False),
    Resource("EndpointSlice", "discovery.k8s.io/v1", "endpointslices", True),
    Resource("Deployment", "apps/v1", "deployments", True),
    Resource("ReplicaSet", "apps/v1", "replicasets", True),
    Resource("StatefulSet", "apps/v1", "statefulsets", True),
    Resource("DaemonSet", "apps/v1", "daemonsets", True),
    Resource("Job", "batch/v1", "jobs", True),
    Resource("CronJob", "batch/v1", "cronjobs", True),
)
BY_KIND = {r.kind: r for r in RESOURCES}
BY_ROUTE = {(r.prefix, r.plural): r for r in RESOURCES}
PREFIXES = sorted({r.prefix for r in RESOURCES}, key=len, reverse=True)


@dataclass(frozen=True)
class Event:
    rv: int
    type: str
    resource: Resource
    obj: Obj


def status_body(code: int, reason: str, message: str) -> Obj:
    return {
        "kind": "Status",
        "apiVersion": "v1",
        "metadata": {},
        "status": "Failure",
        "message": message,
        "reason": reason,
        "code": code,
    }


def parse_route(path: str) -> tuple[Resource, str | None, str | None] | None:
    """(resource, namespace, name) for a collection or object path; None when unknown."""
    for prefix in PREFIXES:
        if not path.startswith(prefix + "/"):
            continue
        parts = path[len(prefix) + 1 :].strip("/").split("/")
        ns: str | None = None
        if len(parts) >= 3 and parts[0] == "namespaces":
            ns, parts = parts[1], parts[2:]
        resource = BY_ROUTE.get((prefix, parts[0]))
        if resource is None or len(parts) > 2 or (ns is not None and not resource.namespaced):
            return None
        name = parts[1] if len(parts) == 2 else None
        if name is not None and resource.namespaced and ns is None:
            return None
        return resource, ns, name
    return None


def _lookup(obj: Obj, dotted: str) -> str | None:
    node: Any = obj
    for part in dotted.split("."):
        if not isinstance(node, dict) or part not in node:
            return None
        node = node[part]
    return None if node is None else str(node)


def parse_selector(text: str) -> list[tuple[str, str, str | None]]:
    """Equality selectors: `k=v`, `k==v`, `k!=v`, `k`, `!k` → (op, key, value) terms."""
    terms: list[tuple[str, str, str | None]] = []
    for raw in filter(None, (t.strip() for t in text.split(","))):
        if "(" in raw or " " in raw:
            raise ValueError("unable to parse requirement: set-based selectors are not supported")
        if "!=" in raw:
            key, value = raw.split("!=", 1)
            terms.append(("!=", key, value))
        elif "=" in raw:
            key, value = raw.replace("==", "=").split("=", 1)
            terms.append(("=", key, value))
        elif raw.startswith("!"):
            terms.append(("!", raw[1:], None))
        else:
            terms.append(("exists", raw, None))
    return terms


def _selected(values: dict[str, str | None], terms: list[tuple[str, str, str | None]]) -> bool:
    for op, key, want in terms:
        have = values.get(key)
        if (
            (op == "=" and have != want)
            or (op == "!=" and have == want)
            or (op == "exists" and have is None)
            or (op == "!" and have is not None)
        ):
            return False
    return True


class KubeHandler(JsonHandler):
    api: FakeKubeApi

    def send_status(self, code: int, reason: str, message: str) -> None:
        self.send_json(code, status_body(code, reason, message))

    def _refuse(self) -> None:
        self.send_status(405, "MethodNotAllowed", "the fake API server serves reads only")

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        self._refuse()

    def do_PUT(self) -> None:  # noqa: N802
        self._refuse()

    def do_PATCH(self) -> None:  # noqa: N802
        self._refuse()

    def do_DELETE(self) -> None:  # noqa: N802
        self._refuse()

    def do_GET(self) -> None:  # noqa: N802
        path, query = self.split_url()
        with self.api.cond:
            self.api.requests.append(self.path)
        if self.headers.get("Authorization") != f"Bearer {self.api.token}":
            self.send_status(401, "Unauthorized", "Unauthorized")
            return
        if path == "/version":
            self.send_json(200, {"major": "1", "minor": "30", "gitVersion": "v1.30.0"})
            return
        route = parse_route(path)
        if route is None:
            self.send_status(404, "NotFound", "the server could not find the requested resource")
            return
        resource, ns, name = route
        if name is not None:
            self.get_one(resource, ns, name)
            return
        try:
            labels = parse_selector(query.get("labelSelector", ""))
            fields = parse_selector(query.get("fieldSelector", ""))
        except ValueError as exc:
            self.send_status(400, "BadRequest", str(exc))
            return

        def match(obj: Obj) -> bool:
            meta = obj["metadata"]
            if ns is not None and meta.get("namespace") != ns:
                return False
            field_values = {key: _lookup(obj, key) for _, key, _ in fields}
            return _selected(meta.get("labels") or {}, labels) and _selected(field_values, fields)

        if query.get("watch") in ("true", "1"):
            self.watch(resource, match, query)
        else:
            self.send_list(resource, match)

    def get_one(self, resource: Resource, ns: str | None, name: str) -> None:
        with self.api.cond:
            obj = self.api.objects.get((resource.kind, ns or "", name))
            obj = copy.deepcopy(obj)
        if obj is None:
            self.send_status(404, "NotFound", f'{resource.plural} "{name}" not found')
        else:
            self.send_json(200, obj)

    def send_list(self, resource: Resource, match: Any) -> None:
        with self.api.cond:
            items = [
                {k: v for k, v in copy.deepcopy(o).items() if k not in ("kind", "apiVersion")}
                for key, o in sorted(self.api.objects.items())
                if key[0] == resource.kind and match(o)
            ]
            rv = self.api.rv
        body = {
            "kind": f"{resource.kind}List",
            "apiVersion": resource.api_version,
            "metadata": {"resourceVersion": str(rv)},
            "items": items,
        }
        self.send_json(200, body)

    def _send_events(self, events: list[tuple[str, Obj]]) -> None:
        for event_type, obj in events:
            self.write_chunk(json.dumps({"type": event_type, "object": obj}).encode() + b"\n")

    def watch(self, resource: Resource, match: Any, query: dict[str, str]) -> None:
        api = self.api
        start = query.get("resourceVersion", "")
        if start not in ("", "0") and not start.isdigit():
            self.send_status(400, "BadRequest", "resourceVersion: Invalid value")
            return
        timeout = float(query.get("timeoutSeconds") or MAX_WATCH_SECONDS)
        deadline = time.monotonic() + min(timeout, MAX_WATCH_SECONDS)
        with api.cond:
            gone, end = api.gone_generation, api.end_generation
            if start in ("", "0"):
                last = api.rv
                first = [
                    ("ADDED", copy.deepcopy(o))
                    for key, o in sorted(api.objects.items())
                    if key[0] == resource.kind and match(o)
                ]
            else:
                last = int(start)
                first = []
                if last < api.compacted_rv:
                    message = f"too old resource version: {last} ({api.compacted_rv + 1})"
                    first = [("ERROR", status_body(410, "Expired", message))]
        try:
            self.start_chunked()
            self._send_events(first)
            if first and first[0][0] == "ERROR":
                self.end_chunked()
                return
            self._stream(resource, match, last, deadline, gone, end)
        except OSError:
            self.close_connection = True

    def _stream(
        self, resource: Resource, match: Any, last: int, deadline: float, gone: int, end: int
    ) -> None:
        api = self.api
        while True:
            with api.cond:
                while True:
                    if api.gone_generation != gone:
                        message = f"too old resource version: {last} ({api.rv + 1})"
                        self._send_events([("ERROR", status_body(410, "Expired", message))])
                        self.end_chunked()
                        return
                    if api.closing.is_set() or api.end_generation != end:
                        self.end_chunked()
                        return
                    at = bisect.bisect_right([e.rv for e in api.events], last)
                    fresh = api.events[at:]
                    if fresh:
                        break
                    remaining = deadline - time.monotonic()
                    if remaining <= 0:
                        self.end_chunked()
                        return
                    api.cond.wait(min(remaining, 0.5))
                last = fresh[-1].rv
                wanted = [
                    (e.type, copy.deepcopy(e.obj))
                    for e in fresh
                    if e.resource == resource and match(e.obj)
                ]
            self._send_events(wanted)
