"""Remove HTTP content codings (gzip, deflate, br) with a hard cap on the decoded size.

Bomb-safe: zlib's `decompressobj().decompress(data, max_length)` and brotli's
`output_buffer_limit` never produce more than the cap. br is decoded only when the optional
`brotli` package (>= 1.2, for the output limit) is installed.
"""

from __future__ import annotations

import importlib
import zlib
from typing import Any

_brotli: Any
try:  # optional dependency
    _brotli = importlib.import_module("brotli")
except ImportError:  # pragma: no cover - depends on the environment
    _brotli = None


class Decoded:
    """A decoded body. `failed`: an unknown or corrupt coding (body is then the undecoded
    input); `capped`: the output reached the cap and was cut."""

    __slots__ = ("body", "capped", "failed")

    def __init__(self, body: bytes, failed: bool = False, capped: bool = False) -> None:
        self.body = body
        self.failed = failed
        self.capped = capped


def brotli_available() -> bool:
    return _brotli is not None and hasattr(_brotli.Decompressor(), "can_accept_more_data")


def _zlib(data: bytes, wbits: int, cap: int) -> tuple[bytes, bool]:
    d = zlib.decompressobj(wbits)
    out = d.decompress(data, cap)
    capped = bool(d.unconsumed_tail) or (len(out) >= cap and not d.eof)
    return out, capped


def _deflate(data: bytes, cap: int) -> tuple[bytes, bool]:
    # "deflate" is zlib-wrapped by the RFC; some servers send raw deflate
    try:
        return _zlib(data, zlib.MAX_WBITS, cap)
    except zlib.error:
        return _zlib(data, -zlib.MAX_WBITS, cap)


def _br(data: bytes, cap: int) -> tuple[bytes, bool]:
    d = _brotli.Decompressor()
    out = d.process(data, output_buffer_limit=cap)
    if len(out) > cap:
        return out[:cap], True
    capped = len(out) >= cap and not d.is_finished()
    return out, capped


def decode_body(body: bytes, codings: list[str], cap: int) -> Decoded:
    """`body` with `codings` (in the order applied by the sender) removed."""
    data = body
    capped = False
    for coding in reversed(codings):
        try:
            if coding in ("gzip", "x-gzip"):
                data, cut = _zlib(data, 16 + zlib.MAX_WBITS, cap)
            elif coding == "deflate":
                data, cut = _deflate(data, cap)
            elif coding == "br" and brotli_available():
                data, cut = _br(data, cap)
            elif coding == "identity":
                continue
            else:
                return Decoded(body, failed=True)
        except Exception:  # zlib.error, brotli.error: a corrupt stream
            return Decoded(body, failed=True)
        capped = capped or cut
    return Decoded(data, capped=capped)


def decode_message_body(body: bytes, codings: list[str], limit: int, flags: set[str]) -> bytes:
    """A message body with its content codings removed; problems become message flags."""
    if not codings:
        return body
    decoded = decode_body(body, codings, limit)
    if decoded.failed:
        flags.add("decompression_failed")
    if decoded.capped:
        flags.add("decompression_capped")
    return decoded.body
