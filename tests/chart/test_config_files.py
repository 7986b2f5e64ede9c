"""The config files the chart renders load with each component's own settings model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from detection_tool.settings import DetectionToolSettings
from sensor_console.settings import ConsoleSettings
from sensor_core.settings import Section, SettingsError, load_settings
from sensor_dar.settings import CrawlerSettings
from sensor_dim.digger.settings import DiggerSettings
from sensor_dim.interceptor.settings import InterceptorSettings
from tests.chart.cases import CASES
from tests.chart.render import config_file, render

MODELS: dict[str, tuple[type[Section], str]] = {
    "interceptor": (InterceptorSettings, "INTERCEPTOR"),
    "digger": (DiggerSettings, "DIGGER"),
    "detection-tool": (DetectionToolSettings, "DETECTION_TOOL"),
    "console": (ConsoleSettings, "CONSOLE"),
    "crawler": (CrawlerSettings, "CRAWLER"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_config_files_load(case: str, tmp_path: Path) -> None:
    docs = render(CASES[case])
    loaded = 0
    for doc in docs:
        if doc["kind"] != "ConfigMap" or "config.yaml" not in doc.get("data", {}):
            continue
        component = doc["metadata"]["labels"]["app.kubernetes.io/component"]
        path = tmp_path / f"{component}.yaml"
        path.write_text(doc["data"]["config.yaml"], encoding="utf-8")
        model, name = MODELS[component]
        load_settings(model, name, path, environ={})
        loaded += 1
    assert loaded >= 3


def test_digger_config_points_at_the_chart_services() -> None:
    config = config_file(render({}), "digger")
    assert config["statsclient"] == {
        "address": "dsensor-console.dsensor.svc:10350",
        "clustername": "default",
        "sensorid": "dsensor-dim",
    }
    assert config["detection"] == {"mode": "remote", "address": "dsensor-detection-tool:8000"}
    assert config["kafka"] == {"brokers": ["dsensor-kafka.dsensor.svc:9092"]}
    assert config["datadir"] == "/var/lib/dsensor"


def test_external_kafka_and_console_settings() -> None:
    values: dict[str, Any] = {
        **CASES["external-kafka"],
        "console": CASES["external-console"]["console"],
        "digger": {"token": "t"},
    }
    config = config_file(render(values), "digger")
    assert config["kafka"] == config_file(render(values), "interceptor")["kafka"]["connection"]
    assert config["kafka"] == {
        "brokers": ["kafka-0.kafka.example.com:9093", "kafka-1.kafka.example.com:9093"],
        "tls": True,
        "tlsconfig": {"insecureskipverify": False, "cafile": "/etc/dsensor/kafka-ca/ca.crt"},
        "sasl": True,
        "user": "dsensor",
        "saslmechanism": "SCRAM-SHA-512",
    }
    assert config["statsclient"]["tls"] is True
    assert config["statsclient"]["cafile"] == "/etc/dsensor/console-ca/ca.crt"
    assert config["statsclient"]["address"] == "console.example.com:10350"


def test_user_config_merges_over_the_chart_and_bad_keys_fail(tmp_path: Path) -> None:
    values = {"digger": {"config": {"flushinterval": "30s", "http": {"host": "127.0.0.1"}}}}
    config = config_file(render(values), "digger")
    assert config["flushinterval"] == "30s"
    assert config["http"] == {"port": 9000, "host": "127.0.0.1"}
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        yaml.safe_dump(
            config_file(render({"digger": {"config": {"flushintervall": 1}}}), "digger")
        ),
        encoding="utf-8",
    )
    with pytest.raises(SettingsError, match="flushintervall"):
        load_settings(DiggerSettings, "DIGGER", bad, environ={})


def test_crawler_config_and_interval() -> None:
    config = config_file(
        render({"dar": {"enabled": True}, "crawler": {"checkInterval": "6h"}}), "crawler"
    )
    assert config["checkinterval"] == "6h"
    assert config["statsclient"]["sensorid"] == "dsensor-dar"
