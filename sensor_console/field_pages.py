"""The field page: one field of one endpoint, its data types and why they were found; admins
can mark a finding not sensitive for the field, its endpoint or the receiving asset."""

from __future__ import annotations

from html import escape
from typing import Any

from pydantic import ValidationError

from sensor_console import queries, registry
from sensor_console.dashboard import badge, table, when
from sensor_console.http_server import HttpError, Request, Response, Router, redirect
from sensor_console.pages import page_response
from sensor_console.storage import Store


def field_or_404(store: Store, request: Request) -> tuple[int, dict[str, Any]]:
    """The field named by the route's `id`, or a 404 (also for an id that is not a number)."""
    try:
        field_id = int(request.params["id"])
    except ValueError:
        raise HttpError(404, "no such field") from None
    found = store.read(lambda c: queries.field_detail(c, field_id))
    if found is None:
        raise HttpError(404, "no such field")
    return field_id, found


def register(router: Router, store: Store) -> None:
    def field(request: Request) -> Response:
        field_id, f = field_or_404(store, request)
        shape = (
            f"<p>Masked shape: <code>{escape(f['masked_shape'])}</code></p>"
            if f["masked_shape"]
            else ""
        )
        admin = request.headers.get("x-dsensor-role") == "admin"
        rows = [
            [
                f"<code>{escape(t['type_id'])}</code>",
                escape(t["category"]),
                badge(t["sensitivity"]),
                f"{t['confidence']:.2f}",
                escape(", ".join(t["reasons"])),
                when(t["last_seen_unix_nanos"]),
                _not_sensitive_form(field_id, t["type_id"]) if admin else "",
            ]
            for t in f["data_types"]
        ]
        body = (
            f"<p>{escape(f['direction'])} of <code>{escape(f['endpoint'])}</code> from"
            f' <a href="/assets/{int(f["source"]["id"])}">{escape(f["source"]["label"])}</a> to'
            f' <a href="/assets/{int(f["destination"]["id"])}">'
            f"{escape(f['destination']['label'])}</a> · {escape(f['content_type'])} · JSON types"
            f" {escape(', '.join(f['json_types']))} · seen {f['seen']} times</p>{shape}"
            + table(
                ["Data type", "Category", "Sensitivity", "Confidence", "Why", "Last seen", ""],
                rows,
                "No data type (or all marked not sensitive).",
            )
        )
        return page_response(request, f["path"], "/assets", body)

    def not_sensitive(request: Request) -> Response:
        """Admin form on the field page: mark a finding not sensitive for the field, its
        endpoint or the receiving asset (a suppression, also served to detection-tools)."""
        field_id, f = field_or_404(store, request)
        form = request.form()
        scope = form.get("scope", "field")
        receiver = f["destination" if f["direction"] == "request" else "source"]["label"]
        scopes = {
            "field": {"endpoint": f["endpoint"], "path": f["path"]},
            "endpoint": {"endpoint": f["endpoint"]},
            "asset": {"asset": receiver},
        }
        if scope not in scopes:
            raise HttpError(400, "scope: one of field, endpoint, asset")
        try:
            item = registry.Suppression(
                type_id=form.get("type_id", ""), reason="marked in the dashboard", **scopes[scope]
            )
        except ValidationError:
            raise HttpError(400, "type_id: too long") from None
        who = request.headers.get("x-dsensor-user", "")
        store.write(lambda c: registry.add_suppression(c, item, who))
        return redirect(f"/fields/{field_id}")

    router.add("GET", "/fields/{id}", field)
    router.add("POST", "/fields/{id}/notsensitive", not_sensitive)


def _not_sensitive_form(field_id: int, type_id: str) -> str:
    options = "".join(
        f'<option value="{value}">{label}</option>'
        for value, label in (
            ("field", "this field"),
            ("endpoint", "this endpoint"),
            ("asset", "the receiving asset"),
        )
    )
    return (
        f'<form method="post" action="/fields/{field_id}/notsensitive">'
        f'<input type="hidden" name="type_id" value="{escape(type_id)}">'
        f'<select name="scope">{options}</select> '
        '<button type="submit">Not sensitive</button></form>'
    )
