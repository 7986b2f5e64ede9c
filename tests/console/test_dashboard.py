"""The dashboard pages: readable, login required, and every stored string escaped."""

from __future__ import annotations

import json
import re
from typing import Any

from sensor_console.server import ConsoleServer
from tests.console.builders import auth, batch, data_asset, flow, get, request

PAGES = ("/", "/map", "/assets", "/datatypes", "/datastores", "/events", "/sensors")


def _ids(page: str, kind: str) -> list[str]:
    return re.findall(rf'href="/{kind}/(\d+)"', page)


def test_every_page_escapes_stored_text(console: ConsoleServer, stub: Any) -> None:
    evil = flow(
        request_path='$.x<script>alert("p")</script>',
        source="<img src=x onerror=alert(1)>",
        path_template="/items/{id}&<b>",
    )
    stub.PushBatch(
        batch([evil, flow("/plain")], assets=[data_asset("<svg onload=alert(2)>")]),
        metadata=auth(),
        timeout=5,
    )
    pages = {}
    for path in PAGES:
        status, headers, body = get(console, path)
        assert status == 200, path
        assert headers["Content-Type"].startswith("text/html")
        assert "default-src 'none'" in headers["Content-Security-Policy"]
        pages[path] = body.decode()
    (asset_id, *_) = _ids(pages["/assets"], "assets")
    status, _, body = get(console, f"/assets/{asset_id}")
    pages["asset"] = body.decode()
    (field_id, *_) = _ids(pages["asset"], "fields")
    status, _, body = get(console, f"/fields/{field_id}")
    assert status == 200
    pages["field"] = body.decode()
    for path, page in pages.items():
        assert "<script" not in page, path
        assert "<img" not in page, path
        assert "<svg onload" not in page, path
    assert "&lt;script&gt;alert(&quot;p&quot;)&lt;/script&gt;" in pages["asset"]
    assert "&lt;img src=x onerror=alert(1)&gt;" in pages["/assets"]
    assert "/items/{id}&amp;&lt;b&gt;" in pages["/"]
    assert "&lt;svg onload=alert(2)&gt;" in pages["/datastores"]
    assert "credit_card_number" in pages["/datatypes"]
    assert "<svg" in pages["/map"]  # the graph
    assert "First discovery from sensor sensor-a" in pages["/events"]


def test_empty_console_pages_say_so(console: ConsoleServer) -> None:
    expected = {
        "/": "No sensitive flows yet.",
        "/map": "No flows received yet.",
        "/assets": "No assets match.",
        "/datastores": "No data store reported yet.",
        "/events": "No events.",
        "/sensors": "No sensor has reported yet.",
    }
    for path, text in expected.items():
        status, _, body = get(console, path)
        assert status == 200
        assert text in body.decode(), path


def test_pages_redirect_to_login_and_a_session_opens_them(console: ConsoleServer) -> None:
    status, headers, _ = request(console.url + "/map")
    assert status == 303
    assert headers["Location"] == "/login?next=/map"
    assert console.store is not None
    from sensor_console.auth import add_user

    console.store.write(lambda c: add_user(c, "alice", "correct horse battery", "readonly"))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    status, _, body = request(
        console.url + "/login", "POST", body=b"username=alice&password=wrong-password", headers=form
    )
    assert status == 401
    assert "Wrong username or password." in body.decode()
    status, headers, _ = request(
        console.url + "/login",
        "POST",
        body=b"username=alice&password=correct+horse+battery&next=/map",
        headers=form,
    )
    assert status == 303
    assert headers["Location"] == "/map"
    cookie = headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Strict" in cookie
    session = {"Cookie": cookie.split(";")[0]}
    status, _, body = request(console.url + "/map", headers=session)
    assert status == 200
    assert "alice" in body.decode()
    # readonly: no writes, and a cross-site form is refused before the role is checked
    status, _, _ = request(
        console.url + "/api/v1/suppressions", "POST", body={"type_id": "email"}, headers=session
    )
    assert status == 403
    status, _, _ = request(console.url + "/logout", "POST", body=b"", headers=session)
    assert status == 303
    assert request(console.url + "/map", headers=session)[0] == 303


def test_admin_marks_a_finding_not_sensitive_from_the_field_page(
    console: ConsoleServer, stub: Any
) -> None:
    from sensor_console.auth import add_user

    stub.PushBatch(batch([flow()]), metadata=auth(), timeout=5)
    assert console.store is not None
    console.store.write(lambda c: add_user(c, "root", "correct horse battery", "admin"))
    form = {"Content-Type": "application/x-www-form-urlencoded"}
    _, headers, _ = request(
        console.url + "/login",
        "POST",
        body=b"username=root&password=correct+horse+battery",
        headers=form,
    )
    session = {"Cookie": headers["Set-Cookie"].split(";")[0], **form}
    asset_page = get(console, "/assets")[2].decode()
    users = re.search(r'href="/assets/(\d+)">.*?users</a>', asset_page)
    assert users is not None
    page = get(console, f"/assets/{users.group(1)}")[2].decode()
    field_id = re.search(r'href="/fields/(\d+)"><code>\$\.customer\.email', page)
    assert field_id is not None
    target = f"{console.url}/fields/{field_id.group(1)}"
    status, _, body = request(target, headers=session)
    assert 'action="/fields/' in body.decode()  # admins see the form
    cross = {**session, "Origin": "https://evil.example"}
    assert request(target + "/notsensitive", "POST", body=b"type_id=email", headers=cross)[0] == 403
    host = console.url.removeprefix("http://")
    same = {**session, "Origin": console.url}
    status, headers, _ = request(
        target + "/notsensitive", "POST", body=b"type_id=email&scope=endpoint", headers=same
    )
    assert (status, headers["Location"]) == (303, f"/fields/{field_id.group(1)}")
    assert host in console.url
    (s,) = json.loads(get(console, "/api/v1/suppressions")[2])["suppressions"]
    assert (s["type_id"], s["scope"], s["endpoint"]) == (
        "email",
        "endpoint",
        "POST users.shop /users/{id}",
    )
    assert (
        "No data type (or all marked not sensitive)."
        in request(target, headers=session)[2].decode()
    )
