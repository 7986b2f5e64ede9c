"""Wait until a service listens: `python -m examples.services.ready IP:PORT [--wait S]`.

Run inside the service's own network namespace, so the probe travels over its loopback and never
crosses a captured veth. Exits 0 once a TCP connection is accepted, 1 with a message after
--wait seconds (default 30) or at once for an address that is not IP:PORT.
"""

from __future__ import annotations

import argparse
import http.client
import sys
import time


def command(address: str, wait: float) -> list[str]:
    """The argv that runs this module for `address` (to be run in the service's namespace)."""
    return [sys.executable, "-m", "examples.services.ready", address, f"--wait={wait}"]


def wait_listening(address: str, timeout: float) -> None:
    """Return once `address` (IP:PORT) accepts a connection; raise OSError after `timeout` s."""
    host, _, port = address.rpartition(":")
    deadline = time.monotonic() + timeout
    while True:
        conn = http.client.HTTPConnection(host, int(port), timeout=2)
        try:
            conn.connect()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)
        finally:
            conn.close()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Wait until a service listens.")
    parser.add_argument("address", help="IP:PORT")
    parser.add_argument("--wait", type=float, default=30.0)
    args = parser.parse_args(argv)
    host, _, port = args.address.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        sys.exit(f"not an IP:PORT address: {args.address!r}")
    try:
        wait_listening(args.address, args.wait)
    except OSError as exc:
        sys.exit(f"{args.address} not listening after {args.wait:g} s: {exc}")


if __name__ == "__main__":
    main()
