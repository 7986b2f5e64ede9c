"""The Kubernetes API fake through the real `kubernetes` client: lists, get, watch, 410."""

from __future__ import annotations

from typing import Any

import pytest
from kubernetes import client
from kubernetes import watch as k8s_watch
from kubernetes.client import ApiException

from tests.harness import k8s_objects as k
from tests.harness.k8s_fake import FakeKubeApi


def new_watch() -> Any:
    """A real `kubernetes.watch.Watch` (the class has no type annotations)."""
    return k8s_watch.Watch()  # type: ignore[no-untyped-call]


def _populate(api: FakeKubeApi) -> dict[str, Any]:
    deploy = k.make_deployment("web", "shop")
    rs = k.make_replicaset("web-5d8f", "shop", owner=deploy)
    pod = k.make_pod("web-5d8f-abcde", "shop", "10.244.0.7", "node-1", owner=rs)
    cron = k.make_cronjob("nightly", "shop")
    objs = [
        k.make_namespace("shop"),
        k.make_node("node-1", "192.0.2.10"),
        deploy, rs, pod,
        k.make_service("web", "shop", "10.96.0.20"),
        k.make_endpointslice("web", "shop", [pod]),
        k.make_statefulset("db", "shop"),
        k.make_daemonset("agent", "kube-system"),
        cron,
        k.make_job("nightly-2901", "shop", owner=cron),
    ]  # fmt: skip
    for obj in objs:
        api.add(obj)
    return {"deploy": deploy, "rs": rs, "pod": pod}


def test_every_kind_lists_as_typed_models(k8s_api: FakeKubeApi) -> None:
    _populate(k8s_api)
    api = k8s_api.api_client()
    core: Any = client.CoreV1Api(api)
    apps: Any = client.AppsV1Api(api)
    batch: Any = client.BatchV1Api(api)
    discovery: Any = client.DiscoveryV1Api(api)
    lists = {
        "pods": core.list_pod_for_all_namespaces(),
        "services": core.list_service_for_all_namespaces(),
        "nodes": core.list_node(),
        "namespaces": core.list_namespace(),
        "slices": discovery.list_endpoint_slice_for_all_namespaces(),
        "deployments": apps.list_deployment_for_all_namespaces(),
        "replicasets": apps.list_replica_set_for_all_namespaces(),
        "statefulsets": apps.list_stateful_set_for_all_namespaces(),
        "daemonsets": apps.list_daemon_set_for_all_namespaces(),
        "jobs": batch.list_job_for_all_namespaces(),
        "cronjobs": batch.list_cron_job_for_all_namespaces(),
    }
    assert {name: len(result.items) for name, result in lists.items()} == dict.fromkeys(lists, 1)
    assert isinstance(lists["pods"].items[0], client.V1Pod)
    pod: Any = lists["pods"].items[0]
    assert pod.status.pod_ip == "10.244.0.7"
    assert pod.spec.node_name == "node-1"
    assert pod.spec.containers[0].name == "web"
    assert pod.metadata.owner_references[0].kind == "ReplicaSet"
    rs = lists["replicasets"].items[0]
    assert rs.metadata.owner_references[0].name == "web"
    assert lists["slices"].items[0].endpoints[0].target_ref.name == pod.metadata.name
    assert int(lists["pods"].metadata.resource_version) >= 1000


def test_namespaced_list_get_selectors_and_errors(k8s_api: FakeKubeApi) -> None:
    _populate(k8s_api)
    k8s_api.add(k.make_pod("other", "default", "10.244.0.9", "node-2"))
    core: Any = client.CoreV1Api(k8s_api.api_client())
    assert [p.metadata.name for p in core.list_namespaced_pod("default").items] == ["other"]
    on_node = core.list_pod_for_all_namespaces(field_selector="spec.nodeName=node-1")
    assert [p.metadata.name for p in on_node.items] == ["web-5d8f-abcde"]
    assert len(core.list_pod_for_all_namespaces(label_selector="app=web").items) == 1
    assert core.read_namespaced_pod("other", "default").status.pod_ip == "10.244.0.9"
    with pytest.raises(ApiException) as missing:
        core.read_namespaced_pod("nope", "default")
    assert missing.value.status == 404


def test_wrong_token_is_unauthorized(k8s_api: FakeKubeApi) -> None:
    cfg = client.Configuration()
    cfg.host = k8s_api.url
    cfg.api_key = {"authorization": "not-the-token"}
    cfg.api_key_prefix = {"authorization": "Bearer"}
    with client.ApiClient(cfg) as api, pytest.raises(ApiException) as err:
        client.CoreV1Api(api).list_node()
    assert err.value.status == 401


def test_watch_sees_added_then_modified_then_deleted(k8s_api: FakeKubeApi) -> None:
    core: Any = client.CoreV1Api(k8s_api.api_client())
    start = core.list_namespaced_pod("shop").metadata.resource_version
    pod = k.make_pod("api-0", "shop", "10.244.1.4", "node-1")
    k8s_api.add(pod)
    pod["status"]["podIP"] = "10.244.1.5"
    k8s_api.update(pod)
    k8s_api.delete("Pod", "shop", "api-0")
    stream = new_watch().stream(
        core.list_namespaced_pod, "shop", resource_version=start, timeout_seconds=5
    )
    seen = []
    for event in stream:
        seen.append((event["type"], event["object"].status.pod_ip))
        if len(seen) == 3:
            break
    assert seen == [("ADDED", "10.244.1.4"), ("MODIFIED", "10.244.1.5"), ("DELETED", "10.244.1.5")]


def test_watch_without_version_starts_with_current_state_and_follows(
    k8s_api: FakeKubeApi,
) -> None:
    k8s_api.add(k.make_node("node-1", "192.0.2.10"))
    core: Any = client.CoreV1Api(k8s_api.api_client())
    w = new_watch()
    seen = []
    for event in w.stream(core.list_node, timeout_seconds=5):
        seen.append((event["type"], event["object"].metadata.name))
        if len(seen) == 1:
            k8s_api.add(k.make_node("node-2", "192.0.2.11"))
        else:
            w.stop()
    assert seen == [("ADDED", "node-1"), ("ADDED", "node-2")]


def test_watch_from_compacted_version_gets_410(k8s_api: FakeKubeApi) -> None:
    core: Any = client.CoreV1Api(k8s_api.api_client())
    old = core.list_pod_for_all_namespaces().metadata.resource_version
    k8s_api.add(k.make_pod("p", "shop", "10.244.0.3", "node-1"))
    k8s_api.compact()
    stream = new_watch().stream(
        core.list_pod_for_all_namespaces, resource_version=old, timeout_seconds=5
    )
    with pytest.raises(ApiException) as gone:
        next(iter(stream))
    assert gone.value.status == 410
    raw = core.list_pod_for_all_namespaces(watch=True, resource_version=old, _preload_content=False)
    try:
        assert b'"type": "ERROR"' in raw.data
        assert b'"code": 410' in raw.data
    finally:
        raw.release_conn()


def test_expire_watches_ends_an_open_watch_with_410(k8s_api: FakeKubeApi) -> None:
    core: Any = client.CoreV1Api(k8s_api.api_client())
    k8s_api.add(k.make_pod("p", "shop", "10.244.0.3", "node-1"))
    stream = new_watch().stream(core.list_namespaced_pod, "shop", timeout_seconds=10)
    first = next(stream)
    assert first["type"] == "ADDED"
    k8s_api.expire_watches()
    with pytest.raises(ApiException) as gone:
        next(stream)
    assert gone.value.status == 410
