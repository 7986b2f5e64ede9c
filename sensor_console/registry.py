"""False positives (suppressions) and custom data types, managed centrally.

Detection-tools pull both with their sensor token from `GET /api/v1/registry`:

```json
{"version": 1700000000000000000,
 "custom_types": [{"id": "loyalty_number", "name": "Loyalty number", "category": "personal",
                   "sensitivity": "medium", "patterns": ["^LY[0-9]{8}$"],
                   "keywords": ["loyalty", "member_no"], "description": ""}],
 "suppressions": [{"id": 3, "type_id": "phone_number", "asset": "shop/orders",
                   "endpoint": "POST orders.shop /orders", "path": "$.order_no",
                   "reason": "order numbers"}]}
```
A suppression with an empty `type_id` covers every type; empty `asset`, `endpoint` or `path`
match anything, so `path` set is a field, `endpoint` set an endpoint, else a whole asset.
`version` grows whenever either list changes (clients may skip an unchanged registry).
"""

from __future__ import annotations

import json
import re
import time
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from sensor_console.db import Connection

TYPE_ID = re.compile(r"^[a-z][a-z0-9_]{1,63}$")


class CustomType(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    name: str = Field(min_length=1, max_length=128)
    category: Literal["personal", "payment", "health", "credentials"]
    sensitivity: Literal["low", "medium", "high"]
    patterns: list[str] = Field(default_factory=list, max_length=32)
    keywords: list[str] = Field(default_factory=list, max_length=64)
    description: str = Field(default="", max_length=1024)

    @field_validator("id")
    @classmethod
    def _snake_case(cls, value: str) -> str:
        if not TYPE_ID.match(value):
            raise ValueError("id: snake_case, 2 to 64 characters")
        return value

    @field_validator("patterns")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        for i, pattern in enumerate(patterns):
            if len(pattern) > 512:
                raise ValueError(f"patterns[{i}]: longer than 512")
            try:
                re.compile(pattern)
            except re.error:
                raise ValueError(f"patterns[{i}]: not a valid regular expression") from None
        return patterns

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, keywords: list[str]) -> list[str]:
        if any(not 0 < len(k) <= 64 for k in keywords):
            raise ValueError("keywords: each 1 to 64 characters")
        return keywords


class Suppression(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    type_id: str = Field(default="", max_length=64)
    asset: str = Field(default="", max_length=1024)
    endpoint: str = Field(default="", max_length=2048)
    path: str = Field(default="", max_length=4096)
    reason: str = Field(default="", max_length=512)

    @property
    def scope(self) -> str:
        return "field" if self.path else "endpoint" if self.endpoint else "asset"

    def covers(self, type_id: str, asset: str, endpoint: str, path: str) -> bool:
        return (
            (not self.type_id or self.type_id == type_id)
            and (not self.asset or self.asset == asset)
            and (not self.endpoint or self.endpoint == endpoint)
            and (not self.path or self.path == path)
        )


def add_suppression(conn: Connection, item: Suppression, by: str) -> int:
    if not (item.type_id or item.asset or item.endpoint or item.path):
        raise ValueError("a suppression needs at least one of type_id, asset, endpoint, path")
    row = conn.execute(
        "INSERT INTO suppressions (type_id, asset, endpoint, path, reason, created_by,"
        " created_at) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (type_id, asset, endpoint, path)"
        " DO UPDATE SET reason = excluded.reason RETURNING id",
        (item.type_id, item.asset, item.endpoint, item.path, item.reason, by, time.time_ns()),
    ).fetchone()
    _touch(conn)
    return int(row[0])


def delete_suppression(conn: Connection, suppression_id: int) -> bool:
    gone = conn.execute("DELETE FROM suppressions WHERE id = ?", (suppression_id,)).rowcount > 0
    if gone:
        _touch(conn)
    return gone


def put_custom_type(conn: Connection, item: CustomType, by: str) -> None:
    conn.execute(
        "INSERT INTO custom_types (type_id, definition, created_by, updated_at)"
        " VALUES (?, ?, ?, ?) ON CONFLICT (type_id) DO UPDATE SET"
        " definition = excluded.definition, updated_at = excluded.updated_at",
        (item.id, item.model_dump_json(), by, time.time_ns()),
    )
    _touch(conn)


def delete_custom_type(conn: Connection, type_id: str) -> bool:
    gone = conn.execute("DELETE FROM custom_types WHERE type_id = ?", (type_id,)).rowcount > 0
    if gone:
        _touch(conn)
    return gone


def _touch(conn: Connection) -> None:
    conn.execute(
        "INSERT INTO custom_types (type_id, definition, created_by, updated_at)"
        " VALUES ('', '{}', '', ?) ON CONFLICT (type_id) DO UPDATE SET"
        " updated_at = MAX(updated_at + 1, excluded.updated_at)",
        (time.time_ns(),),
    )


def suppressions(conn: Connection) -> list[tuple[int, Suppression]]:
    return [
        (
            int(row[0]),
            Suppression(type_id=row[1], asset=row[2], endpoint=row[3], path=row[4], reason=row[5]),
        )
        for row in conn.execute(
            "SELECT id, type_id, asset, endpoint, path, reason FROM suppressions ORDER BY id"
        )
    ]


def custom_types(conn: Connection) -> list[CustomType]:
    return [
        CustomType.model_validate_json(row[0])
        for row in conn.execute(
            "SELECT definition FROM custom_types WHERE type_id != '' ORDER BY type_id"
        )
    ]


def registry_document(conn: Connection) -> dict[str, Any]:
    """The JSON document detection-tools pull (shape in the module docstring)."""
    row = conn.execute("SELECT MAX(updated_at) FROM custom_types").fetchone()
    return {
        "version": int(row[0] or 0),
        "custom_types": [t.model_dump() for t in custom_types(conn)],
        "suppressions": [
            {"id": i, **s.model_dump(), "scope": s.scope} for i, s in suppressions(conn)
        ],
    }


def to_json_text(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, sort_keys=True)
