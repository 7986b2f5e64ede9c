"""Metadata messages and settings for the console tests."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
import uuid
import weakref
from pathlib import Path
from typing import Any

from dsensor.v1 import metadata_pb2, stats_pb2
from pydantic import SecretStr

from sensor_console.auth import create_api_token
from sensor_console.server import ConsoleServer
from sensor_console.settings import ConsoleSettings
from sensor_core.sections import StatsClientSettings

TOKENS = {"sensor-a": "token-a-5f1e", "sensor-b": "token-b-9c2d"}
NANOS = 1_700_000_000_000_000_000


def console_settings(
    tmp_path: Path, extra: dict[str, Any] | None = None, **grpc: Any
) -> ConsoleSettings:
    return ConsoleSettings.model_validate(
        {
            **(extra or {}),
            "grpc": {"host": "127.0.0.1", "port": 0, **grpc},
            "http": {"host": "127.0.0.1", "port": 0},
            "datadir": str(tmp_path / "console"),
            "sensortokens": [{"sensorid": s, "token": t} for s, t in TOKENS.items()],
            "logging": {"level": "debug", "format": "json"},
        }
    )


def client_settings(port: int, tmp_path: Path, **overrides: Any) -> StatsClientSettings:
    values: dict[str, Any] = {
        "address": f"127.0.0.1:{port}",
        "token": SecretStr(TOKENS["sensor-a"]),
        "sensorid": "sensor-a",
        "clustername": "test-cluster",
        "batchsize": 100,
        "timeout": 2.0,
        "spooldir": tmp_path / "spool",
    }
    values.update(overrides)
    return StatsClientSettings(**values)


def finding(
    type_id: str, sensitivity: int, confidence: float = 0.9
) -> metadata_pb2.DataTypeFinding:
    return metadata_pb2.DataTypeFinding(
        type_id=type_id,
        confidence=confidence,
        sensitivity=sensitivity,  # type: ignore[arg-type]
        category=metadata_pb2.CATEGORY_PERSONAL,
        reasons=["key_name"],
    )


def flow(
    path_template: str = "/users/{id}",
    request_path: str = "$.customer.email",
    type_id: str = "email",
    source: str = "checkout",
    destination: str = "users",
    observed: int = 3,
    first: int = NANOS,
    last: int = NANOS + 1_000,
    status: int = 200,
) -> metadata_pb2.FlowMetadata:
    return metadata_pb2.FlowMetadata(
        source=metadata_pb2.Asset(
            kind=metadata_pb2.ASSET_KIND_WORKLOAD,
            name=source,
            namespace="shop",
            workload_kind="Deployment",
        ),
        destination=metadata_pb2.Asset(
            kind=metadata_pb2.ASSET_KIND_SERVICE, name=destination, namespace="shop"
        ),
        endpoint=metadata_pb2.Endpoint(
            method="POST", host=f"{destination}.shop", path_template=path_template, port=8080
        ),
        request=metadata_pb2.FieldSchema(
            content_type="application/json",
            fields=[
                metadata_pb2.Field(
                    path=request_path,
                    json_types=[metadata_pb2.JSON_TYPE_STRING],
                    data_types=[finding(type_id, metadata_pb2.SENSITIVITY_MEDIUM)],
                    seen=observed,
                )
            ],
        ),
        response=metadata_pb2.FieldSchema(
            content_type="application/json",
            fields=[
                metadata_pb2.Field(
                    path="$.card",
                    json_types=[metadata_pb2.JSON_TYPE_STRING],
                    data_types=[finding("credit_card_number", metadata_pb2.SENSITIVITY_HIGH)],
                    seen=observed,
                )
            ],
        ),
        statuses=[status],
        observed=observed,
        analysed=observed,
        first_seen_unix_nanos=first,
        last_seen_unix_nanos=last,
    )


def data_asset(name: str = "shop.public.users") -> metadata_pb2.DataAssetMetadata:
    return metadata_pb2.DataAssetMetadata(
        source="postgres",
        instance="db-1",
        asset=name,
        sampled=100,
        scanned_unix_nanos=NANOS,
        fields=[
            metadata_pb2.Field(
                path="$.email",
                json_types=[metadata_pb2.JSON_TYPE_STRING],
                data_types=[finding("email", metadata_pb2.SENSITIVITY_MEDIUM)],
                seen=100,
            )
        ],
    )


def batch(
    flows: list[metadata_pb2.FlowMetadata] | None = None,
    assets: list[metadata_pb2.DataAssetMetadata] | None = None,
    sensor_id: str = "sensor-a",
    batch_id: str | None = None,
) -> stats_pb2.PushBatchRequest:
    return stats_pb2.PushBatchRequest(
        batch_id=str(uuid.uuid4()) if batch_id is None else batch_id,
        sensor_id=sensor_id,
        cluster_name="test-cluster",
        sensor_kind=stats_pb2.SENSOR_KIND_DIM,
        created_unix_nanos=NANOS,
        flows=flows if flows is not None else [flow()],
        assets=assets or [],
    )


def auth(sensor_id: str = "sensor-a") -> tuple[tuple[str, str], ...]:
    return (("authorization", f"Bearer {TOKENS[sensor_id]}"),)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect)
_ADMIN_TOKENS: weakref.WeakKeyDictionary[ConsoleServer, str] = weakref.WeakKeyDictionary()


def admin_token(console: ConsoleServer) -> str:
    """An admin API token of `console`, made once per console."""
    if console not in _ADMIN_TOKENS:
        assert console.store is not None
        _ADMIN_TOKENS[console] = console.store.write(
            lambda c: create_api_token(c, f"tests-{uuid.uuid4().hex[:8]}", "admin")
        )
    return _ADMIN_TOKENS[console]


def request(
    url: str,
    method: str = "GET",
    token: str | None = None,
    body: Any = None,
    headers: dict[str, str] | None = None,
) -> tuple[int, dict[str, str], bytes]:
    sent = dict(headers or {})
    if token is not None:
        sent["Authorization"] = f"Bearer {token}"
    data = None
    if body is not None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        sent.setdefault("Content-Type", "application/json")
    req = urllib.request.Request(url, data=data, method=method, headers=sent)
    try:
        with _OPENER.open(req, timeout=10) as resp:
            return resp.status, dict(resp.headers), resp.read()
    except urllib.error.HTTPError as err:
        with err:
            return err.code, dict(err.headers), err.read()


def get(target: ConsoleServer | str, path: str = "") -> tuple[int, dict[str, str], bytes]:
    """GET a console path as admin, or a full URL without credentials."""
    if isinstance(target, str):
        return request(target + path)
    return request(target.url + path, token=admin_token(target))


def get_json(console: ConsoleServer, path: str) -> Any:
    status, _, body = get(console, path)
    assert status == 200, (path, status, body[:200])
    return json.loads(body)
