"""Dashboard building blocks: the page layout, tables, badges and times. Plain HTML and CSS, no
script (the Content-Security-Policy allows none). Every stored text goes through `escape`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from html import escape
from typing import Any
from urllib.parse import quote

STYLE = """
* { box-sizing: border-box; }
body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; background: #fafafa; }
header { background: #1f2a44; color: #fff; padding: .6rem 1.5rem; display: flex;
         align-items: center; gap: 1.2rem; flex-wrap: wrap; }
header a { color: #dfe6ff; text-decoration: none; }
header a.here { color: #fff; font-weight: 600; border-bottom: 2px solid #8fb3ff; }
header form { margin-left: auto; }
main { padding: 1.2rem 1.5rem; max-width: 1400px; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1.5rem; background: #fff; }
th, td { border-bottom: 1px solid #e3e3e8; padding: .35rem .55rem; text-align: left;
         vertical-align: top; font-size: .92rem; }
th { background: #f0f1f5; }
code { font-size: .88em; }
.cards { display: flex; gap: .8rem; flex-wrap: wrap; margin-bottom: 1.2rem; }
.card { background: #fff; border: 1px solid #e3e3e8; border-radius: 6px; padding: .6rem 1rem;
        min-width: 8.5rem; }
.card b { display: block; font-size: 1.5rem; }
.badge { border-radius: 3px; padding: 0 .35rem; font-size: .82rem; white-space: nowrap; }
.s-high { background: #fde3e6; color: #9b0019; }
.s-medium { background: #fff0d6; color: #8a4b00; }
.s-low { background: #e5f4e5; color: #285f28; }
.s-unspecified { background: #eee; color: #555; }
.muted { color: #6b6b73; }
.filters input, .filters select { margin-right: .5rem; }
.login { max-width: 22rem; margin: 4rem auto; background: #fff; padding: 1.5rem;
         border: 1px solid #e3e3e8; border-radius: 6px; }
.login input { width: 100%; margin: .3rem 0 .8rem; padding: .4rem; }
.error { color: #9b0019; }
svg text { font-size: 12px; font-family: system-ui, sans-serif; }
"""

NAV = [
    ("/", "Overview"),
    ("/map", "Data map"),
    ("/assets", "Assets"),
    ("/datatypes", "Data types"),
    ("/datastores", "Data stores"),
    ("/events", "Events"),
    ("/sensors", "Sensors"),
]


def when(nanos: int) -> str:
    if nanos <= 0:
        return "never"
    return datetime.fromtimestamp(nanos / 1e9, tz=UTC).strftime("%Y-%m-%d %H:%M UTC")


def badge(sensitivity: str) -> str:
    s = escape(sensitivity)
    return f'<span class="badge s-{s}">{s}</span>'


def type_badges(types: Iterable[dict[str, Any]]) -> str:
    return " ".join(
        f'<span class="badge s-{escape(t["sensitivity"])}">{escape(t["type_id"])}</span>'
        for t in types
    )


def byte_size(n: int) -> str:
    """1536 -> "1.5 KiB"."""
    if n < 1024:
        return f"{n} B"
    size = float(n)
    units = ("KiB", "MiB", "GiB", "TiB", "PiB")
    for unit in units:
        size /= 1024
        if size < 1024 or unit == units[-1]:
            return f"{size:.1f} {unit}"
    raise AssertionError("unreachable")


RECORD_WORDS = {"postgres": "rows", "kafka": "messages"}


def asset_size(store: dict[str, Any]) -> str:
    """A data store's counts and sizes (unknown ones left out): "~1,200 rows<br>4.0 MiB"."""
    parts = []
    if store.get("estimated_records") is not None:
        word = RECORD_WORDS.get(str(store.get("source")), "records")
        parts.append(f"~{int(store['estimated_records']):,} {word}")
    if store.get("objects") is not None:
        parts.append(f"{int(store['objects']):,} objects")
    if store.get("partitions") is not None:
        parts.append(f"{int(store['partitions']):,} partitions")
    if store.get("size_bytes") is not None:
        parts.append(byte_size(int(store["size_bytes"])))
    if store.get("bytes_read"):
        parts.append(f'<span class="muted">{byte_size(int(store["bytes_read"]))} read</span>')
    return "<br>".join(parts) or '<span class="muted">unknown</span>'


def asset_link(asset: dict[str, Any]) -> str:
    name = escape(asset["name"] or "unknown")
    ns = f'<span class="muted">{escape(asset["namespace"])}/</span>' if asset["namespace"] else ""
    ext = ' <span class="muted">(external)</span>' if asset.get("external") else ""
    return f'<a href="/assets/{int(asset["id"])}">{ns}{name}</a>{ext}'


def table(headers: Sequence[str], rows: Iterable[Sequence[str]], empty: str) -> str:
    """Cells are HTML already (callers escape)."""
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        return f'<p class="muted">{escape(empty)}</p>'
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def pager(path: str, query: dict[str, str], total: int, offset: int, limit: int) -> str:
    parts = [f'<p class="muted">{total} in all']
    for label, start in (("previous", offset - limit), ("next", offset + limit)):
        if 0 <= start < total and start != offset:
            args = "&".join(
                f"{quote(k)}={quote(v)}" for k, v in {**query, "offset": str(start)}.items()
            )
            parts.append(f' · <a href="{escape(path)}?{escape(args)}">{label}</a>')
    return "".join(parts) + "</p>"


def filter_form(path: str, query: dict[str, str], kinds: Sequence[str] = ()) -> str:
    def val(k: str) -> str:
        return escape(query.get(k, ""))

    options = "".join(
        f'<option value="{s}"{" selected" if query.get("sensitivity") == s else ""}>'
        f"{s or 'any sensitivity'}</option>"
        for s in ("", "low", "medium", "high")
    )
    return (
        f'<form class="filters" method="get" action="{escape(path)}">'
        f'<input name="namespace" placeholder="namespace" value="{val("namespace")}">'
        f'<input name="datatype" placeholder="data type" value="{val("datatype")}">'
        f'<select name="sensitivity">{options}</select>'
        f'<input name="since" placeholder="since (ISO 8601)" value="{val("since")}">'
        '<button type="submit">Filter</button></form>'
    )


def layout(title: str, here: str, body: str, user: str = "") -> str:
    nav = "".join(
        f'<a href="{p}"{" class=here" if p == here else ""}>{escape(label)}</a>' for p, label in NAV
    )
    who = (
        f'<form method="post" action="/logout"><span class="muted">{escape(user)}</span> '
        '<button type="submit">Log out</button></form>'
        if user
        else ""
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{escape(title)} · dsensor console</title><style>{STYLE}</style></head><body>"
        f"<header><strong>dsensor</strong>{nav}{who}</header>"
        f"<main><h1>{escape(title)}</h1>{body}</main></body></html>\n"
    )
