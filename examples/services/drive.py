"""The frontend: drives rounds of traffic through the sample services, then prints counts.

    python -m examples.services.drive --users IP:PORT --orders IP:PORT --canaries c.json \
        --rounds 20 [--interval 0.05] [--hot-logins 5]

One round: POST /login and GET /users/{id}/health at users, POST /orders at orders (which calls
users, payments and the gateway); --hot-logins adds that many more POST /login to each round
(one endpoint far busier than the rest, for the sampler's fairness). Waits up to --wait seconds
for the services to listen. Prints one JSON line of counts (never a value): {"rounds",
"requests", "failed"}.
"""

from __future__ import annotations

import argparse
import http.client
import json
import sys
import time
from pathlib import Path
from typing import Any

from examples.services.fakedata import Canaries
from examples.services.ready import wait_listening


class Client:
    def __init__(self, address: str) -> None:
        host, _, port = address.rpartition(":")
        self.host, self.port = host, int(port)
        self.conn: http.client.HTTPConnection | None = None

    def request(self, method: str, path: str, body: dict[str, Any] | None = None) -> int:
        for attempt in range(2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=15)
            headers = {"Accept": "application/json"}
            payload = None
            if body is not None:
                payload = json.dumps(body).encode()
                headers["Content-Type"] = "application/json"
            try:
                self.conn.request(method, path, payload, headers)
                response = self.conn.getresponse()
                response.read()
                return response.status
            except (ConnectionError, http.client.HTTPException, OSError):
                self.close()
                if attempt:
                    raise
        return 0

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def drive(
    users: str, orders: str, canaries: Canaries, rounds: int, interval: float, hot_logins: int = 0
) -> dict[str, int]:
    counts = {"rounds": 0, "requests": 0, "failed": 0}
    users_client, orders_client = Client(users), Client(orders)
    try:
        for index in range(rounds):
            user_id = 1000 + index
            login = {"username": canaries.username, "password": canaries.password}
            calls = (
                *[(users_client, "POST", "/login", login)] * hot_logins,
                (users_client, "POST", "/login", login),
                (users_client, "GET", f"/users/{user_id}/health", None),
                (orders_client, "POST", "/orders",
                 {"user_id": user_id, "items": [{"sku": "BK-1042", "qty": 1}], "total": 31.9}),
            )  # fmt: skip
            for client, method, path, body in calls:
                counts["requests"] += 1
                try:
                    status = client.request(method, path, body)
                except OSError:
                    status = 0
                if not 200 <= status < 300:
                    counts["failed"] += 1
            counts["rounds"] += 1
            if interval:
                time.sleep(interval)
    finally:
        users_client.close()
        orders_client.close()
    return counts


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Drive traffic through the sample services.")
    parser.add_argument("--users", required=True)
    parser.add_argument("--orders", required=True)
    parser.add_argument("--canaries", type=Path, required=True)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--interval", type=float, default=0.0)
    parser.add_argument("--hot-logins", type=int, default=0)
    parser.add_argument("--wait", type=float, default=15.0)
    args = parser.parse_args(argv)
    for address in (args.users, args.orders):
        wait_listening(address, args.wait)
    counts = drive(
        args.users,
        args.orders,
        Canaries.load(args.canaries),
        args.rounds,
        args.interval,
        args.hot_logins,
    )
    sys.stdout.write(json.dumps(counts) + "\n")
    sys.exit(0 if counts["failed"] == 0 else 1)


if __name__ == "__main__":
    main()
