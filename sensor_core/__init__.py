"""Shared parts of dsensor: settings, CLI umbrella, logging, metrics, stats client."""

__version__ = "0.1.0"
