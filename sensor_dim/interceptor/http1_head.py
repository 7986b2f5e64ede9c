"""HTTP/1.x header sections: start line, header fields, and how the body is framed."""

from __future__ import annotations

import re
from enum import Enum
from typing import Final, TypeVar

_TOKEN = rb"[!#$%&'*+\-.^_`|~0-9A-Za-z]+"
HEADER_NAME: Final = re.compile(_TOKEN)
_METHOD_START: Final = re.compile(b"(" + _TOKEN + rb") ")
# a line feed, maybe a carriage return, a line feed: where a blank line is
_BLANK_LINE: Final = re.compile(rb"\n\r?\n")
_VERSIONS: Final = frozenset({"HTTP/1.1", "HTTP/1.0"})
# white space a request-target cannot hold (a line feed never reaches the start line)
_TARGET_BLANKS: Final = (" ", "\t", "\r", "\x0b", "\x0c")
# white space around a field value (RFC 9110 section 5.5)
_FIELD_BLANKS: Final = " \t"
# the characters of a token (RFC 9110 section 5.6.2)
_TOKEN_CHARS: Final = "".join(sorted(set(map(chr, range(33, 127))) - set('"(),/:;<=>?@[\\]{}')))
# a message start after a gap or inside a connection picked up mid-stream
_RESYNC_REQUEST = re.compile(
    rb"(?:^|\n)((?:GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS) [^\s]+ HTTP/1\.[01]\r?\n)"
)
_RESYNC_RESPONSE = re.compile(rb"(?:^|\n)(HTTP/1\.[01] [0-9]{3}[^\n]*\n)")
RESYNC_KEEP = 8192
MAX_CONTENT_LENGTH_DIGITS = 18  # beyond 10**18 bytes the value is nonsense anyway


class HeadError(Enum):
    BAD_START_LINE = "bad_start_line"


# The header fields the parser itself reads (framing, content coding, selection), by the
# length of their name first: most fields of a message are none of these.
FIELD_OTHER: Final = 0
FIELD_CONTENT_TYPE: Final = 1
FIELD_CONTENT_LENGTH: Final = 2
FIELD_CONTENT_ENCODING: Final = 3
FIELD_TRANSFER_ENCODING: Final = 4
_FIELDS_READ: Final = {
    "content-type": FIELD_CONTENT_TYPE,
    "content-length": FIELD_CONTENT_LENGTH,
    "content-encoding": FIELD_CONTENT_ENCODING,
    "transfer-encoding": FIELD_TRANSFER_ENCODING,
}
_READ_LENGTHS: Final = frozenset(len(name) for name in _FIELDS_READ)
# header names seen before, as on the wire -> which field they are (names repeat from message
# to message; a name is checked against the token characters once). Bounded.
_T = TypeVar("_T")
_NAME_KINDS: dict[str, int] = {}
_NAME_KINDS_MAX: Final = 4096
# longer names and values are not kept (a hostile peer's would fill the caches with megabytes)
_CACHED_TEXT_MAX: Final = 128
_NO_VALUES: Final[list[str]] = []
# Content-Type values seen before -> their media type (a service sends few). Bounded.
_MEDIA_TYPES: dict[str, str] = {}
_MEDIA_TYPES_MAX: Final = 1024


def _name_kind(name: str) -> int:
    """FIELD_* of a header name, -1 when it is not a token (not a valid field line)."""
    kind = _NAME_KINDS.get(name)
    if kind is None:
        if not name or name.strip(_TOKEN_CHARS):
            return -1
        kind = _FIELDS_READ.get(name.lower(), FIELD_OTHER) if len(name) in _READ_LENGTHS else 0
        _remember(_NAME_KINDS, _NAME_KINDS_MAX, name, kind)
    return kind


def _remember(cache: dict[str, _T], limit: int, text: str, answer: _T) -> None:
    """Keep `answer` for `text` in a cache of at most `limit` entries (emptied when full);
    long texts are not kept."""
    if len(text) <= _CACHED_TEXT_MAX:
        if len(cache) >= limit:
            cache.clear()
        cache[text] = answer


class MessageHead:
    """A parsed request or status line with its header fields (names as on the wire).

    Besides the fields, it holds what the parser itself reads, set with them
    (`note_fields`): the media type of the first Content-Type (lower-cased, without
    parameters, "" when absent) and every value of Content-Length, Content-Encoding and
    Transfer-Encoding in wire order.
    """

    __slots__ = (
        "_index",
        "bad_header_lines",
        "content_encoding_values",
        "content_length_values",
        "content_type",
        "headers",
        "is_request",
        "method",
        "obsolete_folding",
        "reason",
        "status",
        "target",
        "transfer_encoding_values",
        "version",
    )

    def __init__(
        self,
        is_request: bool,
        version: str,
        method: str = "",
        target: str = "",
        status: int = 0,
        reason: str = "",
    ) -> None:
        self.is_request = is_request
        self.version = version
        self.method = method
        self.target = target
        self.status = status
        self.reason = reason
        self.headers: list[tuple[str, str]] = []
        self.obsolete_folding = False
        self.bad_header_lines = 0
        self.content_type = ""
        self.content_length_values = _NO_VALUES
        self.content_encoding_values = _NO_VALUES
        self.transfer_encoding_values = _NO_VALUES
        # lower-case name -> values in wire order; built on demand, reset by `note_fields`
        self._index: dict[str, list[str]] | None = None

    def __repr__(self) -> str:
        line = f"{self.method} {self.target}" if self.is_request else str(self.status)
        return f"MessageHead({line} {self.version}, {len(self.headers)} fields)"

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
        return list_tokens(self.values(name))

    def note_fields(self) -> None:
        """Read the fields the parser needs from `headers` (after they were set or changed)."""
        read: list[tuple[int, str]] = []
        for name, value in self.headers:
            kind = _name_kind(name)
            if kind > FIELD_OTHER:
                read.append((kind, value))
        self._note(read)

    def _note(self, read: list[tuple[int, str]]) -> None:
        """Set what the parser reads from the fields it reads: (FIELD_*, value) in wire order."""
        self._index = None
        content_type: str | None = None
        lengths: list[str] | None = None
        encodings: list[str] | None = None
        transfer: list[str] | None = None
        for kind, value in read:
            if kind == FIELD_CONTENT_TYPE:
                if content_type is None:
                    content_type = value
            elif kind == FIELD_CONTENT_LENGTH:
                if lengths is None:
                    lengths = [value]
                else:
                    lengths.append(value)
            elif kind == FIELD_CONTENT_ENCODING:
                if encodings is None:
                    encodings = [value]
                else:
                    encodings.append(value)
            elif transfer is None:
                transfer = [value]
            else:
                transfer.append(value)
        self.content_type = media_type(content_type) if content_type else ""
        self.content_length_values = lengths if lengths is not None else _NO_VALUES
        self.content_encoding_values = encodings if encodings is not None else _NO_VALUES
        self.transfer_encoding_values = transfer if transfer is not None else _NO_VALUES


def media_type(value: str) -> str:
    """The media type of a Content-Type value: lower-cased, parameters removed."""
    found = _MEDIA_TYPES.get(value)
    if found is None:
        found = value.split(";", 1)[0].strip().lower()
        _remember(_MEDIA_TYPES, _MEDIA_TYPES_MAX, value, found)
    return found


def list_tokens(values: list[str]) -> list[str]:
    """The elements of comma-separated list values, lower-cased, empty ones left out."""
    out: list[str] = []
    for value in values:
        out.extend(t.strip().lower() for t in value.split(",") if t.strip())
    return out


def parse_header_lines(lines: list[bytes], head: MessageHead) -> None:
    """Append header fields (or trailer fields) to `head`; folding and junk are noted."""
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
    head.note_fields()


def _clean_fields(text: str, head: MessageHead) -> bool:
    """Set the fields of a header block in which every line is a well-formed field.

    The common case, without a regular expression and without cutting the block into lines
    first; returns False (nothing set) on the first line that is not `name: value`
    (continuation lines, junk). A line ends at LF, one CR before it is not part of it (the
    last line's too: the block may have ended at "\r\n\n").
    """
    fields: list[tuple[str, str]] = []
    read: list[tuple[int, str]] = []  # the fields the parser reads, as `note_fields` finds them
    size = len(text)
    pos = 0
    while True:
        newline = text.find("\n", pos)
        end = size if newline < 0 else newline
        if end > pos and text[end - 1] == "\r":
            end -= 1
        colon = text.find(":", pos, end)
        if colon <= pos:
            return False
        name = text[pos:colon]
        kind = _name_kind(name)
        if kind < 0:
            return False
        start = colon + 1
        while start < end and text[start] in _FIELD_BLANKS:
            start += 1
        while end > start and text[end - 1] in _FIELD_BLANKS:
            end -= 1
        value = text[start:end]
        fields.append((name, value))
        if kind > FIELD_OTHER:
            read.append((kind, value))
        if newline < 0:
            break
        pos = newline + 1
    head.headers = fields
    head._note(read)
    return True


def _request_head(start: str) -> MessageHead | None:
    """A request line `METHOD SP target SP HTTP/1.x`: method a token, target without white
    space (the ASCII white space of RFC 9110). None when it is not one."""
    if start.endswith(" HTTP/1.1"):
        version = "HTTP/1.1"
    elif start.endswith(" HTTP/1.0"):
        version = "HTTP/1.0"
    else:
        return None
    end = len(start) - 9
    space = start.find(" ", 0, end)
    if space <= 0:
        return None
    method = start[:space]
    target = start[space + 1 : end]
    if not target or method.strip(_TOKEN_CHARS):
        return None
    for blank in _TARGET_BLANKS:
        if blank in target:
            return None
    return MessageHead(True, version, method=method, target=target)


def _response_head(start: str) -> MessageHead | None:
    """A status line `HTTP/1.x SP 3DIGIT [SP-or-HTAB reason]`, None when it is not one."""
    version = start[:8]
    if version not in _VERSIONS or start[8:9] != " ":
        return None
    code = start[9:12]
    if len(code) != 3 or not code.isdigit() or not code.isascii():
        return None
    reason = ""
    if len(start) > 12:
        if start[12] not in " \t":
            return None
        reason = start[13:]
    return MessageHead(False, version, status=int(code), reason=reason)


def parse_head(block: bytes, is_request: bool) -> MessageHead | HeadError:
    """Parse a header section (without the final empty line)."""
    return parse_head_text(block.decode("latin-1"), is_request)


def parse_head_text(text: str, is_request: bool) -> MessageHead | HeadError:
    """`parse_head` of a header section decoded as Latin-1 (header bytes map 1:1 to
    characters)."""
    line_end = text.find("\n")
    start = text if line_end < 0 else text[:line_end]
    if start.endswith("\r"):
        start = start[:-1]
    head = _request_head(start) if is_request else _response_head(start)
    if head is None:
        return HeadError.BAD_START_LINE
    if line_end < 0:
        return head
    if not _clean_fields(text[line_end + 1 :], head):  # folding, junk lines: the careful path
        block = text.encode("latin-1")
        lines = [line[:-1] if line.endswith(b"\r") else line for line in block.split(b"\n")]
        parse_header_lines(lines[1:], head)
    return head


def content_length(head: MessageHead) -> int | None:
    """The Content-Length, or None when absent. Raises ValueError when invalid."""
    values = head.content_length_values
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
    m = _METHOD_START.match(data, 0, 32)
    return m is not None and m.group(1).isupper()


def looks_like_response_start(data: bytes) -> bool:
    return data.startswith(b"HTTP/1.")


def find_blank_line(buf: bytes | bytearray) -> tuple[int, int]:
    """(end of the header block, length of the blank-line separator) or (-1, 0).

    The first blank line ends the block, CRLF or bare LF (lenient peers): "\r\n\r\n" ends it
    at its CR, "\n\r\n" and "\n\n" at their first LF (after "\r\n\n" the CR stays in the
    block). The search stops at the first one: a parser's buffer may hold much more.
    """
    m = _BLANK_LINE.search(buf)
    if m is None:
        return -1, 0
    start, end = m.span()
    if end - start == 3 and start and buf[start - 1] == 13:
        return start - 1, 4
    return start, end - start


def blank_line(text: str) -> tuple[int, int]:
    """`find_blank_line` in one segment decoded as Latin-1 (a character per byte): searches
    that stop at the usual CRLF blank line and build no call arguments (compiled)."""
    end = text.find("\r\n\r\n")
    # a bare-LF blank line before it comes first (its "\n\r\n" at end + 1 is not looked at)
    limit = end + 3 if end >= 0 else len(text)
    lf = text.find("\n\n", 0, limit)
    crlf = text.find("\n\r\n", 0, limit)
    if lf < 0 and crlf < 0:
        return (end, 4) if end >= 0 else (-1, 0)
    if crlf < 0 or 0 <= lf < crlf:
        return lf, 2
    if crlf and text[crlf - 1] == "\r":
        return crlf - 1, 4
    return crlf, 3


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
