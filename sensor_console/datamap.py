"""The data map as an SVG graph: assets in columns (senders, services, receivers, external
APIs), one edge per asset pair labelled with its data types and coloured by sensitivity.
Nodes link to asset pages. Rendered on the server: no script in the page.
"""

from __future__ import annotations

from html import escape
from typing import Any

COLUMN_WIDTH = 300
NODE_WIDTH = 190
NODE_HEIGHT = 30
ROW_HEIGHT = 52
TOP = 40
COLORS = {"high": "#c0162f", "medium": "#d9822b", "low": "#3c8d3c", "unspecified": "#9a9aa5"}
TITLES = ["Senders", "Services", "Receivers", "External"]
MAX_LABEL = 28


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1] + "…"


def render_map(pairs: list[dict[str, Any]]) -> str:
    """`pairs` from mapdata.map_edges: one edge per (source, destination) asset pair."""
    nodes: dict[int, dict[str, Any]] = {}
    edges: dict[tuple[int, int], dict[str, Any]] = {}
    for pair in pairs:
        src, dst = pair["source"], pair["destination"]
        nodes.setdefault(src["id"], {**src, "out": 0, "in": 0})["out"] += 1
        nodes.setdefault(dst["id"], {**dst, "out": 0, "in": 0})["in"] += 1
        edges[(src["id"], dst["id"])] = {"types": set(pair["types"]), "rank": pair["rank"]}
    if not nodes:
        return '<p class="muted">No flows received yet.</p>'
    columns: list[list[dict[str, Any]]] = [[], [], [], []]
    for node in sorted(nodes.values(), key=lambda n: (n["namespace"], n["name"])):
        if node["external"] or node["kind"] == "external":
            col = 3
        elif node["in"] and node["out"]:
            col = 1
        elif node["out"]:
            col = 0
        else:
            col = 2
        node["x"] = 20 + col * COLUMN_WIDTH
        node["y"] = TOP + len(columns[col]) * ROW_HEIGHT
        columns[col].append(node)
    height = TOP + max(len(c) for c in columns) * ROW_HEIGHT + 20
    width = 20 + 3 * COLUMN_WIDTH + NODE_WIDTH + 20
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}" role="img" aria-label="data map">'
    ]
    for i, title in enumerate(TITLES):
        parts.append(f'<text x="{20 + i * COLUMN_WIDTH}" y="20" font-weight="600">{title}</text>')
    labels = {1: "low", 2: "medium", 3: "high"}
    for (a, b), edge in edges.items():
        s, d = nodes[a], nodes[b]
        x1, y1 = s["x"] + NODE_WIDTH, s["y"] + NODE_HEIGHT / 2
        x2, y2 = d["x"], d["y"] + NODE_HEIGHT / 2
        if x2 <= x1:  # same or earlier column: route around the right side
            x2 = d["x"] + NODE_WIDTH
        color = COLORS[labels.get(edge["rank"], "unspecified")]
        mid = (x1 + x2) / 2
        types = sorted(edge["types"])
        label = ", ".join(types[:3]) + (f" +{len(types) - 3}" if len(types) > 3 else "")
        parts.append(
            f'<g class="edge"><path d="M{x1},{y1} C{mid},{y1} {mid},{y2} {x2},{y2}"'
            f' stroke="{color}" stroke-width="{1 + edge["rank"]}" fill="none" opacity="0.8"/>'
            f'<text x="{x2 - 8:.0f}" y="{y2 - 19:.0f}" text-anchor="end"'
            f' fill="{color}">{escape(_short(label))}</text></g>'
        )
    for node in nodes.values():
        name = node["name"] or "unknown"
        full = f"{node['namespace']}/{name}" if node["namespace"] else name
        parts.append(
            f'<a href="/assets/{int(node["id"])}" class="node"><title>{escape(full)}</title>'
            f'<rect x="{node["x"]}" y="{node["y"]}" width="{NODE_WIDTH}" height="{NODE_HEIGHT}"'
            ' rx="5" fill="#fff" stroke="#1f2a44"/>'
            f'<text x="{node["x"] + 8}" y="{node["y"] + 19}">{escape(_short(full))}</text></a>'
        )
    parts.append("</svg>")
    return "".join(parts)
