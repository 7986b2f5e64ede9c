"""The fields of one HTTP message as the detector sees them: body, headers, cookies, query, path.

Paths follow CONTRACTS.md: `$.a.b` in a JSON body, `$.email` for form fields, `header.<name>`,
`cookie.<name>`, `query.<name>`, `path[<i>]` (0-based segment index).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from http.cookies import CookieError, SimpleCookie
from urllib.parse import parse_qsl

from dsensor.v1 import pair_pb2

from detection_tool.errors import DetectionInputError
from detection_tool.parsing import check_depth
from sensor_core.http_semantics import FORM_TYPE, is_json_type
from sensor_dim.digger.endpoints import path_segments, split_request_target

MAX_JSON_DEPTH = 64
MAX_BODY_BYTES = 4 * 1024 * 1024  # above the interceptor's message cap

# headers that carry protocol mechanics, never data about a person
_PLAIN_HEADERS = frozenset(
    {
        "accept", "accept-encoding", "accept-language", "cache-control", "connection",
        "content-encoding", "content-length", "content-type", "date", "expect", "host",
        "keep-alive", "pragma", "server", "te", "trailer", "transfer-encoding", "upgrade",
        "vary", "via", "etag", "last-modified", "if-none-match", "if-modified-since",
        "user-agent", "traceparent", "tracestate",
    }
)  # fmt: skip


class BodyError(Exception):
    """A body that cannot be read as its content type says. `code` is safe to report."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _reject_constant(name: str) -> object:
    raise ValueError("non-standard constant")


# one decoder for every body (json.loads with options builds a new one per call)
_DECODER = json.JSONDecoder(parse_constant=_reject_constant)


def _parse_json(body: bytes) -> object:
    """detection_tool.parsing.parse_json's checks and codes, with the shared decoder."""
    if len(body) > MAX_BODY_BYTES:
        raise BodyError("too_large")
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise BodyError("invalid_utf8") from None
    try:
        check_depth(text, MAX_JSON_DEPTH)
    except DetectionInputError as exc:
        raise BodyError(exc.code) from None
    try:
        return _DECODER.decode(text)
    except (ValueError, RecursionError):
        raise BodyError("invalid_json") from None


def parse_body(message: pair_pb2.HttpMessage) -> object | None:
    """The parsed body (JSON value or form dict), None when empty or of another type."""
    body = message.body
    if not body:
        return None
    ctype = message.content_type
    if is_json_type(ctype):
        return _parse_json(body)
    if ctype == FORM_TYPE:
        try:
            text = body.decode("utf-8")
        except UnicodeDecodeError:
            raise BodyError("invalid_utf8") from None
        form: dict[str, object] = {}
        for key, value in parse_qsl(text, keep_blank_values=True):
            previous = form.get(key)
            if previous is None:
                form[key] = value
            elif isinstance(previous, list):
                previous.append(value)
            else:
                form[key] = [previous, value]
        return form
    return None


def header_fields(message: pair_pb2.HttpMessage) -> Iterator[tuple[str, str, object]]:
    for header in message.headers:
        name = header.name.strip().lower()
        if name in _PLAIN_HEADERS:
            continue
        if name in ("cookie", "set-cookie"):
            yield from cookie_fields(header.value)
            continue
        yield f"header.{name}", name, header.value


def cookie_fields(value: str) -> Iterator[tuple[str, str, object]]:
    jar: SimpleCookie = SimpleCookie()
    try:
        jar.load(value)
    except CookieError:
        return
    for name, morsel in jar.items():
        yield f"cookie.{name}", name, morsel.value


def target_fields(target: str) -> Iterator[tuple[str, str, object]]:
    """Query parameters and path segments of a request-target."""
    return place_fields(*split_request_target(target))


def query_pairs(query: str) -> list[tuple[str, str]]:
    """`parse_qsl(query)` (blank values dropped), without its unquoting work when the query
    has nothing to unquote (no `%`, no `+`): the common case costs a split."""
    if not query:
        return []
    if "%" in query or "+" in query:
        return parse_qsl(query, keep_blank_values=False)
    out = []
    for part in query.split("&"):
        name, eq, value = part.partition("=")
        if eq and value:
            out.append((name, value))
    return out


def place_fields(path: str, query: str) -> Iterator[tuple[str, str, object]]:
    """Query parameters and path segments of a split request-target."""
    for key, value in query_pairs(query):
        yield f"query.{key}", key, value
    segments = path_segments(path)
    for index, segment in enumerate(segments):
        # the segment before names this one (`/users/{x}` -> key "users")
        key = segments[index - 1] if index else ""
        yield f"path[{index}]", key, segment
