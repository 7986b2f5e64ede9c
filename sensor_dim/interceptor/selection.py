"""Which pairs go on: JSON or form data on either side, and not a metrics or health path."""

from __future__ import annotations

from dsensor.v1 import pair_pb2

from sensor_dim.interceptor.counters import Counters

SKIPPED_PATHS = frozenset({"/metrics", "/healthz", "/api/health"})
FORM = "application/x-www-form-urlencoded"


def is_structured(content_type: str) -> bool:
    """JSON (`application/json`, `application/*+json`) or an urlencoded form."""
    if content_type in ("application/json", FORM):
        return True
    return content_type.startswith("application/") and content_type.endswith("+json")


def url_path(target: str) -> str:
    """The path of a request-target (query and fragment removed, absolute form reduced)."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if "://" in path:
        rest = path.split("://", 1)[1]
        path = "/" + rest.split("/", 1)[1] if "/" in rest else "/"
    return path


def keep_pair(pair: pair_pb2.HttpPair, counters: Counters) -> bool:
    """True for a pair worth analysing; counts why the others are skipped."""
    if url_path(pair.request.target).rstrip("/") in SKIPPED_PATHS:
        counters.inc("pairs_skipped_path")
        return False
    types = [pair.request.message.content_type]
    if pair.HasField("response"):
        types.append(pair.response.message.content_type)
    if not any(is_structured(t) for t in types):
        counters.inc("pairs_skipped_content_type")
        return False
    counters.inc("pairs_selected")
    return True
