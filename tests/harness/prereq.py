"""Skip on a laptop that lacks a prerequisite; fail under CI=true, where nothing may be skipped."""

from __future__ import annotations

import os
import shutil

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def require(condition: bool, reason: str) -> None:
    """Skip the calling test (or fixture) unless `condition`; under CI fail instead."""
    if condition:
        return
    if in_ci():
        pytest.fail(f"missing prerequisite under CI=true: {reason}", pytrace=False)
    pytest.skip(reason)


def require_root(what: str) -> None:
    require(os.geteuid() == 0, f"{what} needs root")


def require_binary(name: str) -> str:
    path = shutil.which(name)
    require(path is not None, f"{name} is not installed (scripts/setup.sh installs it as root)")
    assert path is not None
    return path
