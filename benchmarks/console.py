"""Console figures: ingest rate into SQLite and API latency on a large store.

Run: .venv/bin/python benchmarks/console.py [--batches N] [--assets N] [--fields N]

1. Ingest: the real stats client pushes batches over gRPC on loopback to a console storing in
   SQLite (upserts, merges, events). Figure: field observations per second, end to end and for
   Store.apply_batch alone. Baseline in the same run: the same rows written by one plain
   `executemany` into an index-free SQLite table (no merging, no events) - the ceiling.
   Target: >= 5,000 field observations/s.
2. API: a store seeded with --assets assets and --fields fields; p50/p95 of the main routes over
   HTTP with an API token. Baseline: /healthz on the same server. Target: p95 < 200 ms.
"""

from __future__ import annotations

import argparse
import sqlite3
import statistics
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from dsensor.v1 import metadata_pb2, stats_pb2
from pydantic import SecretStr

from sensor_console.auth import create_api_token
from sensor_console.server import ConsoleServer
from sensor_console.settings import ConsoleSettings
from sensor_console.storage import Store
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings, StatsClientSettings
from sensor_core.stats_client import StatsClient

TYPES = [
    ("email", metadata_pb2.SENSITIVITY_MEDIUM),
    ("phone_number", metadata_pb2.SENSITIVITY_MEDIUM),
    ("credit_card_number", metadata_pb2.SENSITIVITY_HIGH),
    ("first_name", metadata_pb2.SENSITIVITY_LOW),
    ("ip_address", metadata_pb2.SENSITIVITY_LOW),
]
FLOWS_PER_BATCH = 50
FIELDS_PER_FLOW = 20


def make_flow(src: int, dst: int, endpoint: int, fields: int) -> metadata_pb2.FlowMetadata:
    now = time.time_ns()
    return metadata_pb2.FlowMetadata(
        source=metadata_pb2.Asset(
            kind=metadata_pb2.ASSET_KIND_WORKLOAD, name=f"svc-{src}", namespace=f"ns-{src % 20}"
        ),
        destination=metadata_pb2.Asset(
            kind=metadata_pb2.ASSET_KIND_SERVICE, name=f"svc-{dst}", namespace=f"ns-{dst % 20}"
        ),
        endpoint=metadata_pb2.Endpoint(
            method="POST", host=f"svc-{dst}", path_template=f"/api/{endpoint}/{{id}}", port=8080
        ),
        request=metadata_pb2.FieldSchema(
            content_type="application/json",
            fields=[
                metadata_pb2.Field(
                    path=f"$.group{f % 4}.field{f}",
                    json_types=[metadata_pb2.JSON_TYPE_STRING],
                    data_types=[
                        metadata_pb2.DataTypeFinding(
                            type_id=TYPES[(f + endpoint) % len(TYPES)][0],
                            confidence=0.9,
                            sensitivity=TYPES[(f + endpoint) % len(TYPES)][1],
                            category=metadata_pb2.CATEGORY_PERSONAL,
                            reasons=["key_name"],
                        )
                    ]
                    if f % 2 == 0
                    else [],
                    seen=3,
                )
                for f in range(fields)
            ],
        ),
        statuses=[200],
        observed=3,
        analysed=3,
        first_seen_unix_nanos=now,
        last_seen_unix_nanos=now,
    )


def bench_ingest(batches: int, workdir: Path) -> None:
    settings = ConsoleSettings.model_validate(
        {
            "grpc": {"host": "127.0.0.1", "port": 0},
            "http": {"host": "127.0.0.1", "port": 0},
            "datadir": str(workdir / "ingest"),
            "sensortokens": [{"sensorid": "bench", "token": "bench-token"}],
            "logging": {"level": "warning"},
        }
    )
    flows = [
        make_flow(i % 97, 100 + i % 89, i % 400, FIELDS_PER_FLOW)  # repeats: merges happen
        for i in range(batches * FLOWS_PER_BATCH)
    ]
    observations = len(flows) * FIELDS_PER_FLOW
    with ConsoleServer(settings) as console:
        client_settings = StatsClientSettings(
            address=f"127.0.0.1:{console.grpc_port}",
            token=SecretStr("bench-token"),
            sensorid="bench",
            clustername="bench",
            batchsize=FLOWS_PER_BATCH,
            timeout=30.0,
            spooldir=workdir / "spool",
        )
        started = time.perf_counter()
        with StatsClient(client_settings, stats_pb2.SENSOR_KIND_DIM, workdir) as client:
            for flow in flows:
                client.add_flow(flow)
            client.flush()
            sent = client.counters.get("sent_batches", 0)
        end_to_end = time.perf_counter() - started
    assert sent == batches, f"only {sent} of {batches} batches were stored"

    store = Store(workdir / "direct.db")
    requests = [
        stats_pb2.PushBatchRequest(
            batch_id=str(uuid.uuid4()),
            sensor_id="bench",
            cluster_name="bench",
            flows=flows[i : i + FLOWS_PER_BATCH],
        )
        for i in range(0, len(flows), FLOWS_PER_BATCH)
    ]
    started = time.perf_counter()
    for req in requests:
        store.apply_batch(req)
    direct = time.perf_counter() - started
    store.close()

    conn = sqlite3.connect(workdir / "plain.db", isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("CREATE TABLE obs (endpoint TEXT, path TEXT, type_id TEXT, seen INTEGER)")
    started = time.perf_counter()
    for req in requests:
        rows = [
            (f.endpoint.path_template, fd.path, ",".join(t.type_id for t in fd.data_types), fd.seen)
            for f in req.flows
            for fd in f.request.fields
        ]
        conn.execute("BEGIN")
        conn.executemany("INSERT INTO obs VALUES (?, ?, ?, ?)", rows)
        conn.execute("COMMIT")
    plain = time.perf_counter() - started
    conn.close()

    print(f"ingest: {batches} batches, {len(flows)} flows, {observations} field observations")
    print(
        f"  console over gRPC (stats client -> SQLite): {observations / end_to_end:,.0f} fields/s"
    )
    print(f"  Store.apply_batch alone:                    {observations / direct:,.0f} fields/s")
    print(f"  baseline plain SQLite executemany:          {observations / plain:,.0f} fields/s")
    print("  target: >= 5,000 fields/s")


def seed(store: Store, assets: int, fields: int) -> None:
    per_flow = FIELDS_PER_FLOW
    endpoints = max(fields // per_flow, 1)
    half = max(assets // 2, 1)
    batch: list[metadata_pb2.FlowMetadata] = []
    for e in range(endpoints):
        batch.append(make_flow(e % half, half + (e * 7) % half, e, per_flow))
        if len(batch) == 200 or e == endpoints - 1:
            store.apply_batch(
                stats_pb2.PushBatchRequest(
                    batch_id=str(uuid.uuid4()), sensor_id="seed", cluster_name="bench", flows=batch
                )
            )
            batch = []


def _time_get(url: str, token: str, rounds: int) -> list[float]:
    out = []
    for _ in range(rounds):
        headers = {"Authorization": f"Bearer {token}"}
        req = urllib.request.Request(url, headers=headers)  # noqa: S310 - loopback
        started = time.perf_counter()
        with urllib.request.urlopen(req, timeout=60) as resp:  # noqa: S310 - loopback
            resp.read()
        out.append((time.perf_counter() - started) * 1000)
    return out


def bench_api(assets: int, fields: int, rounds: int, workdir: Path) -> None:
    settings = ConsoleSettings.model_validate(
        {
            "grpc": {"host": "127.0.0.1", "port": 0},
            "http": {"host": "127.0.0.1", "port": 0},
            "datadir": str(workdir / "api"),
            "sensortokens": [{"sensorid": "bench", "token": "bench-token"}],
            "logging": {"level": "warning"},
        }
    )
    started = time.perf_counter()
    with ConsoleServer(settings) as console:
        assert console.store is not None
        seed(console.store, assets, fields)
        seeded = time.perf_counter() - started
        token = console.store.write(lambda c: create_api_token(c, "bench", "readonly"))
        counts = console.store.read(
            lambda c: (
                c.execute("SELECT COUNT(*) FROM assets").fetchone()[0],
                c.execute("SELECT COUNT(*) FROM fields").fetchone()[0],
            )
        )
        print(f"api: {counts[0]} assets, {counts[1]} fields (seeded in {seeded:.1f} s)")
        routes = [
            "/healthz",
            "/api/v1/overview",
            "/api/v1/flows?limit=100",
            "/api/v1/flows?limit=100&offset=2000",
            "/api/v1/flows?datatype=credit_card_number&limit=100",
            "/api/v1/flows?namespace=ns-3&sensitivity=high",
            "/api/v1/assets?limit=100",
            "/api/v1/assets/1",
            "/api/v1/datatypes",
            "/api/v1/events?limit=100",
            "/",
            "/map",
        ]
        print(f"  {'route':55} {'p50 ms':>8} {'p95 ms':>8}")
        for route in routes:
            times = sorted(_time_get(console.url + route, token, rounds))
            p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
            label = route + ("  (baseline)" if route == "/healthz" else "")
            print(f"  {label:55} {statistics.median(times):8.1f} {p95:8.1f}")
        print("  target: p95 < 200 ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--batches", type=int, default=200)
    parser.add_argument("--assets", type=int, default=1000)
    parser.add_argument("--fields", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=40)
    args = parser.parse_args()
    configure_logging(LoggingSettings(level="warning"))
    with tempfile.TemporaryDirectory(prefix="dsensor-bench-") as tmp:
        bench_ingest(args.batches, Path(tmp))
        bench_api(args.assets, args.fields, args.rounds, Path(tmp))


if __name__ == "__main__":
    main()
