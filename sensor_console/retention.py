"""Retention: delete flows, fields, data assets, batches and events nobody has seen for too long.

Assets stay while any endpoint still names them. A batch id older than the cut is forgotten,
so a sensor resending a batch that old would store it again (spools never hold batches that
long).
"""

from __future__ import annotations

from sensor_console.db import Connection


def purge(conn: Connection, now: int, max_age: float, event_age: float) -> dict[str, int]:
    """Rows deleted per table; `max_age` or `event_age` 0 keeps those rows."""
    gone: dict[str, int] = {}
    if max_age > 0:
        cut = now - int(max_age * 1e9)
        old = "SELECT id FROM endpoints WHERE last_seen < ?"
        gone["field_types"] = conn.execute(
            "DELETE FROM field_types WHERE field_id IN (SELECT id FROM fields WHERE"  # noqa: S608
            f" endpoint_id IN ({old}))",
            (cut,),
        ).rowcount
        gone["fields"] = conn.execute(
            f"DELETE FROM fields WHERE endpoint_id IN ({old})",  # noqa: S608
            (cut,),
        ).rowcount
        gone["endpoints"] = conn.execute(
            "DELETE FROM endpoints WHERE last_seen < ?", (cut,)
        ).rowcount
        gone["assets"] = conn.execute(
            "DELETE FROM assets WHERE last_seen < ? AND id NOT IN"
            " (SELECT source_id FROM endpoints UNION SELECT destination_id FROM endpoints)",
            (cut,),
        ).rowcount
        stale = "SELECT id FROM data_assets WHERE last_seen < ?"
        conn.execute(
            "DELETE FROM data_asset_field_types WHERE field_id IN (SELECT id FROM"  # noqa: S608
            f" data_asset_fields WHERE data_asset_id IN ({stale}))",
            (cut,),
        )
        conn.execute(
            f"DELETE FROM data_asset_fields WHERE data_asset_id IN ({stale})",  # noqa: S608
            (cut,),
        )
        gone["data_assets"] = conn.execute(
            "DELETE FROM data_assets WHERE last_seen < ?", (cut,)
        ).rowcount
        gone["batches"] = conn.execute("DELETE FROM batches WHERE received_at < ?", (cut,)).rowcount
    if event_age > 0:
        gone["events"] = conn.execute(
            "DELETE FROM events WHERE created_at < ?", (now - int(event_age * 1e9),)
        ).rowcount
    return gone
