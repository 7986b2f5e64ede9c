"""`dsensor detect` (JSON lines in, types per path out) and the `detection-tool` service."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

import click

from detection_tool.detector import Detector
from detection_tool.errors import DetectionInputError
from detection_tool.findings import Finding
from detection_tool.settings import DetectionToolSettings
from sensor_core.process import (
    EXIT_FAILED,
    config_option,
    freeze_startup_heap,
    settings_or_exit,
    stop_on_signals,
)

_CHUNK = 64 * 1024


def _dumps(obj: object) -> str:
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def _render(result: dict[str, list[Finding]], explain: bool) -> dict[str, Any]:
    out: dict[str, Any] = {"fields": {p: [f.type_id for f in fs] for p, fs in result.items()}}
    if explain:
        out["explain"] = {
            path: [
                {
                    "type": f.type_id,
                    "confidence": f.confidence,
                    "sensitivity": f.sensitivity,
                    "category": f.category,
                    "reasons": list(f.reasons),
                }
                for f in findings
            ]
            for path, findings in result.items()
        }
    return out


def _lines(stream: BinaryIO, limit: int) -> Iterator[tuple[int, bytes | None]]:
    """(line number, bytes or None when longer than `limit`) for each non-blank line."""
    number = 0
    while True:
        line = stream.readline(limit + 1)
        if not line:
            return
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while True:  # skip the rest of an oversized line without holding it
                rest = stream.readline(_CHUNK)
                if not rest or rest.endswith(b"\n"):
                    break
            yield number, None
            continue
        if line.strip():
            yield number, line


def _error(code: str, line: int) -> str:
    return _dumps({"error": code, "line": line})


@click.command("detect")
@click.argument("file", type=click.File("rb"), required=False)
@click.option("--explain", is_flag=True, help="Add confidence, sensitivity and reasons per path.")
@click.option("--records", is_flag=True, help="Treat all lines as one record set ([*] paths).")
@click.option("--list-types", is_flag=True, help="Print the data type catalog and exit.")
@click.option("--context", default=None, help="Endpoint or asset the input came from.")
@config_option("DETECTION_TOOL")
def detect_command(
    file: BinaryIO | None,
    explain: bool,
    records: bool,
    list_types: bool,
    context: str | None,
    config_file: Path | None,
) -> None:
    """Detect sensitive data types in FILE (one JSON document per line; - for stdin).

    Prints one line per input line: {"fields": {"<path>": ["<type id>", ...]}}. A line that is
    not a valid document prints {"error": "<code>", "line": N} instead (in --records mode on
    stderr) and processing goes on; the exit code is then 1. Blank lines are skipped.
    Custom types and suppressions come from the detection-tool settings (--config FILE,
    SVRN_DETECTION_TOOL_DETECTOR_CUSTOMTYPES / _SUPPRESSIONS as JSON); --context names the
    endpoint (`GET /users/{id}`) or asset for suppressions and root-object context.
    """
    settings = settings_or_exit(
        DetectionToolSettings, "DETECTION_TOOL", config_file, "dsensor detect"
    )
    detector = Detector.from_settings(settings)
    if list_types:
        for entry in detector.catalog.values():
            click.echo(
                _dumps(
                    {
                        "id": entry.id,
                        "category": entry.category,
                        "sensitivity": entry.sensitivity,
                        "description": entry.description,
                    }
                )
            )
        return
    if file is None:
        raise click.UsageError("missing FILE (use - for standard input)")
    limit = detector.max_document_bytes
    bad = 0
    aggregator = detector.records(context=context) if records else None
    for number, line in _lines(file, limit):
        try:
            if line is None:
                raise DetectionInputError("too_large", "line too long")
            if aggregator is not None:
                aggregator.add(detector.parse(line))
            else:
                found = detector.detect_json(line, context=context)
                click.echo(_dumps(_render(found, explain)))
        except DetectionInputError as exc:
            bad += 1
            if aggregator is not None:
                aggregator.add_invalid()
                click.echo(_error(exc.code, number), err=True)
            else:
                click.echo(_error(exc.code, number))
    if aggregator is not None:
        click.echo(_dumps(_render(aggregator.result(), explain)))
    if bad:
        sys.exit(1)


@click.command("detection-tool")
@config_option("DETECTION_TOOL")
def main(config_file: Path | None) -> None:
    """Run the detection service: gRPC DetectionService + health, HTTP /metrics and probes."""
    from detection_tool.server import ServerStartError, serve
    from sensor_core.logs import configure_logging, get_logger

    settings = settings_or_exit(
        DetectionToolSettings, "DETECTION_TOOL", config_file, "detection-tool"
    )
    configure_logging(settings.logging)
    log = get_logger("detection_tool")
    try:
        running = serve(settings)
    except ServerStartError as exc:
        log.error("start_failed", problem=str(exc))
        sys.exit(EXIT_FAILED)
    freeze_startup_heap()
    stop = threading.Event()

    def on_stop(signal_name: str) -> None:
        log.info("signal", signal=signal_name)
        stop.set()

    with stop_on_signals(on_stop):
        stop.wait()
    running.stop(grace=10.0)
