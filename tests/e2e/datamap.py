"""The console's data map, read through its JSON API, in a shape tests can compare."""

from __future__ import annotations

from typing import Any

from tests.e2e.stack import E2EStack

FlowKey = tuple[str, str, str, str]  # source, destination, method, path template


def asset_name(asset: dict[str, Any]) -> str:
    return f"{asset['namespace']}/{asset['name']}" if asset.get("namespace") else asset["name"]


def data_map(stack: E2EStack) -> dict[FlowKey, dict[str, set[str]]]:
    """(source, destination, method, template) -> {"req:<path>" / "resp:<path>": type ids}."""
    out: dict[FlowKey, dict[str, set[str]]] = {}
    for flow in stack.api("/api/v1/flows?limit=1000")["flows"]:
        key = (
            asset_name(flow["source"]),
            asset_name(flow["destination"]),
            flow["method"],
            flow["path_template"],
        )
        fields = out.setdefault(key, {})
        for side, prefix in (("request", "req"), ("response", "resp")):
            for field in flow[side]:
                types = {t["type_id"] for t in field["data_types"]}
                fields.setdefault(f"{prefix}:{field['path']}", set()).update(types)
    return out


def types_of(fields: dict[str, set[str]]) -> set[str]:
    return set().union(*fields.values()) if fields else set()


def assets_map(stack: E2EStack) -> dict[tuple[str, str], dict[str, set[str]]]:
    """(source, asset) -> {field path: type ids} of the console's data assets."""
    rows = stack.api("/api/v1/datastores?limit=1000")["datastores"]
    return {
        (row["source"], row["asset"]): {
            f["path"]: {t["type_id"] for t in f["data_types"]} for f in row["fields"]
        }
        for row in rows
    }
