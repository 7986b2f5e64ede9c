"""`dsensor detect`: output format, errors per line, --records, --explain, --list-types."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from click.testing import CliRunner

from detection_tool.catalog import CATALOG
from sensor_core.cli import main as dsensor

LINES = [
    '{"customer": {"email": "ana@example.com"}, "items": [{"sku": "4111111111111111"}]}',
    "this is not json",
    "",
    '{"card_number": "4111 1111 1111 1111", "status": "ok"}',
    '{"nothing": "here"}',
]


def _run(args: list[str], stdin: str | bytes | None = None) -> tuple[int, list[Any], str]:
    result = CliRunner().invoke(dsensor, ["detect", *args], input=stdin)
    out = [json.loads(line) for line in result.stdout.splitlines()]
    return result.exit_code, out, result.stderr


def test_one_output_line_per_document_and_errors_in_place() -> None:
    code, out, _ = _run(["-"], "\n".join(LINES) + "\n")
    assert out == [
        {"fields": {"$.customer.email": ["email"]}},
        {"error": "invalid_json", "line": 2},
        {"fields": {"$.card_number": ["credit_card_number"]}},
        {"fields": {}},
    ]
    assert code == 1  # some line was bad


def test_all_good_lines_exit_zero(tmp_path: Path) -> None:
    path = tmp_path / "docs.jsonl"
    path.write_text('{"email": "a@example.com"}\n{"x": 1}\n', encoding="utf-8")
    code, out, _ = _run([str(path)])
    assert code == 0
    assert out == [{"fields": {"$.email": ["email"]}}, {"fields": {}}]


def test_invalid_utf8_and_deep_lines_are_reported_by_code() -> None:
    data = b'{"a": "\xff"}\n' + b"[" * 10_000 + b"]" * 10_000 + b'\n{"email": "a@example.com"}\n'
    code, out, _ = _run(["-"], data)
    assert out[:2] == [{"error": "invalid_utf8", "line": 1}, {"error": "too_deep", "line": 2}]
    assert out[2] == {"fields": {"$.email": ["email"]}}
    assert code == 1


def test_oversized_line_is_skipped_with_too_large() -> None:
    data = b'{"a": "' + b"x" * (1024 * 1024 + 10) + b'"}\n{"email": "a@example.com"}\n'
    _, out, _ = _run(["-"], data)
    assert out == [{"error": "too_large", "line": 1}, {"fields": {"$.email": ["email"]}}]


def test_explain_shape() -> None:
    _, out, _ = _run(["--explain", "-"], '{"card": {"number": "4111111111111111"}}\n')
    assert out[0]["fields"] == {"$.card.number": ["credit_card_number"]}
    (entry,) = out[0]["explain"]["$.card.number"]
    assert entry["type"] == "credit_card_number"
    assert entry["sensitivity"] == "high"
    assert entry["category"] == "payment"
    assert 0.9 < entry["confidence"] <= 1.0
    # a checksum confirmed it: the model does not weigh it (see detection_tool/model.py)
    assert entry["reasons"] == ["value:card_pattern", "validator:luhn", "key:card.number"]


def test_records_mode_prints_one_line_with_star_paths() -> None:
    lines = [json.dumps({"user": {"emails": [f"u{i}@example.com"]}, "n": i}) for i in range(5)]
    code, out, stderr = _run(["--records", "-"], "\n".join([*lines, "{bad"]) + "\n")
    assert out == [{"fields": {"$.user.emails[*]": ["email"]}}]
    assert json.loads(stderr.strip()) == {"error": "invalid_json", "line": 6}
    assert code == 1


def test_list_types_prints_the_catalog() -> None:
    code, out, _ = _run(["--list-types"])
    assert code == 0
    assert [entry["id"] for entry in out] == list(CATALOG)
    assert all(set(e) == {"id", "category", "sensitivity", "description"} for e in out)


def test_missing_file_is_a_usage_error() -> None:
    result = CliRunner().invoke(dsensor, ["detect"])
    assert result.exit_code == 2
    assert "FILE" in result.stderr
