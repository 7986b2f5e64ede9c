"""Dashboard pages: overview, data map, assets, a field, data types, data stores, events,
sensors, login. Masked shapes appear only when a sensor sent them.
"""

from __future__ import annotations

import time
from html import escape
from typing import Any

from sensor_console import queries, summaries
from sensor_console.api import asset_or_404, filters, sensor_health
from sensor_console.dashboard import (
    asset_link,
    asset_size,
    badge,
    filter_form,
    layout,
    pager,
    table,
    type_badges,
    when,
)
from sensor_console.datamap import render_map
from sensor_console.events import KINDS
from sensor_console.http_server import HTML, Request, Response, Router
from sensor_console.mapdata import MAX_ENDPOINTS, map_edges
from sensor_console.queries import Filters
from sensor_console.rows import to_json
from sensor_console.storage import Store


def page_response(request: Request, title: str, here: str, body: str) -> Response:
    user = request.headers.get("x-dsensor-user", "")
    return Response(200, HTML, layout(title, here, body, user).encode())


def _fields_cell(fields: list[dict[str, Any]]) -> str:
    items = [
        f'<a href="/fields/{int(f["id"])}"><code>{escape(f["path"])}</code></a> '
        + type_badges(f["data_types"])
        for f in fields
        if f["data_types"]
    ]
    return "<br>".join(items) or '<span class="muted">none</span>'


def _flow_rows(flows: list[dict[str, Any]]) -> list[list[str]]:
    return [
        [
            asset_link(f["source"]),
            asset_link(f["destination"]),
            f"<code>{escape(f['method'])} {escape(f['host'])}{escape(f['path_template'])}</code>",
            badge(f["max_sensitivity"]),
            _fields_cell(f["request"]),
            _fields_cell(f["response"]),
            str(f["observed"]),
            when(f["last_seen_unix_nanos"]),
        ]
        for f in flows
    ]


FLOW_HEADERS = [
    "Source",
    "Destination",
    "Endpoint",
    "Sensitivity",
    "Request data",
    "Response data",
    "Observed",
    "Last seen",
]


def register(router: Router, store: Store) -> None:
    def overview(request: Request) -> Response:
        data = store.read(summaries.overview)
        labels = {
            "assets": "Assets",
            "external_assets": "External",
            "flows": "Flows",
            "fields": "Fields",
            "data_types": "Data types",
            "data_stores": "Data stores",
            "sensors": "Sensors",
            "violations": "Violations",
        }
        cards = "".join(
            f'<div class="card"><b>{data["counts"][k]}</b>{escape(v)}</div>'
            for k, v in labels.items()
        )
        body = f'<div class="cards">{cards}</div><h2>Most sensitive flows</h2>' + table(
            FLOW_HEADERS, _flow_rows(data["top_flows"]), "No sensitive flows yet."
        )
        return page_response(request, "Overview", "/", body)

    def data_map(request: Request) -> Response:
        f = filters(request)
        total, pairs = store.read(lambda c: map_edges(c, f))
        note = (
            f'<p class="muted">Showing the {MAX_ENDPOINTS} most sensitive of {total}'
            " endpoints; filter to narrow the map.</p>"
            if total > MAX_ENDPOINTS
            else ""
        )
        body = filter_form("/map", request.query) + note + render_map(pairs)
        return page_response(request, "Data map", "/map", body)

    def assets(request: Request) -> Response:
        f = filters(request)
        total, rows = store.read(lambda c: queries.assets(c, f))
        cells = [
            [
                asset_link(a),
                escape(a["kind"]),
                escape(a["workload_kind"]),
                str(a["outgoing_flows"]),
                str(a["incoming_flows"]),
                badge(a["max_sensitivity"]),
                " ".join(f"<code>{escape(t)}</code>" for t in a["data_types"]),
                when(a["last_seen_unix_nanos"]),
            ]
            for a in rows
        ]
        body = (
            filter_form("/assets", request.query)
            + table(
                [
                    "Asset",
                    "Kind",
                    "Workload",
                    "Out",
                    "In",
                    "Sensitivity",
                    "Data types",
                    "Last seen",
                ],
                cells,
                "No assets match.",
            )
            + pager("/assets", request.query, total, f.offset, f.limit)
        )
        return page_response(request, "Assets", "/assets", body)

    def asset(request: Request) -> Response:
        asset_id, a = asset_or_404(store, request)
        flows = store.read(
            lambda c: queries.flows(c, Filters(asset_id=asset_id, limit=queries.MAX_LIMIT))
        )[1]
        title = f"{a['namespace']}/{a['name']}" if a["namespace"] else a["name"]
        body = (
            f"<p>{escape(a['kind'])} {escape(a['workload_kind'])} · cluster"
            f" {escape(a['cluster'] or '-')} · {badge(a['max_sensitivity'])} · first seen"
            f" {when(a['first_seen_unix_nanos'])} · last seen {when(a['last_seen_unix_nanos'])}</p>"
            "<h2>Endpoints</h2>" + table(FLOW_HEADERS, _flow_rows(flows), "No flows.")
        )
        return page_response(request, title or "unknown", "/assets", body)

    def datatypes(request: Request) -> Response:
        rows = [
            [
                f'<a href="/assets?datatype={escape(t.type_id)}">'
                f"<code>{escape(t.type_id)}</code></a>",
                escape(t.category),
                badge(t.max_sensitivity),
                str(t.endpoints),
                str(t.data_assets),
            ]
            for t in store.data_types()
        ]
        body = table(
            ["Data type", "Category", "Sensitivity", "Endpoints", "Data stores"],
            rows,
            "No sensitive data types found yet.",
        )
        return page_response(request, "Data types", "/datatypes", body)

    def datastores(request: Request) -> Response:
        f = filters(request)
        total, rows = store.read(lambda c: summaries.data_stores(c, f))
        cells = [
            [
                escape(d["source"]),
                escape(d["instance"]),
                f"<code>{escape(d['asset'])}</code>",
                badge(d["max_sensitivity"]),
                "<br>".join(
                    f"<code>{escape(x['path'])}</code> {type_badges(x['data_types'])}"
                    + (
                        f' <span class="muted">{escape(x["masked_shape"])}</span>'
                        if x.get("masked_shape")
                        else ""
                    )
                    for x in d["fields"]
                    if x["data_types"]
                ),
                str(d["sampled"]),
                asset_size(d),
                when(d["scanned_unix_nanos"]),
            ]
            for d in rows
        ]
        body = (
            filter_form("/datastores", request.query)
            + table(
                [
                    "Source",
                    "Instance",
                    "Asset",
                    "Sensitivity",
                    "Fields",
                    "Sampled",
                    "Size",
                    "Scanned",
                ],
                cells,
                "No data store reported yet.",
            )
            + pager("/datastores", request.query, total, f.offset, f.limit)
        )
        return page_response(request, "Data stores", "/datastores", body)

    def events(request: Request) -> Response:
        f = filters(request)
        total, rows = store.read(lambda c: summaries.events(c, f))
        kinds = " · ".join(f'<a href="/events?kind={k}">{k}</a>' for k in KINDS)
        cells = [
            [
                when(e["created_unix_nanos"]),
                escape(e["kind"]),
                badge(e["severity"]),
                escape(e["title"]),
            ]
            for e in rows
        ]
        body = (
            f"<p>{kinds}</p>"
            + table(["When", "Kind", "Severity", "Event"], cells, "No events.")
            + pager("/events", request.query, total, f.offset, f.limit)
        )
        return page_response(request, "Events", "/events", body)

    def sensors(request: Request) -> Response:
        now = time.time_ns()
        cells = []
        for s in store.sensors():
            data = to_json(s)
            health = sensor_health(data, now)
            uninspected = ", ".join(
                f"{escape(reason)}: {v['connections']}"
                for reason, v in sorted(health["uninspected"].items())
            )
            cells.append(
                [
                    escape(s.sensor_id),
                    escape(s.cluster),
                    escape(s.kind),
                    escape(s.version),
                    escape(health["status"]),
                    when(s.last_heartbeat_unix_nanos),
                    when(s.last_batch_unix_nanos),
                    str(health["nodes_covered"]),
                    str(health["drops"]),
                    uninspected or "none",
                ]
            )
        body = table(
            [
                "Sensor",
                "Cluster",
                "Kind",
                "Version",
                "Health",
                "Last heartbeat",
                "Last batch",
                "Nodes",
                "Drops",
                "Not inspected (TLS, HTTP/2, gRPC)",
            ],
            cells,
            "No sensor has reported yet.",
        )
        return page_response(request, "Sensors", "/sensors", body)

    for path, handler in {
        "/": overview,
        "/map": data_map,
        "/assets": assets,
        "/assets/{id}": asset,
        "/datatypes": datatypes,
        "/datastores": datastores,
        "/events": events,
        "/sensors": sensors,
    }.items():
        router.add("GET", path, handler)
