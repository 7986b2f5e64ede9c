"""The sample services: one stdlib HTTP/1.1 JSON server per process, calling its peers.

    python -m examples.services.app users    --listen 10.199.7.2:8080 --canaries c.json
    python -m examples.services.app orders   --listen ... --peer users=IP:PORT \
        --peer payments=IP:PORT
    python -m examples.services.app payments --listen ... --peer paygate=IP:PORT
    python -m examples.services.app paygate  --listen ...

users:    POST /login, GET /users/{id}, GET /users/{id}/health (profile, credentials, health)
orders:   POST /orders -> users GET /users/{id} and payments POST /payments
payments: POST /payments -> paygate POST /v1/charges (card data, a live gateway key)
paygate:  POST /v1/charges (plays an external payment API, Host api.paygate.example)
Runs until SIGTERM/SIGINT. Nothing is logged: the values are what the sensor must not leak.
"""

from __future__ import annotations

import argparse
import http.client
import json
import re
import secrets
import signal
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from examples.services.fakedata import Canaries

PAYGATE_HOST = "api.paygate.example"
Json = dict[str, Any]
Route = Callable[["ServiceState", re.Match[str], Json], tuple[int, Json]]


class ServiceState:
    """What a handler needs: the canaries and one keep-alive connection per peer and thread."""

    def __init__(self, name: str, canaries: Canaries, peers: dict[str, tuple[str, int]]) -> None:
        self.name, self.canaries, self.peers = name, canaries, peers
        self._local = threading.local()

    def call(
        self, peer: str, method: str, path: str, body: Json | None = None, **headers: str
    ) -> Json:
        host, port = self.peers[peer]
        conns: dict[str, http.client.HTTPConnection] = self._local.__dict__.setdefault("c", {})
        payload = json.dumps(body).encode() if body is not None else None
        all_headers = {"Accept": "application/json", **headers}
        if payload is not None:
            all_headers["Content-Type"] = "application/json"
        for attempt in range(2):  # a kept-alive connection the peer closed is reopened once
            conn = conns.get(peer) or http.client.HTTPConnection(host, port, timeout=10)
            conns[peer] = conn
            try:
                conn.request(method, path, payload, all_headers)
                response = conn.getresponse()
                data = response.read()
            except (ConnectionError, http.client.HTTPException, OSError):
                conn.close()
                del conns[peer]
                if attempt:
                    raise
                continue
            result: Json = json.loads(data) if data else {}
            return result
        raise RuntimeError("unreachable")


def _profile(s: ServiceState, m: re.Match[str], _body: Json) -> tuple[int, Json]:
    c = s.canaries
    return 200, {
        "id": int(m["id"]),
        "first_name": c.first_name,
        "last_name": c.last_name,
        "email": c.email,
        "phone": c.phone,
        "date_of_birth": c.date_of_birth,
        "address": {"street": c.street, "postal_code": c.postal_code, "city": "Springfield"},
    }


def _health(s: ServiceState, m: re.Match[str], _body: Json) -> tuple[int, Json]:
    c = s.canaries
    return 200, {
        "patient_id": int(m["id"]),
        "medical_record_number": c.medical_record,
        "ssn": c.ssn,
        "conditions": [{"icd10_code": "I10", "diagnosis": "Essential hypertension"}],
        "medications": ["lisinopril 10mg", "metformin 500mg"],
        "notes": c.diagnosis_note,
    }


def _login(s: ServiceState, _m: re.Match[str], body: Json) -> tuple[int, Json]:
    if body.get("password") != s.canaries.password:
        return 401, {"error": "invalid credentials"}
    return 200, {"access_token": s.canaries.jwt, "token_type": "Bearer", "expires_in": 3600}


def _order(s: ServiceState, _m: re.Match[str], body: Json) -> tuple[int, Json]:
    user_id = int(body.get("user_id", 1))
    profile = s.call("users", "GET", f"/users/{user_id}")
    c = s.canaries
    payment = s.call(
        "payments",
        "POST",
        "/payments",
        {
            "order_ref": secrets.token_hex(6),
            "amount": body.get("total", 42.5),
            "currency": "USD",
            "cardholder_name": c.cardholder,
            "card_number": c.card_number,
            "card_cvv": c.card_cvv,
            "card_expiry": "09/29",
            "billing_email": profile.get("email"),
        },
    )
    return 201, {
        "order_id": secrets.randbelow(10**6),
        "status": "confirmed" if payment.get("status") == "succeeded" else "pending",
        "shipping_address": profile.get("address"),
        "contact_phone": profile.get("phone"),
    }


def _payment(s: ServiceState, _m: re.Match[str], body: Json) -> tuple[int, Json]:
    charge = s.call(
        "paygate",
        "POST",
        "/v1/charges",
        {
            "amount": int(float(body.get("amount", 0)) * 100),
            "currency": body.get("currency", "USD"),
            "card": {
                "number": body.get("card_number"),
                "cvc": body.get("card_cvv"),
                "exp": body.get("card_expiry"),
                "name": body.get("cardholder_name"),
            },
            "payout_iban": s.canaries.iban,
        },
        Host=PAYGATE_HOST,
        Authorization=f"Bearer {s.canaries.gateway_key}",
    )
    return 201, {"payment_id": secrets.token_hex(8), "status": charge.get("status", "failed")}


def _charge(_s: ServiceState, _m: re.Match[str], body: Json) -> tuple[int, Json]:
    card = body.get("card") or {}
    last4 = str(card.get("number", ""))[-4:]
    return 200, {"id": "ch_" + secrets.token_hex(8), "status": "succeeded", "last4": last4}


ROUTES: dict[str, list[tuple[str, re.Pattern[str], Route]]] = {
    "users": [
        ("POST", re.compile(r"/login"), _login),
        ("GET", re.compile(r"/users/(?P<id>\d+)"), _profile),
        ("GET", re.compile(r"/users/(?P<id>\d+)/health"), _health),
    ],
    "orders": [("POST", re.compile(r"/orders"), _order)],
    "payments": [("POST", re.compile(r"/payments"), _payment)],
    "paygate": [("POST", re.compile(r"/v1/charges"), _charge)],
}


class ServiceHandler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    state: ServiceState  # set on the bound subclass

    def _handle(self, method: str) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = {}
        path = self.path.split("?", 1)[0]
        status, out = 404, {"error": "not found"}
        for route_method, pattern, route in ROUTES[self.state.name]:
            match = pattern.fullmatch(path)
            if match and route_method == method:
                try:
                    status, out = route(self.state, match, body if isinstance(body, dict) else {})
                except (OSError, http.client.HTTPException, ValueError):
                    status, out = 502, {"error": "upstream unavailable"}
                break
        data = json.dumps(out).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: request lines carry ids, and a sample service has nothing to report."""


def _address(text: str) -> tuple[str, int]:
    host, _, port = text.rpartition(":")
    return host, int(port)


def serve(name: str, listen: tuple[str, int], canaries: Canaries, peers: dict[str, str]) -> None:
    state = ServiceState(name, canaries, {k: _address(v) for k, v in peers.items()})
    handler = type(f"{name.capitalize()}Handler", (ServiceHandler,), {"state": state})
    server = ThreadingHTTPServer(listen, handler)
    server.daemon_threads = True

    def stop(_signum: int, _frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        server.serve_forever(poll_interval=0.2)
    finally:
        server.server_close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run one sample service.")
    parser.add_argument("name", choices=sorted(ROUTES))
    parser.add_argument("--listen", required=True, help="IP:PORT")
    parser.add_argument("--canaries", type=Path, required=True)
    parser.add_argument("--peer", action="append", default=[], help="NAME=IP:PORT")
    args = parser.parse_args(argv)
    peers = dict(p.split("=", 1) for p in args.peer)
    serve(args.name, _address(args.listen), Canaries.load(args.canaries), peers)


if __name__ == "__main__":
    main()
