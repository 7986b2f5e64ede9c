"""Input errors: a code and a message naming the problem, never the input text."""

from __future__ import annotations

from typing import Literal, get_args

ErrorCode = Literal["invalid_json", "invalid_utf8", "too_deep", "too_large", "internal"]
ERROR_CODES: frozenset[str] = frozenset(get_args(ErrorCode))


class DetectionInputError(ValueError):
    """A document the detector refuses. `code` is safe to return to callers and to log."""

    def __init__(self, code: ErrorCode, message: str) -> None:
        self.code: ErrorCode = code
        super().__init__(message)
