"""The console's flows in the shape of the services' ground truth (record_services.ROUND)."""

from __future__ import annotations

from typing import Any

from examples.sample_traffic import record_services as services

FlowKey = tuple[str, str, str, str]  # source, destination, method, path template
Typed = tuple[FlowKey, str, str]  # flow, "req:/resp:<path>", type id


def asset_name(asset: dict[str, Any]) -> str:
    return f"{asset['namespace']}/{asset['name']}" if asset.get("namespace") else asset["name"]


def flow_key(flow: dict[str, Any]) -> FlowKey:
    source, destination = asset_name(flow["source"]), asset_name(flow["destination"])
    return (source, destination, flow["method"], flow["path_template"])


def expected_key(pair: services.ExpectedPair) -> FlowKey:
    names = services.CONSOLE_NAMES
    return (names[pair.client], names[pair.server], pair.method, pair.template)


def expected_typed() -> set[Typed]:
    return {(expected_key(p), place, t) for p in services.ROUND for place, t in p.types.items()}


def found_typed(flows: list[dict[str, Any]]) -> set[Typed]:
    out: set[Typed] = set()
    for flow in flows:
        for side, prefix in (("request", "req"), ("response", "resp")):
            for field in flow[side]:
                out.update(
                    (flow_key(flow), f"{prefix}:{field['path']}", t["type_id"])
                    for t in field["data_types"]
                )
    return out
