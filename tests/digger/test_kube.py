"""The Kubernetes resolver: real `kubernetes` client against the API fake — owners, services,
nodes, watch updates, 410 resync, an unreachable API, scope rules and per-node address lists."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from dsensor.v1 import metadata_pb2

from sensor_dim.digger.assets import StaticResolver
from sensor_dim.digger.kube_resolver import KubeResolver
from sensor_dim.digger.kube_state import KubeState, Scope
from sensor_dim.digger.kube_watch import KubeWatcher
from tests.harness import k8s_objects as k
from tests.harness.k8s_fake import FakeKubeApi

NODE_IP = "192.0.2.10"


def _eventually(check: Callable[[], bool], timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        time.sleep(0.05)


def _cluster(api: FakeKubeApi) -> dict[str, Any]:
    deploy = k.make_deployment("checkout", "shop")
    rs = k.make_replicaset("checkout-6f7c9", "shop", owner=deploy)
    web = k.make_pod("checkout-6f7c9-x1", "shop", "10.244.1.11", "node-1", owner=rs)
    sts = k.make_statefulset("ledger", "payments")
    ledger = k.make_pod("ledger-0", "payments", "10.244.2.21", "node-2", owner=sts)
    cron = k.make_cronjob("report", "shop")
    job = k.make_job("report-2901", "shop", owner=cron)
    batch = k.make_pod("report-2901-q", "shop", "10.244.1.12", "node-1", owner=job)
    bare = k.make_pod("debug", "shop", "10.244.2.22", "node-2")
    hidden = k.make_pod("secret-thing", "vault", "10.244.1.13", "node-1")
    excluded = k.make_pod("probe", "shop", "10.244.1.14", "node-1", labels={"dsensor.io/skip": "1"})
    host = k.make_pod("node-agent", "kube-system", NODE_IP, "node-1")
    host["spec"]["hostNetwork"] = True
    for obj in (
        k.make_namespace("shop"), k.make_namespace("payments"), k.make_namespace("vault"),
        k.make_node("node-1", NODE_IP), k.make_node("node-2", "192.0.2.11"),
        deploy, rs, web, sts, ledger, cron, job, batch, bare, hidden, excluded, host,
        k.make_service("checkout", "shop", "10.96.0.20"),
        k.make_endpointslice("checkout", "shop", [web]),
    ):  # fmt: skip
        api.add(obj)
    return {"deploy": deploy, "rs": rs}


@pytest.fixture
def watched(k8s_api: FakeKubeApi) -> Iterator[tuple[KubeWatcher, KubeResolver]]:
    _cluster(k8s_api)
    state = KubeState(Scope(deny=("vault", "kube-*"), excludelabels=("dsensor.io/skip",)))
    watcher = KubeWatcher(k8s_api.api_client(), state, watch_timeout=2, backoff_max=0.5)
    watcher.start()
    assert watcher.wait_synced(10)
    resolver = KubeResolver(state, StaticResolver([]), cluster="prod")
    try:
        yield watcher, resolver
    finally:
        watcher.stop()


def _name(resolver: KubeResolver, ip: str, host: str = "") -> tuple[str, str, str]:
    asset = resolver.resolve(ip, host)
    return asset.namespace, asset.name, asset.workload_kind


def test_addresses_are_named_by_their_top_owner(watched: tuple[KubeWatcher, KubeResolver]) -> None:
    _, resolver = watched
    assert _name(resolver, "10.244.1.11") == ("shop", "checkout", "Deployment")
    assert _name(resolver, "10.244.2.21") == ("payments", "ledger", "StatefulSet")
    assert _name(resolver, "10.244.1.12") == ("shop", "report", "CronJob")
    assert _name(resolver, "10.244.2.22") == ("shop", "debug", "Pod")
    assert _name(resolver, "10.96.0.20") == ("shop", "checkout", "Service")
    assert resolver.resolve("10.96.0.20").kind == metadata_pb2.ASSET_KIND_SERVICE
    assert resolver.resolve("10.244.1.11").labels["service"] == "checkout"
    assert resolver.resolve("10.244.1.11").cluster == "prod"
    # a host-network pod shares its node's address: the node names it
    assert _name(resolver, NODE_IP) == ("", "node-1", "Node")


def test_scope_leaves_out_denied_namespaces_and_excluded_labels(
    watched: tuple[KubeWatcher, KubeResolver],
) -> None:
    watcher, resolver = watched
    for ip in ("10.244.1.13", "10.244.1.14"):
        assert resolver.resolve(ip).kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS
    by_node = watcher.state.addresses_by_node()
    assert by_node == {
        "node-1": ["10.244.1.11", "10.244.1.12"],
        "node-2": ["10.244.2.21", "10.244.2.22"],
    }


def test_watch_events_update_the_names(
    k8s_api: FakeKubeApi, watched: tuple[KubeWatcher, KubeResolver]
) -> None:
    _, resolver = watched
    k8s_api.add(k.make_pod("late", "shop", "10.244.2.30", "node-2"))
    _eventually(lambda: _name(resolver, "10.244.2.30") == ("shop", "late", "Pod"))
    k8s_api.delete("Pod", "shop", "late")
    _eventually(lambda: resolver.resolve("10.244.2.30").name == "10.244.2.30")


def test_expired_watch_relists(
    k8s_api: FakeKubeApi, watched: tuple[KubeWatcher, KubeResolver]
) -> None:
    watcher, resolver = watched
    _eventually(lambda: k8s_api.watch_count() >= 6)
    k8s_api.compact()
    k8s_api.expire_watches()
    k8s_api.add(k.make_pod("after-410", "shop", "10.244.2.31", "node-2"))
    _eventually(lambda: watcher.counters["relists"] >= 1)
    _eventually(lambda: _name(resolver, "10.244.2.31") == ("shop", "after-410", "Pod"))


def test_unreachable_api_keeps_the_last_known_names(
    k8s_api: FakeKubeApi, watched: tuple[KubeWatcher, KubeResolver]
) -> None:
    watcher, resolver = watched
    k8s_api.stop()
    _eventually(lambda: watcher.counters["api_unreachable"] >= 1)
    assert _name(resolver, "10.244.1.11") == ("shop", "checkout", "Deployment")


def test_unknown_addresses_fall_back_to_the_host_header() -> None:
    resolver = KubeResolver(KubeState(), StaticResolver([]))
    asset = resolver.resolve("203.0.113.7", "api.partner.example")
    assert asset.kind == metadata_pb2.ASSET_KIND_EXTERNAL
    assert asset.name == "api.partner.example"


def test_replicaset_not_yet_listed_is_named_from_the_template_hash() -> None:
    deploy = k.make_deployment("cart", "shop")
    rs = k.make_replicaset("cart-5d8f7", "shop", owner=deploy)
    pod = k.make_pod("cart-5d8f7-aa", "shop", "10.244.3.3", "n", owner=rs)
    pod["metadata"]["labels"]["pod-template-hash"] = "5d8f7"
    state = KubeState()
    state.replace("Pod", [pod])
    workload = state.workload_for("10.244.3.3")
    assert workload is not None
    assert (workload.kind, workload.name) == ("Deployment", "cart")
    state.apply("Pod", "DELETED", pod)
    assert state.workload_for("10.244.3.3") is None


@pytest.mark.parametrize(
    ("scope", "namespace", "allowed"),
    [
        (Scope(), "anything", True),
        (Scope(allow=("shop-*",)), "shop-eu", True),
        (Scope(allow=("shop-*",)), "payments", False),
        (Scope(deny=("kube-*",)), "kube-system", False),
        (Scope(allow=("*",), deny=("*-test",)), "orders-test", False),
    ],
)
def test_namespace_wildcards(scope: Scope, namespace: str, allowed: bool) -> None:
    assert scope.namespace_allowed(namespace) is allowed


def test_iplist_publishes_changes_and_empties_vanished_nodes() -> None:
    from dsensor.v1 import pair_pb2

    from sensor_dim.digger.iplist import IpListPublisher

    sent: list[tuple[str, pair_pb2.IpList, bytes]] = []
    now = [0.0]
    state = KubeState()
    publisher = IpListPublisher(
        state,
        lambda topic, value, key: sent.append((topic, pair_pb2.IpList.FromString(value), key)),
        refresh=60,
        clock=lambda: now[0],
    )
    state.replace("Pod", [k.make_pod("a", "shop", "10.244.1.1", "node-1")])
    assert publisher.publish() == 1
    assert sent[-1][0] == "iplist"
    assert (sent[-1][1].node, list(sent[-1][1].addresses), sent[-1][2]) == (
        "node-1", ["10.244.1.1"], b"node-1",
    )  # fmt: skip
    assert publisher.publish() == 0  # nothing changed, no refresh due
    state.replace("Pod", [k.make_pod("b", "shop", "10.244.2.1", "node-2")])
    assert publisher.publish() == 2
    by_node = {m.node: list(m.addresses) for _, m, _ in sent[-2:]}
    assert by_node == {"node-1": [], "node-2": ["10.244.2.1"]}
    now[0] = 61.0
    assert publisher.publish() == 1  # the periodic full refresh
    versions = [m.version for _, m, _ in sent]
    assert versions == sorted(versions)
    assert len(set(versions)) == len(versions)


def test_remembered_answers_follow_every_state_change() -> None:
    """The resolver keeps answers per address, but a watch event is seen on the next pair."""
    state = KubeState()
    resolver = KubeResolver(state, StaticResolver([]))
    pod = k.make_pod("api-1", "shop", "10.244.4.4", "n")
    assert resolver.resolve("10.244.4.4").kind == metadata_pb2.ASSET_KIND_UNKNOWN_ADDRESS
    state.apply("Pod", "ADDED", pod)
    first = resolver.resolve("10.244.4.4")
    assert (first.namespace, first.name) == ("shop", "api-1")
    assert resolver.resolve("10.244.4.4") is first  # remembered while nothing changed
    state.apply("Pod", "DELETED", pod)
    state.apply("Pod", "ADDED", k.make_pod("worker-7", "jobs", "10.244.4.4", "n"))
    moved = resolver.resolve("10.244.4.4")
    assert (moved.namespace, moved.name) == ("jobs", "worker-7")
