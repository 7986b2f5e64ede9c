"""Fixtures every digger test can use: a console on loopback and captured logs."""

from tests.digger.test_consumer import console, logs

__all__ = ["console", "logs"]
