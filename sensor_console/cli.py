"""`console`: run the console until SIGTERM or SIGINT, then stop gracefully.

`console --config FILE user add NAME --role admin` creates a dashboard user (password from a
hidden prompt or stdin) and `console --config FILE token create NAME --role readonly` prints a
new API token once. Both write to the database the console itself uses.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from sensor_console import auth
from sensor_console.server import ConsoleError, ConsoleServer
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import StorageError, Store
from sensor_core.logs import configure_logging, get_logger
from sensor_core.process import EXIT_FAILED, config_option, settings_or_exit, stop_on_signals

STOP_GRACE_SECONDS = 5.0


@click.group(
    name="console",
    invoke_without_command=True,
    context_settings={"help_option_names": ["-h", "--help"]},
)
@config_option("CONSOLE")
@click.pass_context
def main(ctx: click.Context, config_file: Path | None) -> None:
    """Run the console: gRPC ingest, storage, JSON API and dashboard."""
    settings = settings_or_exit(ConsoleSettings, "CONSOLE", config_file, "console")
    ctx.obj = settings
    if ctx.invoked_subcommand is not None:
        return
    configure_logging(settings.logging)
    log = get_logger("sensor_console")
    stop = threading.Event()

    def on_stop(signal_name: str) -> None:
        log.info("console_stopping", signal=signal_name)
        stop.set()

    with stop_on_signals(on_stop):
        server = ConsoleServer(settings)
        try:
            server.start()
        except (ConsoleError, StorageError) as exc:
            click.echo(f"console: {exc}", err=True)
            sys.exit(EXIT_FAILED)
        try:
            while not stop.wait(1.0):
                pass
        finally:
            server.stop(STOP_GRACE_SECONDS)


def _store(settings: ConsoleSettings) -> Store:
    try:
        return Store(settings.database_path, settings.policies, settings.postgres_url)
    except StorageError as exc:
        click.echo(f"console: {exc}", err=True)
        sys.exit(EXIT_FAILED)


@main.group()
def user() -> None:
    """Local dashboard and API users."""


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(["readonly", "admin"]), default="readonly")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.pass_obj
def add_user(settings: ConsoleSettings, username: str, role: str, password_stdin: bool) -> None:
    """Create USERNAME (or set a new password and role); ends its sessions."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    store = _store(settings)
    try:
        store.write(lambda c: auth.add_user(c, username, password, role))
    except auth.AuthError as exc:
        click.echo(f"console: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        store.close()
    click.echo(f"user {username} ({role}) saved")


@main.group()
def token() -> None:
    """API tokens (for scripts; separate from sensor tokens)."""


@token.command("create")
@click.argument("name")
@click.option("--role", type=click.Choice(["readonly", "admin"]), default="readonly")
@click.pass_obj
def create_token(settings: ConsoleSettings, name: str, role: str) -> None:
    """Print a new API token NAME once (send it as `Authorization: Bearer <token>`)."""
    store = _store(settings)
    try:
        secret = store.write(lambda c: auth.create_api_token(c, name, role))
    except auth.AuthError as exc:
        click.echo(f"console: {exc}", err=True)
        sys.exit(EXIT_FAILED)
    finally:
        store.close()
    click.echo(secret)
