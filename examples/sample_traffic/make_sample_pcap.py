"""Build the edge-case capture: deterministic TCP conversations of JSON APIs between pods.

Component tests (interceptor, digger, crawler) replay it for its TCP and HTTP edge cases
(retransmission, reordering, chunked and gzip bodies, unselected pairs). `dsensor demo` replays
the recording of the sample services instead (record_services.py, services.pcap).

Everything personal in it is fake: names, e-mails, phone numbers, addresses, card numbers
(Luhn-valid test numbers), IBAN, SSN-like numbers, passwords and tokens are made up.
External hosts use documentation address ranges (RFC 5737).

    python examples/sample_traffic/make_sample_pcap.py [--output FILE] [--canary email=...]

`build_demo_capture(path, canaries)` does the same from Python; `CANARY_FIELDS` says where each
canary lands and `expected_pairs()` is the ground truth the tests assert against.
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

SEED = 20240501
BASE_TS = 1_714_557_600.0  # 2024-05-01T10:00:00Z
MSS = 1460
# shipped as package data of sensor_core (bundled_capture())
OUTPUT = Path(__file__).resolve().parents[2] / "sensor_core" / "demo_data" / "demo.pcap"

PODS = {
    "frontend": "10.244.1.10",
    "users": "10.244.2.20",
    "payments": "10.244.3.30",
    "orders": "10.244.4.40",
    "kyc": "10.244.5.50",
    "web": "10.244.6.60",
    "kubelet": "10.244.2.1",
    "stripe-like": "203.0.113.10",
}

# canary key -> (pair index in expected_pairs(), "request"/"response", field path)
CANARY_FIELDS: dict[str, tuple[int, str, str]] = {
    "person_name": (0, "request", "$.name"),
    "email": (0, "request", "$.email"),
    "phone_number": (0, "request", "$.phone"),
    "password": (0, "request", "$.password"),
    "bearer_token": (2, "request", "header.authorization"),
    "credit_card_number": (2, "request", "$.card.number"),
    "iban": (3, "request", "$.iban"),
    "us_ssn": (7, "request", "$.ssn"),
}
DEFAULT_CANARIES = {
    "person_name": "Marguerite Okonkwo-Lindqvist",
    "email": "marguerite.okonkwo@example.org",
    "phone_number": "+1-202-555-0147",
    "password": "Tr0ub4dor&3-horse",
    "bearer_token": "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJmcm9udGVuZCJ9.c2lnbmF0dXJlLWRlbW8",
    "credit_card_number": "4111111111111111",
    "iban": "DE89370400440532013000",
    "us_ssn": "536-22-8174",
}


@dataclass(frozen=True)
class ExpectedPair:
    """One request/response of the capture and the sensitive types its fields carry."""

    client: str
    server: str
    dst: str  # "ip:port"
    method: str
    target: str
    status: int
    request_content_type: str
    response_content_type: str
    request_types: dict[str, str] = field(default_factory=dict)
    response_types: dict[str, str] = field(default_factory=dict)
    selected: bool = True


def luhn_complete(prefix: str, length: int, rng: random.Random) -> str:
    """A card number of `length` digits starting with `prefix`, with a valid Luhn digit."""
    digits = prefix + "".join(str(rng.randrange(10)) for _ in range(length - len(prefix) - 1))
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return digits + str((10 - total % 10) % 10)


@dataclass
class Exchange:
    method: str
    target: str
    req_headers: list[tuple[str, str]]
    req_body: bytes
    status: int
    reason: str
    resp_headers: list[tuple[str, str]]
    resp_body: bytes
    chunked: bool = False
    gzip: bool = False


@dataclass
class Conversation:
    client: str
    client_port: int
    server: str
    server_port: int
    exchanges: list[Exchange]
    out_of_order: bool = False  # swap two response segments of the first exchange
    retransmit: bool = False  # send the first request segment twice


def _json(obj: Any) -> bytes:
    return json.dumps(obj).encode()


def _uuid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def _person(rng: random.Random) -> dict[str, Any]:
    first = rng.choice(["Alice", "Bruno", "Chen", "Dalia", "Emeka", "Fatima", "Goran", "Hana"])
    last = rng.choice(["Moreau", "Tanaka", "Okafor", "Novak", "Silva", "Haddad", "Berg", "Khan"])
    return {
        "name": f"{first} {last}",
        "email": f"{first.lower()}.{last.lower()}@example.com",
        "phone": f"+1-415-555-{rng.randrange(100, 200):04d}",
        "address": {
            "street": f"{rng.randrange(1, 999)} {rng.choice(['Oak', 'Elm', 'Pine'])} Street",
            "city": rng.choice(["Springfield", "Riverton", "Lakeside"]),
            "postal_code": f"{rng.randrange(10000, 99999)}",
            "country": "US",
        },
    }


def _conversations(c: dict[str, str], rng: random.Random) -> list[Conversation]:
    json_h = [("Content-Type", "application/json")]
    user_id = _uuid(rng)
    signup = {
        "name": c["person_name"],
        "email": c["email"],
        "phone": c["phone_number"],
        "date_of_birth": "1987-03-14",
        "password": c["password"],
        "address": _person(rng)["address"],
        "marketing_opt_in": False,
    }
    created = {"id": user_id, "status": "active", "created_at": "2024-05-01T10:00:00Z"}
    profile = {"id": user_id, **{k: signup[k] for k in ("name", "email", "phone", "address")}}
    charge = {
        "amount": 4999,
        "currency": "usd",
        "card": {
            "number": c["credit_card_number"],
            "exp_month": 12,
            "exp_year": 2027,
            "cvc": "737",
            "name": c["person_name"],
        },
        "order_id": "ord_7Hq2Lx",
    }
    charge_resp = {
        "id": "ch_" + _uuid(rng)[:8],
        "status": "succeeded",
        "amount": 4999,
        "card": {"last4": c["credit_card_number"][-4:], "brand": "visa"},
        "created_at": "2024-05-01T10:00:01Z",
        "receipt": "x" * 40,
    }
    payout = (
        f"iban={c['iban']}&account_holder=Nadia+Petrova&amount=125000&currency=EUR"
        "&reference=payout-2024-05"
    ).encode()
    token_card = luhn_complete("4", 16, rng)
    tokens = {"card": {"number": token_card, "exp": "09/28", "cvv": "314"}, "billing": _person(rng)}
    orders: list[dict[str, Any]] = [
        {
            "order_id": f"ord_{1000 + i}",
            "sku": f"SKU-{rng.randrange(10**5):05d}",
            "quantity": rng.randrange(1, 4),
            "price": round(rng.uniform(5, 300), 2),
            "status": rng.choice(["paid", "shipped", "delivered"]),
            "created_at": f"2024-04-{10 + i:02d}T08:30:00Z",
            "customer": _person(rng),
        }
        for i in range(12)
    ]
    new_order = {
        "sku": "SKU-31337",
        "quantity": 1,
        "price": 49.99,
        "email": orders[0]["customer"]["email"],
        "shipping_address": orders[0]["customer"]["address"],
    }
    kyc = {
        "name": c["person_name"],
        "ssn": c["us_ssn"],
        "date_of_birth": "1987-03-14",
        "address": signup["address"],
    }
    auth = [("Authorization", "Bearer " + c["bearer_token"])]
    return [
        Conversation(
            "frontend",
            41000,
            "users",
            8080,
            [
                Exchange(
                    "POST",
                    "/api/v1/users",
                    json_h,
                    _json(signup),
                    201,
                    "Created",
                    json_h,
                    _json(created),
                ),
                Exchange(
                    "GET",
                    f"/api/v1/users/{user_id}",
                    [],
                    b"",
                    200,
                    "OK",
                    json_h,
                    _json(profile),
                    chunked=True,
                ),
            ],
            retransmit=True,
        ),
        Conversation(
            "frontend",
            41002,
            "payments",
            8443,
            [
                Exchange(
                    "POST",
                    "/v1/charges",
                    json_h + auth,
                    _json(charge),
                    200,
                    "OK",
                    json_h,
                    _json(charge_resp),
                    gzip=True,
                ),
            ],
        ),
        Conversation(
            "orders",
            52000,
            "payments",
            8443,
            [
                Exchange(
                    "POST",
                    "/v1/payouts",
                    [("Content-Type", "application/x-www-form-urlencoded")],
                    payout,
                    202,
                    "Accepted",
                    json_h,
                    _json({"payout_id": _uuid(rng), "status": "queued"}),
                ),
            ],
        ),
        Conversation(
            "payments",
            39000,
            "stripe-like",
            80,
            [
                Exchange(
                    "POST",
                    "/v1/tokens",
                    [*json_h, ("Host", "api.stripe-like.example")],
                    _json(tokens),
                    200,
                    "OK",
                    json_h,
                    _json({"token": "tok_" + _uuid(rng)[:12], "last4": token_card[-4:]}),
                ),
            ],
        ),
        Conversation(
            "frontend",
            41004,
            "orders",
            8080,
            [
                Exchange(
                    "GET",
                    "/api/v1/orders?customer_id=8812&limit=12",
                    [],
                    b"",
                    200,
                    "OK",
                    json_h,
                    _json({"orders": orders, "next": None}),
                ),
                Exchange(
                    "POST",
                    "/api/v1/orders",
                    json_h,
                    _json(new_order),
                    201,
                    "Created",
                    [("Content-Type", "application/json; charset=utf-8")],
                    _json({"order_id": "ord_2001", "status": "pending"}),
                ),
            ],
            out_of_order=True,
        ),
        Conversation(
            "orders",
            52002,
            "kyc",
            8080,
            [
                Exchange(
                    "POST",
                    "/api/v1/verify",
                    json_h,
                    _json(kyc),
                    200,
                    "OK",
                    json_h,
                    _json({"verified": True, "score": 0.93, "checked_at": "2024-05-01"}),
                ),
            ],
        ),
        Conversation(
            "kubelet",
            60000,
            "users",
            8080,
            [
                Exchange("GET", "/healthz", [], b"", 200, "OK", json_h, b'{"status":"ok"}'),
            ],
        ),
        Conversation(
            "frontend",
            41006,
            "web",
            80,
            [
                Exchange(
                    "GET",
                    "/index.html",
                    [],
                    b"",
                    200,
                    "OK",
                    [("Content-Type", "text/html; charset=utf-8")],
                    b"<!doctype html><html><body><h1>Shop</h1></body></html>",
                ),
            ],
        ),
    ]


def expected_pairs(selected_only: bool = False) -> list[ExpectedPair]:
    """The pairs in capture order with the sensitive types of their fields (ground truth)."""
    j, form, html = "application/json", "application/x-www-form-urlencoded", "text/html"
    pay, users, orders = "10.244.3.30:8443", "10.244.2.20:8080", "10.244.4.40:8080"
    pairs = [
        ExpectedPair(
            "frontend",
            "users",
            users,
            "POST",
            "/api/v1/users",
            201,
            j,
            j,
            {
                "$.name": "person_name",
                "$.email": "email",
                "$.phone": "phone_number",
                "$.date_of_birth": "date_of_birth",
                "$.password": "password",
                "$.address.street": "street_address",
                "$.address.postal_code": "postal_code",
            },
            {"$.id": "user_id"},
        ),
        ExpectedPair(
            "frontend",
            "users",
            users,
            "GET",
            "/api/v1/users/{id}",
            200,
            "",
            j,
            {},
            {
                "$.id": "user_id",
                "$.name": "person_name",
                "$.email": "email",
                "$.phone": "phone_number",
                "$.address.street": "street_address",
            },
        ),
        ExpectedPair(
            "frontend",
            "payments",
            pay,
            "POST",
            "/v1/charges",
            200,
            j,
            j,
            {
                "header.authorization": "bearer_token",
                "$.card.number": "credit_card_number",
                "$.card.cvc": "card_cvv",
                "$.card.name": "cardholder_name",
                "$.card.exp_month": "card_expiry",
                "$.card.exp_year": "card_expiry",
            },
            {"$.card.last4": "masked_card_number"},
        ),
        ExpectedPair(
            "orders",
            "payments",
            pay,
            "POST",
            "/v1/payouts",
            202,
            form,
            j,
            {"$.iban": "iban", "$.account_holder": "person_name"},
            {},
        ),
        ExpectedPair(
            "payments",
            "stripe-like",
            "203.0.113.10:80",
            "POST",
            "/v1/tokens",
            200,
            j,
            j,
            {
                "$.card.number": "credit_card_number",
                "$.card.cvv": "card_cvv",
                "$.card.exp": "card_expiry",
                "$.billing.name": "person_name",
                "$.billing.email": "email",
                "$.billing.phone": "phone_number",
            },
            {},
        ),
        ExpectedPair(
            "frontend",
            "orders",
            orders,
            "GET",
            "/api/v1/orders",
            200,
            "",
            j,
            {},
            {
                "$.orders[*].customer.name": "person_name",
                "$.orders[*].customer.email": "email",
                "$.orders[*].customer.phone": "phone_number",
            },
        ),
        ExpectedPair(
            "frontend",
            "orders",
            orders,
            "POST",
            "/api/v1/orders",
            201,
            j,
            j,
            {"$.email": "email", "$.shipping_address.street": "street_address"},
            {},
        ),
        ExpectedPair(
            "orders",
            "kyc",
            "10.244.5.50:8080",
            "POST",
            "/api/v1/verify",
            200,
            j,
            j,
            {"$.ssn": "us_ssn", "$.name": "person_name", "$.date_of_birth": "date_of_birth"},
            {},
        ),
        ExpectedPair("kubelet", "users", users, "GET", "/healthz", 200, "", j, selected=False),
        ExpectedPair(
            "frontend", "web", "10.244.6.60:80", "GET", "/index.html", 200, "", html, selected=False
        ),
    ]
    return [p for p in pairs if p.selected or not selected_only]


def _mac(ip: str) -> str:
    parts = [int(x) for x in ip.split(".")]
    return "02:42:" + ":".join(f"{p:02x}" for p in parts)


class _Writer:
    """Emits the packets of TCP conversations with fixed timestamps."""

    def __init__(self, rng: random.Random) -> None:
        from scapy.layers.l2 import Ether

        self.rng = rng
        self.packets: list[Ether] = []
        self.ip_ids: dict[str, int] = {}

    def packet(
        self,
        ts: float,
        src: tuple[str, int],
        dst: tuple[str, int],
        seq: int,
        ack: int,
        flags: str,
        payload: bytes = b"",
    ) -> None:
        from scapy.layers.inet import IP, TCP
        from scapy.layers.l2 import Ether
        from scapy.packet import Raw

        ip_id = self.ip_ids.get(src[0], 1000 + len(self.ip_ids) * 977)
        self.ip_ids[src[0]] = (ip_id + 1) & 0xFFFF
        options = [("MSS", MSS)] if "S" in flags else []
        pkt = (
            Ether(src=_mac(src[0]), dst=_mac(dst[0]))
            / IP(src=src[0], dst=dst[0], id=ip_id, ttl=64, flags="DF")
            / TCP(
                sport=src[1],
                dport=dst[1],
                seq=seq & 0xFFFFFFFF,
                ack=ack & 0xFFFFFFFF,
                flags=flags,
                window=64240,
                options=options,
            )
        )
        if payload:
            pkt = pkt / Raw(load=payload)
        pkt.time = round(ts, 6)
        self.packets.append(pkt)

    def conversation(self, conv: Conversation, start: float) -> None:
        cli = (PODS[conv.client], conv.client_port)
        srv = (PODS[conv.server], conv.server_port)
        ts = start
        c_seq, s_seq = self.rng.getrandbits(32), self.rng.getrandbits(32)

        def step() -> float:
            nonlocal ts
            ts += 0.0002 + self.rng.random() * 0.0003
            return ts

        self.packet(step(), cli, srv, c_seq, 0, "S")
        self.packet(step(), srv, cli, s_seq, c_seq + 1, "SA")
        c_seq, s_seq = c_seq + 1, s_seq + 1
        self.packet(step(), cli, srv, c_seq, s_seq, "A")
        for n, ex in enumerate(conv.exchanges):
            request, response = _render(ex, srv)
            for i, seg in enumerate(_segments(request)):
                self.packet(step(), cli, srv, c_seq, s_seq, "PA", seg)
                if conv.retransmit and n == 0 and i == 0:
                    self.packet(step() + 0.2, cli, srv, c_seq, s_seq, "PA", seg)  # after RTO
                    ts += 0.2
                c_seq += len(seg)
            self.packet(step(), srv, cli, s_seq, c_seq, "A")
            segs = _segments(response)
            order = list(range(len(segs)))
            if conv.out_of_order and n == 0 and len(segs) >= 3:
                order[1], order[2] = order[2], order[1]
            offsets = [sum(len(s) for s in segs[:i]) for i in range(len(segs))]
            for i in order:
                self.packet(step(), srv, cli, s_seq + offsets[i], c_seq, "PA", segs[i])
            s_seq += len(response)
            self.packet(step(), cli, srv, c_seq, s_seq, "A")
        self.packet(step(), cli, srv, c_seq, s_seq, "FA")
        self.packet(step(), srv, cli, s_seq, c_seq + 1, "FA")
        self.packet(step(), cli, srv, c_seq + 1, s_seq + 1, "A")


def _segments(data: bytes) -> list[bytes]:
    return [data[i : i + MSS] for i in range(0, len(data), MSS)]


def _render(ex: Exchange, srv: tuple[str, int]) -> tuple[bytes, bytes]:
    """The request and response bytes of one exchange."""
    req_headers = list(ex.req_headers)
    if not any(n.lower() == "host" for n, _ in req_headers):
        req_headers.insert(0, ("Host", f"{srv[0]}:{srv[1]}"))
    req_headers += [("User-Agent", "demo-client/1.4"), ("Accept", "application/json")]
    if ex.req_body:
        req_headers.append(("Content-Length", str(len(ex.req_body))))
    head = f"{ex.method} {ex.target} HTTP/1.1\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in req_headers) + "\r\n"
    request = head.encode() + ex.req_body

    resp_headers = [*ex.resp_headers, ("Date", "Wed, 01 May 2024 10:00:00 GMT")]
    body = ex.resp_body
    if ex.gzip:
        body = gzip.compress(body, mtime=0)
        resp_headers.append(("Content-Encoding", "gzip"))
    if ex.chunked:
        resp_headers.append(("Transfer-Encoding", "chunked"))
        cut = len(body) // 2
        wire = b""
        for part in (body[:cut], body[cut:]):
            wire += f"{len(part):x}\r\n".encode() + part + b"\r\n"
        body = wire + b"0\r\nX-Served-By: users-7d9f\r\n\r\n"
    else:
        resp_headers.append(("Content-Length", str(len(body))))
    head = f"HTTP/1.1 {ex.status} {ex.reason}\r\n"
    head += "".join(f"{n}: {v}\r\n" for n, v in resp_headers) + "\r\n"
    return request, head.encode() + body


def build_demo_capture(path: Path, canaries: dict[str, str] | None = None) -> Path:
    """Write the demo capture to `path`; `canaries` replaces values of CANARY_FIELDS keys."""
    from scapy.utils import wrpcap

    unknown = set(canaries or {}) - set(CANARY_FIELDS)
    if unknown:
        raise ValueError(f"unknown canary keys: {sorted(unknown)}; known: {sorted(CANARY_FIELDS)}")
    values = {**DEFAULT_CANARIES, **(canaries or {})}
    rng = random.Random(SEED)
    writer = _Writer(rng)
    for i, conv in enumerate(_conversations(values, rng)):
        writer.conversation(conv, BASE_TS + i * 0.5)
    path.parent.mkdir(parents=True, exist_ok=True)
    wrpcap(str(path), writer.packets)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--canary",
        action="append",
        default=[],
        metavar="KEY=VALUE",
        help=f"plant VALUE in the field of KEY (one of: {', '.join(CANARY_FIELDS)})",
    )
    args = parser.parse_args(argv)
    canaries = {}
    for item in args.canary:
        key, sep, value = item.partition("=")
        if not sep or key not in CANARY_FIELDS:
            parser.error(f"--canary takes KEY=VALUE with KEY one of {', '.join(CANARY_FIELDS)}")
        canaries[key] = value
    out = build_demo_capture(args.output, canaries)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
