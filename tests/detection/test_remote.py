"""RemoteDetector offers the digger's two calls over gRPC, with the in-process results."""

from __future__ import annotations

import urllib.request

import pytest
from dsensor.v1 import detection_pb2_grpc

from detection_tool import DetectionInputError, Detector
from detection_tool.client import RemoteDetector
from detection_tool.server import RunningServer
from detection_tool.service import DetectionServicer
from detection_tool.settings import DetectorSettings
from tests.harness.grpc_server import serve_grpc

from .helpers import luhn_complete, make_jwt, type_ids

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


def test_remote_document_and_fields_match_in_process(running_server: RunningServer) -> None:
    local = Detector()
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        assert type_ids(remote.detect_document(DOC)) == type_ids(local.detect_document(DOC))
        remote_fields = remote.detect_fields(FIELDS)
    expected = local.detect_fields(FIELDS)
    assert type_ids(remote_fields) == type_ids(expected)
    assert type_ids(remote_fields)["header.authorization"] == ["bearer_token"]
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


SUPPRESSED_PLACES = DetectorSettings.model_validate(
    {
        "suppressions": [
            {"paths": ["header.authorization"]},  # every type at one header
            {"paths": ["cookie.*"], "types": ["session_cookie"]},  # one type at every cookie
            {"paths": ["query.email"], "endpoints": ["GET /internal/*"]},  # one endpoint only
            {"paths": ["path[*]"], "types": ["email"]},  # URL path segments
        ]
    }
)
PLACE_FIELDS = [
    *FIELDS,
    ("header.x-api-key", "x-api-key", "sk_live_" + "a1B2c3D4e5F6g7H8i9J0k1L2"),
    ("cookie.email", "email", "bo@example.org"),
    ("query.phone", "phone", "+14155552671"),
    ("query.count", "count", 3),
]


@pytest.mark.parametrize("context", [None, "GET /internal/audit", "GET /users/{id}"])
def test_suppressions_of_http_places_apply_on_the_remote_path(context: str | None) -> None:
    """Suppressions keyed on header / cookie / query / path places drop the same findings
    through a real gRPC service as in-process."""
    local = Detector(SUPPRESSED_PLACES)
    servicer = DetectionServicer(Detector(SUPPRESSED_PLACES))
    with (
        serve_grpc(
            lambda server: detection_pb2_grpc.add_DetectionServiceServicer_to_server(  # type: ignore[no-untyped-call]
                servicer, server
            )
        ) as running,
        RemoteDetector(running.target, timeout=5) as remote,
    ):
        remote_found = remote.detect_fields(PLACE_FIELDS, context=context)
    expected = local.detect_fields(PLACE_FIELDS, context=context)
    assert remote_found == expected  # types, confidences, explanations
    unsuppressed = Detector().detect_fields(PLACE_FIELDS, context=context)
    # the rules did drop something here, so equality above is not trivially empty-vs-empty
    assert "header.authorization" in unsuppressed
    assert "header.authorization" not in remote_found
    assert "session_cookie" in type_ids(unsuppressed)["cookie.session"]
    assert "cookie.session" not in remote_found
    assert type_ids(remote_found)["cookie.email"] == ["email"]  # other types at cookies stay
    assert "path[2]" not in remote_found
    assert ("query.email" in remote_found) == (context != "GET /internal/audit")
    assert type_ids(remote_found)["header.x-api-key"] == type_ids(unsuppressed)["header.x-api-key"]


def test_remote_fields_keep_non_string_values() -> None:
    """Numbers travel as JSON and are typed as numbers; values that are not JSON are skipped."""
    servicer = DetectionServicer(Detector())
    fields: list[tuple[str, str, object]] = [
        ("query.phone", "phone", 4155552671),
        ("query.flag", "flag", True),
        ("query.odd", "odd", object()),
    ]
    with (
        serve_grpc(
            lambda server: detection_pb2_grpc.add_DetectionServiceServicer_to_server(  # type: ignore[no-untyped-call]
                servicer, server
            )
        ) as running,
        RemoteDetector(running.target, timeout=5) as remote,
    ):
        found = remote.detect_fields(fields)
    assert found == Detector().detect_fields(fields[:2])
    assert type_ids(found) == {"query.phone": ["phone_number"]}
