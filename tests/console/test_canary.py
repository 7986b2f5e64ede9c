"""Canary: values planted where a buggy sensor or a user could put them never come out of
storage, the API, the pages, events, webhooks, logs or metrics."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

from dsensor.v1 import metadata_pb2

from sensor_console.server import ConsoleServer
from tests.console.builders import (
    admin_token,
    batch,
    console_settings,
    data_asset,
    flow,
    get,
    request,
)
from tests.console.test_events import Receiver, _push, _wait
from tests.console.test_privacy import captured_logs  # noqa: F401 - fixture

VALUE = "Kanarie4711"  # shaped like a value a sensor must never send
PASSWORD = "Canary-Password-8812"
ROUTES = (
    "/",
    "/map",
    "/assets",
    "/datatypes",
    "/datastores",
    "/events",
    "/sensors",
    "/api/v1/overview",
    "/api/v1/flows",
    "/api/v1/assets",
    "/api/v1/datatypes",
    "/api/v1/datastores",
    "/api/v1/events",
    "/api/v1/sensors",
    "/metrics",
)


def _leaky_batch() -> Any:
    f = flow()
    f.request.fields[0].masked_shape = VALUE  # a value, not a shape: must be dropped
    f.response.fields[0].masked_shape = "9999-99xx-9999"  # a real masked shape is kept
    asset = data_asset()
    asset.fields[0].masked_shape = f"{VALUE}@example.com"
    return batch([f], assets=[asset])


def test_planted_values_go_nowhere(
    tmp_path: Path,
    captured_logs: io.StringIO,  # noqa: F811 - fixture
) -> None:
    hook = Receiver()
    console = ConsoleServer(console_settings(tmp_path, {"webhooks": [{"url": hook.url}]}))
    console.start()
    try:
        _push(console, _leaky_batch())
        form = {"Content-Type": "application/x-www-form-urlencoded"}
        body = f"username=admin-{VALUE}&password={PASSWORD}".encode()
        assert request(console.url + "/login", "POST", body=body, headers=form)[0] == 401
        for query in (f"datatype={VALUE}", f"limit={VALUE}", f"since={VALUE}"):
            get(console, f"/api/v1/flows?{query}")
        status, _, answer = request(
            console.url + "/api/v1/suppressions",
            "POST",
            token=admin_token(console),
            body={"type_id": "x" * 70 + VALUE},
        )
        assert status == 400
        assert VALUE not in answer.decode()
        _wait(lambda: len(hook.bodies) >= 3)

        outputs: dict[str, bytes] = {}
        for route in ROUTES:
            status, _, body = get(console, route)
            assert status == 200, route
            outputs[route] = body
        (flow_row,) = json.loads(outputs["/api/v1/flows"])["flows"]
        assert flow_row["response"][0]["masked_shape"] == "9999-99xx-9999"
        assert "masked_shape" not in flow_row["request"][0]
        field_page = get(console, f"/fields/{flow_row['response'][0]['id']}")[2]
        assert b"9999-99xx-9999" in field_page
        outputs["webhooks"] = json.dumps(hook.bodies).encode()
    finally:
        console.stop(0)
        hook.close()
    for path in (tmp_path / "console").rglob("*"):
        outputs[str(path)] = path.read_bytes()
    outputs["logs"] = captured_logs.getvalue().encode()
    assert b"batch_received" in outputs["logs"]
    for name, data in outputs.items():
        assert VALUE.encode() not in data, name
        assert PASSWORD.encode() not in data, name


def test_masked_shape_rule(tmp_path: Path) -> None:
    from sensor_console.writes import masked_shape

    assert masked_shape("xxx-999") == "xxx-999"
    assert masked_shape("abc") == ""
    assert masked_shape("9" * 33) == ""
    assert masked_shape("") == ""
    assert metadata_pb2.Field(masked_shape="x").masked_shape == "x"
