"""`dsensor demo`: the data-in-motion pipeline once, in one process, on embedded defaults.

Without root it replays the bundled capture of the sample services (examples/services/,
recorded by examples/sample_traffic/record_services.py); with `--live` (root) it runs those
services in network namespaces and captures them live (sensor_core.demo_live). Either way the
pairs go through the digger with the in-process detector, the stats client and gRPC into a
console (SQLite), a summary is printed and the run ends with the dashboard's URL; `--serve`
keeps the dashboard up. The pipeline itself is in sensor_core.demo_pipeline.
"""

from __future__ import annotations

import secrets
import tempfile
import threading
from contextlib import ExitStack
from pathlib import Path

import click

from sensor_console.server import ConsoleServer
from sensor_core.demo_pipeline import (
    SENSOR_ID,
    DemoResult,
    DemoSettings,
    bundled_capture,
    bundled_workloads,
    demo_api_token,
    demo_login,
    run_pipeline,
    running_console,
    services_capture,
)
from sensor_core.demo_summary import summary_lines
from sensor_core.logs import configure_logging
from sensor_core.process import stop_on_signals
from sensor_core.sections import LoggingSettings

__all__ = [
    "SENSOR_ID",
    "DemoResult",
    "DemoSettings",
    "bundled_capture",
    "bundled_workloads",
    "demo_api_token",
    "demo_command",
    "demo_login",
    "run_pipeline",
    "running_console",
    "services_capture",
]


class NeedsRoot(click.ClickException):
    """`--live` where it cannot run: a usage problem of this machine, exit code 2."""

    exit_code = 2


def _run(
    settings: DemoSettings, console_token: str, stack: ExitStack, live_seconds: float | None
) -> tuple[ConsoleServer, DemoResult, str]:
    """The console (left running in `stack`), the run's result and the summary's headline."""
    console = stack.enter_context(running_console(settings, console_token))
    if live_seconds is None:
        result = run_pipeline(settings, console, console_token)
        pairs = result.digger.get("pairs", 0)
        return console, result, f"dsensor demo: {pairs} pairs from {settings.capture.name}"
    from sensor_core.demo_live import describe, run_live

    stop = threading.Event()
    with stop_on_signals(lambda _name: stop.set()):
        result = run_live(settings, console, console_token, live_seconds, stop)
    return console, result, describe(result, live_seconds)


@click.command("demo")
@click.option(
    "--pcap",
    "capture",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Capture to replay instead of the bundled recording of the sample services.",
)
@click.option(
    "--live",
    is_flag=True,
    help="Run the sample services in network namespaces and capture them live (root).",
)
@click.option(
    "--seconds",
    type=click.FloatRange(1, 3600),
    default=10,
    show_default=True,
    help="With --live: how long traffic is driven through the services.",
)
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where the console keeps its SQLite database (default: a temporary directory).",
)
@click.option("--serve", is_flag=True, help="Keep the console and dashboard up until Ctrl-C.")
@click.option(
    "--port",
    "http_port",
    type=int,
    default=8080,
    show_default=True,
    help="Dashboard port with --serve (0 picks a free one).",
)
@click.option(
    "--log-level",
    type=click.Choice(["debug", "info", "warning", "error"]),
    default="warning",
    show_default=True,
)
def demo_command(
    capture: Path | None,
    live: bool,
    seconds: float,
    data_dir: Path | None,
    serve: bool,
    http_port: int,
    log_level: str,
) -> None:
    """Run interceptor -> digger -> detector -> console once and print what was found."""
    if live and capture is not None:
        raise click.UsageError("--live captures the sample services; it takes no --pcap")
    if live:
        from sensor_core.demo_live import LiveUnavailableError, check_live

        try:
            check_live()
        except LiveUnavailableError as exc:
            raise NeedsRoot(str(exc)) from None
    with ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(
                stack.enter_context(tempfile.TemporaryDirectory(prefix="dsensor-demo-"))
            )
        data_dir.mkdir(parents=True, exist_ok=True)
        settings = DemoSettings(
            capture=capture or services_capture(),
            data_dir=data_dir,
            http_port=http_port if serve else 0,
            log=LoggingSettings.model_validate({"level": log_level}),
        )
        configure_logging(settings.log)
        token = secrets.token_urlsafe(24)
        try:
            console, result, headline = _run(settings, token, stack, seconds if live else None)
        except KeyboardInterrupt:
            click.echo("interrupted; namespaces and processes removed", err=True)
            raise SystemExit(130) from None
        except Exception as exc:
            raise click.ClickException(f"demo failed: {type(exc).__name__}: {exc}") from None
        click.echo(headline)
        click.echo("")
        for line in summary_lines(result):
            click.echo(line)
        click.echo("")
        if serve:
            username, password = demo_login(console)
            click.echo(f"console: {result.console_url}  (Ctrl-C to stop)")
            click.echo(f"log in as {username} with password {password}")
            click.echo(f"API: curl -H 'Authorization: Bearer {result.api_token}' ...")
            stop = threading.Event()
            with stop_on_signals(lambda _name: stop.set()):
                while not stop.wait(1.0):
                    pass
            click.echo("stopping")
        else:
            click.echo(f"console: {result.console_url} (stopped; --serve keeps it up)")
