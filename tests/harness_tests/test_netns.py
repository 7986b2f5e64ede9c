"""The netns fixture: two namespaces joined by a veth pair carry real traffic."""

from __future__ import annotations

import subprocess
import sys
import time

from tests.harness.netns import NetnsPair

FETCH = """
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=2) as r:
    sys.stdout.write(str(r.status))
"""


def test_http_get_crosses_the_veth_pair(netns_pair: NetnsPair) -> None:
    pair = netns_pair
    server = pair.popen(
        pair.ns_b,
        [sys.executable, "-m", "http.server", "8000", "--bind", pair.ip_b],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://{pair.ip_b}:8000/"
    deadline = time.monotonic() + 15
    result = pair.run(pair.ns_a, [sys.executable, "-c", FETCH, url], text=True)
    while result.stdout != "200" and time.monotonic() < deadline and server.poll() is None:
        time.sleep(0.2)
        result = pair.run(pair.ns_a, [sys.executable, "-c", FETCH, url], text=True)
    assert result.stdout == "200"
    links = pair.run(pair.ns_a, ["ip", "-o", "addr", "show", "dev", pair.if_a], text=True)
    assert f"{pair.ip_a}/30" in links.stdout
    host_view = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True)
    assert pair.ns_a in host_view.stdout
    assert pair.ns_b in host_view.stdout
