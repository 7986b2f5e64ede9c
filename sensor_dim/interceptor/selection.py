"""Which pairs go on: JSON or form data on either side, and not a metrics or health path."""

from __future__ import annotations

from dsensor.v1 import pair_pb2

from sensor_core.http_semantics import is_structured, split_target
from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1_head import MessageHead

SKIPPED_PATHS = frozenset({"/metrics", "/healthz", "/api/health"})


def _path(target: str) -> str:
    """The path of a request-target; origin-form (nearly every request) without urlsplit."""
    if target.startswith("/") and not target.startswith("//"):
        end = target.find("?")  # (compiled, a search builds no call arguments: partition did)
        fragment = target.find("#", 0, end if end >= 0 else len(target))
        if fragment >= 0:
            end = fragment
        return target if end < 0 else target[:end]
    return split_target(target)[0]


def keep_heads(request: MessageHead, response: MessageHead | None, counters: Counters) -> bool:
    """`keep_pair` decided before the pair is built, from the two heads alone."""
    if _path(request.target).rstrip("/") in SKIPPED_PATHS:
        counters.inc("pairs_skipped_path")
        return False
    if not is_structured(request.content_type) and (
        response is None or not is_structured(response.content_type)
    ):
        counters.inc("pairs_skipped_content_type")
        return False
    counters.inc("pairs_selected")
    return True


def keep_pair(pair: pair_pb2.HttpPair, counters: Counters) -> bool:
    """True for a pair worth analysing; counts why the others are skipped."""
    if _path(pair.request.target).rstrip("/") in SKIPPED_PATHS:
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
