"""Structured logging (structlog): JSON lines outside a terminal. Never log a payload value."""

from __future__ import annotations

import logging
import sys
from typing import Any, TextIO

import structlog

from sensor_core.sections import LoggingSettings


def configure_logging(settings: LoggingSettings, stream: TextIO | None = None) -> None:
    """Set up structlog and the standard library logging for one process."""
    out = stream if stream is not None else sys.stderr
    level = getattr(logging, settings.level.upper())
    use_json = settings.format == "json" or (settings.format == "auto" and not out.isatty())
    processors: list[Any] = [
        structlog.contextvars.merge_contextvars,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.format_exc_info,
    ]
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if use_json
        else structlog.dev.ConsoleRenderer(colors=out.isatty())
    )
    structlog.configure(
        processors=[*processors, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(file=out),
        cache_logger_on_first_use=False,
    )
    handler = logging.StreamHandler(out)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(max(level, logging.WARNING))


def get_logger(name: str) -> Any:
    """A structlog logger bound to a component or module name."""
    return structlog.get_logger(name)
