"""End to end on one machine: coverage, CPU and memory per component at rising traffic rates.

    sudo .venv/bin/python benchmarks/e2e.py [--rounds 200] [--intervals 0.02,0.005,0]

Brings up tests/e2e's topology (sample services in network namespaces, the interceptor capturing
the veths, Kafka mock, two diggers, console) and drives rounds of live traffic at each rate (one
round = 6 HTTP pairs on the wire: login, health, order, profile, payment, gateway charge).
Coverage = pairs the interceptor captured and queued / pairs sent; per component: CPU seconds
(utime+stime from /proc) and resident memory (VmHWM) over the run. The baseline in the same
run is the traffic itself: the sample services' and the driver's CPU. Needs root and `ip`.
Traffic is generated live by the sample services, not replayed with tcpreplay.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from examples.services.fakedata import Canaries
from tests.e2e.procs import counter_value
from tests.e2e.stack import E2EStack
from tests.harness.k8s_fake import FakeKubeApi
from tests.harness.kafka import start_mock_cluster

PAIRS_PER_ROUND = 6
TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--intervals", default="0.02,0.005,0")
    args = parser.parse_args()
    if os.geteuid() != 0:
        raise SystemExit("e2e benchmark: needs root (network namespaces, live capture)")
    intervals = [float(x) for x in args.intervals.split(",")]
    kafka = start_mock_cluster()
    try:
        with FakeKubeApi() as k8s, tempfile.TemporaryDirectory(prefix="dsensor-e2e-") as tmp:
            stack = E2EStack(Path(tmp) / "sensor", kafka, k8s, Canaries.generate())
            try:
                stack.start()
                run(stack, args.rounds, intervals)
            finally:
                stack.close()
    finally:
        kafka.stop()


def run(stack: E2EStack, rounds: int, intervals: list[float]) -> None:
    interceptor = stack.components["interceptor"]
    pids = {n: c.process.pid for n, c in stack.components.items() if c.process is not None}
    print(f"e2e: {rounds} rounds per rate, {PAIRS_PER_ROUND} pairs per round; figures below")
    for interval in intervals:
        before_cpu = {n: cpu_seconds(p) for n, p in pids.items()}
        queued0 = counter_value(interceptor.metrics(), "dsensor_interceptor_pairs_queued")
        started = time.monotonic()
        counts = stack.drive(rounds=rounds, interval=interval)
        wall = time.monotonic() - started
        time.sleep(2.0)  # let the interceptor finish the last connections
        queued = counter_value(interceptor.metrics(), "dsensor_interceptor_pairs_queued") - queued0
        sent = PAIRS_PER_ROUND * (counts["rounds"] - counts["failed"])
        rate = sent / wall
        print(
            f"rate {rate:,.0f} pairs/s (interval {interval}s): coverage {queued:,.0f}/{sent:,}"
            f" = {queued / max(sent, 1):.1%}"
        )
        for name, pid in pids.items():
            cpu = cpu_seconds(pid) - before_cpu[name]
            print(f"    {name:15s} CPU {cpu:6.2f} s ({cpu / wall:5.1%} of a core)"
                  f"  peak RSS {peak_rss_mb(pid):6.0f} MB")  # fmt: skip


if __name__ == "__main__":
    main()
