"""The JSON API: login, roles, pagination, filters, asset and field reads, OpenAPI."""

from __future__ import annotations

import json
from typing import Any

from dsensor.v1 import metadata_pb2

from sensor_console.auth import create_api_token
from sensor_console.server import ConsoleServer
from tests.console.builders import (
    NANOS,
    TOKENS,
    auth,
    batch,
    data_asset,
    flow,
    get,
    get_json,
    request,
)


def _token(console: ConsoleServer, role: str) -> str:
    assert console.store is not None
    return console.store.write(lambda c: create_api_token(c, f"t-{role}", role))


def test_api_needs_a_user_token_not_a_sensor_token(console: ConsoleServer) -> None:
    url = console.url + "/api/v1/flows"
    status, _, body = request(url)
    assert status == 401
    assert json.loads(body) == {"error": "login required: a session or an API token"}
    assert request(url, token=TOKENS["sensor-a"])[0] == 401
    assert request(url, token="dsc_not-a-token")[0] == 401
    readonly = _token(console, "readonly")
    assert request(url, token=readonly)[0] == 200
    status, _, body = request(
        console.url + "/api/v1/customtypes",
        "POST",
        token=readonly,
        body={"id": "x_id", "name": "X", "category": "personal", "sensitivity": "low"},
    )
    assert (status, json.loads(body)["error"]) == (403, "this needs the admin role")
    me = json.loads(request(console.url + "/api/v1/me", token=readonly)[2])
    assert me == {"name": "t-readonly", "role": "readonly"}


def test_admin_creates_tokens_shown_once(console: ConsoleServer) -> None:
    status, _, body = request(
        console.url + "/api/v1/tokens",
        "POST",
        token=_token(console, "admin"),
        body={"name": "ci-reader", "role": "readonly"},
    )
    assert status == 201
    created = json.loads(body)
    assert created["token"].startswith("dsc_")
    assert request(console.url + "/api/v1/overview", token=created["token"])[0] == 200
    assert console.store is not None
    stored = console.store.read(lambda c: c.execute("SELECT token_hash FROM api_tokens").fetchall())
    assert all(created["token"] not in row[0] for row in stored)


def _seed(stub: Any) -> None:
    flows = [
        flow(f"/p{i}", source=f"svc-{i:02d}", first=NANOS + i, last=NANOS + i * 1_000_000_000)
        for i in range(25)
    ]
    low = flow("/low", request_path="$.name", type_id="first_name", source="web")
    low.response.Clear()
    low.request.fields[0].data_types[0].sensitivity = metadata_pb2.SENSITIVITY_LOW
    low.source.namespace = "frontend"
    stub.PushBatch(batch([*flows, low], assets=[data_asset()]), metadata=auth(), timeout=5)


def test_pagination_covers_every_flow_once(console: ConsoleServer, stub: Any) -> None:
    _seed(stub)
    seen: list[int] = []
    offset: int | None = 0
    while offset is not None:
        page = get_json(console, f"/api/v1/flows?limit=10&offset={offset}")
        assert page["total"] == 26
        assert page["limit"] == 10
        seen += [f["id"] for f in page["flows"]]
        offset = page["next_offset"]
    assert len(seen) == len(set(seen)) == 26
    first = get_json(console, "/api/v1/flows?limit=1")["flows"][0]
    assert first["max_sensitivity"] == "high"


def test_filters_narrow_flows_assets_and_data_stores(console: ConsoleServer, stub: Any) -> None:
    _seed(stub)
    by_ns = get_json(console, "/api/v1/flows?namespace=frontend")
    assert [f["path_template"] for f in by_ns["flows"]] == ["/low"]
    by_type = get_json(console, "/api/v1/flows?datatype=first_name")["flows"]
    assert [f["path_template"] for f in by_type] == ["/low"]
    high = get_json(console, "/api/v1/flows?sensitivity=high")
    assert high["total"] == 25
    since = get_json(console, f"/api/v1/flows?since={NANOS + 20 * 1_000_000_000}")
    assert since["total"] == 5
    iso = get_json(console, "/api/v1/flows?until=2023-11-14T22:13:21Z")
    assert {f["path_template"] for f in iso["flows"]} == {"/low", "/p0", "/p1"}
    assets = get_json(console, "/api/v1/assets?datatype=first_name")["assets"]
    assert {a["name"] for a in assets} == {"web", "users"}
    stores = get_json(console, "/api/v1/datastores?datatype=email")["datastores"]
    assert [d["asset"] for d in stores] == ["shop.public.users"]
    assert get_json(console, "/api/v1/datastores?datatype=iban")["total"] == 0


def test_bad_parameters_are_400_without_echoing_them(console: ConsoleServer) -> None:
    for query in (
        "limit=0",
        "limit=abc-canary-1",
        "sensitivity=canary-2",
        "since=canary-3",
        "kind=canary-4",
    ):
        status, _, body = get(console, f"/api/v1/flows?{query}")
        assert status == 400, query
        assert b"canary" not in body


def test_asset_and_field_reads(console: ConsoleServer, stub: Any) -> None:
    _seed(stub)
    (users,) = [
        a for a in get_json(console, "/api/v1/assets?limit=100")["assets"] if a["name"] == "users"
    ]
    assert users["incoming_flows"] == 26
    assert users["max_sensitivity"] == "high"
    detail = get_json(console, f"/api/v1/assets/{users['id']}")
    assert detail["asset"]["id"] == users["id"]
    assert len(detail["flows"]) == 26
    assert get(console, "/api/v1/assets/999999")[0] == 404
    assert get(console, "/api/v1/assets/x")[0] == 404
    assert get(console, f"/assets/{users['id']}")[0] == 200
    for page in ("/assets/999999", "/assets/x", "/fields/999999", "/fields/x"):
        assert get(console, page)[0] == 404, page


def test_openapi_document_lists_every_route(console: ConsoleServer) -> None:
    doc = get_json(console, "/api/v1/openapi.json")
    assert doc["openapi"].startswith("3.")
    for path in ("/api/v1/flows", "/api/v1/assets/{id}", "/api/v1/registry", "/api/v1/events"):
        assert path in doc["paths"], path
    names = {p["name"] for p in doc["paths"]["/api/v1/flows"]["get"]["parameters"]}
    assert {"namespace", "datatype", "sensitivity", "since", "until", "limit", "offset"} <= names


def test_oversized_or_unsized_bodies_are_refused(console: ConsoleServer) -> None:
    from tests.console.builders import admin_token

    big = b"{" + b" " * (1024 * 1024 + 10) + b"}"
    status, _, body = request(
        console.url + "/api/v1/suppressions", "POST", token=admin_token(console), body=big
    )
    assert status == 413
    status, _, body = request(
        console.url + "/api/v1/suppressions", "POST", token=admin_token(console), body=b"{nope"
    )
    assert (status, json.loads(body)["error"]) == (400, "the body is not valid JSON")
