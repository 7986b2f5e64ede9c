"""Command line: `dsensor pairs FILE`, and the `interceptor` console script (live service,
`interceptor replay FILE` for capture files).

Output of `pairs` and `replay`: one JSON object per pair and line, only metadata (no header
values, no body).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from dsensor.v1 import pair_pb2

from sensor_core.logs import configure_logging
from sensor_core.process import (
    config_option,
    serve_until_stopped,
    settings_or_exit,
)
from sensor_dim.interceptor.capture import CaptureError
from sensor_dim.interceptor.flow_model import Endpoint
from sensor_dim.interceptor.pair_wire import flag_name
from sensor_dim.interceptor.pipeline import iter_pairs
from sensor_dim.interceptor.settings import InterceptorLimits, InterceptorSettings

EXIT_BAD_INPUT = 2


def _iso(unix_nanos: int) -> str:
    when = datetime.fromtimestamp(unix_nanos // 1_000_000_000, tz=UTC)
    micros = (unix_nanos % 1_000_000_000) // 1000
    return when.replace(microsecond=micros).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _address(addr: pair_pb2.SocketAddress) -> str:
    return str(Endpoint(addr.ip, addr.port))  # `ip:port`, `[ip]:port` for IPv6, as Kafka keys


def pair_summary(pair: pair_pb2.HttpPair) -> dict[str, Any]:
    """The `dsensor pairs` line of a pair (CONTRACTS.md): metadata only, never a payload."""
    req = pair.request.message
    host = next((h.value for h in req.headers if h.name.lower() == "host"), "")
    flags = {flag_name(f) for f in req.flags}
    response: dict[str, Any] | None = None
    status: int | None = None
    if pair.HasField("response"):
        resp = pair.response.message
        flags |= {flag_name(f) for f in resp.flags}
        status = pair.response.status
        response = {"content_type": resp.content_type, "body_len": len(resp.body)}
    if pair.unanswered:
        flags.add("unanswered")
    return {
        "ts": _iso(pair.unix_nanos),
        "src": _address(pair.source),
        "dst": _address(pair.destination),
        "method": pair.request.method,
        "host": host,
        "uri": pair.request.target,
        "status": status,
        "request": {"content_type": req.content_type, "body_len": len(req.body)},
        "response": response,
        "flags": sorted(flags),
    }


def _print_pairs(path: Path, limits: InterceptorLimits, show_all: bool, node: str = "") -> None:
    try:
        for pair in iter_pairs(path, settings=limits, select=not show_all, node=node):
            click.echo(json.dumps(pair_summary(pair), ensure_ascii=False))
    except CaptureError as exc:
        click.echo(f"error: {exc}", err=True)
        raise SystemExit(EXIT_BAD_INPUT) from None


_FILE = click.argument(
    "file", type=click.Path(exists=True, dir_okay=False, readable=True, path_type=Path)
)
_ALL = click.option(
    "--all", "show_all", is_flag=True, help="Also list pairs that are neither JSON nor form data."
)


@click.command("pairs")
@_FILE
@_ALL
def pairs_command(file: Path, show_all: bool) -> None:
    """List the HTTP/1.x request/response pairs in a pcap or pcapng FILE.

    One JSON object per line: ts (first request byte, ISO-8601 UTC with microseconds, e.g.
    "2024-05-01T10:00:00.000412Z"), src and dst ("ip:port", src is the client), method, host
    (Host header), uri (request-target), status (null when unanswered), request and response
    {content_type, body_len} (decoded body bytes; response is null when unanswered) and flags
    (lower-case: truncated, gap, bad_content_length, bad_chunking, decompression_failed,
    decompression_capped, obsolete_folding, incomplete, unanswered). Only pairs with JSON or
    form data on either side, except health and metrics paths, unless --all.
    Exit code 2 when FILE is not a readable capture.
    """
    _print_pairs(file, InterceptorLimits(), show_all)


@click.group(
    "interceptor",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@config_option("INTERCEPTOR")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None) -> None:
    """The interceptor: capture live HTTP/1.x JSON traffic and send the pairs to Kafka.

    Without a subcommand: read the node's interfaces (libpcap filter, chosen from the monitored
    addresses), pair requests and responses, produce them to the `events` topic, send
    heartbeats, follow the `iplist` topic and serve /metrics, /healthz and /readyz, until
    SIGTERM or SIGINT. Exit status 0 after a clean stop, 1 when it had to give up, 2 when the
    configuration is wrong. `replay FILE` reads a capture file instead.
    """
    settings = settings_or_exit(InterceptorSettings, "INTERCEPTOR", config_file, "interceptor")
    ctx.obj = settings
    if ctx.invoked_subcommand is None:
        run_service(settings)


def run_service(settings: InterceptorSettings) -> None:
    """The live interceptor until a stop signal (exit codes of sensor_core.process)."""
    from confluent_kafka import KafkaException

    from sensor_dim.interceptor.service import InterceptorService

    configure_logging(settings.logging)
    serve_until_stopped(
        "interceptor",
        lambda: InterceptorService(settings),
        config_errors=(ValueError, KafkaException),
    )


@main.command("replay")
@_FILE
@_ALL
@click.pass_obj
def replay_command(settings: InterceptorSettings, file: Path, show_all: bool) -> None:
    """Replay a pcap/pcapng FILE with the configured limits; print pairs as `dsensor pairs`."""
    _print_pairs(file, settings.limits, show_all, settings.node)
