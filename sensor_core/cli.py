"""`dsensor`: the umbrella command. Each package contributes its subcommands from its own cli.py.

Subcommands are imported lazily so `dsensor detect` does not pay for scapy or Kafka.
"""

from __future__ import annotations

import importlib
from typing import Any

import click

from sensor_core import __version__

# subcommand -> "module:attribute" of a click command
SUBCOMMANDS: dict[str, str] = {
    "demo": "sensor_core.demo:demo_command",
    "detect": "detection_tool.cli:detect_command",
    "pairs": "sensor_dim.interceptor.cli:pairs_command",
    "scan": "sensor_dar.cli:scan_command",
    "crawler": "sensor_dar.cli:main",
    "interceptor": "sensor_dim.interceptor.cli:main",
    "digger": "sensor_dim.digger.cli:main",
    "detection-tool": "detection_tool.cli:main",
    "console": "sensor_console.cli:main",
}

HELP = {
    "demo": "Run the whole pipeline once on a bundled sample capture and print what it found.",
    "detect": "Detect sensitive data types in JSON documents (one per line).",
    "pairs": "List the HTTP request/response pairs in a pcap or pcapng file.",
    "scan": "Scan S3, Kafka and PostgreSQL once by sampling; print the data types per field.",
    "crawler": "Run the crawler (samples data stores every checkinterval, reports to the console).",
    "interceptor": "Run the interceptor (live capture to Kafka, or replay a file).",
    "digger": "Run the digger (pairs from Kafka to metadata for the console).",
    "detection-tool": "Run the detection service (gRPC).",
    "console": "Run the console (ingest, store, API, dashboard).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(SUBCOMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = SUBCOMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        command: Any = getattr(importlib.import_module(module_name), attr)
        if not isinstance(command, click.Command):
            raise TypeError(f"{target} is not a click command")
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # help text without importing every subcommand's dependencies
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="dsensor")
def main() -> None:
    """dsensor: which sensitive data flows between which services, and where it sits at rest."""
