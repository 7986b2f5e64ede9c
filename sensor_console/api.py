"""JSON API v1 routes (described by `/api/v1/openapi.json`).

Lists take `limit` (1-1000, default 100) and `offset`, answer `{"<name>": [...], "total": N,
"limit": L, "offset": O, "next_offset": O+L or null}` (`flows`, `assets`, ...), and
filter by `namespace`, `datatype`, `sensitivity` (minimum: low, medium, high), `since` and
`until` (unix nanos or ISO 8601 on last seen). Errors are `{"error": "..."}` without values.
"""

from __future__ import annotations

import time
from datetime import datetime
from typing import Any

from pydantic import ValidationError

from sensor_console import auth, queries, registry, summaries
from sensor_console.events import KINDS
from sensor_console.http_server import HttpError, Request, Response, Router, json_response
from sensor_console.openapi import openapi_document
from sensor_console.queries import Filters
from sensor_console.rows import to_json
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import Store

STALE_HEARTBEAT_SECONDS = 300


def _int(request: Request, name: str, default: int, low: int, high: int) -> int:
    text = request.query.get(name)
    if text is None or text == "":
        return default
    try:
        value = int(text)
    except ValueError:
        raise HttpError(400, f"{name}: not an integer") from None
    if not low <= value <= high:
        raise HttpError(400, f"{name}: must be between {low} and {high}")
    return value


def _time(request: Request, name: str) -> int:
    text = request.query.get(name, "")
    if not text:
        return 0
    if text.isdigit():
        return int(text)
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise HttpError(400, f"{name}: use unix nanoseconds or ISO 8601") from None
    return int(moment.timestamp() * 1e9)


def asset_or_404(store: Store, request: Request) -> tuple[int, dict[str, Any]]:
    """The asset named by the route's `id`, or a 404 (also for an id that is not a number)."""
    try:
        asset_id = int(request.params["id"])
    except ValueError:
        raise HttpError(404, "no such asset") from None
    found = store.read(lambda c: queries.assets(c, Filters(asset_id=asset_id, limit=1)))[1]
    if not found:
        raise HttpError(404, "no such asset")
    return asset_id, found[0]


def filters(request: Request) -> Filters:
    sensitivity = request.query.get("sensitivity", "")
    if sensitivity not in ("", "low", "medium", "high"):
        raise HttpError(400, "sensitivity: one of low, medium, high")
    kind = request.query.get("kind", "")
    if kind and kind not in KINDS:
        raise HttpError(400, "kind: not an event kind")
    return Filters(
        namespace=request.query.get("namespace", ""),
        data_type=request.query.get("datatype", ""),
        min_sensitivity=sensitivity,
        since=_time(request, "since"),
        until=_time(request, "until"),
        limit=_int(request, "limit", 100, 1, queries.MAX_LIMIT),
        offset=_int(request, "offset", 0, 0, 2**31),
        asset_id=_int(request, "asset", 0, 0, 2**62),
        kind=kind,
    )


def page(name: str, f: Filters, total: int, items: list[dict[str, Any]]) -> Response:
    more = f.offset + f.limit < total
    return json_response(
        {
            name: items,
            "total": total,
            "limit": f.limit,
            "offset": f.offset,
            "next_offset": f.offset + f.limit if more else None,
        }
    )


def sensor_health(sensor: dict[str, Any], now: int) -> dict[str, Any]:
    """Health and coverage of one sensor from its latest heartbeat."""
    age = (now - sensor["last_heartbeat_unix_nanos"]) / 1e9
    uninspected: dict[str, dict[str, int]] = {}
    drops = 0
    for node in sensor["nodes"]:
        drops += sum(v for k, v in node["counters"].items() if "drop" in k)
        for u in node["uninspected"]:
            entry = uninspected.setdefault(str(u.get("reason")), {"connections": 0, "bytes": 0})
            entry["connections"] += int(u.get("connections", 0))
            entry["bytes"] += int(u.get("bytes", 0))
    drops += sum(v for k, v in sensor["counters"].items() if "drop" in k)
    status = (
        "never"
        if not sensor["last_heartbeat_unix_nanos"]
        else "healthy"
        if age <= STALE_HEARTBEAT_SECONDS
        else "stale"
    )
    return {
        "status": status,
        "nodes_covered": len(sensor["nodes"]),
        "drops": drops,
        "uninspected": uninspected,
    }


def register(router: Router, store: Store, settings: ConsoleSettings) -> None:
    def user(request: Request) -> str:
        return request.headers.get("x-dsensor-user", "")

    def flows(request: Request) -> Response:
        f = filters(request)
        return page("flows", f, *store.read(lambda c: queries.flows(c, f)))

    def assets(request: Request) -> Response:
        f = filters(request)
        return page("assets", f, *store.read(lambda c: queries.assets(c, f)))

    def asset(request: Request) -> Response:
        asset_id, found = asset_or_404(store, request)
        f = Filters(asset_id=asset_id, limit=queries.MAX_LIMIT)
        flows = store.read(lambda c: queries.flows(c, f))[1]
        return json_response({"asset": found, "flows": flows})

    def datastores(request: Request) -> Response:
        f = filters(request)
        return page("datastores", f, *store.read(lambda c: summaries.data_stores(c, f)))

    def events(request: Request) -> Response:
        f = filters(request)
        return page("events", f, *store.read(lambda c: summaries.events(c, f)))

    def sensors(request: Request) -> Response:
        now = time.time_ns()
        rows = []
        for s in store.sensors():
            data = to_json(s)
            data["health"] = sensor_health(data, now)
            rows.append(data)
        return json_response({"sensors": rows})

    def add_suppression(request: Request) -> Response:
        try:
            item = registry.Suppression.model_validate(request.json())
        except ValidationError as err:
            raise HttpError(400, _problems(err)) from None
        try:
            new_id = store.write(lambda c: registry.add_suppression(c, item, user(request)))
        except ValueError as err:
            raise HttpError(400, str(err)) from None
        return json_response({"id": new_id, **item.model_dump(), "scope": item.scope}, 201)

    def delete_suppression(request: Request) -> Response:
        try:
            item_id = int(request.params["id"])
        except ValueError:
            raise HttpError(404, "no such suppression") from None
        if not store.write(lambda c: registry.delete_suppression(c, item_id)):
            raise HttpError(404, "no such suppression")
        return json_response({"deleted": item_id})

    def put_type(request: Request) -> Response:
        body = request.json()
        if isinstance(body, dict) and "id" in request.params:
            body = {**body, "id": request.params["id"]}
        try:
            item = registry.CustomType.model_validate(body)
        except ValidationError as err:
            raise HttpError(400, _problems(err)) from None
        store.write(lambda c: registry.put_custom_type(c, item, user(request)))
        return json_response(item.model_dump(), 201)

    def delete_type(request: Request) -> Response:
        type_id = request.params["id"]
        if not store.write(lambda c: registry.delete_custom_type(c, type_id)):
            raise HttpError(404, "no such custom type")
        return json_response({"deleted": type_id})

    def create_token(request: Request) -> Response:
        body = request.json()
        if not isinstance(body, dict):
            raise HttpError(400, "expected an object with name and role")
        name, role = str(body.get("name", "")), str(body.get("role", "readonly"))
        try:
            token = store.write(lambda c: auth.create_api_token(c, name, role))
        except auth.AuthError as err:
            raise HttpError(400, str(err)) from None
        return json_response({"name": name, "role": role, "token": token}, 201)

    def registry_doc(request: Request) -> Response:
        return json_response(store.read(registry.registry_document))

    routes = {
        ("GET", "/api/v1/overview"): lambda r: json_response(store.read(summaries.overview)),
        ("GET", "/api/v1/flows"): flows,
        ("GET", "/api/v1/assets"): assets,
        ("GET", "/api/v1/assets/{id}"): asset,
        ("GET", "/api/v1/datatypes"): lambda r: json_response(
            {"datatypes": [to_json(t) for t in store.data_types()]}
        ),
        ("GET", "/api/v1/datastores"): datastores,
        ("GET", "/api/v1/events"): events,
        ("GET", "/api/v1/sensors"): sensors,
        ("GET", "/api/v1/policies"): lambda r: json_response(settings.policies.model_dump()),
        ("GET", "/api/v1/suppressions"): lambda r: json_response(
            {"suppressions": store.read(registry.registry_document)["suppressions"]}
        ),
        ("POST", "/api/v1/suppressions"): add_suppression,
        ("DELETE", "/api/v1/suppressions/{id}"): delete_suppression,
        ("GET", "/api/v1/customtypes"): lambda r: json_response(
            {"custom_types": store.read(registry.registry_document)["custom_types"]}
        ),
        ("POST", "/api/v1/customtypes"): put_type,
        ("PUT", "/api/v1/customtypes/{id}"): put_type,
        ("DELETE", "/api/v1/customtypes/{id}"): delete_type,
        ("POST", "/api/v1/tokens"): create_token,
        ("GET", "/api/v1/me"): lambda r: json_response(
            {"name": user(r), "role": r.headers.get("x-dsensor-role", "")}
        ),
        ("GET", "/api/v1/registry"): registry_doc,
        ("GET", "/api/v1/openapi.json"): lambda r: json_response(openapi_document()),
    }
    for (method, path), handler in routes.items():
        router.add(method, path, handler)


def _problems(err: ValidationError) -> str:
    """Field locations and messages of a validation error, without the input values."""
    parts = []
    for problem in err.errors(include_input=False, include_url=False)[:5]:
        where = ".".join(str(p) for p in problem["loc"]) or "body"
        parts.append(f"{where}: {problem['msg']}")
    return "; ".join(parts)
