"""values.yaml, values.schema.json, strict lint and the generated README table."""

from __future__ import annotations

import json
from typing import Any

import pytest
import yaml

from tests.chart.render import CHART, EXAMPLES, helm, render_error
from tests.chart.values_doc import readme_with_table, rows

VALUES: dict[str, Any] = yaml.safe_load((CHART / "values.yaml").read_text(encoding="utf-8"))
NON_CAPTURING = ("digger", "detectionTool", "crawler", "console")
PER_COMPONENT = ("interceptor", "digger", "detectionTool", "crawler", "console", "prometheusAgent")


def test_reference_names_and_defaults() -> None:
    assert VALUES["httpsProxy"] == ""
    assert VALUES["httpsProxyNoProxy"] == ""
    assert VALUES["useExternalSecrets"] is False
    assert VALUES["networkPolicy"] == {
        "enabled": False,
        "proxyIp": "",
        "k8sApi": {"port": 443},
        "crawlerAdditionalEgress": [],
        "dnsPort": 53,
    }
    for component in PER_COMPONENT:
        section = VALUES[component]
        assert section["imagePullSecrets"] == [], component
        assert section["env"] == [], component
        assert section["podAnnotations"] == {}, component
        assert section["image"]["command"] == [], component
        assert section["image"]["args"] == [], component
    for component in NON_CAPTURING:
        context = VALUES[component]["securityContext"]
        assert context["runAsUser"] == context["runAsGroup"] == 1000, component
        assert context["runAsNonRoot"] is True, component
        assert context["allowPrivilegeEscalation"] is False, component
    assert VALUES["prometheusAgent"]["securityContext"]["runAsUser"] == 65534
    assert VALUES["kafka"]["embedded"]["partitions"] == 8
    assert VALUES["kafka"]["embedded"]["heapSize"] == "512m"
    assert VALUES["interceptor"]["resources"] == {
        "requests": {"cpu": "50m", "memory": "64Mi"},
        "limits": {"cpu": "1", "memory": "1536Mi"},
    }
    assert VALUES["digger"]["resources"]["requests"] == {"cpu": "100m", "memory": "100Mi"}


def test_every_value_is_documented() -> None:
    undocumented = [row.key for row in rows() if not row.description]
    assert undocumented == []


def test_readme_table_is_current() -> None:
    readme = (CHART / "README.md").read_text(encoding="utf-8")
    assert readme_with_table(readme) == readme, "run: python -m tests.chart.values_doc"


def test_schema_accepts_the_defaults_and_every_example() -> None:
    chart = helm().Chart.load(CHART)
    chart.validate_schema(VALUES)
    for path in sorted(EXAMPLES.glob("*.yaml")):
        chart.validate_schema(yaml.safe_load(path.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"digger": {"replicas": "two"}}, "/digger/replicas"),
        ({"digger": {"replica": 2}}, "additional properties 'replica'"),
        ({"unknownTopLevel": True}, "additional properties 'unknownTopLevel'"),
        ({"useExternalSecrets": "yes"}, "/useExternalSecrets"),
        ({"networkPolicy": {"k8sApi": {"port": 70000}}}, "/networkPolicy/k8sApi/port"),
        ({"networkPolicy": {"proxyIp": "proxy.example.com"}}, "/networkPolicy/proxyIp"),
        (
            {"networkPolicy": {"crawlerAdditionalEgress": [{"name": "pg", "host": "10.0.0.1"}]}},
            "/networkPolicy/crawlerAdditionalEgress/0",
        ),
        ({"digger": {"imagePullSecrets": ["regcred"]}}, "/digger/imagePullSecrets/0"),
        ({"digger": {"env": [{"value": "x"}]}}, "/digger/env/0"),
        ({"digger": {"image": {"command": "/bin/bash -c"}}}, "/digger/image/command"),
        ({"crawler": {"checkInterval": "daily"}}, "/crawler/checkInterval"),
        ({"digger": {"logLevel": "verbose"}}, "/digger/logLevel"),
        ({"kafka": {"external": {"brokers": ["kafka"]}}}, "/kafka/external/brokers/0"),
        ({"kafka": {"external": {"saslmechanism": "GSSAPI"}}}, "/kafka/external/saslmechanism"),
        ({"crawler": {"crawlFromSecret": {"mysql": {"name": "x"}}}}, "'mysql'"),
        ({"console": {"externalAddress": "https://console"}}, "/console/externalAddress"),
    ],
)
def test_schema_rejects_bad_values(values: dict[str, Any], expected: str) -> None:
    assert expected in render_error(values)


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ({"console": {"enabled": False}}, "console.externalAddress is required"),
        ({"kafka": {"embedded": {"enabled": False}}}, "kafka.external.brokers is required"),
        (
            {
                "kafka": {
                    "embedded": {"enabled": False},
                    "external": {"brokers": ["k:9093"], "sasl": True},
                }
            },
            "kafka.external.user is required",
        ),
    ],
)
def test_templates_explain_missing_values(values: dict[str, Any], expected: str) -> None:
    assert expected in render_error(values)


def test_strict_lint_of_defaults_and_examples() -> None:
    cases: list[dict[str, Any]] = [{}]
    cases += [
        yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(EXAMPLES.glob("*.yaml"))
    ]
    for values in cases:
        report = helm().lint(CHART, values, strict=True, kube_version="v1.30.0")
        assert report["errors"] == [], json.dumps(report)
        assert [m for m in report["messages"] if m["severity"] >= 2] == [], json.dumps(report)


def test_lint_reports_a_broken_chart(tmp_path: Any) -> None:
    broken = tmp_path / "dsensor"
    broken.mkdir()
    (broken / "Chart.yaml").write_text("apiVersion: v2\nname: dsensor\n", encoding="utf-8")
    report = helm().lint(broken, None, strict=True)
    assert report["errors"], "lint must find the missing version"
