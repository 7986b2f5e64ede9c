"""HTTP/1.x header sections: start line, header fields, and how the body is framed."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from enum import Enum

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
REQUEST_LINE = re.compile(rb"(" + _TOKEN + rb") ([^\s]+) HTTP/(1\.[01])")
STATUS_LINE = re.compile(rb"HTTP/(1\.[01]) ([0-9]{3})(?:[ \t](.*))?")
HEADER_NAME = re.compile(_TOKEN)
# the same on latin-1 text (ASCII classes only), for parsing a whole header block in one call
_TOKEN_TEXT = _TOKEN.decode()
_REQUEST_TEXT = re.compile("(" + _TOKEN_TEXT + r") (\S+) HTTP/(1\.[01])", re.ASCII)
_STATUS_TEXT = re.compile(r"HTTP/(1\.[01]) ([0-9]{3})(?:[ \t](.*))?", re.ASCII | re.DOTALL)
# the characters of a token (RFC 9110 section 5.6.2)
_TOKEN_CHARS = "".join(sorted(set(map(chr, range(33, 127))) - set('"(),/:;<=>?@[\\]{}')))
# a message start after a gap or inside a connection picked up mid-stream
_RESYNC_REQUEST = re.compile(
    rb"(?:^|\n)((?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^\s]+ HTTP/1\.[01]\r?\n)"
)
_RESYNC_RESPONSE = re.compile(rb"(?:^|\n)(HTTP/1\.[01] [0-9]{3}[^\n]*\n)")
RESYNC_KEEP = 8192
MAX_CONTENT_LENGTH_DIGITS = 18  # beyond 10**18 bytes the value is nonsense anyway


class HeadError(Enum):
    BAD_START_LINE = "bad_start_line"


@dataclass(slots=True)
class MessageHead:
    """A parsed request or status line with its header fields (names as on the wire)."""

    is_request: bool
    version: str
    method: str = ""
    target: str = ""
    status: int = 0
    reason: str = ""
    headers: list[tuple[str, str]] = field(default_factory=list)
    obsolete_folding: bool = False
    bad_header_lines: int = 0
    # lower-case name -> values in wire order; rebuilt on demand after `headers` changes
    _index: dict[str, list[str]] | None = None

    def values(self, name: str) -> list[str]:
        """Every value of a header, case-insensitively, in wire order."""
        index = self._index
        if index is None:
            index = {}
            for n, v in self.headers:
                index.setdefault(n.lower(), []).append(v)
            self._index = index
        return index.get(name.lower(), [])

    def first(self, name: str) -> str | None:
        found = self.values(name)
        return found[0] if found else None

    def tokens(self, name: str) -> list[str]:
        """Comma-separated list values of a header, lower-cased."""
        out: list[str] = []
        for value in self.values(name):
            out.extend(t.strip().lower() for t in value.split(",") if t.strip())
        return out

    @property
    def content_type(self) -> str:
        found = self.values("content-type")
        return found[0].split(";", 1)[0].strip().lower() if found and found[0] else ""


def parse_header_lines(lines: list[bytes], head: MessageHead) -> None:
    """Append header fields (or trailer fields) to `head`; folding and junk are noted."""
    head._index = None
    for raw in lines:
        if raw[:1] in (b" ", b"\t"):
            if head.headers:
                last_name, last_value = head.headers[-1]
                folded = f"{last_value} {raw.strip().decode('latin-1')}".strip()
                head.headers[-1] = (last_name, folded)
                head.obsolete_folding = True
            else:
                head.bad_header_lines += 1
            continue
        name, sep, value = raw.partition(b":")
        if not sep or not HEADER_NAME.fullmatch(name):
            head.bad_header_lines += 1
            continue
        head.headers.append((name.decode("ascii"), value.strip(b" \t").decode("latin-1")))


def _clean_fields(text: str, head: MessageHead) -> bool:
    """Set the fields of a header block in which every line is a well-formed field.

    The common case, without a regular expression; returns False (nothing set) on the first
    line that is not `name: value` (continuation lines, junk).
    """
    fields: list[tuple[str, str]] = []
    index: dict[str, list[str]] = {}
    for line in text.split("\n"):
        name, sep, value = line.partition(":")
        if not sep or not name or name.strip(_TOKEN_CHARS):
            return False
        if value.endswith("\r"):
            value = value[:-1]
        value = value.strip(" \t")
        fields.append((name, value))
        key = name.lower()
        found = index.get(key)
        if found is None:
            index[key] = [value]
        else:
            found.append(value)
    head.headers = fields
    head._index = index
    return True


def parse_head(block: bytes, is_request: bool) -> MessageHead | HeadError:
    """Parse a header section (without the final empty line)."""
    text = block.decode("latin-1")  # one decode; header bytes map 1:1 to characters
    line_end = text.find("\n")
    start = text if line_end < 0 else text[:line_end]
    if start.endswith("\r"):
        start = start[:-1]
    if is_request:
        m = _REQUEST_TEXT.fullmatch(start)
        if m is None:
            return HeadError.BAD_START_LINE
        head = MessageHead(True, "HTTP/" + m.group(3), method=m.group(1), target=m.group(2))
    else:
        m = _STATUS_TEXT.fullmatch(start)
        if m is None:
            return HeadError.BAD_START_LINE
        head = MessageHead(
            False, "HTTP/" + m.group(1), status=int(m.group(2)), reason=m.group(3) or ""
        )
    if line_end < 0:
        return head
    if not _clean_fields(text[line_end + 1 :], head):  # folding, junk lines: the careful path
        lines = [line[:-1] if line.endswith(b"\r") else line for line in block.split(b"\n")]
        parse_header_lines(lines[1:], head)
    return head


def content_length(head: MessageHead) -> int | None:
    """The Content-Length, or None when absent. Raises ValueError when invalid."""
    values = head.values("content-length")
    if not values:
        return None
    if len(values) == 1:
        text = values[0]
        if text.isdigit() and text.isascii() and len(text) <= MAX_CONTENT_LENGTH_DIGITS:
            return int(text)
    seen: set[str] = set()
    for value in values:
        for part in value.split(","):
            text = part.strip()
            if not text.isdigit() or not text.isascii() or len(text) > MAX_CONTENT_LENGTH_DIGITS:
                raise ValueError("Content-Length is not a decimal number in range")
            seen.add(text.lstrip("0") or "0")
    if len(seen) != 1:
        raise ValueError("conflicting Content-Length values")
    return int(seen.pop())


def looks_like_request_start(data: bytes) -> bool:
    """True when bytes begin like an HTTP/1.x request line (at least the method and a space)."""
    m = re.match(_TOKEN + rb" ", data[:32])
    return m is not None and m.group(0)[:-1].isupper()


def looks_like_response_start(data: bytes) -> bool:
    return data.startswith(b"HTTP/1.")


def find_blank_line(buf: bytes | bytearray) -> tuple[int, int]:
    """(end of the header block, length of the blank-line separator) or (-1, 0)."""
    best = buf.find(b"\r\n\r\n")
    sep = 4
    # a bare-LF blank line may come earlier (lenient peers)
    limit = best if best >= 0 else len(buf)
    for pattern in (b"\n\n", b"\n\r\n"):
        i = buf.find(pattern, 0, limit + len(pattern) - 1)
        if i >= 0 and (best < 0 or i < best):
            best, sep = i, len(pattern)
            limit = best
    return best, sep


def find_message_start(buf: bytearray, is_request: bool) -> int:
    """Where the first complete request (or status) line in `buf` begins, or -1."""
    m = (_RESYNC_REQUEST if is_request else _RESYNC_RESPONSE).search(buf)
    return -1 if m is None else m.start(1)


def resync_keep_from(buf: bytearray) -> int:
    """While no message start is found: how many leading bytes can go.

    What may be the beginning of a start line still arriving stays: the bytes after the last
    line break (all of them while there is none), at most RESYNC_KEEP.
    """
    return max(buf.rfind(b"\n"), 0, len(buf) - RESYNC_KEEP)
