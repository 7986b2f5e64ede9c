"""Records from the first bytes of a file: JSON, NDJSON, CSV/TSV, YAML, Parquet, gzip.

Input is a prefix (a ranged read) of at most a few MiB, so a document may be cut: line formats
keep their complete lines, a cut JSON or YAML document is reported as "truncated". Problems are
reason codes; the caller counts them. Nothing here logs.
"""

from __future__ import annotations

import csv
import io
import json
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field

import yaml

GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"
_EXTENSIONS = {
    ".json": "json",
    ".ndjson": "ndjson",
    ".jsonl": "ndjson",
    ".csv": "csv",
    ".tsv": "tsv",
    ".yaml": "yaml",
    ".yml": "yaml",
    ".parquet": "parquet",
}
MAX_CSV_FIELD = 1024 * 1024


@dataclass
class Parsed:
    records: list[object] = field(default_factory=list)
    problems: dict[str, int] = field(default_factory=dict)

    def problem(self, reason: str, n: int = 1) -> None:
        self.problems[reason] = self.problems.get(reason, 0) + n


def format_of(name: str) -> tuple[str | None, bool]:
    """(format by extension or None, gzip-compressed) for an object or file name."""
    lower = name.lower()
    gz = lower.endswith(".gz")
    if gz:
        lower = lower[:-3]
    for ext, kind in _EXTENSIONS.items():
        if lower.endswith(ext):
            return kind, gz
    return None, gz


def gunzip_prefix(data: bytes, max_out: int, complete: bool) -> tuple[bytes, str | None]:
    """Decompress what a gzip prefix holds, at most `max_out` bytes.

    `complete`: `data` is the whole object, so a stream that ends early is "truncated_gzip".
    """
    inflater = zlib.decompressobj(wbits=31)
    try:
        out = inflater.decompress(data, max_out)
    except zlib.error:
        return b"", "corrupt_gzip"
    if complete and not inflater.eof and len(out) < max_out:
        return out, "truncated_gzip"
    return out, None


def sniff(data: bytes) -> str | None:
    head = data.lstrip()[:1]
    if data.startswith(PARQUET_MAGIC):
        return "parquet"
    if head == b"[":
        return "json"
    if head == b"{":
        return "ndjson" if b"\n{" in data[:65536] else "json"
    return None


def decode_text(data: bytes, parsed: Parsed) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        if exc.start >= len(data) - 3:  # a multi-byte character cut by the ranged read
            return data[: exc.start].decode("utf-8-sig", errors="replace")
        parsed.problem("not_utf8")
        return data.decode("utf-8", errors="replace")


def _complete_lines(text: str, complete: bool, parsed: Parsed) -> list[str]:
    lines = text.splitlines()
    if not complete and lines and not text.endswith("\n"):
        lines.pop()  # cut by the ranged read
        if not lines:
            parsed.problem("record_too_large")
    return lines


def _json(text: str, complete: bool, limit: int, parsed: Parsed) -> None:
    try:
        doc = json.loads(text)
    except (json.JSONDecodeError, RecursionError):
        parsed.problem("invalid_json" if complete else "truncated")
        return
    items = doc if isinstance(doc, list) else [doc]
    parsed.records.extend(items[:limit])


def _ndjson(text: str, complete: bool, limit: int, parsed: Parsed) -> None:
    for line in _complete_lines(text, complete, parsed):
        if len(parsed.records) >= limit:
            return
        if not line.strip():
            continue
        try:
            parsed.records.append(json.loads(line))
        except (json.JSONDecodeError, RecursionError):
            parsed.problem("invalid_json")


def _delimited(text: str, complete: bool, limit: int, parsed: Parsed, delimiter: str) -> None:
    lines = _complete_lines(text, complete, parsed)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except (StopIteration, csv.Error):
        parsed.problem("invalid_csv")
        return
    names = [h.strip() or f"column{i + 1}" for i, h in enumerate(header)]
    while len(parsed.records) < limit:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error:
            parsed.problem("invalid_csv")
            continue
        if not row:
            continue
        if len(row) != len(names):
            parsed.problem("csv_row_width")
        parsed.records.append(dict(zip(names, row, strict=False)))


def _yaml(text: str, complete: bool, limit: int, parsed: Parsed) -> None:
    try:
        docs = list(yaml.safe_load_all(text))
    except yaml.YAMLError:
        parsed.problem("invalid_yaml" if complete else "truncated")
        return
    for doc in docs:
        items = doc if isinstance(doc, list) else [doc]
        for item in items:
            if len(parsed.records) >= limit:
                return
            if item is not None:
                parsed.records.append(item)


TextParser = Callable[[str, bool, int, Parsed], None]
TEXT_PARSERS: dict[str, TextParser] = {
    "json": _json,
    "ndjson": _ndjson,
    "csv": lambda t, c, n, p: _delimited(t, c, n, p, ","),
    "tsv": lambda t, c, n, p: _delimited(t, c, n, p, "\t"),
    "yaml": _yaml,
}


def parse_text_records(kind: str, data: bytes, complete: bool, limit: int) -> Parsed:
    """Records of a text format from `data` (the whole file when `complete`, else a prefix)."""
    parsed = Parsed()
    csv.field_size_limit(MAX_CSV_FIELD)
    text = decode_text(data, parsed)
    TEXT_PARSERS[kind](text, complete, limit, parsed)
    return parsed


def parse_parquet(readable: io.RawIOBase | io.BytesIO, limit: int) -> Parsed:
    """The first `limit` rows of a Parquet file (footer and first row group read, no more)."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    parsed = Parsed()
    try:
        with pq.ParquetFile(readable) as pf:
            for batch in pf.iter_batches(batch_size=min(limit, 1024)):
                for row in batch.to_pylist():
                    parsed.records.append({str(k): _plain(v) for k, v in row.items()})
                    if len(parsed.records) >= limit:
                        return parsed
    except (pa.ArrowException, OSError, ValueError):
        parsed.problem("invalid_parquet")
    return parsed


def _plain(value: object) -> object:
    """Parquet values as JSON-like values (dates and decimals as text)."""
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, bytes):
        return None
    return str(value)


def parse_prefix(name: str, data: bytes, complete: bool, limit: int, max_bytes: int) -> Parsed:
    """Records from a file's first bytes, whatever its format (by extension, else sniffed).

    Gzip is inflated up to `max_bytes`; a Parquet file must be `complete` (its footer is at the
    end). Unknown formats give the problem "unsupported_format".
    """
    kind, gz = format_of(name)
    if gz or data.startswith(GZIP_MAGIC):
        data, problem = gunzip_prefix(data, max_bytes, complete)
        if problem == "corrupt_gzip":
            return Parsed(problems={problem: 1})
        complete = complete and problem is None and len(data) < max_bytes
        if problem is not None:
            parsed = parse_prefix(name.removesuffix(".gz"), data, False, limit, max_bytes)
            parsed.problem(problem)
            return parsed
    kind = kind or sniff(data)
    if kind == "parquet":
        if not complete:
            return Parsed(problems={"too_large": 1})
        return parse_parquet(io.BytesIO(data), limit)
    if kind is None:
        return Parsed(problems={"unsupported_format": 1})
    return parse_text_records(kind, data, complete, limit)
