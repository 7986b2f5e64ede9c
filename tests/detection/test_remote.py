"""RemoteDetector offers the digger's two calls over gRPC, with the in-process results."""

from __future__ import annotations

import urllib.request

import pytest

from detection_tool import DetectionInputError, Detector, Finding
from detection_tool.client import RemoteDetector
from detection_tool.server import RunningServer

from .helpers import luhn_complete, make_jwt

pytestmark = pytest.mark.integration

DOC = {
    "customer": {"email": "ana@example.com", "full_name": "Ana Lopez"},
    "card": {"number": luhn_complete("411111111111111"), "exp_month": 12},
    "items": [{"sku": "A-1", "price": 9.5}],
}
FIELDS = [
    ("header.authorization", "authorization", "Bearer " + make_jwt()),
    ("cookie.session", "session", "q1w2e3r4t5y6u7i8o9p0a1s2"),
    ("query.email", "email", "ana@example.com"),
    ("query.page", "page", "2"),
    ("path[2]", "", "ana@example.com"),
    ("header.x-request-id", "x-request-id", "0f8fad5b-d9cb-469f-a165-70867728950e"),
]


def _types(result: dict[str, list[Finding]]) -> dict[str, list[str]]:
    return {p: [f.type_id for f in fs] for p, fs in result.items()}


def test_remote_document_and_fields_match_in_process(running_server: RunningServer) -> None:
    local = Detector()
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        assert _types(remote.detect_document(DOC)) == _types(local.detect_document(DOC))
        remote_fields = remote.detect_fields(FIELDS)
    expected = local.detect_fields(FIELDS)
    assert _types(remote_fields) == _types(expected)
    assert _types(remote_fields)["header.authorization"] == ["bearer_token"]
    assert set(remote_fields) == {"header.authorization", "cookie.session", "query.email",
                                  "path[2]"}  # fmt: skip


def test_remote_document_errors(running_server: RunningServer) -> None:
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        with pytest.raises(DetectionInputError) as info:
            remote.detect_document({"x": float("nan")})
        assert info.value.code == "invalid_json"
        assert remote.detect_fields([]) == {}


def test_findings_are_counted_by_type(running_server: RunningServer) -> None:
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        remote.detect_document(DOC)
    url = f"http://127.0.0.1:{running_server.http_port}/metrics"
    with urllib.request.urlopen(url, timeout=5) as response:
        text = response.read().decode()
    assert 'dsensor_detection_findings_total{type="email"} 1.0' in text
    assert "ana@example.com" not in text
