"""The chunked transfer coding of HTTP/1.1 (RFC 9112 section 7.1), step by step.

`ChunkedDecoder.step` consumes what it can from the start of the parser's buffer: a chunk-size
line, chunk data, the CRLF after it, or the trailer section. It never holds bytes of its own,
so memory stays bounded by the parser's caps. Bad sizes, missing CRLFs and oversized lines are
reported as errors, never raised.
"""

from __future__ import annotations

from typing import Final

from sensor_dim.interceptor.http1_head import find_blank_line

MAX_CHUNK_LINE = 1024  # a chunk-size line with extensions longer than this is rejected
MAX_CHUNK_SIZE_DIGITS = 15
_HEX = frozenset(b"0123456789abcdefABCDEF")


class _Part:
    """Where a chunked body is (int constants)."""

    SIZE: Final = 1
    DATA: Final = 2
    CRLF: Final = 3
    TRAILERS: Final = 4
    DONE: Final = 5


class ChunkStep:
    """What one step did: `progressed` False means more bytes are needed; `data` the body
    bytes taken from the buffer; `trailers` is set when the body ended (trailer lines, maybe
    none); `error` ("bad_framing" or "header_too_large") stops parsing this direction."""

    __slots__ = ("data", "error", "progressed", "trailers")

    def __init__(
        self,
        progressed: bool,
        data: bytes = b"",
        trailers: list[bytes] | None = None,
        error: str = "",
    ) -> None:
        self.progressed = progressed
        self.data = data
        self.trailers = trailers
        self.error = error


class ChunkedDecoder:
    """The position inside one chunked body."""

    __slots__ = ("_headercap", "_part", "_remaining")

    def __init__(self, headercap: int) -> None:
        self._part: int = _Part.SIZE
        self._remaining = 0
        self._headercap = headercap

    @property
    def done(self) -> bool:
        return self._part == _Part.DONE

    def step(self, buf: bytearray) -> ChunkStep:
        part = self._part
        if part == _Part.SIZE:
            return self._size(buf)
        if part == _Part.DATA:
            n = min(self._remaining, len(buf))
            data = bytes(buf[:n])
            del buf[:n]
            self._remaining -= n
            if self._remaining == 0:
                self._part = _Part.CRLF
            return ChunkStep(True, data=data)
        if part == _Part.CRLF:
            return self._crlf(buf)
        if part == _Part.TRAILERS:
            return self._trailers(buf)
        return ChunkStep(False)

    def _size(self, buf: bytearray) -> ChunkStep:
        nl = buf.find(b"\n")
        if nl < 0:
            return ChunkStep(False, error="bad_framing" if len(buf) > MAX_CHUNK_LINE else "")
        if nl > MAX_CHUNK_LINE:
            return ChunkStep(False, error="bad_framing")
        line = bytes(buf[:nl]).rstrip(b"\r")
        del buf[: nl + 1]
        text = line.split(b";", 1)[0].strip(b" \t")
        if not text or len(text) > MAX_CHUNK_SIZE_DIGITS or not _HEX.issuperset(text):
            return ChunkStep(False, error="bad_framing")
        size = int(text, 16)
        if size == 0:
            self._part = _Part.TRAILERS
        else:
            self._remaining = size
            self._part = _Part.DATA
        return ChunkStep(True)

    def _crlf(self, buf: bytearray) -> ChunkStep:
        if buf.startswith(b"\n"):
            del buf[:1]
        elif buf.startswith(b"\r\n"):
            del buf[:2]
        elif len(buf) == 1 and buf[0] == 13:
            return ChunkStep(False)
        else:
            return ChunkStep(False, error="bad_framing")
        self._part = _Part.SIZE
        return ChunkStep(True)

    def _trailers(self, buf: bytearray) -> ChunkStep:
        for blank in (b"\r\n", b"\n"):
            if buf.startswith(blank):
                del buf[: len(blank)]
                self._part = _Part.DONE
                return ChunkStep(True, trailers=[])
        if len(buf) == 1 and buf[0] == 13:
            return ChunkStep(False)
        end, sep = find_blank_line(buf)
        if end < 0 or end > self._headercap:
            too_big = len(buf) > self._headercap
            return ChunkStep(False, error="header_too_large" if too_big else "")
        lines = [ln.rstrip(b"\r") for ln in bytes(buf[:end]).split(b"\n")]
        del buf[: end + sep]
        self._part = _Part.DONE
        return ChunkStep(True, trailers=lines)
