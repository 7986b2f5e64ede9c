"""Helper process: relay every TCP connection from a listening address to a target address.

    python tests/harness/tcp_relay.py LISTEN_HOST:PORT TARGET_HOST:PORT

Prints "ready" on its first stdout line once it listens, then runs until a signal ends it or
its stdin closes (the test owns the pipe, so the relay dies with the test). A connection whose
target cannot be reached within 5 s is closed; when one side ends, so does the other. The
tests use two of them to put a server that only listens on 127.0.0.1 (librdkafka's mock
cluster) behind a veth in its own network namespace, at the same address for its clients.
Standard library only: it also runs under `ip netns exec`.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

CONNECT_TIMEOUT = 5.0
CHUNK = 65536


def split_address(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit():
        raise SystemExit(f"tcp_relay: expected HOST:PORT, got {value!r}")
    return host, int(port)


async def _pipe(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
    try:
        while data := await reader.read(CHUNK):
            writer.write(data)
            await writer.drain()  # back-pressure: a stalled side stops reading the other
    except OSError:
        pass
    finally:
        writer.close()


async def _relay(
    target: tuple[str, int], client_reader: asyncio.StreamReader, client: asyncio.StreamWriter
) -> None:
    try:
        upstream_reader, upstream = await asyncio.wait_for(
            asyncio.open_connection(*target), CONNECT_TIMEOUT
        )
    except (OSError, TimeoutError):
        client.close()
        return
    await asyncio.gather(_pipe(client_reader, upstream), _pipe(upstream_reader, client))


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    while await loop.run_in_executor(None, sys.stdin.buffer.read, 4096):
        pass


async def main(listen: tuple[str, int], target: tuple[str, int]) -> None:
    server = await asyncio.start_server(
        lambda r, w: _relay(target, r, w), *listen, reuse_address=True
    )
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    async with server:
        await _stdin_closed()


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(main(split_address(sys.argv[1]), split_address(sys.argv[2])))
