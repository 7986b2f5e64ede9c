"""The dashboard page: a plain HTML data map. Every piece of stored text is HTML-escaped."""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from sensor_console.rows import AssetRow, DataTypeRow, FieldRow, FlowRow, SensorRow

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #1d1d1f; }
table { border-collapse: collapse; width: 100%; margin-bottom: 2rem; }
th, td { border-bottom: 1px solid #ddd; padding: .4rem .6rem; text-align: left;
         vertical-align: top; }
th { background: #f4f4f6; }
code { font-size: .9em; }
.s-high { color: #b00020; font-weight: 600; }
.s-medium { color: #a15c00; }
.s-low { color: #2f6f2f; }
.muted { color: #777; }
"""


def _time(nanos: int) -> str:
    if nanos <= 0:
        return "never"
    return datetime.fromtimestamp(nanos / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _asset(asset: AssetRow) -> str:
    name = escape(asset.name or "unknown")
    where = f'<span class="muted">{escape(asset.namespace)}/</span>' if asset.namespace else ""
    return f'{where}{name} <span class="muted">({escape(asset.kind)})</span>'


def _fields(fields: list[FieldRow]) -> str:
    items = []
    for field in fields:
        if not field.data_types:
            continue
        types = ", ".join(
            f'<span class="s-{escape(t.sensitivity)}">{escape(t.type_id)}</span>'
            for t in field.data_types
        )
        items.append(f"<code>{escape(field.path)}</code>: {types}")
    return "<br>".join(items) or '<span class="muted">none</span>'


def _flow_rows(flows: list[FlowRow]) -> str:
    rows = []
    for flow in flows:
        endpoint = f"{escape(flow.method)} {escape(flow.host)}{escape(flow.path_template)}"
        rows.append(
            "<tr>"
            f"<td>{_asset(flow.source)}</td><td>{_asset(flow.destination)}</td>"
            f"<td><code>{endpoint}</code></td>"
            f'<td class="s-{escape(flow.max_sensitivity)}">{escape(flow.max_sensitivity)}</td>'
            f"<td>{_fields(flow.request)}</td><td>{_fields(flow.response)}</td>"
            f"<td>{flow.observed}</td><td>{_time(flow.last_seen_unix_nanos)}</td>"
            "</tr>"
        )
    return "\n".join(rows)


def _type_rows(types: list[DataTypeRow]) -> str:
    return "\n".join(
        f"<tr><td>{escape(t.type_id)}</td><td>{escape(t.category)}</td>"
        f'<td class="s-{escape(t.max_sensitivity)}">{escape(t.max_sensitivity)}</td>'
        f"<td>{t.endpoints}</td><td>{t.data_assets}</td></tr>"
        for t in types
    )


def _sensor_rows(sensors: list[SensorRow]) -> str:
    return "\n".join(
        f"<tr><td>{escape(s.sensor_id)}</td><td>{escape(s.cluster)}</td>"
        f"<td>{escape(s.kind)}</td><td>{escape(s.version)}</td>"
        f"<td>{_time(s.last_heartbeat_unix_nanos)}</td><td>{_time(s.last_batch_unix_nanos)}</td>"
        f"<td>{len(s.nodes)}</td></tr>"
        for s in sensors
    )


def _table(title: str, headers: list[str], body: str, empty: str) -> str:
    if not body:
        return f'<h2>{escape(title)}</h2><p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return (
        f"<h2>{escape(title)}</h2>"
        f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def render_page(flows: list[FlowRow], types: list[DataTypeRow], sensors: list[SensorRow]) -> str:
    """The whole dashboard page as one HTML document."""
    sections = [
        _table(
            "Data map",
            [
                "Source",
                "Destination",
                "Endpoint",
                "Sensitivity",
                "Request data",
                "Response data",
                "Observed",
                "Last seen",
            ],
            _flow_rows(flows),
            "No flows received yet.",
        ),
        _table(
            "Data types",
            ["Type", "Category", "Sensitivity", "Endpoints", "Data assets"],
            _type_rows(types),
            "No sensitive data types found yet.",
        ),
        _table(
            "Sensors",
            ["Sensor", "Cluster", "Kind", "Version", "Last heartbeat", "Last batch", "Nodes"],
            _sensor_rows(sensors),
            "No sensor has reported yet.",
        ),
    ]
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>dsensor console</title>"
        f"<style>{STYLE}</style></head><body>"
        "<h1>dsensor console</h1>" + "\n".join(sections) + "</body></html>\n"
    )
