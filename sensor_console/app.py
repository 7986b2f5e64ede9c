"""The console's HTTP application: who may call what, login and logout, then the routes.

- `/healthz`, `/readyz`, `/metrics`, `/login`: open.
- `/api/v1/registry`: a sensor token (`Authorization: Bearer <sensor token>`).
- everything else: a user session (cookie `dsensor_session`) or an API token
  (`Authorization: Bearer dsc_...`); pages redirect to /login, the API answers 401.
- POST, PUT, DELETE need the admin role; with a session cookie also a same-origin request.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable
from html import escape
from urllib.parse import quote, urlsplit

from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from sensor_console import api, auth, field_pages, pages
from sensor_console.auth import Principal
from sensor_console.db import DatabaseErrors
from sensor_console.http_server import (
    HTML,
    TEXT,
    HttpError,
    Request,
    Response,
    Router,
    json_response,
    redirect,
)
from sensor_console.login_pages import error_page, login_page
from sensor_console.metrics import ConsoleMetrics
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import Store
from sensor_core.logs import get_logger

log = get_logger("sensor_console.app")
ROUTE_FAILURES: tuple[type[Exception], ...] = (ValueError, *DatabaseErrors)

SESSION_COOKIE = "dsensor_session"
OPEN = {"/healthz", "/readyz", "/metrics", "/login", "/logout"}


class ConsoleApp:
    def __init__(
        self,
        store: Store,
        settings: ConsoleSettings,
        metrics: ConsoleMetrics,
        ready: Callable[[], bool],
    ) -> None:
        self.store = store
        self.settings = settings
        self.metrics = metrics
        self.ready = ready
        self._sensor_tokens = [t.token.get_secret_value().encode() for t in settings.sensortokens]
        self.router = Router()
        self.router.add("GET", "/healthz", lambda r: Response(200, TEXT, b"ok\n"))
        self.router.add("GET", "/readyz", self._readyz)
        self.router.add(
            "GET",
            "/metrics",
            lambda r: Response(200, CONTENT_TYPE_LATEST, generate_latest(metrics.registry)),
        )
        self.router.add("GET", "/login", self._login_page)
        self.router.add("POST", "/login", self._login)
        self.router.add("POST", "/logout", self._logout)
        api.register(self.router, store, settings)
        pages.register(self.router, store)
        field_pages.register(self.router, store)

    def _readyz(self, request: Request) -> Response:
        if self.ready() and self.store.ping():
            return Response(200, TEXT, b"ready\n")
        return Response(503, TEXT, b"not ready\n")

    def _login_page(self, request: Request, failed: bool = False) -> Response:
        target = request.query.get("next", "/")
        return Response(200 if not failed else 401, HTML, login_page(target, failed).encode())

    def _login(self, request: Request) -> Response:
        form = request.form()
        username, password = form.get("username", ""), form.get("password", "")
        session = self.store.write(
            lambda c: auth.login(c, username, password, self.settings.auth.sessionttl)
        )
        if session is None:
            self.metrics.logins.labels("failed").inc()
            log.warning("login_failed")
            return self._login_page(request, failed=True)
        self.metrics.logins.labels("ok").inc()
        log.info("login", user=username)
        target = form.get("next", "/")
        if not target.startswith("/") or target.startswith("//"):
            target = "/"
        flags = "; Secure" if self.settings.auth.securecookies else ""
        cookie = (
            f"{SESSION_COOKIE}={session}; Path=/; HttpOnly; SameSite=Strict"
            f"; Max-Age={int(self.settings.auth.sessionttl)}{flags}"
        )
        return redirect(target, {"Set-Cookie": cookie})

    def _logout(self, request: Request) -> Response:
        session = request.cookie(SESSION_COOKIE)
        if session:
            self.store.write(lambda c: auth.logout(c, session))
        return redirect("/login", {"Set-Cookie": f"{SESSION_COOKIE}=; Path=/; Max-Age=0"})

    def _principal(self, request: Request) -> Principal | None:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() == "bearer" and token.strip():
            return self.store.read(lambda c: auth.token_principal(c, token.strip()))
        session = request.cookie(SESSION_COOKIE)
        if session:
            return self.store.read(lambda c: auth.session_principal(c, session))
        return None

    def _is_sensor(self, request: Request) -> bool:
        scheme, _, token = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            return False
        presented = token.strip().encode()
        found = False
        for secret in self._sensor_tokens:
            found |= hmac.compare_digest(secret, presented)
        return found

    def dispatch(self, request: Request) -> Response:
        route = "other"
        try:
            route, handler, params = self.router.match(request.method, request.path)
            request.params = params
            if route == "/api/v1/registry":
                if not self._is_sensor(request):
                    raise HttpError(401, "a sensor token is required")
            elif route not in OPEN:
                principal = self._principal(request)
                if principal is None:
                    if route.startswith("/api/"):
                        raise HttpError(401, "login required: a session or an API token")
                    return redirect("/login?next=" + quote(request.path, safe="/"))
                self._check_write(request, principal)
                request.headers["x-dsensor-user"] = principal.name
                request.headers["x-dsensor-role"] = principal.role
            response = handler(request)
        except HttpError as err:
            response = self._error(request, err)
        except ROUTE_FAILURES as exc:
            log.error("http_route_failed", route=route, error=type(exc).__name__)
            response = self._error(request, HttpError(500, "internal error"))
        self.metrics.http_requests.labels(route, str(response.status)).inc()
        return response

    def _check_write(self, request: Request, principal: Principal) -> None:
        if request.method in ("GET", "HEAD"):
            return
        if principal.via == "session":
            origin = request.headers.get("origin", "")
            host = request.headers.get("host", "")
            if origin and urlsplit(origin).netloc != host:
                raise HttpError(403, "cross-origin request refused")
        if not principal.is_admin:
            raise HttpError(403, "this needs the admin role")

    def _error(self, request: Request, err: HttpError) -> Response:
        if request.path.startswith("/api/") or request.method != "GET":
            return json_response({"error": err.message}, err.status)
        body = error_page(err.status, escape(err.message))
        return Response(err.status, HTML, body.encode())
