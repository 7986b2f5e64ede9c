"""NetworkPolicies (one per purpose), the proxy variables, and which pods may talk to what."""

from __future__ import annotations

import ipaddress

from tests.chart.cases import CASES
from tests.chart.render import Obj, containers, env_of, kinds, render, render_error


def policies(docs: list[Obj]) -> dict[str, Obj]:
    return {p["metadata"]["labels"]["dsensor.io/policy"]: p for p in kinds(docs, "NetworkPolicy")}


def selected(policy: Obj) -> set[str]:
    selector = policy["spec"]["podSelector"]
    if "app.kubernetes.io/component" in selector.get("matchLabels", {}):
        return {selector["matchLabels"]["app.kubernetes.io/component"]}
    (expression,) = selector["matchExpressions"]
    return set(expression["values"])


def egress_ports(policy: Obj) -> set[int]:
    return {p["port"] for rule in policy["spec"]["egress"] for p in rule.get("ports", [])}


def test_no_policies_by_default() -> None:
    assert kinds(render({}), "NetworkPolicy") == []


def test_one_policy_per_purpose_with_proxy_and_api_port() -> None:
    found = policies(render(CASES["network-policies"]))
    assert set(found) == {
        "dns",
        "k8s-api",
        "kafka",
        "kafka-ingress",
        "detection-tool",
        "detection-tool-ingress",
        "console",
        "proxy",
        "crawler-egress",
    }
    assert egress_ports(found["dns"]) == {53}
    assert selected(found["dns"]) == {"digger", "kafka", "crawler", "detection-tool"}
    # the API port from networkPolicy.k8sApi.port, for the digger only
    assert egress_ports(found["k8s-api"]) == {6443}
    assert selected(found["k8s-api"]) == {"digger"}
    # the proxy's address and port
    (rule,) = found["proxy"]["spec"]["egress"]
    assert rule["to"] == [{"ipBlock": {"cidr": "10.20.0.15/32"}}]
    assert rule["ports"] == [{"port": 3128, "protocol": "TCP"}]
    assert selected(found["proxy"]) == {"digger", "crawler", "detection-tool"}
    # the external console's port
    assert egress_ports(found["console"]) == {443}
    # the crawler's data sources
    (source,) = found["crawler-egress"]["spec"]["egress"]
    assert source["to"] == [{"ipBlock": {"cidr": "192.168.1.1/32"}}]
    assert source["ports"] == [{"port": 5432, "protocol": "TCP"}]


def test_in_cluster_policies_point_at_the_chart_pods() -> None:
    found = policies(render(CASES["network-policies-in-cluster"]))
    assert "proxy" not in found
    assert "crawler-egress" not in found
    (to_console,) = found["console"]["spec"]["egress"]
    labels = to_console["to"][0]["podSelector"]["matchLabels"]
    assert labels["app.kubernetes.io/component"] == "console"
    assert egress_ports(found["console"]) == {10350}
    assert selected(found["console"]) == {"digger", "crawler"}
    (to_kafka,) = found["kafka"]["spec"]["egress"]
    assert to_kafka["to"][0]["podSelector"]["matchLabels"]["app.kubernetes.io/component"] == "kafka"
    ingress = found["detection-tool-ingress"]["spec"]["ingress"]
    assert {p["port"] for rule in ingress for p in rule["ports"]} == {8000, 9100}


def test_external_kafka_ports_are_allowed() -> None:
    values = {**CASES["external-kafka"], "networkPolicy": {"enabled": True}}
    found = policies(render(values))
    assert egress_ports(found["kafka"]) == {9093}
    assert "kafka-ingress" not in found


def test_proxy_ip_without_mask_becomes_a_host_block() -> None:
    values = {
        **CASES["network-policies"],
        "networkPolicy": {"enabled": True, "proxyIp": "10.1.2.3"},
    }
    (rule,) = policies(render(values))["proxy"]["spec"]["egress"]
    cidr = rule["to"][0]["ipBlock"]["cidr"]
    assert ipaddress.ip_network(cidr).num_addresses == 1


def test_proxy_needs_its_ip_when_policies_are_on() -> None:
    values = {"httpsProxy": "http://proxy:3128", "networkPolicy": {"enabled": True}}
    assert "networkPolicy.proxyIp is required" in render_error(values)


def test_proxy_variables_reach_every_client_but_not_kafka() -> None:
    docs = render(CASES["proxy"])
    seen = set()
    for _, _, container in containers(docs):
        env = env_of(container)
        if container["name"] in ("digger", "detection-tool"):
            seen.add(container["name"])
            assert env["HTTPS_PROXY"]["value"] == "proxy.corp:3128"
            assert env["https_proxy"]["value"] == "proxy.corp:3128"
            no_proxy = env["NO_PROXY"]["value"].split(",")
            assert no_proxy[0] == "10.0.0.0/8"
            # in-cluster traffic (console, detection tool, Kafka) never goes through the proxy
            assert {".svc", "dsensor-console", "dsensor-kafka"} <= set(no_proxy)
        if container["name"] in ("kafka", "interceptor", "console"):
            assert "HTTPS_PROXY" not in env
    assert seen == {"digger", "detection-tool"}


def test_no_proxy_variables_without_a_proxy() -> None:
    for _, _, container in containers(render(CASES["dim-and-dar"])):
        assert "HTTPS_PROXY" not in env_of(container)
