"""The crawler's part of the e2e run: seed a table, a bucket and a topic, then scan them.

`scan_stores(stack, postgres, s3)` seeds the stores with the stack's canaries, records their
names in `stack.stores`, and runs `dsensor scan --send` into the stack's console; its output and
log land in the stack's work directory (searched by the privacy check).
"""

from __future__ import annotations

import secrets
import subprocess

import yaml

from examples.services import seed
from tests.e2e.procs import BIN
from tests.e2e.stack import E2EStack
from tests.harness.postgres import PostgresCluster
from tests.harness.s3 import S3Server


def scan_stores(
    stack: E2EStack, postgres: PostgresCluster, s3: S3Server
) -> subprocess.CompletedProcess[str]:
    """Seed a table, a bucket and a topic, then `dsensor scan --send` them into the console."""
    tag = secrets.token_hex(4)
    database, bucket, topic = f"shop_{tag}", f"exports-{tag}", f"signups-{tag}"
    dsn = postgres.create_database(database)
    seed.seed_postgres(dsn, "customers", stack.canaries)
    seed.seed_s3(s3.client(), bucket, stack.canaries)
    seed.seed_kafka(stack.kafka.producer_config(), topic, stack.canaries)
    stack.stores = {"postgres": database, "s3": bucket, "kafka": topic}
    console = stack.components["console"].config
    config = {
        "crawl": {
            "database": {"postgres": [{"name": "shopdb", "connectionString": dsn}]},
            "s3": [{"name": "exports", "url": s3.endpoint_url, "type": "minio",
                    "region": s3.region, "accesskeyid": s3.access_key,
                    "secretaccesskey": s3.secret_key, "buckets": [bucket]}],
            "kafka": [{"instancename": "bus", "brokers": [stack.kafka.bootstrap],
                       "topics": [topic]}],
        },
        "statsclient": {
            "address": f"127.0.0.1:{console['grpc']['port']}",
            "token": stack.tokens["crawler"],
            "sensorid": "crawler",
            "clustername": "e2e",
        },
        "datadir": str(stack.workdir / "crawler"),
    }  # fmt: skip
    path = stack.workdir / "crawler.yaml"
    path.write_text(yaml.safe_dump(config))
    out = subprocess.run(
        [str(BIN / "dsensor"), "scan", "--config", str(path), "--send", "--format", "json",
         "--log-level", "info"],
        capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    (stack.workdir / "crawler.out").write_text(out.stdout)
    (stack.workdir / "crawler.log").write_text(out.stderr)
    return out
