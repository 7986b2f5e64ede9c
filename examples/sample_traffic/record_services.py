"""Record the sample services (examples/services/) into the capture `dsensor demo` replays.

The four services run in this process on loopback, each edge of the topology (frontend -> users,
frontend -> orders, orders -> users, orders -> payments, payments -> paygate) through a
recording TCP relay; the services' own driver sends `ROUNDS` rounds. Every byte of every
request and response is what the services put on the wire. The recorded streams are then
written as TCP conversations between pod addresses (`PODS`), so the capture shows the same
topology the end-to-end suite runs in network namespaces, without root.

Reproducible: the canaries come from a seed (`seeded_canaries`), the services' random ids from a
seeded generator, their Date/Server headers are fixed, and ports, sequence numbers and times are
derived from the seed. Run it again and the file is byte-identical.

    python -m examples.sample_traffic.record_services [--output FILE] [--canaries FILE]

`expected_pairs()` is the ground truth of the capture (what the tests assert against).
"""

from __future__ import annotations

import argparse
import random
import re
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from http.server import ThreadingHTTPServer
from pathlib import Path
from typing import Any

from examples.sample_traffic.tcp_recorder import Chunk, RecordingRelay, write_conversations
from examples.services import app, drive
from examples.services.fakedata import Canaries, german_iban, luhn_complete

SEED = 20261122
ROUNDS = 8
PORT = 8080
OUTPUT = Path(__file__).resolve().parents[2] / "sensor_core" / "demo_data" / "services.pcap"
# the services' addresses in the capture; kept in step with sensor_core/demo_data/workloads.yaml
PODS = {
    "frontend": "10.244.1.10",
    "users": "10.244.2.20",
    "payments": "10.244.3.30",
    "orders": "10.244.4.40",
    "paygate": "203.0.113.20",  # plays an external API: a public (documentation) address
}
EDGES = [
    ("frontend", "users"),
    ("frontend", "orders"),
    ("orders", "users"),
    ("orders", "payments"),
    ("payments", "paygate"),
]
# how the console names each service (tests/e2e/stack.py and sensor_core/demo_live.py agree)
CONSOLE_NAMES = {
    "frontend": "shop/frontend",
    "users": "shop/users",
    "orders": "shop/orders",
    "payments": "payments/payments",
    "paygate": "external/api.paygate.example",
}
# canary (a `Canaries` field) -> where it travels: (client, server, "req:/resp:<path>", type)
CANARY_FIELDS: dict[str, tuple[str, str, str, str]] = {
    "username": ("frontend", "users", "req:$.username", "username"),
    "password": ("frontend", "users", "req:$.password", "password"),
    "jwt": ("frontend", "users", "resp:$.access_token", "jwt"),
    "ssn": ("frontend", "users", "resp:$.ssn", "us_ssn"),
    "medical_record": (
        "frontend",
        "users",
        "resp:$.medical_record_number",
        "medical_record_number",
    ),
    "email": ("orders", "users", "resp:$.email", "email"),
    "phone": ("orders", "users", "resp:$.phone", "phone_number"),
    "first_name": ("orders", "users", "resp:$.first_name", "first_name"),
    "last_name": ("orders", "users", "resp:$.last_name", "last_name"),
    "date_of_birth": ("orders", "users", "resp:$.date_of_birth", "date_of_birth"),
    "street": ("orders", "users", "resp:$.address.street", "street_address"),
    "card_number": ("orders", "payments", "req:$.card_number", "credit_card_number"),
    "cardholder": ("orders", "payments", "req:$.cardholder_name", "cardholder_name"),
    "iban": ("payments", "paygate", "req:$.payout_iban", "iban"),
    "gateway_key": ("payments", "paygate", "req:header.authorization", "bearer_token"),
}
_HOST = re.compile(rb"^(Host: )127\.0\.0\.1:\d+\r$", re.MULTILINE | re.IGNORECASE)


def seeded_canaries(seed: int = SEED) -> Canaries:
    """Canary values shaped like `Canaries.generate()`'s, from a seed (the bundled capture's)."""
    rng = random.Random(seed)

    def digits(n: int) -> str:
        return "".join(rng.choice("0123456789") for _ in range(n))

    def letters(n: int) -> str:
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(n))

    tag = letters(6)
    first, last = "Zel" + letters(5), "Quor" + letters(6)
    secret = "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(43)
    )
    return Canaries(
        first_name=first.capitalize(),
        last_name=last.capitalize(),
        email=f"{first.lower()}.{tag}{digits(4)}@mailbox-example.org",
        phone=f"+1 415 {digits(3)} {digits(4)}",
        street=f"{digits(4)} {('Larkspur' + letters(4)).capitalize()} Street",
        postal_code=digits(5),
        date_of_birth=f"19{rng.choice('5678')}{digits(1)}-0{rng.choice('123456789')}-1{digits(1)}",
        username=f"user_{tag}{digits(3)}",
        password="Pw!" + letters(8) + digits(6),
        jwt="eyJhbGciOiAiSFMyNTYiLCAidHlwIjogIkpXVCJ9.eyJzdWIiOiAiZGVtbyIsICJyb2xlIjogImN1c3RvbWVyIn0."
        + secret,
        card_number=luhn_complete("4" + digits(14)),
        card_cvv=digits(3),
        cardholder=f"{first.upper()} {last.upper()}",
        iban=german_iban(digits(18)),
        gateway_key="sk_live_" + "".join(rng.choice("0123456789abcdef") for _ in range(24)),
        medical_record=f"MRN-{digits(8)}",
        diagnosis_note=f"follow-up for hypertension, ref {tag}{digits(5)}",
        ssn=f"{rng.choice('1234567')}{digits(2)}-{digits(2)}-{digits(4)}",
        s3_email=f"s3.{tag}{digits(5)}@bucket-example.org",
        kafka_email=f"kafka.{tag}{digits(5)}@topic-example.org",
        db_email=f"pg.{tag}{digits(5)}@table-example.org",
        db_card=luhn_complete("5" + digits(14)),
    )


@dataclass(frozen=True)
class ExpectedPair:
    """One request/response the services exchange and the sensitive types its fields carry."""

    client: str
    server: str
    method: str
    template: str
    status: int
    types: dict[str, str] = field(default_factory=dict)  # "req:<path>"/"resp:<path>" -> type


# what one round sends, in the order the pairs complete (examples/services/app.py, drive.py)
ROUND: list[ExpectedPair] = [
    ExpectedPair("frontend", "users", "POST", "/login", 200, {
        "req:$.username": "username", "req:$.password": "password",
        "resp:$.access_token": "jwt"}),
    ExpectedPair("frontend", "users", "GET", "/users/{id}/health", 200, {
        "resp:$.medical_record_number": "medical_record_number", "resp:$.ssn": "us_ssn",
        "resp:$.conditions[*].icd10_code": "icd10_code",
        "resp:$.conditions[*].diagnosis": "health_condition",
        "resp:$.medications[*]": "medication"}),
    ExpectedPair("orders", "users", "GET", "/users/{id}", 200, {
        "resp:$.email": "email", "resp:$.phone": "phone_number",
        "resp:$.first_name": "first_name", "resp:$.last_name": "last_name",
        "resp:$.date_of_birth": "date_of_birth", "resp:$.address.street": "street_address",
        "resp:$.address.postal_code": "postal_code"}),
    ExpectedPair("payments", "paygate", "POST", "/v1/charges", 200, {
        "req:$.card.number": "credit_card_number", "req:$.card.cvc": "card_cvv",
        "req:$.card.exp": "card_expiry", "req:$.card.name": "cardholder_name",
        "req:$.payout_iban": "iban", "req:header.authorization": "bearer_token"}),
    ExpectedPair("orders", "payments", "POST", "/payments", 201, {
        "req:$.card_number": "credit_card_number", "req:$.card_cvv": "card_cvv",
        "req:$.card_expiry": "card_expiry", "req:$.cardholder_name": "cardholder_name",
        "req:$.billing_email": "email"}),
    ExpectedPair("frontend", "orders", "POST", "/orders", 201, {
        "resp:$.contact_phone": "phone_number",
        "resp:$.shipping_address.street": "street_address",
        "resp:$.shipping_address.postal_code": "postal_code"}),
]  # fmt: skip


def expected_pairs(rounds: int = ROUNDS) -> list[ExpectedPair]:
    """Every pair of a recording of `rounds` rounds, in completion order (the ground truth)."""
    return [pair for _ in range(rounds) for pair in ROUND]


class _SeededIds:
    """Stands in for the `secrets` module inside the services while recording: same calls,
    values from a seed, so order and payment ids are the same on every run."""

    def __init__(self, seed: int) -> None:
        self._rng = random.Random(seed)

    def token_hex(self, nbytes: int = 32) -> str:
        return self._rng.randbytes(nbytes).hex()

    def randbelow(self, n: int) -> int:
        return self._rng.randrange(n)


@contextmanager
def _seeded_service_ids(seed: int) -> Any:
    saved = vars(app)["secrets"]
    setattr(app, "secrets", _SeededIds(seed))  # noqa: B010 - the services' module, on purpose
    try:
        yield
    finally:
        setattr(app, "secrets", saved)  # noqa: B010


def _server(name: str, canaries: Canaries, peers: dict[str, tuple[str, int]]) -> Any:
    state = app.ServiceState(name, canaries, peers)
    attrs = {
        "state": state,
        "server_version": f"{name}/1.0",
        "sys_version": "",
        "date_time_string": lambda _self, _ts=None: "Sun, 22 Nov 2026 10:00:00 GMT",
    }
    handler = type(f"Recorded{name.capitalize()}Handler", (app.ServiceHandler,), attrs)
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    return server


def record(canaries: Canaries, rounds: int = ROUNDS, seed: int = SEED) -> list[Chunk]:
    """Run the services, drive `rounds` rounds, and return the recorded chunks in order."""
    import threading

    log: list[Chunk] = []
    lock = threading.Lock()
    with ExitStack() as stack, _seeded_service_ids(seed):
        servers: dict[str, Any] = {}
        relays: dict[tuple[str, str], RecordingRelay] = {}
        # servers first with empty peer tables, relays in front of them, then the peers wired
        for name in ("users", "orders", "payments", "paygate"):
            servers[name] = _server(name, canaries, {})
            stack.callback(servers[name].server_close)
            thread = threading.Thread(target=servers[name].serve_forever, args=(0.05,), daemon=True)
            thread.start()
            stack.callback(servers[name].shutdown)
        for edge_id, (client, server) in enumerate(EDGES):
            relay = RecordingRelay(edge_id, servers[server].server_address[:2], log, lock)
            relays[(client, server)] = relay
            stack.callback(relay.close)
        for (client, server), relay in relays.items():
            if client != "frontend":
                servers[client].RequestHandlerClass.state.peers[server] = relay.address
        users, orders = relays[("frontend", "users")], relays[("frontend", "orders")]
        counts = drive.drive(
            f"127.0.0.1:{users.address[1]}", f"127.0.0.1:{orders.address[1]}", canaries, rounds, 0
        )
        if counts["failed"]:
            raise RuntimeError(f"{counts['failed']} of {counts['requests']} requests failed")
    return log


def build_services_capture(
    path: Path, canaries: Canaries | None = None, rounds: int = ROUNDS, seed: int = SEED
) -> Path:
    """Record the services with `canaries` (default: the seeded set) and write `path`."""
    chunks = record(canaries or seeded_canaries(seed), rounds, seed)
    hosts = {i: f"{PODS[server]}:{PORT}".encode() for i, (_, server) in enumerate(EDGES)}
    rewritten = [
        Chunk(c.conn, c.edge, c.to_server, _HOST.sub(rb"\g<1>" + hosts[c.edge] + rb"\r", c.data))
        if c.to_server
        else c
        for c in chunks
    ]
    endpoints = {i: (PODS[client], PODS[server], PORT) for i, (client, server) in enumerate(EDGES)}
    write_conversations(path, rewritten, endpoints, random.Random(seed))
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument(
        "--canaries", type=Path, help="Canaries JSON (fakedata.Canaries.save) to plant instead"
    )
    parser.add_argument("--rounds", type=int, default=ROUNDS)
    args = parser.parse_args(argv)
    canaries = Canaries.load(args.canaries) if args.canaries else None
    out = build_services_capture(args.output, canaries, args.rounds)
    print(f"wrote {out} ({out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
