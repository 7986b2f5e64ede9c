"""Record TCP byte streams through a relay, and write them back as a pcap of TCP conversations.

`RecordingRelay` listens on loopback and forwards each connection to one upstream address,
appending every chunk it forwards (connection, direction, bytes) to a shared log in the order it
saw them. `write_conversations` turns such a log into Ethernet/IPv4/TCP packets between given
addresses: handshake, data in MSS-sized segments with acknowledgements, and a FIN exchange after
each connection's last chunk, with times and sequence numbers from a seeded generator.
"""

from __future__ import annotations

import contextlib
import itertools
import random
import socket
import threading
from dataclasses import dataclass
from pathlib import Path

MSS = 1460
BASE_TS = 1_795_860_000.0  # 2026-11-22T10:00:00Z


@dataclass(frozen=True)
class Chunk:
    conn: int  # the relay's connection number (global, in accept order)
    edge: int  # which relay (topology edge) carried it
    to_server: bool
    data: bytes


class RecordingRelay:
    """A loopback TCP relay to `upstream` that logs every forwarded chunk."""

    _numbers = itertools.count()

    def __init__(
        self, edge: int, upstream: tuple[str, int], log: list[Chunk], lock: threading.Lock
    ) -> None:
        self.edge, self.upstream, self.log, self.lock = edge, upstream, log, lock
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.address: tuple[str, int] = self._listener.getsockname()[:2]
        self._sockets: list[socket.socket] = []
        self._closed = False
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            server = socket.create_connection(self.upstream, timeout=10)
            with self.lock:
                conn = next(self._numbers)
                self._sockets += [client, server]
            for src, dst, to_server in ((client, server, True), (server, client, False)):
                args = (conn, src, dst, to_server)
                threading.Thread(target=self._pump, args=args, daemon=True).start()

    def _pump(self, conn: int, src: socket.socket, dst: socket.socket, to_server: bool) -> None:
        while True:
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            if not data:
                with contextlib.suppress(OSError):
                    dst.shutdown(socket.SHUT_WR)
                return
            with self.lock:
                self.log.append(Chunk(conn, self.edge, to_server, data))
            try:
                dst.sendall(data)
            except OSError:
                return

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._listener.close()
        with self.lock:
            sockets, self._sockets = self._sockets, []
        for sock in sockets:
            sock.close()


def _merged(chunks: list[Chunk]) -> list[Chunk]:
    """Consecutive chunks of one connection and direction as one message (recv boundaries vary
    from run to run; the messages do not)."""
    last: dict[int, int] = {}  # conn -> index of its latest merged chunk in `out`
    out: list[Chunk] = []
    for chunk in chunks:
        index = last.get(chunk.conn)
        if index is not None and out[index].to_server == chunk.to_server:
            prev = out[index]
            out[index] = Chunk(prev.conn, prev.edge, prev.to_server, prev.data + chunk.data)
            continue
        last[chunk.conn] = len(out)
        out.append(chunk)
    return out


def _mac(ip: str) -> str:
    return "02:42:" + ":".join(f"{int(p):02x}" for p in ip.split("."))


class _Conversation:
    def __init__(self, client: tuple[str, int], server: tuple[str, int], rng: random.Random):
        self.client, self.server = client, server
        self.seq = {True: rng.getrandbits(32), False: rng.getrandbits(32)}  # by to_server


def write_conversations(
    path: Path,
    chunks: list[Chunk],
    endpoints: dict[int, tuple[str, str, int]],
    rng: random.Random,
) -> None:
    """Write `chunks` as packets; `endpoints[edge]` = (client ip, server ip, server port)."""
    from scapy.layers.inet import IP, TCP
    from scapy.layers.l2 import Ether
    from scapy.packet import Packet, Raw
    from scapy.utils import wrpcap

    packets: list[Packet] = []
    ts = BASE_TS
    ip_ids: dict[str, int] = {}

    def emit(src: tuple[str, int], dst: tuple[str, int], seq: int, ack: int, flags: str,
             payload: bytes = b"") -> None:  # fmt: skip
        nonlocal ts
        ts += 0.0002 + rng.random() * 0.0003
        ip_id = ip_ids.get(src[0], 1000 + len(ip_ids) * 977)
        ip_ids[src[0]] = (ip_id + 1) & 0xFFFF
        pkt = (
            Ether(src=_mac(src[0]), dst=_mac(dst[0]))
            / IP(src=src[0], dst=dst[0], id=ip_id, ttl=64, flags="DF")
            / TCP(sport=src[1], dport=dst[1], seq=seq & 0xFFFFFFFF, ack=ack & 0xFFFFFFFF,
                  flags=flags, window=64240, options=[("MSS", MSS)] if "S" in flags else [])
        )  # fmt: skip
        if payload:
            pkt = pkt / Raw(load=payload)
        pkt.time = round(ts, 6)
        packets.append(pkt)

    merged = _merged(chunks)
    last_of = {chunk.conn: i for i, chunk in enumerate(merged)}
    conversations: dict[int, _Conversation] = {}
    for i, chunk in enumerate(merged):
        conv = conversations.get(chunk.conn)
        if conv is None:  # numbered by first appearance: accept order may race
            client_ip, server_ip, port = endpoints[chunk.edge]
            conv = _Conversation((client_ip, 40000 + len(conversations)), (server_ip, port), rng)
            conversations[chunk.conn] = conv
            cli, srv, seq = conv.client, conv.server, conv.seq
            emit(cli, srv, seq[True], 0, "S")
            emit(srv, cli, seq[False], seq[True] + 1, "SA")
            seq[True] += 1
            seq[False] += 1
            emit(cli, srv, seq[True], seq[False], "A")
            ts += 0.001
        src, dst = (conv.client, conv.server) if chunk.to_server else (conv.server, conv.client)
        mine, theirs = conv.seq[chunk.to_server], conv.seq[not chunk.to_server]
        for offset in range(0, len(chunk.data), MSS):
            segment = chunk.data[offset : offset + MSS]
            emit(src, dst, mine + offset, theirs, "PA", segment)
        conv.seq[chunk.to_server] = mine + len(chunk.data)
        emit(dst, src, theirs, conv.seq[chunk.to_server], "A")
        if last_of[chunk.conn] == i:
            cli, srv, seq = conv.client, conv.server, conv.seq
            emit(cli, srv, seq[True], seq[False], "FA")
            emit(srv, cli, seq[False], seq[True] + 1, "FA")
            emit(cli, srv, seq[True] + 1, seq[False] + 1, "A")
        ts += 0.0005
    path.parent.mkdir(parents=True, exist_ok=True)
    wrpcap(str(path), packets)
