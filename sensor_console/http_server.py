"""The console's HTTP plumbing: a threaded stdlib server, requests with bounded bodies, typed
responses and a method+path router with `{name}` parameters. No route logic lives here.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import CookieError, SimpleCookie
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from sensor_core.logs import get_logger

log = get_logger("sensor_console.http")

JSON = "application/json; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
HTML = "text/html; charset=utf-8"
MAX_BODY = 1024 * 1024
# A refused body up to this size is read and thrown away, so the client, which is
# still sending it, gets to read the 413 instead of a reset connection.
DISCARD_LIMIT = 16 * MAX_BODY
DISCARD_TIMEOUT_S = 5.0
PAGE_POLICY = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
    " form-action 'self'; frame-ancestors 'none'"
)


@dataclass
class Request:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: bytes
    params: dict[str, str] = field(default_factory=dict)

    def cookie(self, name: str) -> str:
        try:
            jar = SimpleCookie(self.headers.get("cookie", ""))
        except CookieError:
            return ""
        morsel = jar.get(name)
        return morsel.value if morsel is not None else ""

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"null")
        except (ValueError, UnicodeDecodeError):
            raise HttpError(400, "the body is not valid JSON") from None

    def form(self) -> dict[str, str]:
        parsed = parse_qs(self.body.decode("utf-8", "replace"), max_num_fields=32)
        return {k: v[-1] for k, v in parsed.items()}


@dataclass
class Response:
    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


class HttpError(Exception):
    """Answered as {"error": message} with its status; messages never echo input values."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def json_response(payload: Any, status: int = 200) -> Response:
    text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
    return Response(status, JSON, text.encode())


def redirect(location: str, headers: dict[str, str] | None = None) -> Response:
    return Response(303, TEXT, b"see other\n", {"Location": location, **(headers or {})})


Handler = Callable[[Request], Response]


class Router:
    def __init__(self) -> None:
        self._routes: list[tuple[str, re.Pattern[str], str, Handler]] = []

    def add(self, method: str, template: str, handler: Handler) -> None:
        pattern = re.sub(r"\{(\w+)\}", r"(?P<\1>[^/]+)", template)
        self._routes.append((method, re.compile(f"^{pattern}$"), template, handler))

    def match(self, method: str, path: str) -> tuple[str, Handler, dict[str, str]]:
        """(route template for metrics, handler, path parameters); HttpError 404/405."""
        allowed = False
        for route_method, pattern, template, handler in self._routes:
            found = pattern.match(path)
            if found is None:
                continue
            if route_method == method or (method == "HEAD" and route_method == "GET"):
                return template, handler, found.groupdict()
            allowed = True
        if allowed:
            raise HttpError(405, "method not allowed")
        raise HttpError(404, "not found")


class HttpServer:
    """Serves `dispatch` on a ThreadingHTTPServer in a background thread."""

    def __init__(self, host: str, port: int, dispatch: Callable[[Request], Response]) -> None:
        handler = type("BoundHandler", (_Handler,), {"dispatch": staticmethod(dispatch)})
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return int(self._httpd.server_address[1])

    def start(self) -> None:
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.2},
            name="console-http",
            daemon=True,
        )
        self._thread.start()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()


class _Handler(BaseHTTPRequestHandler):
    dispatch: Callable[[Request], Response]
    server_version = "dsensor-console"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    timeout = 30

    def _serve(self) -> None:
        length_text = self.headers.get("Content-Length", "0") or "0"
        try:
            length = int(length_text)
        except ValueError:
            length = -1
        if length < 0 or length > MAX_BODY or self.headers.get("Transfer-Encoding"):
            self._discard_refused_body(length)
            self._send(Response(413, JSON, b'{"error": "body too large or not sized"}'), True)
            return
        body = self.rfile.read(length) if length else b""
        split = urlsplit(self.path)
        query = {k: v[-1] for k, v in parse_qs(split.query, max_num_fields=64).items()}
        headers = {k.lower(): v for k, v in self.headers.items()}
        request = Request(self.command, split.path, query, headers, body)
        self._send(type(self).dispatch(request), False)

    def _discard_refused_body(self, length: int) -> None:
        """Reads and drops a sized body of at most DISCARD_LIMIT; others are not read."""
        if not 0 < length <= DISCARD_LIMIT or self.headers.get("Transfer-Encoding"):
            return
        self.connection.settimeout(DISCARD_TIMEOUT_S)
        try:
            while length > 0:
                chunk = self.rfile.read(min(length, 65536))
                if not chunk:
                    return
                length -= len(chunk)
        except OSError:
            return

    def _send(self, response: Response, close: bool) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if response.content_type == HTML:
            self.send_header("Content-Security-Policy", PAGE_POLICY)
            self.send_header("X-Frame-Options", "DENY")
        for key, value in response.headers.items():
            self.send_header(key, value)
        if close:
            self.send_header("Connection", "close")
            self.close_connection = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(response.body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _serve  # noqa: N815 - stdlib names

    def log_message(self, format: str, *args: Any) -> None:
        """Requests are counted in metrics, not logged (URLs could carry anything)."""
