"""The OpenAPI 3.1 document of the console's JSON API (served at /api/v1/openapi.json)."""

from __future__ import annotations

from typing import Any

LIST_PARAMS = ["namespace", "datatype", "sensitivity", "since", "until", "limit", "offset"]
_PARAM_DOCS = {
    "namespace": ("string", "Kubernetes namespace of either end"),
    "datatype": ("string", "data type id, e.g. email"),
    "sensitivity": ("string", "minimum sensitivity: low, medium or high"),
    "since": ("string", "last seen at or after (unix nanoseconds or ISO 8601)"),
    "until": ("string", "last seen at or before (unix nanoseconds or ISO 8601)"),
    "limit": ("integer", "page size, 1-1000 (default 100)"),
    "offset": ("integer", "items to skip"),
    "asset": ("integer", "only flows from or to this asset id"),
    "kind": ("string", "event kind"),
}

# (method, path, summary, query parameters, security, body schema name)
OPERATIONS: list[tuple[str, str, str, list[str], str, str]] = [
    ("get", "/api/v1/overview", "Counts and the most sensitive flows", [], "user", ""),
    (
        "get",
        "/api/v1/flows",
        "Flows between assets with fields and data types",
        [*LIST_PARAMS, "asset"],
        "user",
        "",
    ),
    ("get", "/api/v1/assets", "Workloads, services and external hosts", LIST_PARAMS, "user", ""),
    ("get", "/api/v1/assets/{id}", "One asset and every flow from or to it", [], "user", ""),
    (
        "get",
        "/api/v1/datatypes",
        "Data types seen, with endpoint and data store counts",
        [],
        "user",
        "",
    ),
    (
        "get",
        "/api/v1/datastores",
        "Data at rest: buckets, topics, tables and their fields",
        LIST_PARAMS,
        "user",
        "",
    ),
    (
        "get",
        "/api/v1/events",
        "Events, newest first",
        ["kind", "since", "until", "limit", "offset"],
        "user",
        "",
    ),
    ("get", "/api/v1/sensors", "Sensors with health and coverage", [], "user", ""),
    ("get", "/api/v1/policies", "The configured policies", [], "user", ""),
    ("get", "/api/v1/suppressions", "Findings marked not sensitive", [], "user", ""),
    (
        "post",
        "/api/v1/suppressions",
        "Mark a finding not sensitive (admin)",
        [],
        "admin",
        "Suppression",
    ),
    ("delete", "/api/v1/suppressions/{id}", "Remove a suppression (admin)", [], "admin", ""),
    ("get", "/api/v1/customtypes", "Custom data types", [], "user", ""),
    ("post", "/api/v1/customtypes", "Define a custom data type (admin)", [], "admin", "CustomType"),
    (
        "put",
        "/api/v1/customtypes/{id}",
        "Replace a custom data type (admin)",
        [],
        "admin",
        "CustomType",
    ),
    ("delete", "/api/v1/customtypes/{id}", "Delete a custom data type (admin)", [], "admin", ""),
    (
        "post",
        "/api/v1/tokens",
        "Create an API token, shown once (admin)",
        [],
        "admin",
        "TokenRequest",
    ),
    ("get", "/api/v1/me", "The caller's name and role", [], "user", ""),
    (
        "get",
        "/api/v1/registry",
        "Custom types and suppressions for detection-tools",
        [],
        "sensor",
        "",
    ),
]

SCHEMAS: dict[str, Any] = {
    "Suppression": {
        "type": "object",
        "properties": {
            k: {"type": "string"} for k in ("type_id", "asset", "endpoint", "path", "reason")
        },
        "additionalProperties": False,
    },
    "CustomType": {
        "type": "object",
        "required": ["id", "name", "category", "sensitivity"],
        "properties": {
            "id": {"type": "string", "pattern": "^[a-z][a-z0-9_]{1,63}$"},
            "name": {"type": "string"},
            "category": {"enum": ["personal", "payment", "health", "credentials"]},
            "sensitivity": {"enum": ["low", "medium", "high"]},
            "patterns": {"type": "array", "items": {"type": "string"}},
            "keywords": {"type": "array", "items": {"type": "string"}},
            "description": {"type": "string"},
        },
        "additionalProperties": False,
    },
    "TokenRequest": {
        "type": "object",
        "required": ["name"],
        "properties": {"name": {"type": "string"}, "role": {"enum": ["readonly", "admin"]}},
    },
    "Error": {"type": "object", "properties": {"error": {"type": "string"}}},
}


def _operation(summary: str, params: list[str], security: str, body: str, path: str) -> Any:
    op: dict[str, Any] = {
        "summary": summary,
        "parameters": [
            {
                "name": p,
                "in": "query",
                "schema": {"type": _PARAM_DOCS[p][0]},
                "description": _PARAM_DOCS[p][1],
            }
            for p in params
        ],
        "responses": {
            "200": {"description": "OK", "content": {"application/json": {}}},
            "400": {
                "description": "bad parameter",
                "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
            },
            "401": {"description": "not logged in"},
        },
        "security": (
            [{"sensorToken": []}] if security == "sensor" else [{"apiToken": []}, {"session": []}]
        ),
    }
    if "{id}" in path:
        op["parameters"].append(
            {"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}
        )
    if security == "admin":
        op["responses"]["403"] = {"description": "needs the admin role"}
    if body:
        op["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": {"$ref": f"#/components/schemas/{body}"}}},
        }
    return op


def openapi_document() -> dict[str, Any]:
    paths: dict[str, dict[str, Any]] = {}
    for method, path, summary, params, security, body in OPERATIONS:
        paths.setdefault(path, {})[method] = _operation(summary, params, security, body, path)
    return {
        "openapi": "3.1.0",
        "info": {"title": "dsensor console API", "version": "1"},
        "paths": paths,
        "components": {
            "schemas": SCHEMAS,
            "securitySchemes": {
                "apiToken": {"type": "http", "scheme": "bearer", "description": "dsc_... token"},
                "sensorToken": {"type": "http", "scheme": "bearer"},
                "session": {"type": "apiKey", "in": "cookie", "name": "dsensor_session"},
            },
        },
    }
