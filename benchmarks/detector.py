"""Throughput of Detector.detect_document on generated documents (fields per second).

Run: .venv/bin/python benchmarks/detector.py [--documents N]
The Presidio baseline is added with the learned detector (issue 3); this prints our figure only.
"""

from __future__ import annotations

import argparse
import random
import time

from detection_tool import Detector


def _document(rng: random.Random, i: int) -> dict[str, object]:
    return {
        "id": f"{rng.getrandbits(64):016x}",
        "created_at": "2024-03-01T12:30:45Z",
        "customer": {
            "email": f"user{i}@example.com",
            "first_name": "Ana",
            "last_name": "Lopez",
            "phone": f"+4915{rng.randrange(10**8, 10**9)}",
            "address": {"street": f"{i} Main Street", "zip": f"{rng.randrange(10000, 99999)}"},
        },
        "payment": {"card_number": "4111 1111 1111 1111", "expiry": "12/27", "amount": "19.99"},
        "items": [
            {"sku": f"SKU-{rng.randrange(10**6)}", "qty": rng.randrange(1, 5), "price": 9.5}
            for _ in range(rng.randrange(1, 6))
        ],
        "notes": "Leave the parcel at the door, call before delivery." * rng.randrange(1, 3),
        "flags": {"gift": rng.random() < 0.5, "express": None},
        "session": {"user_agent": "Mozilla/5.0 (X11; Linux x86_64)", "ip": "10.1.2.3"},
    }


def _count_leaves(node: object) -> int:
    if isinstance(node, dict):
        return sum(_count_leaves(v) for v in node.values())
    if isinstance(node, list):
        return sum(_count_leaves(v) for v in node[:10])
    return 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--documents", type=int, default=5000)
    args = parser.parse_args()
    rng = random.Random(7)
    docs = [_document(rng, i) for i in range(args.documents)]
    fields = sum(_count_leaves(d) for d in docs)
    detector = Detector()
    started = time.perf_counter()
    for doc in docs:
        detector.detect_document(doc)
    elapsed = time.perf_counter() - started
    print(
        f"detect_document: {len(docs)} documents, {fields} fields in {elapsed:.2f}s = "
        f"{fields / elapsed:,.0f} fields/s, {len(docs) / elapsed:,.0f} documents/s"
    )
    print("baseline (Presidio): added in issue 3")


if __name__ == "__main__":
    main()
