"""The console's data map, read through its JSON API, in a shape tests can compare."""

from __future__ import annotations

from typing import Any

from tests.e2e.stack import E2EStack

FlowKey = tuple[str, str, str, str]  # source, destination, method, path template


def asset_name(asset: dict[str, Any]) -> str:
    return f"{asset['namespace']}/{asset['name']}" if asset.get("namespace") else asset["name"]


def flow_key(flow: dict[str, Any]) -> FlowKey:
    src, dst = asset_name(flow["source"]), asset_name(flow["destination"])
    return (src, dst, flow["method"], flow["path_template"])


def data_map(stack: E2EStack) -> dict[FlowKey, dict[str, set[str]]]:
    """(source, destination, method, template) -> {"req:<path>" / "resp:<path>": type ids}."""
    out: dict[FlowKey, dict[str, set[str]]] = {}
    for flow in stack.api("/api/v1/flows?limit=1000")["flows"]:
        key = flow_key(flow)
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


def flow_counts(stack: E2EStack) -> dict[FlowKey, tuple[int, int]]:
    """(source, destination, method, template) -> (pairs observed, pairs analysed), so far."""
    out: dict[FlowKey, tuple[int, int]] = {}
    for flow in stack.api("/api/v1/flows?limit=1000")["flows"]:
        key = flow_key(flow)
        observed, analysed = out.get(key, (0, 0))
        out[key] = (observed + int(flow["observed"]), analysed + int(flow["analysed"]))
    return out


def counts_since(
    before: dict[FlowKey, tuple[int, int]], after: dict[FlowKey, tuple[int, int]]
) -> dict[FlowKey, tuple[int, int]]:
    """Per flow, what was observed and analysed between two `flow_counts` snapshots."""
    return {
        key: (observed - before.get(key, (0, 0))[0], analysed - before.get(key, (0, 0))[1])
        for key, (observed, analysed) in after.items()
    }


def field_seen(stack: E2EStack) -> dict[tuple[FlowKey, str], int]:
    """(flow, "req:<path>" / "resp:<path>") -> how many analysed pairs carried that field."""
    out: dict[tuple[FlowKey, str], int] = {}
    for flow in stack.api("/api/v1/flows?limit=1000")["flows"]:
        key = flow_key(flow)
        for side, prefix in (("request", "req"), ("response", "resp")):
            for field in flow[side]:
                place = (key, f"{prefix}:{field['path']}")
                out[place] = out.get(place, 0) + int(field["seen"])
    return out
