"""The HTML page: readable, and every stored string escaped."""

from __future__ import annotations

from typing import Any

from sensor_console.server import ConsoleServer
from tests.console.builders import auth, batch, flow, get


def test_page_lists_flows_and_escapes_stored_text(console: ConsoleServer, stub: Any) -> None:
    evil = flow(
        request_path='$.x<script>alert("p")</script>',
        source="<img src=x onerror=alert(1)>",
        path_template="/items/{id}&<b>",
    )
    stub.PushBatch(batch([evil, flow("/plain")]), metadata=auth(), timeout=5)
    status, headers, body = get(console.url + "/")
    assert status == 200
    assert headers["Content-Type"].startswith("text/html")
    assert "default-src 'none'" in headers["Content-Security-Policy"]
    page = body.decode()
    assert "<script>" not in page
    assert "<img" not in page
    assert "&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "/items/{id}&amp;&lt;b&gt;" in page
    assert "/plain" in page
    assert "credit_card_number" in page
    assert "Data map" in page


def test_empty_console_page_says_so(console: ConsoleServer) -> None:
    status, _, body = get(console.url + "/")
    assert status == 200
    assert "No flows received yet." in body.decode()
