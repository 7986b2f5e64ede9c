"""Every values combination renders to manifests valid against the Kubernetes schemas, with the
security properties the chart promises (tests/chart/cases.py holds the matrix)."""

from __future__ import annotations

import pytest

from tests.chart.cases import CASES
from tests.chart.render import (
    KUBE_VERSION,
    Obj,
    containers,
    env_of,
    kinds,
    named,
    pod_specs,
    render,
)
from tests.harness.prereq import require

CAPTURING = {"interceptor"}


@pytest.fixture(scope="module", params=sorted(CASES))
def case(request: pytest.FixtureRequest) -> tuple[str, list[Obj]]:
    name = str(request.param)
    return name, render(CASES[name])


def test_manifests_are_valid_kubernetes_objects(case: tuple[str, list[Obj]]) -> None:
    try:
        import kubernetes_validate  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover
        require(False, "kubernetes-validate is not installed (pip install -e .[dev])")
        raise
    _, docs = case
    assert docs
    for doc in docs:
        # strict: an unknown or misplaced field is an error, not silently dropped by the API
        kubernetes_validate.validate(doc, KUBE_VERSION, strict=True)


def test_only_the_interceptor_is_privileged(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    for workload, spec, container in containers(docs):
        context = container.get("securityContext", {})
        if container["name"] in CAPTURING:
            assert context["privileged"] is True
            assert spec["hostNetwork"] is True
            assert spec["hostPID"] is True
            assert spec["dnsPolicy"] == "ClusterFirstWithHostNet"
            continue
        assert not context.get("privileged", False), workload
        assert context["runAsNonRoot"] is True, workload
        assert context["allowPrivilegeEscalation"] is False, workload
        assert context["capabilities"]["drop"] == ["ALL"], workload
        uid = 65534 if container["name"] == "prometheus-agent" else 1000
        assert (context["runAsUser"], context["runAsGroup"]) == (uid, uid), workload
        assert not spec.get("hostNetwork"), workload
        assert not spec.get("hostPID"), workload


def test_dsensor_containers_keep_a_read_only_root(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    for workload, _, container in containers(docs):
        if container["name"] == "kafka":
            continue  # the upstream image writes its generated broker config under /opt/kafka
        assert container["securityContext"]["readOnlyRootFilesystem"] is True, workload
        mounts = {m["mountPath"] for m in container["volumeMounts"]}
        assert "/tmp" in mounts or container["name"] == "prometheus-agent", workload


def test_data_directory_is_a_volume(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    for workload, _, container in containers(docs):
        if container["name"] in ("digger", "crawler", "console"):
            mounts = {m["mountPath"]: m["name"] for m in container["volumeMounts"]}
            assert mounts.get("/var/lib/dsensor") == "data", workload


def test_service_account_token_only_where_the_api_is_called(
    case: tuple[str, list[Obj]],
) -> None:
    _, docs = case
    for workload, spec in pod_specs(docs):
        expected = workload.endswith("-digger")
        assert spec["automountServiceAccountToken"] is expected, workload
    for account in kinds(docs, "ServiceAccount"):
        assert account["automountServiceAccountToken"] is False


def test_rbac_is_read_only_on_what_the_digger_reads(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    for role in kinds(docs, "ClusterRole") + kinds(docs, "Role"):
        for rule in role["rules"]:
            assert set(rule["verbs"]) <= {"get", "list", "watch"}
            assert "*" not in rule["resources"]
            assert "*" not in rule["apiGroups"]
            assert "secrets" not in rule["resources"]
            assert "configmaps" not in rule["resources"]
    bindings = kinds(docs, "ClusterRoleBinding")
    has_digger = any(name.endswith("-digger") for name, _ in pod_specs(docs))
    assert bool(bindings) == has_digger
    for binding in bindings:
        assert [s["kind"] for s in binding["subjects"]] == ["ServiceAccount"]


def test_ports_follow_the_contract(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    expected = {
        "interceptor": {"http": 18954},
        "digger": {"http": 9000},
        "crawler": {"http": 9001},
        "detection-tool": {"grpc": 8000, "http": 9100},
        "console": {"grpc": 10350, "http": 8080},
        "kafka": {"kafka": 9092},
    }
    for _, _, container in containers(docs):
        if container["name"] in expected:
            ports = {p["name"]: p["containerPort"] for p in container["ports"]}
            assert ports == expected[container["name"]]


def test_config_changes_roll_the_pods(case: tuple[str, list[Obj]]) -> None:
    _, docs = case
    for doc in docs:
        if (
            doc["kind"] in ("Deployment", "DaemonSet")
            and "-prometheus" not in doc["metadata"]["name"]
        ):
            annotations = doc["spec"]["template"]["metadata"]["annotations"]
            assert len(annotations["checksum/config"]) == 64


def test_which_components_each_case_installs() -> None:
    def workloads(values: Obj) -> set[str]:
        names = {name.removeprefix("dsensor-") for name, _ in pod_specs(render(values))}
        return names

    assert workloads(CASES["dim-only"]) == {
        "interceptor",
        "digger",
        "detection-tool",
        "kafka",
        "console",
    }
    assert workloads(CASES["dar-only"]) == {"crawler", "detection-tool", "console"}
    assert workloads(CASES["external-kafka"]) == {
        "interceptor",
        "digger",
        "detection-tool",
        "console",
    }
    assert "console" not in workloads(CASES["external-console"])
    assert "prometheus-agent" in workloads(CASES["prometheus-and-persistence"])


def test_embedded_kafka_defaults() -> None:
    docs = render({})
    kafka = named(docs, "StatefulSet", "-kafka")
    container = kafka["spec"]["template"]["spec"]["containers"][0]
    env = {k: v.get("value") for k, v in env_of(container).items()}
    assert container["image"].startswith("apache/kafka:")
    assert env["KAFKA_NUM_PARTITIONS"] == "8"
    assert env["KAFKA_PROCESS_ROLES"] == "broker,controller"
    assert env["KAFKA_ADVERTISED_LISTENERS"] == "PLAINTEXT://dsensor-kafka.dsensor.svc:9092"
    assert env["KAFKA_HEAP_OPTS"] == "-Xms512m -Xmx512m"
