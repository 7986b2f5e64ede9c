"""File formats from a prefix: what parses, what is cut, what is reported."""

from __future__ import annotations

import gzip
import json

import pytest

from sensor_dar.formats import format_of, gunzip_prefix, parse_prefix
from tests.crawler.seed import parquet_bytes

ROWS = [
    {"full_name": f"Ann Lee{i}", "email": f"a{i}@example.org", "card_number": "4111"}
    for i in range(3)
]


@pytest.mark.parametrize(
    ("name", "expected"),
    [("a.json", ("json", False)), ("a.JSONL.gz", ("ndjson", True)), ("a.tsv", ("tsv", False)),
     ("a.yml", ("yaml", False)), ("x.parquet", ("parquet", False)), ("noext", (None, False))],
)  # fmt: skip
def test_format_by_extension(name: str, expected: tuple[str | None, bool]) -> None:
    assert format_of(name) == expected


def test_ndjson_prefix_keeps_complete_lines() -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in ROWS)
    parsed = parse_prefix("x.ndjson", data[:-5], complete=False, limit=10, max_bytes=1 << 20)
    assert len(parsed.records) == 2
    assert parsed.problems == {}


def test_cut_json_document_reported_truncated() -> None:
    data = json.dumps(ROWS).encode()
    parsed = parse_prefix("x.json", data[:20], complete=False, limit=10, max_bytes=1 << 20)
    assert parsed.records == []
    assert parsed.problems == {"truncated": 1}


def test_sniffed_without_extension() -> None:
    data = b"".join(json.dumps(r).encode() + b"\n" for r in ROWS)
    assert len(parse_prefix("blob", data, True, 10, 1 << 20).records) == 3
    gz = gzip.compress(json.dumps(ROWS).encode())
    assert len(parse_prefix("blob", gz, True, 10, 1 << 20).records) == 3
    assert len(parse_prefix("blob", parquet_bytes_rows(), True, 10, 1 << 20).records) == 3


def parquet_bytes_rows() -> bytes:
    return parquet_bytes([{k: str(v) for k, v in r.items()} for r in ROWS])


def test_gzip_cap_and_corruption() -> None:
    big = gzip.compress(b"x" * 100_000)
    out, problem = gunzip_prefix(big, 1000, complete=True)
    assert len(out) == 1000
    assert problem is None
    assert gunzip_prefix(b"\x1f\x8b" + b"\x00" * 30, 1000, True)[1] == "corrupt_gzip"
    assert gunzip_prefix(big[:-30], 10**6, True)[1] == "truncated_gzip"


def test_csv_width_mismatch_and_huge_field() -> None:
    data = b"a,b\n1,2\n1,2,3\n" + b"x" * 2_000_000 + b",y\n"
    parsed = parse_prefix("t.csv", data, complete=True, limit=10, max_bytes=1 << 22)
    assert parsed.records[0] == {"a": "1", "b": "2"}
    assert parsed.problems["csv_row_width"] == 1
    assert parsed.problems["invalid_csv"] == 1


def test_yaml_documents_and_broken_yaml() -> None:
    data = b"---\nemail: a@example.org\n---\n- email: b@example.org\n"
    assert len(parse_prefix("x.yaml", data, True, 10, 1 << 20).records) == 2
    assert parse_prefix("x.yaml", b"a: [1, 2\n", True, 10, 1 << 20).problems == {"invalid_yaml": 1}


def test_broken_parquet_and_limit() -> None:
    assert parse_prefix("x.parquet", b"PAR1garbage", True, 10, 1 << 20).problems == {
        "invalid_parquet": 1
    }
    assert len(parse_prefix("x.parquet", parquet_bytes_rows(), True, 2, 1 << 20).records) == 2
