"""End to end on one machine under replayed load: coverage, CPU and memory per component.

    sudo .venv/bin/python benchmarks/e2e.py [--rates 1000,5000,10000,20000] [--seconds 5]
        [--detection remote|inprocess] [--drain 120]

Brings up tests/e2e's topology (sample services in network namespaces, the interceptor capturing
their veths, Kafka mock, two diggers, the detection-tool, the console) plus one more namespace,
`replay`, on a captured veth. For each rate, a capture of JSON API traffic (many interleaved
keep-alive connections, 3-11 requests each: benchmarks/interceptor.py's generator) is replayed
there with `tcpreplay-edit --pps`, its client addresses rewritten (`--pnat`) to a /16 of their
own, so every connection of every step is new to the interceptor's flow table.

Per step: coverage = pairs the interceptor captured and queued / requests in the capture (also
kernel drops), then how many of those the diggers consumed within --drain seconds; per component
its CPU seconds over the step (utime+stime from /proc) and its peak resident memory so far
(VmHWM). The baseline in the same run: tcpreplay's own CPU for putting the packets on the wire.
Needs root, `ip` and `tcpreplay-edit` (Debian tcpreplay).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.interceptor_pcap import write_traffic
from benchmarks.procstat import cpu_seconds, peak_rss_mb
from examples.services.fakedata import Canaries
from tests.e2e.faults import digger_counter, group_lag, interceptor_counter
from tests.e2e.stack import E2EStack
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import start_mock_cluster

SERVERS = [f"10.2.0.{n}" for n in range(1, 17)]  # the generator's servers; clients are 10.1/16


def wait_stable(read: Callable[[], int], quiet: float, timeout: float) -> int:
    """The value of `read()` once it has not changed for `quiet` seconds (or at `timeout`)."""
    value, since, deadline = read(), time.monotonic(), time.monotonic() + timeout
    while time.monotonic() - since < quiet and time.monotonic() < deadline:
        time.sleep(0.25)
        now = read()
        if now != value:
            value, since = now, time.monotonic()
    return value


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n", 1)[0])
    parser.add_argument("--rates", default="1000,5000,10000,20000,30000", help="packets/s, rising")
    parser.add_argument("--seconds", type=float, default=5.0, help="replay length per rate")
    parser.add_argument("--detection", choices=("remote", "inprocess"), default="remote")
    parser.add_argument("--drain", type=float, default=120.0, help="max wait for the diggers")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("e2e benchmark: needs root (network namespaces, live capture)")
    if shutil.which("tcpreplay-edit") is None:
        raise SystemExit("e2e benchmark: needs tcpreplay-edit (Debian package tcpreplay)")
    rates = [int(x) for x in args.rates.split(",")]
    kafka = start_mock_cluster()
    try:
        with FakeKubeApi() as k8s, tempfile.TemporaryDirectory(prefix="dsensor-e2e-") as tmp:
            stack = E2EStack(
                Path(tmp) / "sensor", kafka, k8s, Canaries.generate(),
                extra_pods=["replay"], extra_addresses=SERVERS,
            )  # fmt: skip
            try:
                stack.start(detection=args.detection)
                pids = {n: c.process.pid for n, c in stack.components.items() if c.process}
                assert kafka.pid is not None
                pids["kafka-mock"] = kafka.pid
                warm_up(stack)
                print(f"e2e replay: {args.seconds:g} s per rate, detection {args.detection}")
                for step, pps in enumerate(rates):
                    run_step(stack, pids, Path(tmp), step, pps, args.seconds, args.drain)
            finally:
                stack.close()
    finally:
        kafka.stop()


def warm_up(stack: E2EStack) -> None:
    """Live traffic until the digger group has settled (its first rebalance redelivers)."""
    stack.drive(rounds=2)
    deadline = time.monotonic() + 60
    while group_lag(stack) > 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    time.sleep(8.0)  # past the group's rebalance after both diggers joined


def run_step(
    stack: E2EStack,
    pids: dict[str, int],
    tmp: Path,
    step: int,
    pps: int,
    seconds: float,
    drain: float,
) -> None:
    assert stack.topo is not None
    pcap = tmp / f"load-{pps}.pcap"
    packets = max(int(pps * seconds), 100)
    frames, requests = write_traffic(pcap, packets, concurrent=max(10, min(2000, packets // 50)))
    cpu0 = {n: cpu_seconds(p) for n, p in pids.items()}
    queued0 = interceptor_counter(stack, "pairs_queued")
    drops0 = interceptor_counter(stack, "kernel_drops")
    consumed0 = digger_counter(stack, "consumer", "messages")
    before = os.times()
    started = time.monotonic()
    replay = stack.topo.run(
        "replay",
        ["tcpreplay-edit", "-q", f"--pnat=10.1.0.0/16:10.{100 + step}.0.0/16", "-i", "eth0",
         f"--pps={pps}", str(pcap)],
        timeout=max(120.0, 4 * seconds),
    )  # fmt: skip
    wall = time.monotonic() - started
    after = os.times()
    if replay.returncode != 0:
        raise SystemExit(f"tcpreplay-edit failed: {replay.stderr[-500:]}")
    queued = wait_stable(lambda: interceptor_counter(stack, "pairs_queued"), 2.0, 60) - queued0
    drops = interceptor_counter(stack, "kernel_drops") - drops0
    drain_started = time.monotonic()
    deadline = drain_started + drain
    while group_lag(stack) > 0 and time.monotonic() < deadline:
        time.sleep(0.5)
    drained = time.monotonic() - drain_started
    consumed = digger_counter(stack, "consumer", "messages") - consumed0
    sender_cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    print(
        f"rate {pps:,} packets/s ({frames:,} packets, {requests:,} pairs sent in {wall:.1f} s):"
        f" coverage {queued:,}/{requests:,} = {queued / max(requests, 1):.1%} captured,"
        f" kernel drops {drops:,}; diggers consumed {consumed:,}"
        f" ({consumed / max(queued, 1):.1%}) within {drained:.1f} s of drain"
    )
    print(f"    baseline tcpreplay-edit CPU {sender_cpu:6.2f} s")
    for name, pid in pids.items():
        cpu = cpu_seconds(pid) - cpu0[name]
        print(
            f"    {name:15s} CPU {cpu:6.2f} s  peak RSS {peak_rss_mb(pid):6.0f} MB"
            f"  ({queued / max(cpu, 1e-9):,.0f} pairs per CPU-second)"
        )


if __name__ == "__main__":
    main()
