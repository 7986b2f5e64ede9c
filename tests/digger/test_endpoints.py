"""Endpoint templates: variable path segments are replaced, literal ones kept, no value survives."""

from __future__ import annotations

import pytest

from sensor_dim.digger.endpoints import path_template


@pytest.mark.parametrize(
    ("target", "template"),
    [
        ("/users/123", "/users/{id}"),
        ("/users/123/orders/9f1c2a4e-1b2c-4d5e-8f90-a1b2c3d4e5f6", "/users/{id}/orders/{uuid}"),
        ("/reports/2026-11-22", "/reports/{date}"),
        ("/lookup/jane.doe@example.com", "/lookup/{email}"),
        ("/blobs/9f86d081884c7d659a2feaa0c55ad015", "/blobs/{hex}"),
        ("/sessions/eyJhbGciOiJIUzI1NiJ9abcdef0123456789", "/sessions/{token}"),
        ("/api/v1/health", "/api/v1/health"),
        ("/api/v2/", "/api/v2/"),
        ("/search?q=jane.doe%40example.com&page=2", "/search"),
        ("http://api.example.com/v1/charges/42", "/v1/charges/{id}"),
        ("/", "/"),
        ("", "/"),
    ],
)
def test_templates(target: str, template: str) -> None:
    assert path_template(target) == template


def test_segments_the_detector_typed_become_their_type() -> None:
    assert path_template("/people/jane-doe/profile", {1: "person_name"}) == (
        "/people/{person_name}/profile"
    )


def test_cardinality_is_bounded_for_absurd_paths() -> None:
    template = path_template("/" + "/".join(f"seg{i}" for i in range(500)))
    assert template.count("/") <= 32
    assert len(path_template("/" + "a" * 10_000)) <= 520


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/a/b?x=1#frag", ("/a/b", "x=1")),
        ("http://api.example.com/v1?q=2", ("/v1", "q=2")),
        ("http://[::1/broken", ("/", "")),
        ("*", ("*", "")),
    ],
)
def test_request_targets_split_without_raising(target: str, expected: tuple[str, str]) -> None:
    from sensor_core.http_semantics import split_target

    assert split_target(target) == expected
