"""Policies, events, webhooks, false positives and the detection-tool registry."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import grpc
import pytest
from dsensor.v1 import metadata_pb2, stats_pb2_grpc

from sensor_console.server import ConsoleServer
from tests.console.builders import (
    TOKENS,
    admin_token,
    auth,
    batch,
    console_settings,
    data_asset,
    flow,
    get_json,
    request,
)

POLICIES = {
    "groups": {"payments": ["shop/payments*"]},
    "rules": [
        {
            "name": "cards-stay-in-payments",
            "action": "receive",
            "assets": ["*"],
            "exceptassets": ["group:payments"],
            "datatypes": ["credit_card_number"],
        },
        {
            "name": "no-personal-data-to-third-parties",
            "action": "send",
            "thirdparty": True,
            "categories": ["personal"],
        },
        {"name": "no-high-at-rest", "action": "store", "minsensitivity": "medium"},
    ],
}


class Receiver:
    """A webhook endpoint on 127.0.0.1: fails the first `failures` posts with 503."""

    def __init__(self, failures: int = 0, delay: float = 0.0) -> None:
        self.bodies: list[dict[str, Any]] = []
        self.attempts = 0
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                owner.attempts += 1
                if owner.attempts <= failures:
                    time.sleep(delay)
                    self.send_response(503)
                else:
                    owner.bodies.append(json.loads(body))
                    self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver(failures=2)
    yield r
    r.close()


def _console(tmp_path: Path, hooks: list[dict[str, Any]]) -> ConsoleServer:
    extra = {"policies": POLICIES, "webhooks": hooks}
    server = ConsoleServer(console_settings(tmp_path, extra))
    server.start()
    return server


def _push(console: ConsoleServer, *batches: Any) -> None:
    channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
    try:
        stub = stats_pb2_grpc.StatsServiceStub(channel)  # type: ignore[no-untyped-call]
        for b in batches:
            stub.PushBatch(b, metadata=auth(), timeout=5)
    finally:
        channel.close()


def _external_flow() -> metadata_pb2.FlowMetadata:
    f = flow("/v1/charges", destination="api.stripe-like.example")
    f.destination.kind = metadata_pb2.ASSET_KIND_EXTERNAL
    f.destination.external = True
    f.destination.namespace = ""
    return f


def _wait(check: Any, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def test_events_and_webhook_delivery_with_retries(tmp_path: Path, receiver: Receiver) -> None:
    console = _console(tmp_path, [{"url": receiver.url, "backoff": "50ms", "retries": 3}])
    try:
        _push(
            console,
            batch([flow(), _external_flow()], assets=[data_asset()]),
            batch([flow(), _external_flow()]),  # the same situation again raises nothing new
        )
        events = get_json(console, "/api/v1/events?limit=1000")["events"]
        kinds = sorted({e["kind"] for e in events})
        assert kinds == [
            "discovery_complete",
            "new_data_type",
            "new_receiver",
            "new_sender",
            "policy_violation",
            "third_party_violation",
        ]
        titles = {e["title"] for e in events}
        assert (
            "New data type credit_card_number (personal, high) in POST users.shop /users/{id}"
            in titles
        )
        assert any(
            t.startswith("New external receiver: api.stripe-like.example receives") for t in titles
        )
        rules = {e["details"].get("rule") for e in events}
        assert {
            "cards-stay-in-payments",
            "no-personal-data-to-third-parties",
            "no-high-at-rest",
        } <= rules
        third = [e for e in events if e["kind"] == "third_party_violation"]
        assert {e["details"]["counterpart"] for e in third} == {"api.stripe-like.example"}
        assert len(events) == get_json(console, "/api/v1/events")["total"]
        only = get_json(console, "/api/v1/events?kind=new_receiver")["events"]
        assert {e["kind"] for e in only} == {"new_receiver"}

        _wait(lambda: len(receiver.bodies) == len(events))
        assert receiver.attempts == len(events) + 2  # two 503s retried
        posted = receiver.bodies[0]
        assert set(posted) == {"text", "event"}
        assert posted["text"] == posted["event"]["title"]
        _wait(lambda: all(e["delivered"] for e in get_json(console, "/api/v1/events")["events"]))
    finally:
        console.stop(0)


def test_a_webhook_that_keeps_failing_is_given_up_and_counted(tmp_path: Path) -> None:
    failing = Receiver(failures=1000)
    console = _console(
        tmp_path,
        [{"url": failing.url, "backoff": "10ms", "retries": 2, "kinds": ["discovery_complete"]}],
    )
    try:
        _push(console, batch())
        _wait(lambda: failing.attempts >= 3)
        _wait(
            lambda: (
                b'dsensor_console_webhook_posts_total{outcome="failed"} 1.0'
                in request(console.url + "/metrics")[2]
            )
        )
        assert failing.attempts == 3
    finally:
        console.stop(0)
        failing.close()


def test_false_positives_hide_findings_and_reach_the_registry(
    console: ConsoleServer, stub: Any
) -> None:
    token = admin_token(console)
    status, _, body = request(
        console.url + "/api/v1/suppressions",
        "POST",
        token=token,
        body={"type_id": "email", "path": "$.customer.email", "reason": "test accounts only"},
    )
    assert status == 201
    created = json.loads(body)
    assert created["scope"] == "field"
    stub.PushBatch(batch(), metadata=auth(), timeout=5)
    (row,) = get_json(console, "/api/v1/flows")["flows"]
    assert row["request"][0]["data_types"] == []
    assert row["response"][0]["data_types"][0]["type_id"] == "credit_card_number"
    types = {e["details"].get("type_id") for e in get_json(console, "/api/v1/events")["events"]}
    assert "email" not in types

    custom = {
        "id": "loyalty_number",
        "name": "Loyalty number",
        "category": "personal",
        "sensitivity": "medium",
        "patterns": ["^LY[0-9]{8}$"],
        "keywords": ["loyalty"],
    }
    assert request(console.url + "/api/v1/customtypes", "POST", token=token, body=custom)[0] == 201
    bad = {**custom, "id": "Bad Id", "patterns": ["(unclosed"]}
    status, _, body = request(console.url + "/api/v1/customtypes", "POST", token=token, body=bad)
    assert status == 400
    assert "(unclosed" not in body.decode()

    url = console.url + "/api/v1/registry"
    assert request(url, token=token)[0] == 401  # user tokens are not sensor tokens
    status, _, body = request(url, token=TOKENS["sensor-b"])
    assert status == 200
    registry = json.loads(body)
    assert registry["version"] > 0
    assert [t["id"] for t in registry["custom_types"]] == ["loyalty_number"]
    (s,) = registry["suppressions"]
    assert (s["type_id"], s["path"], s["scope"]) == ("email", "$.customer.email", "field")

    status, _, _ = request(
        console.url + f"/api/v1/suppressions/{created['id']}", "DELETE", token=token
    )
    assert status == 200
    again = json.loads(request(url, token=TOKENS["sensor-a"])[2])
    assert again["suppressions"] == []
    assert again["version"] > registry["version"]
    (row,) = get_json(console, "/api/v1/flows")["flows"]
    assert row["request"][0]["data_types"][0]["type_id"] == "email"


def test_bad_policy_settings_name_the_problem(tmp_path: Path) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError, match="unknown group"):
        console_settings(
            tmp_path,
            {
                "policies": {
                    "rules": [
                        {
                            "name": "r",
                            "action": "send",
                            "assets": ["group:nope"],
                            "datatypes": ["email"],
                        }
                    ]
                }
            },
        )
    with pytest.raises(ValidationError, match="at least one of"):
        console_settings(tmp_path, {"policies": {"rules": [{"name": "r", "action": "send"}]}})
