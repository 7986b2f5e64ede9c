"""Tokens and DAR connections: in the chart's Secret by default, nowhere with useExternalSecrets;
the seeds' Vault agent example works unchanged. Canary values never leave the Secret."""

from __future__ import annotations

import base64
import json

import yaml

from tests.chart.cases import CASES
from tests.chart.render import Obj, containers, env_of, kinds, named, render, render_error

DIM_TOKEN = "canary-dim-token-5b8e1f"
DAR_TOKEN = "canary-dar-token-c04a77"
PG_PASSWORD = "canary-pg-password-93d2aa"
KAFKA_PASSWORD = "canary-kafka-password-1e6f30"


def secret_data(docs: list[Obj]) -> dict[str, str]:
    secret = named(docs, "Secret", "-secrets")
    return {k: base64.b64decode(v).decode() for k, v in secret["data"].items()}


def canary_values() -> Obj:
    return {
        "dar": {"enabled": True},
        "digger": {"token": DIM_TOKEN},
        "crawler": {
            "token": DAR_TOKEN,
            "crawl": {
                "database": {
                    "postgres": [
                        {
                            "name": "orders",
                            "connectionString": f"postgres://u:{PG_PASSWORD}@db:5432/orders",
                        }
                    ]
                },
                "s3": [{"url": "", "type": "aws", "accesskeyid": "AKIA", "secretaccesskey": "x"}],
            },
        },
        "kafka": {
            "embedded": {"enabled": False},
            "external": {
                "brokers": ["kafka:9093"],
                "sasl": True,
                "user": "dsensor",
                "password": KAFKA_PASSWORD,
            },
        },
    }


def test_tokens_and_connections_land_in_the_secret_only() -> None:
    docs = render(canary_values())
    data = secret_data(docs)
    assert data["SVRN_DIGGER_STATSCLIENT_TOKEN"] == DIM_TOKEN
    assert data["SVRN_CRAWLER_STATSCLIENT_TOKEN"] == DAR_TOKEN
    # the detection tool shares the sensor's token (the seeds' rule), the digger's first
    assert data["SVRN_DETECTION_TOOL_OTAREGISTRY_AUTH_TOKEN"] == DIM_TOKEN
    assert data["SVRN_DIGGER_KAFKA_PASSWORD"] == KAFKA_PASSWORD
    postgres = json.loads(data["SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES"])
    assert postgres[0]["connectionString"].endswith("@db:5432/orders")
    assert json.loads(data["SVRN_CRAWLER_CRAWL_S3"])[0]["type"] == "aws"
    assert "SVRN_CRAWLER_CRAWL_KAFKA" not in data  # empty lists are not set
    tokens = json.loads(data["SVRN_CONSOLE_SENSORTOKENS"])
    assert tokens == [
        {"sensorid": "dsensor-dim", "token": DIM_TOKEN},
        {"sensorid": "dsensor-dar", "token": DAR_TOKEN},
    ]
    # canaries: everything but the Secret's (encoded) data is free of them
    others = [d for d in docs if d["kind"] != "Secret"]
    text = yaml.safe_dump_all(others)
    for canary in (DIM_TOKEN, DAR_TOKEN, PG_PASSWORD, KAFKA_PASSWORD):
        assert canary not in text


def test_components_read_their_variables_from_the_secret() -> None:
    docs = render(canary_values())
    wanted = {
        "digger": {"SVRN_DIGGER_STATSCLIENT_TOKEN", "SVRN_DIGGER_KAFKA_PASSWORD"},
        "crawler": {
            "SVRN_CRAWLER_STATSCLIENT_TOKEN",
            "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES",
            "SVRN_CRAWLER_CRAWL_S3",
        },
        "detection-tool": {"SVRN_DETECTION_TOOL_OTAREGISTRY_AUTH_TOKEN"},
        "console": {"SVRN_CONSOLE_SENSORTOKENS"},
        "interceptor": {"SVRN_INTERCEPTOR_KAFKA_CONNECTION_PASSWORD"},
    }
    for _, _, container in containers(docs):
        env = env_of(container)
        from_secret = {n for n, e in env.items() if "secretKeyRef" in e.get("valueFrom", {})}
        assert from_secret == wanted.get(container["name"], set()), container["name"]
        for name in from_secret:
            # the interceptor shares the digger's Kafka password
            key = name.replace("INTERCEPTOR_KAFKA_CONNECTION", "DIGGER_KAFKA")
            assert env[name]["valueFrom"]["secretKeyRef"] == {"name": "dsensor-secrets", "key": key}


def test_generated_tokens_differ_and_match_the_console() -> None:
    data = secret_data(render(CASES["dim-and-dar"]))
    dim, dar = data["SVRN_DIGGER_STATSCLIENT_TOKEN"], data["SVRN_CRAWLER_STATSCLIENT_TOKEN"]
    assert len(dim) == len(dar) == 48
    assert dim != dar
    tokens = {t["sensorid"]: t["token"] for t in json.loads(data["SVRN_CONSOLE_SENSORTOKENS"])}
    assert tokens == {"dsensor-dim": dim, "dsensor-dar": dar}


def test_external_console_requires_tokens_and_rejects_shared_ones() -> None:
    external = {"console": {"enabled": False, "externalAddress": "c.example.com:10350"}}
    assert "digger.token is required" in render_error(external)
    shared = {
        **external,
        "dar": {"enabled": True},
        "digger": {"token": "t"},
        "crawler": {"token": "t"},
    }
    assert "must differ" in render_error(shared)


def test_use_external_secrets_defines_no_secret_and_no_references() -> None:
    docs = render(CASES["external-secrets"])
    assert kinds(docs, "Secret") == []
    for _, _, container in containers(docs):
        for entry in container.get("env", []):
            assert "secretKeyRef" not in entry.get("valueFrom", {}), container["name"]


def test_connections_from_an_existing_secret() -> None:
    values = canary_values()
    values["crawler"]["crawlFromSecret"] = {"postgres": {"name": "pg-conn"}}
    docs = render(values)
    assert "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES" in secret_data(docs)  # still rendered ...
    (crawler,) = [c for _, _, c in containers(docs) if c["name"] == "crawler"]
    refs = [e for e in crawler["env"] if e["name"] == "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES"]
    # ... but the pod takes it from the user's Secret, once
    assert refs == [
        {
            "name": "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES",
            "valueFrom": {
                "secretKeyRef": {"name": "pg-conn", "key": "SVRN_CRAWLER_CRAWL_DATABASE_POSTGRES"}
            },
        }
    ]


def test_vault_agent_example_as_the_seeds_show_it() -> None:
    docs = render(CASES["vault-agent"])
    assert kinds(docs, "Secret") == []
    pods = {
        d["metadata"]["name"].removeprefix("dsensor-"): d["spec"]["template"]
        for d in docs
        if d["kind"] == "Deployment"
    }
    digger, tool = pods["digger"], pods["detection-tool"]
    for pod in (digger, tool):
        annotations = pod["metadata"]["annotations"]
        assert annotations["vault.hashicorp.com/agent-inject"] == "true"
        assert annotations["vault.hashicorp.com/role"] == "soveren-app"
        assert (
            "export SVRN_" in annotations["vault.hashicorp.com/agent-inject-template-soverentokens"]
        )
    (container,) = digger["spec"]["containers"]
    assert container["command"] == ["/bin/bash", "-c"]
    assert container["args"] == [
        "source /vault/secrets/soverentokens && /usr/local/bin/digger --config /etc/config.yaml"
    ]
    (container,) = tool["spec"]["containers"]
    assert container["args"] == ["source /vault/secrets/soverentokens && ./entrypoint.sh"]
    # the paths the example names exist in the pod: the config file
    mounts = {m["mountPath"] for m in digger["spec"]["containers"][0]["volumeMounts"]}
    assert "/etc/config.yaml" in mounts


def test_default_commands() -> None:
    docs = render(CASES["dim-and-dar"])
    commands = {c["name"]: (c.get("command"), c.get("args")) for _, _, c in containers(docs)}
    config = ["--config", "/etc/config.yaml"]
    assert commands["digger"] == (["/usr/local/bin/digger"], config)
    assert commands["crawler"] == (["/usr/local/bin/crawler"], config)
    assert commands["interceptor"] == (["/usr/local/bin/interceptor"], config)
    assert commands["console"] == (["/usr/local/bin/console"], config)
    assert commands["detection-tool"] == (["./entrypoint.sh"], None)
