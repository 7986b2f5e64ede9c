"""The table `dsensor demo` prints: one row per field of a flow that carries a data type."""

from __future__ import annotations

from typing import Any

from sensor_core.demo_pipeline import DemoResult


def _types_text(field: dict[str, Any]) -> tuple[str, str]:
    types = field["data_types"]
    names = ", ".join(t["type_id"] for t in types)
    rank = {"low": 1, "medium": 2, "high": 3}
    top = max((t["sensitivity"] for t in types), key=lambda s: rank.get(s, 0), default="")
    return names, top


def _asset_text(asset: dict[str, Any]) -> str:
    if asset["external"] and asset["kind"] == "external":
        return f"{asset['name']} (external)"
    return f"{asset['namespace']}/{asset['name']}" if asset["namespace"] else asset["name"]


def summary_lines(result: DemoResult) -> list[str]:
    """The table a person reads: one row per field that carries a data type."""
    header = ("FLOW", "ENDPOINT", "FIELD", "DATA TYPES", "SENSITIVITY")
    rows: list[tuple[str, str, str, str, str]] = []
    services: set[str] = set()
    endpoints: set[str] = set()
    type_counts: dict[str, int] = {}
    for flow in sorted(result.flows, key=lambda f: (f["source"]["name"], f["path_template"])):
        source, destination = _asset_text(flow["source"]), _asset_text(flow["destination"])
        services.update((source, destination))
        endpoint = f"{flow['method']} {flow['path_template']}"
        endpoints.add(f"{destination} {endpoint}")
        for direction in ("request", "response"):
            for field in flow[direction]:
                if not field["data_types"]:
                    continue
                names, top = _types_text(field)
                for t in field["data_types"]:
                    type_counts[t["type_id"]] = type_counts.get(t["type_id"], 0) + 1
                side = "req" if direction == "request" else "resp"
                rows.append(
                    (f"{source} -> {destination}", endpoint, f"{side} {field['path']}", names, top)
                )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
        for r in [header, *rows]
    ]
    lines.append("")
    lines.append(
        f"services: {len(services)}  endpoints: {len(endpoints)}  typed fields: {len(rows)}"
    )
    lines.append(
        "data types: "
        + ", ".join(
            f"{t} ({n})" for t, n in sorted(type_counts.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    )
    return lines
