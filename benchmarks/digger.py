"""Pairs per second through Kafka -> digger (detection, metadata) -> console, sampling off and on.

    python benchmarks/digger.py [--pairs 20000] [--endpoints 200] [--sampling on|off|both]
                                [--budget ANALYSES_PER_S] [--profile DIR] [--diggers N]

Processes: librdkafka's mock broker (its own process), the `digger` command (its own process,
measured), and this process (the producer and the console). Pairs look like API traffic: 10-30
body fields, headers and a query string, spread over `--endpoints` endpoints. The mock broker
keeps only ~5 MB per partition, so pairs are produced while the digger consumes. CPU seconds
are read from /proc for each process. With sampling on, the CPU spent depends on how many pairs
were analysed (the budget is per second of wall time), so that count is printed too; a small
`--budget` measures the path of pairs that are only counted. `--diggers N` runs N digger
processes in one consumer group (the topic has 4 partitions): wall pairs/s is what the group
consumed, CPU is summed over the diggers.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import secrets
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import yaml
from confluent_kafka import Producer
from dsensor.v1 import pair_pb2

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "proto")]

from benchmarks.procstat import cpu_seconds, peak_rss_mb, thread_cpu  # noqa: E402
from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console  # noqa: E402
from sensor_core.sections import LoggingSettings  # noqa: E402
from tests.harness.kafka import KafkaBroker, start_mock_cluster  # noqa: E402

KEYS = 20  # message keys (destination addresses): spread over the partitions
WORDS = ["alpha", "bravo", "delta", "omega", "sigma", "kappa", "lima", "tango"]


def _body(rng: random.Random, fields: int) -> dict[str, object]:
    doc: dict[str, object] = {
        "email": f"{rng.choice(WORDS)}.{rng.randrange(10**6)}@example.org",
        "phone": f"+1-202-555-{rng.randrange(1000, 9999)}",
        "name": f"{rng.choice(WORDS).title()} {rng.choice(WORDS).title()}",
        "order_id": f"ord_{rng.randrange(10**8)}",
        "created_at": "2026-11-22T10:00:00Z",
    }
    for i in range(fields - len(doc)):
        doc[f"attr_{i}"] = rng.choice([rng.randrange(10**4), rng.choice(WORDS), True, 3.25])
    return doc


def make_pairs(count: int, endpoints: int, seed: int = 7) -> list[bytes]:
    rng = random.Random(seed)
    pool = []
    for i in range(min(count, 2000)):
        pair = pair_pb2.HttpPair(unix_nanos=time.time_ns())
        pair.source.ip, pair.source.port = f"10.244.1.{1 + i % 50}", 40000 + i % 1000
        pair.destination.ip, pair.destination.port = f"10.244.2.{1 + i % 20}", 8080
        ep = i % endpoints
        pair.request.method = "POST" if ep % 2 else "GET"
        pair.request.target = f"/api/v1/res{ep}/{rng.randrange(10**6)}?page={rng.randrange(9)}"
        req = pair.request.message
        req.headers.add(name="Host", value=f"svc{ep % 20}:8080")
        req.headers.add(name="Authorization", value=f"Bearer tok{rng.randrange(10**12)}")
        req.headers.add(name="User-Agent", value="bench/1.0")
        req.content_type = "application/json"
        req.body = json.dumps(_body(rng, rng.randrange(10, 31))).encode()
        pair.response.status = 200
        pair.response.message.content_type = "application/json"
        pair.response.message.body = json.dumps(_body(rng, rng.randrange(10, 31))).encode()
        pool.append(pair.SerializeToString())
    return [pool[i % len(pool)] for i in range(count)]


def digger_counter(port: int, name: str, event: str) -> int:
    """One of the digger's /metrics counters (`dsensor_digger_<name>_total{event=...}`)."""
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=2) as r:
            text = r.read().decode()
    except OSError:
        return -1
    found = re.search(rf'dsensor_digger_{name}_total\{{event="{event}"\}} ([0-9.e+]+)', text)
    return int(float(found.group(1))) if found else 0


def messages_done(port: int) -> int:
    return digger_counter(port, "consumer", "messages")


def digger_command(config: Path, profile: Path | None) -> list[str]:
    """The digger command; under cProfile (written when it stops) when `profile` is given."""
    if profile is None:
        return [str(Path(sys.executable).with_name("digger")), "--config", str(config)]
    return [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "sensor_dim.digger.cli",
            "--config", str(config)]  # fmt: skip


@dataclass(frozen=True)
class RunResult:
    pairs: int
    seconds: float
    digger_cpu: float  # CPU seconds of the digger processes while they consumed the pairs
    analysed: int
    threads: dict[str, float]  # the same CPU by thread group (thread_cpu), all diggers
    peak_mb: float  # the largest peak resident memory of a digger
    per_digger: list[int]  # messages each digger consumed


def _digger_config(
    broker: KafkaBroker,
    topic: str,
    sampling: bool,
    budget: float | None,
    console_port: int,
    token: str,
    datadir: Path,
) -> str:
    return yaml.safe_dump(
        {
            "kafka": {"brokers": [broker.bootstrap]},
            "eventstopic": topic,
            "consumergroup": f"bench-{topic}",
            "fetchwaitmax": "10ms",
            "flushinterval": "2s",
            "sampling": {"enabled": sampling}
            | ({"globalrate": budget} if budget is not None else {}),
            "statsclient": {
                "address": f"127.0.0.1:{console_port}",
                "token": token,
                "sensorid": SENSOR_ID,
            },
            "datadir": str(datadir),
            "http": {"host": "127.0.0.1", "port": 0},
            "logging": {"level": "info", "format": "json"},
        }
    )


def _start_digger(config: Path, profile: Path | None) -> tuple[subprocess.Popen[str], int]:
    """A digger process and its metrics port (once it serves HTTP)."""
    digger = subprocess.Popen(
        digger_command(config, profile),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert digger.stderr is not None
    port = 0
    for line in digger.stderr:
        if '"digger_http"' in line:
            port = int(json.loads(line)["port"])
            break
    threading.Thread(target=lambda: digger.stderr and digger.stderr.read(), daemon=True).start()
    return digger, port


def run(
    broker: KafkaBroker,
    pairs: list[bytes],
    sampling: bool,
    tmp: Path,
    profile: Path | None = None,
    budget: float | None = None,
    diggers: int = 1,
) -> RunResult:
    """`pairs` through `diggers` digger processes of one consumer group."""
    topic = KafkaBroker.new_topic("bench")
    token = secrets.token_urlsafe(16)
    mode = "on" if sampling else "off"
    settings = DemoSettings(bundled_capture(), tmp / f"console-{mode}", LoggingSettings())
    with running_console(settings, token) as console:
        procs: list[tuple[subprocess.Popen[str], int]] = []
        for n in range(diggers):
            config = tmp / f"digger-{mode}-{n}.yaml"
            datadir = tmp / f"digger-{mode}-{n}"
            config.write_text(
                _digger_config(broker, topic, sampling, budget, console.grpc_port, token, datadir)
            )
            own_profile = profile
            if profile is not None and n > 0:
                own_profile = profile.with_stem(f"{profile.stem}-{n}")
            procs.append(_start_digger(config, own_profile))
        ports = [port for _, port in procs]

        def done() -> int:
            return sum(messages_done(port) for port in ports)

        producer = Producer(
            broker.producer_config(**{"linger.ms": 20, "queue.buffering.max.messages": 200000})
        )
        # the clock starts once every digger has joined the group and handled a pair: warm-up
        # pairs under every key (all partitions) until each digger has had one
        warmup = 0
        while any(messages_done(port) < 1 for port in ports):
            for key in range(KEYS):
                producer.produce(topic, value=pairs[0], key=str(key).encode())
            warmup += KEYS
            producer.flush(10)
            time.sleep(0.2)
        while done() < warmup:
            time.sleep(0.02)
        start = time.monotonic()
        cpu0 = [cpu_seconds(d.pid) for d, _ in procs]
        analysed0 = sum(digger_counter(port, "pipeline", "analysed") for port in ports)
        threads0 = [thread_cpu(d.pid) for d, _ in procs]
        for i, value in enumerate(pairs[1:], start=1):
            while True:
                try:
                    producer.produce(topic, value=value, key=str(i % KEYS).encode())
                    break
                except BufferError:
                    producer.poll(0.05)
            if i % 1000 == 999:
                producer.poll(0)
                while i + warmup - done() > 8000 * diggers:  # within the mock's retention
                    time.sleep(0.02)
        producer.flush(30)
        total = len(pairs) - 1 + warmup
        while done() < total:
            time.sleep(0.05)
        elapsed = time.monotonic() - start
        cpu = sum(cpu_seconds(d.pid) - c for (d, _), c in zip(procs, cpu0, strict=True))
        threads: dict[str, float] = {}
        for (d, _), before in zip(procs, threads0, strict=True):
            for k, v in thread_cpu(d.pid).items():
                threads[k] = threads.get(k, 0.0) + v - before.get(k, 0.0)
        analysed = sum(digger_counter(port, "pipeline", "analysed") for port in ports) - analysed0
        per_digger = [messages_done(port) for port in ports]
        peak_mb = max(peak_rss_mb(d.pid) for d, _ in procs)
        for d, _ in procs:
            d.terminate()
        for d, _ in procs:
            d.wait(60)
    return RunResult(len(pairs) - 1, elapsed, cpu, analysed, threads, peak_mb, per_digger)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=20000)
    parser.add_argument("--endpoints", type=int, default=200)
    parser.add_argument("--sampling", choices=["off", "on", "both"], default="both")
    parser.add_argument(
        "--budget",
        type=float,
        help="sampling's global analyses per second (default: the digger's own default)",
    )
    parser.add_argument(
        "--profile", type=Path, help="write the digger's cProfile stats to DIR/digger-<mode>.prof"
    )
    parser.add_argument(
        "--diggers", type=int, default=1, help="digger processes in one consumer group"
    )
    args = parser.parse_args()
    pairs = make_pairs(args.pairs, args.endpoints)
    broker = start_mock_cluster()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            modes = {"off": (False,), "on": (True,), "both": (False, True)}[args.sampling]
            for sampling in modes:
                label = "on " if sampling else "off"
                profile = None
                if args.profile is not None:
                    args.profile.mkdir(parents=True, exist_ok=True)
                    profile = args.profile / f"digger-{label.strip()}.prof"
                r = run(broker, pairs, sampling, Path(tmp), profile, args.budget, args.diggers)
                wall = r.pairs / r.seconds
                per_cpu = r.pairs / max(r.digger_cpu, 0.01)
                print(
                    f"sampling {label}: {r.pairs} pairs in {r.seconds:.2f} s = "
                    f"{wall:,.0f} pairs/s wall; digger CPU {r.digger_cpu:.2f} s"
                    f" = {per_cpu:,.0f} pairs per digger CPU-second; {r.analysed:,} analysed;"
                    f" digger peak RSS {r.peak_mb:.0f} MiB"
                )
                if args.diggers > 1:
                    shares = ", ".join(f"{n:,}" for n in r.per_digger)
                    print(f"  {args.diggers} diggers in one group; messages each: {shares}")
                busy = sorted(r.threads.items(), key=lambda kv: -kv[1])
                print("  digger CPU by thread: " + ", ".join(f"{k} {v:.2f} s" for k, v in busy[:4]))
        print(f"broker CPU {cpu_seconds(broker.pid or 0):.2f} s (mock cluster process)")
    finally:
        broker.stop()


if __name__ == "__main__":
    main()
