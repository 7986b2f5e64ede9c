from __future__ import annotations

import itertools

from sensor_dim.interceptor.counters import Counters
from sensor_dim.interceptor.http1_head import MessageHead
from sensor_dim.interceptor.selection import keep_heads


def request(target: str, content_type: str = "application/json") -> MessageHead:
    head = MessageHead(True, "HTTP/1.1", method="POST", target=target)
    head.headers = [("Content-Type", content_type)]
    head.note_fields()
    return head


def test_health_and_metrics_paths_are_skipped_whatever_follows_them() -> None:
    pieces = ["", "/", "?a=1", "#top", "?a=1#top", "#top?a", "?"]
    for path, tail in itertools.product(["/metrics", "/healthz", "/api/health"], pieces):
        counters = Counters()
        assert not keep_heads(request(path + tail), None, counters), path + tail
        assert counters["pairs_skipped_path"] == 1
    for target in ["/api/healthy", "/metrics/users", "/x?/healthz", "/x#/metrics", "//healthz"]:
        counters = Counters()
        assert keep_heads(request(target), None, counters), target
        assert counters["pairs_selected"] == 1


def test_pairs_without_json_or_form_on_either_side_are_skipped() -> None:
    counters = Counters()
    assert not keep_heads(request("/a", "text/html"), request("/a", "image/png"), counters)
    assert keep_heads(request("/a", "text/html"), request("/a", "application/json"), counters)
    assert counters["pairs_skipped_content_type"] == 1
