"""Test data for the crawler: fake personal data with canary values, planted in real stores.

Every value is made up. `Canaries` are unique per test session, so a search of any output for
them proves that no value leaked.
"""

from __future__ import annotations

import gzip
import io
import json
import random
import secrets
import string
from dataclasses import dataclass, field

SURNAMES = ("Vexlimund", "Hallworth", "Brandeis", "Okonkwo", "Lindqvist", "Marchetti")


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    digits = prefix + "".join(rng.choice(string.digits) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return digits + str((10 - total % 10) % 10)


@dataclass
class Canaries:
    """Values that must never appear in any output."""

    tag: str = field(
        default_factory=lambda: "".join(random.choice("bcdfghjklmnpqrstvwxz") for _ in range(10))
    )
    rng: random.Random = field(default_factory=random.Random)

    def email(self, i: int) -> str:
        return f"{self.tag}{i}.vexl@canary-mail.test"

    def name(self, i: int) -> str:
        surname = SURNAMES[i % len(SURNAMES)]
        return f"Qor{self.tag.title()} {surname}"

    def card(self) -> str:
        return luhn_complete("4929", 16, self.rng)

    def phone(self, i: int) -> str:
        return f"+1-415-555-{1000 + i:04d}"

    def secret_word(self) -> str:
        return f"zz{self.tag}{secrets.token_hex(4)}"


@dataclass
class People:
    """Rows of fake people; every planted value is remembered for the canary search."""

    canaries: Canaries
    planted: set[str] = field(default_factory=set)

    def person(self, i: int) -> dict[str, object]:
        c = self.canaries
        row: dict[str, object] = {
            "id": i,
            "full_name": c.name(i),
            "email": c.email(i),
            "phone": c.phone(i),
            "card_number": c.card(),
            "profile": {"address": {"city": "Springfield", "street": f"{100 + i} Vexl Road"}},
        }
        for key in ("full_name", "email", "card_number"):
            self.planted.add(str(row[key]))
        return row

    def people(self, n: int, start: int = 0) -> list[dict[str, object]]:
        return [self.person(i) for i in range(start, start + n)]


def ndjson(rows: list[dict[str, object]]) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in rows)


def csv_bytes(rows: list[dict[str, object]], delimiter: str = ",") -> bytes:
    import csv

    out = io.StringIO()
    cols = ["full_name", "email", "card_number"]
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(cols)
    for r in rows:
        writer.writerow([r[c] for c in cols])
    return out.getvalue().encode()


def parquet_bytes(rows: list[dict[str, object]]) -> bytes:
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    cols = ["full_name", "email", "card_number"]
    table = pa.table({c: [str(r[c]) for r in rows] for c in cols})
    sink = io.BytesIO()
    pq.write_table(table, sink)
    return sink.getvalue()


def gz(data: bytes) -> bytes:
    return gzip.compress(data)
