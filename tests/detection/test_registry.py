"""The service pulls custom types and suppressions from a real console's registry, and the
remote calls carry the endpoint / asset context that selects suppressions."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from detection_tool import Finding
from detection_tool.client import RemoteDetector
from detection_tool.registry_sync import keyword_pattern, parse_registry
from detection_tool.server import RunningServer, serve
from detection_tool.settings import DetectionToolSettings
from sensor_console.server import ConsoleServer
from tests.console.builders import TOKENS, admin_token, console_settings, request

pytestmark = pytest.mark.integration

LOYALTY = {
    "id": "loyalty_number",
    "name": "Loyalty number",
    "category": "personal",
    "sensitivity": "medium",
    "patterns": ["^LY[0-9]{8}$"],
    "keywords": ["loyalty"],
}
DOC = {"customer": {"email": "ana@example.com", "card": "LY31415926"}, "order_no": "x"}


def _types(result: dict[str, list[Finding]]) -> dict[str, list[str]]:
    return {p: sorted(f.type_id for f in fs) for p, fs in result.items()}


def _settings(url: str, token: str, **detector: Any) -> DetectionToolSettings:
    return DetectionToolSettings.model_validate(
        {
            "grpc": {"host": "127.0.0.1", "port": 0},
            "http": {"host": "127.0.0.1", "port": 0},
            "otaregistry": {"url": url, "auth": {"token": token}, "interval": "50ms"},
            "detector": detector,
        }
    )


@pytest.fixture
def console(tmp_path: Path) -> Iterator[ConsoleServer]:
    server = ConsoleServer(console_settings(tmp_path))
    server.start()
    yield server
    server.stop(0)


def _post(console: ConsoleServer, route: str, body: dict[str, Any]) -> None:
    status, _, _ = request(console.url + route, "POST", token=admin_token(console), body=body)
    assert status == 201


def _wait_version(running: RunningServer, above: int) -> int:
    assert running.registry is not None
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        version = running.registry.version
        if version is not None and version > above:
            return version
        time.sleep(0.02)
    raise AssertionError(f"registry not applied: {dict(running.registry.counts)}")


def test_registry_rules_reach_the_running_service(console: ConsoleServer) -> None:
    running = serve(_settings(console.url, TOKENS["sensor-a"]))
    try:
        with RemoteDetector(f"127.0.0.1:{running.port}", timeout=5) as remote:
            first = _wait_version(running, -1)
            assert "$.customer.card" not in remote.detect_document(DOC)

            _post(console, "/api/v1/customtypes", LOYALTY)
            _post(console, "/api/v1/suppressions",
                  {"type_id": "email", "endpoint": "POST shop.local /orders",
                   "path": "$.customer.email"})  # fmt: skip
            second = _wait_version(running, first)
            assert second > first

            found = _types(remote.detect_document(DOC, context="POST /orders"))
            assert found == {"$.customer.card": ["loyalty_number"]}  # email suppressed here
            elsewhere = _types(remote.detect_document(DOC, context="GET /orders"))
            assert elsewhere["$.customer.email"] == ["email"]
            (card,) = remote.detect_document({"loyaltyNo": "LY27182818"})["$.loyaltyNo"]
            assert card.confidence >= 0.9
            assert "key:custom:loyalty_number" in card.reasons

        assert running.registry is not None
        assert running.registry.poll_once() == "unchanged"  # same version: nothing rebuilt
        assert running.servicer is not None
        serving = running.servicer.detector
        assert running.registry.poll_once() == "unchanged"
        assert running.servicer.detector is serving
    finally:
        running.stop(grace=1.0)


def test_registry_failures_are_counted_and_keep_the_last_rules(console: ConsoleServer) -> None:
    _post(console, "/api/v1/customtypes", LOYALTY)
    running = serve(_settings(console.url + "/api/v1/registry", TOKENS["sensor-b"]))
    try:
        _wait_version(running, -1)
        poller = running.registry
        assert poller is not None
        poller.stop()  # polls by hand from here
        poller._token = "not-a-sensor-token"
        assert poller.poll_once() == "http_401"
        poller._url = "http://127.0.0.1:9/api/v1/registry"
        assert poller.poll_once() == "unreachable"
        with RemoteDetector(f"127.0.0.1:{running.port}", timeout=5) as remote:
            assert _types(remote.detect_document(DOC))["$.customer.card"] == ["loyalty_number"]
        url = f"http://127.0.0.1:{running.http_port}/metrics"
        status, _, body = request(url)
        assert status == 200
        metrics = body.decode()
        assert 'dsensor_detection_registry_polls_total{outcome="http_401"} 1.0' in metrics
        assert 'dsensor_detection_registry_polls_total{outcome="applied"} 1.0' in metrics
        assert "not-a-sensor-token" not in metrics
    finally:
        running.stop(grace=1.0)


def test_no_registry_url_means_no_poller() -> None:
    running = serve(_settings("", ""), with_http=False)
    try:
        assert running.registry is None
    finally:
        running.stop(grace=1.0)


@pytest.mark.parametrize(
    "document",
    [None, [], {"custom_types": []}, {"version": "1"}],
)
def test_documents_that_are_not_registries_are_rejected(document: object) -> None:
    with pytest.raises(ValueError, match="version"):
        parse_registry(document)


def test_unusable_entries_are_skipped_and_counted() -> None:
    rules = parse_registry(
        {
            "version": 7,
            "custom_types": [LOYALTY, {"id": "Bad Id", "category": "personal"}],
            "suppressions": [{"asset": "shop/orders"}, "nonsense"],
        }
    )
    assert rules.version == 7
    assert {c.id for c in rules.customtypes} == {"loyalty_number"}
    assert len(rules.suppressions) == 1
    assert rules.suppressions[0].endpoints == ["shop/orders"]
    assert rules.skipped == 2


@pytest.mark.parametrize("key", ["member_no", "memberNo", "MEMBER-NO", "member no"])
def test_keywords_match_every_key_style(key: str) -> None:
    assert re.search(keyword_pattern(["member_no"]), key, re.IGNORECASE)
    assert not re.search(keyword_pattern(["member_no"]), "membership", re.IGNORECASE)


def test_context_travels_with_documents_fields_and_records(
    running_server_with_suppressions: RunningServer,
) -> None:
    port = running_server_with_suppressions.port
    doc = {"id": 42, "email": "ana@example.com"}
    with RemoteDetector(f"127.0.0.1:{port}", timeout=5) as remote:
        # the context names the root object: a user's id is a user_id
        assert _types(remote.detect_document(doc, context="GET /users/{id}")) == {
            "$.id": ["user_id"],
            "$.email": ["email"],
        }
        assert "$.email" not in remote.detect_document(doc, context="GET /internal/audit")
        fields = [("query.email", "email", "ana@example.com"), ("query.id", "id", "42")]
        assert remote.detect_fields(fields, context="GET /internal/audit") == {}
        assert _types(remote.detect_fields(fields, context="GET /users/{id}")) == {
            "query.email": ["email"]  # no parent from the context for a query field
        }
        records = [json.dumps({"email": f"u{i}@example.com"}).encode() for i in range(5)]
        assert remote.detect_records(records, context="db.internal.audit") == {}
        assert _types(remote.detect_records(records, context="db.public.users")) == {
            "$.email": ["email"]
        }


@pytest.fixture
def running_server_with_suppressions() -> Iterator[RunningServer]:
    settings = DetectionToolSettings.model_validate(
        {
            "grpc": {"host": "127.0.0.1", "port": 0},
            "http": {"host": "127.0.0.1", "port": 0},
            "detector": {"suppressions": [{"endpoints": ["* /internal/*", "db.internal.*"]}]},
        }
    )
    running = serve(settings, with_http=False)
    try:
        yield running
    finally:
        running.stop(grace=1.0)
