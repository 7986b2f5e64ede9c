"""Interceptor throughput offline: packets/s and pairs/s per core, peak memory, and peers.

    python benchmarks/interceptor.py [--packets 200000] [--concurrent 10000] [--no-kafka]

Generates a capture of realistic JSON API traffic, then measures (each in a child process,
CPU seconds of that process) our pipeline as installed (compiled with mypyc when a C compiler
was there) without and with the Kafka producer (librdkafka's in-process mock cluster), the
same pipeline run from its plain-Python sources, scapy's own path (TCPSession with its HTTP
layer, on the first packets only: it is slow) and `tshark -Y http` when installed.

The capture (`interceptor_pcap.py`): many concurrent keep-alive connections of JSON API
traffic.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.interceptor_pcap import write_traffic
from sensor_core.process import freeze_startup_heap

__all__ = ["write_traffic"]  # benchmarks/e2e.py builds its capture with it

# ---------------------------------------------------------------- measurements (child processes)


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def phase_ours(path: Path, kafka: bool) -> dict[str, float]:
    """Our offline pipeline over the file; with `kafka`, pairs go to librdkafka's mock cluster."""
    from sensor_dim.interceptor.capture import read_batches
    from sensor_dim.interceptor.counters import Counters
    from sensor_dim.interceptor.pipeline import PairPipeline
    from sensor_dim.interceptor.settings import InterceptorLimits, KafkaOutputSettings

    counters = Counters()
    output = None
    if kafka:
        from sensor_dim.interceptor.output import KafkaOutput

        output = KafkaOutput(
            KafkaOutputSettings(), counters, extra_config={"test.mock.num.brokers": 1}
        )
        sink = output.send
    else:

        def sink(key: bytes, value: bytes) -> None:
            counters.inc("pairs_queued")

    pipeline = PairPipeline(InterceptorLimits(), counters, sink)
    freeze_startup_heap()  # as the interceptor service does before its loop
    peak_flows = 0
    cpu0, wall0 = time.process_time(), time.perf_counter()
    for frames in read_batches(path, counters):
        pipeline.feed(frames)
        peak_flows = max(peak_flows, len(pipeline.table))
        if output is not None:
            output.poll()
    pipeline.close()
    if output is not None:
        output.flush(60)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {
        "packets": counters["packets"],
        "pairs": counters["pairs_queued"],
        "delivered": counters["pairs_delivered"],
        "drops": counters["output_queue_drops"],
        "cpu": cpu,
        "wall": wall,
        "peak_flows": peak_flows,
        "rss_mb": _peak_rss_mb(),
        "compiled": PairPipeline.__module__ in sys.modules
        and not str(sys.modules[PairPipeline.__module__].__file__).endswith(".py"),
    }


def phase_scapy(path: Path, limit: int) -> dict[str, float]:
    """scapy's own path: TCPSession reassembly with its HTTP layer, first `limit` packets."""
    import logging

    logging.getLogger("scapy").setLevel(logging.ERROR)
    from scapy.layers.http import HTTPRequest, HTTPResponse
    from scapy.main import load_layer
    from scapy.sendrecv import sniff
    from scapy.sessions import TCPSession

    load_layer("http")
    messages = 0

    def count(pkt: object) -> None:
        nonlocal messages
        if pkt.haslayer(HTTPRequest) or pkt.haslayer(HTTPResponse):  # type: ignore[attr-defined]
            messages += 1

    cpu0, wall0 = time.process_time(), time.perf_counter()
    sniff(offline=str(path), session=TCPSession, prn=count, store=False, count=limit)
    cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
    return {"packets": limit, "messages": messages, "cpu": cpu, "wall": wall}


def run_tshark(path: Path) -> dict[str, float] | None:
    if shutil.which("tshark") is None:
        return None
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall0 = time.perf_counter()
    done = subprocess.run(
        ["tshark", "-n", "-r", str(path), "-Y", "http", "-T", "fields", "-e", "frame.number"],
        capture_output=True,
        check=False,
        timeout=1800,
    )
    wall = time.perf_counter() - wall0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"messages": done.stdout.count(b"\n"), "cpu": cpu, "wall": wall}


def phase_live(iface: str, idle_s: float) -> dict[str, float]:
    """Capture on `iface` (inside the namespace this process runs in) until it stays idle."""
    from sensor_dim.interceptor.counters import Counters
    from sensor_dim.interceptor.live import LiveCapture
    from sensor_dim.interceptor.pipeline import PairPipeline
    from sensor_dim.interceptor.settings import CaptureSettings, InterceptorLimits

    counters = Counters()
    capture = LiveCapture(CaptureSettings(filter="tcp"), counters)
    capture.reconcile([iface])

    def sink(key: bytes, value: bytes) -> None:
        counters.inc("pairs_queued")

    pipeline = PairPipeline(InterceptorLimits(), counters, sink)
    freeze_startup_heap()  # as the interceptor service does before its loop
    print("ready", flush=True)
    last = time.monotonic()
    cpu0 = None
    read_cpu = 0.0  # CPU spent receiving frames (the rest goes to flows, HTTP and pairing)
    while time.monotonic() - last < idle_s or cpu0 is None:
        before = time.process_time()
        frames = capture.read(0.05, 4096)
        if frames:
            if cpu0 is None:
                cpu0 = before
            read_cpu += time.process_time() - before
            last = time.monotonic()
        pipeline.feed(frames)
        if cpu0 is None and time.monotonic() - last > 60:
            break
    cpu = time.process_time() - (cpu0 or time.process_time())
    pipeline.close()
    capture.update_kernel_counters()
    capture.close()
    return {
        "packets": counters["packets"],
        "pairs": counters["pairs_queued"],
        "kernel_drops": counters["kernel_drops"],
        "cpu": cpu,
        "read_cpu": read_cpu,
        "rss_mb": _peak_rss_mb(),
    }


def run_live(path: Path, packets: int, pps: int) -> None:
    """Replay `path` with tcpreplay on one end of a veth pair; capture on the other end."""
    from tests.harness.netns import create_pair

    if os.geteuid() != 0 or shutil.which("tcpreplay") is None:
        print("live veth: skipped (needs root and tcpreplay)")
        return
    pair = create_pair()
    try:
        child = subprocess.Popen(
            [*pair.command(pair.ns_a, [sys.executable, __file__, "--phase", "live", pair.if_a])],
            stdout=subprocess.PIPE,
            text=True,
        )
        assert child.stdout is not None
        child.stdout.readline()  # "ready"
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        rate = ["--topspeed"] if pps <= 0 else [f"--pps={pps}"]
        replay = pair.run(pair.ns_b, ["tcpreplay", "-q", "-i", pair.if_b, *rate, str(path)])
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        out, _ = child.communicate(timeout=600)
        child.stdout.close()
        result = json.loads(out.strip().splitlines()[-1])
    finally:
        pair.close()
    if replay.returncode != 0:
        raise SystemExit(f"tcpreplay failed: {replay.stderr[-500:]!r}")
    sender_cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    rate_text = "top speed" if pps <= 0 else f"{pps:,} packets/s"
    print(
        f"live veth ({rate_text}, {packets:,} packets sent): captured {result['packets']:,.0f}, "
        f"kernel drops {result['kernel_drops']:,.0f}, pairs {result['pairs']:,.0f}; "
        f"interceptor {result['cpu']:.1f} CPU s "
        f"({result['packets'] / max(result['cpu'], 1e-9):,.0f} packets/s per core, "
        f"{result['read_cpu']:.1f} s of it receiving frames), "
        f"tcpreplay {sender_cpu:.1f} CPU s, "
        f"peak RSS {result['rss_mb']:.0f} MB"
    )


def _child(*args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, __file__, "--phase", *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=3600,
    )
    if done.returncode != 0:
        raise SystemExit(f"phase {args[0]} failed:\n{done.stderr[-2000:]}")
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--packets", type=int, default=200_000)
    parser.add_argument("--concurrent", type=int, default=10_000)
    parser.add_argument("--scapy-packets", type=int, default=20_000)
    parser.add_argument("--no-kafka", action="store_true")
    parser.add_argument("--live-packets", type=int, default=0, help="veth replay size (root)")
    parser.add_argument(
        "--live-pps", default="30000", help="comma-separated replay rates; 0: top speed"
    )
    parser.add_argument("--phase", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        name, file = args.phase[0], Path(args.phase[1])
        if name == "scapy":
            print(json.dumps(phase_scapy(file, int(args.phase[2]))))
        elif name == "live":
            print(json.dumps(phase_live(args.phase[1], 2.0)))
        elif name == "plain":
            from tests.harness.interpreted import install

            install()  # the compiled modules from their Python sources
            print(json.dumps(phase_ours(file, kafka=False)))
        else:
            print(json.dumps(phase_ours(file, kafka=name == "kafka")))
        return
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "traffic.pcap"
        packets, requests = write_traffic(path, args.packets, args.concurrent)
        size_mb = path.stat().st_size / 1e6
        print(
            f"capture: {packets:,} packets, {requests:,} requests, {size_mb:.0f} MB, "
            f"up to {args.concurrent:,} concurrent connections"
        )
        ours = _child("ours", str(path))
        build = "compiled" if ours["compiled"] else "plain Python: no compiled build installed"
        rows = [(f"dsensor interceptor (offline, {build})", ours)]
        if not args.no_kafka:
            rows.append(("dsensor + Kafka producer (mock)", _child("kafka", str(path))))
        if ours["compiled"]:
            rows.append(("dsensor interceptor (offline, plain Python)", _child("plain", str(path))))
        for label, r in rows:
            print(
                f"{label}: {r['packets'] / r['cpu']:,.0f} packets/s per core, "
                f"{r['pairs'] / r['cpu']:,.0f} pairs/s per core ({r['pairs']:,.0f} pairs, "
                f"{r['cpu']:.1f} CPU s, {r['wall']:.1f} s wall), "
                f"peak RSS {r['rss_mb']:.0f} MB, peak connections {r['peak_flows']:,.0f}, "
                f"output drops {r['drops']:,.0f}"
            )
        limit = min(args.scapy_packets, packets)
        s = _child("scapy", str(path), str(limit))
        print(
            f"scapy TCPSession + HTTP layer (first {limit:,} packets): "
            f"{s['packets'] / s['cpu']:,.0f} packets/s per core"
        )
        t = run_tshark(path)
        if t is None:
            print("tshark -Y http: not installed")
        else:
            print(
                f"tshark -Y http: {packets / t['cpu']:,.0f} packets/s per core "
                f"({t['messages']:,.0f} HTTP messages, {t['cpu']:.1f} CPU s)"
            )
        if args.live_packets:
            live = Path(tmp) / "live.pcap"
            sent, _ = write_traffic(live, args.live_packets, min(args.concurrent, 2000), seed=3)
            for pps in args.live_pps.split(","):
                run_live(live, sent, int(pps))


if __name__ == "__main__":
    main()
