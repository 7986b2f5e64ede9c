"""The benchmark capture of `interceptor.py`: realistic JSON API traffic as a classic pcap.

Many concurrent keep-alive IPv4 connections, interleaved: handshake, several requests per
connection (GET and POST with JSON bodies, some gzip-coded and some chunked responses, bodies
from a few hundred bytes to several segments), ACKs, and FIN. Written with `struct` so
building 200,000+ packets takes a second or two.
"""

from __future__ import annotations

import gzip
import json
import random
import socket
import struct
from collections.abc import Iterator
from pathlib import Path

MSS = 1448
_ETH = b"\x02\x00\x00\x00\x00\x02\x02\x00\x00\x00\x00\x01\x08\x00"
FIN, SYN, PSH, ACK = 0x01, 0x02, 0x08, 0x10


def _frame(
    src: bytes,
    dst: bytes,
    sport: int,
    dport: int,
    seq: int,
    ack: int,
    flags: int,
    payload: bytes = b"",
) -> bytes:
    tcp = struct.pack(
        "!HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, 0x50, flags, 65535, 0, 0
    )
    ip = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 40 + len(payload), 0, 0x4000, 64, 6, 0, src, dst)
    return _ETH + ip + tcp + payload


def _bodies(rng: random.Random, n: int) -> dict[str, object]:
    customer = {"name": f"Customer {n}", "email": f"user{n}@example.test", "phone": "+1 555 01"}
    items = [
        {"sku": f"SKU-{rng.randrange(10**6)}", "qty": rng.randrange(1, 9), "price": n % 997}
        for _ in range(rng.randrange(1, 40))
    ]
    return {"id": n, "customer": customer, "items": items, "status": "paid"}


def _exchange(rng: random.Random, n: int) -> tuple[bytes, bytes]:
    body = json.dumps(_bodies(rng, n)).encode()
    if rng.random() < 0.5:
        req = (
            f"POST /api/v1/orders HTTP/1.1\r\nHost: orders.shop.svc\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
            f"User-Agent: bench/1\r\n\r\n"
        ).encode() + body
        out = json.dumps(_bodies(rng, n + 1)).encode()
    else:
        req = (
            f"GET /api/v1/orders/{n} HTTP/1.1\r\nHost: orders.shop.svc\r\n"
            "Accept: application/json\r\nUser-Agent: bench/1\r\n\r\n"
        ).encode()
        out = body
    kind = rng.random()
    head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
    if kind < 0.15:
        out = gzip.compress(out, 1)
        head += f"Content-Encoding: gzip\r\nContent-Length: {len(out)}\r\n\r\n"
    elif kind < 0.3:
        out = (
            b"".join(b"%x\r\n%s\r\n" % (len(part), part) for part in (out[:700], out[700:]) if part)
            + b"0\r\n\r\n"
        )
        head += "Transfer-Encoding: chunked\r\n\r\n"
    else:
        head += f"Content-Length: {len(out)}\r\n\r\n"
    return req, head.encode() + out


def _connection(rng: random.Random, index: int, requests: int) -> Iterator[bytes]:
    """The frames of one connection, in order."""
    client = socket.inet_aton(f"10.1.{index // 250 % 250}.{index % 250 + 1}")
    server = socket.inet_aton(f"10.2.0.{index % 16 + 1}")
    cport, sport = 20000 + index % 40000, 8080
    c_seq, s_seq = rng.randrange(2**32), rng.randrange(2**32)
    yield _frame(client, server, cport, sport, c_seq, 0, SYN)
    yield _frame(server, client, sport, cport, s_seq, c_seq + 1, SYN | ACK)
    c_seq += 1
    s_seq += 1
    yield _frame(client, server, cport, sport, c_seq, s_seq, ACK)
    for n in range(requests):
        req, resp = _exchange(rng, index * 1000 + n)
        for off in range(0, len(req), MSS):
            part = req[off : off + MSS]
            yield _frame(client, server, cport, sport, c_seq, s_seq, PSH | ACK, part)
            c_seq += len(part)
        yield _frame(server, client, sport, cport, s_seq, c_seq, ACK)
        for off in range(0, len(resp), MSS):
            part = resp[off : off + MSS]
            yield _frame(server, client, sport, cport, s_seq, c_seq, PSH | ACK, part)
            s_seq += len(part)
        yield _frame(client, server, cport, sport, c_seq, s_seq, ACK)
    yield _frame(client, server, cport, sport, c_seq, s_seq, FIN | ACK)
    yield _frame(server, client, sport, cport, s_seq, c_seq + 1, FIN | ACK)
    yield _frame(client, server, cport, sport, c_seq + 1, s_seq + 1, ACK)


def write_traffic(
    path: Path, packets: int, concurrent: int = 2000, seed: int = 7
) -> tuple[int, int]:
    """Write at least `packets` frames; returns (frames written, requests sent)."""
    rng = random.Random(seed)
    out = path.open("wb")
    written = requests = index = 0
    ts_us = 1_700_000_000 * 1_000_000
    with out:
        out.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1))
        active: list[Iterator[bytes]] = []
        while written < packets or active:
            while len(active) < concurrent and written < packets:
                count = rng.randrange(3, 12)
                requests += count
                active.append(_connection(rng, index, count))
                index += 1
            slot = rng.randrange(len(active))
            frame = next(active[slot], None)
            if frame is None:
                active[slot] = active[-1]
                active.pop()
                continue
            ts_us += rng.randrange(1, 40)
            out.write(struct.pack("<IIII", ts_us // 10**6, ts_us % 10**6, len(frame), len(frame)))
            out.write(frame)
            written += 1
    return written, requests
