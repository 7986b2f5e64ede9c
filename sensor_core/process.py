"""What every component command shares: the --config option, settings or exit 2, stop signals.

Exit status of every component: 0 after a clean stop, 1 when it had to give up (the log says
why), 2 when the configuration is wrong (the message names the key or variable, never a value).
"""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Any, NoReturn, Protocol, TypeVar

import click

from sensor_core.logs import get_logger
from sensor_core.settings import Section, SettingsError, load_settings
from sensor_core.vault import VaultError, settings_with_vault

EXIT_FAILED = 1
EXIT_BAD_CONFIG = 2
S = TypeVar("S", bound=Section)
F = TypeVar("F", bound=Callable[..., Any])


def config_option(component: str) -> Callable[[F], F]:
    """`--config FILE`, the option the seeds' images pass (`--config /etc/config.yaml`)."""
    return click.option(
        "--config",
        "config_file",
        type=click.Path(dir_okay=False, path_type=Path),
        default=None,
        help=f"YAML settings file (SVRN_{component}_* variables override it).",
    )


def exit_bad_config(prog: str, message: str) -> NoReturn:
    click.echo(f"{prog}: {message}", err=True)
    sys.exit(EXIT_BAD_CONFIG)


def settings_or_exit(model: type[S], component: str, config_file: Path | None, prog: str) -> S:
    """The component's settings, or the problems on stderr and exit status 2.

    A model with a `vault` section loads twice when Vault is enabled: the secrets it reads
    (tokens, connection lists) are laid over the environment. Vault refusing or unreachable
    exits 1; the message names the address, role and path, never a secret.
    """
    try:
        if "vault" in model.model_fields:
            return settings_with_vault(model, component, config_file)
        return load_settings(model, component, config_file)
    except SettingsError as exc:
        exit_bad_config(prog, str(exc))
    except VaultError as exc:
        click.echo(f"{prog}: {exc}", err=True)
        sys.exit(EXIT_FAILED)


@contextmanager
def stop_on_signals(stop: Callable[[str], None]) -> Iterator[None]:
    """Call `stop(signal name)` on SIGTERM or SIGINT while the block runs; restore after."""

    def handler(signum: int, frame: FrameType | None) -> None:
        stop(signal.Signals(signum).name)

    previous = {s: signal.signal(s, handler) for s in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for sig, old in previous.items():
            signal.signal(sig, old)


class Service(Protocol):
    """A component's main loop: `run()` blocks until `stop()` (called from a signal handler)."""

    def run(self) -> None: ...

    def stop(self) -> None: ...


YOUNG_COLLECTION_EVERY = 20_000


def freeze_startup_heap() -> None:
    """Take every object alive after start-up (modules, settings, compiled tables, the catalog)
    out of the cyclic collector's view. They live as long as the process; rescanning them in
    every full collection slowed the detection-tool by 5-14% in its benchmark. Garbage made
    later is collected as before."""
    gc.collect()
    gc.freeze()
    # a young-generation collection after every 20,000 allocations instead of 700: services
    # make and drop objects per packet, pair or field, nearly all freed by reference counting
    # before a collection would look at them (the interceptor's offline benchmark: 3% fewer
    # instructions per packet)
    gc.set_threshold(YOUNG_COLLECTION_EVERY, *gc.get_threshold()[1:])


def serve_until_stopped(
    prog: str,
    build: Callable[[], Service],
    *,
    config_errors: tuple[type[Exception], ...],
    failures: tuple[type[Exception], ...] = (OSError,),
    run_config_errors: tuple[type[Exception], ...] = (),
    describe: Callable[[Exception], str] = str,
) -> None:
    """Build a component's service and run it until SIGTERM/SIGINT, with the shared exit codes.

    `config_errors` raised while building, and `run_config_errors` while running, exit 2 with
    `describe(exc)`; `failures` while running are logged by class (never a message that might
    carry data) and exit 1.
    """
    log = get_logger(f"dsensor.{prog}")
    try:
        service = build()
    except config_errors as exc:
        exit_bad_config(prog, describe(exc))
    freeze_startup_heap()

    def on_stop(signal_name: str) -> None:
        log.info(f"{prog}_stopping", signal=signal_name)
        service.stop()

    with stop_on_signals(on_stop):
        try:
            service.run()
        except run_config_errors as exc:
            exit_bad_config(prog, describe(exc))
        except failures as exc:
            log.error(f"{prog}_failed", error=type(exc).__name__, errno=getattr(exc, "errno", None))
            sys.exit(EXIT_FAILED)
