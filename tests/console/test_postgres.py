"""The console on PostgreSQL (the harness's throwaway cluster, psycopg 3): migrations, ingest,
merging, duplicates, events, auth, the API and retention — the same code as on SQLite."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import grpc
from dsensor.v1 import metadata_pb2, stats_pb2_grpc

from sensor_console.migrations import LATEST_VERSION
from sensor_console.server import ConsoleServer
from sensor_console.storage import Store
from tests.console.builders import (
    NANOS,
    auth,
    batch,
    console_settings,
    data_asset,
    flow,
    get_json,
)
from tests.console.test_events import POLICIES, _external_flow
from tests.harness.postgres import PostgresCluster


def _database(postgres: PostgresCluster) -> str:
    return postgres.create_database(f"console_{uuid.uuid4().hex[:8]}")


def test_store_migrates_merges_and_deduplicates(postgres: PostgresCluster, tmp_path: Path) -> None:
    url = _database(postgres)
    store = Store(tmp_path / "unused.db", url=url)
    assert store.applied_migrations == list(range(1, LATEST_VERSION + 1))
    first = batch([flow(observed=3, first=NANOS + 100, last=NANOS + 200, status=200)])
    assert not store.apply_batch(first).duplicate
    assert store.apply_batch(first).duplicate
    later = flow(observed=4, first=NANOS, last=NANOS + 900, status=404, type_id="user_id")
    store.apply_batch(batch([later], assets=[data_asset(), data_asset()]))
    (row,) = store.data_map()
    assert row.observed == 7
    assert (row.first_seen_unix_nanos, row.last_seen_unix_nanos) == (NANOS, NANOS + 900)
    assert row.statuses == [200, 404]
    (email,) = row.request
    assert [t.type_id for t in email.data_types] == ["email", "user_id"]
    assert store.batch_count() == 2
    store.close()
    again = Store(tmp_path / "unused.db", url=url)
    assert again.applied_migrations == []
    assert len(again.data_map()) == 1
    assert again.purge(max_age=1.0, event_age=1.0)["endpoints"] == 1
    assert again.data_map() == []
    again.close()
    assert not (tmp_path / "unused.db").exists()


def test_console_on_postgres_serves_ingest_events_and_api(
    postgres: PostgresCluster, tmp_path: Path
) -> None:
    settings = console_settings(
        tmp_path, {"database": {"url": _database(postgres)}, "policies": POLICIES}
    )
    with ConsoleServer(settings) as console:
        channel = grpc.insecure_channel(f"127.0.0.1:{console.grpc_port}")
        stub: Any = stats_pb2_grpc.StatsServiceStub(channel)  # type: ignore[no-untyped-call]
        try:
            sent = batch([flow(), _external_flow()], assets=[data_asset()])
            assert not stub.PushBatch(sent, metadata=auth(), timeout=10).duplicate
            assert stub.PushBatch(sent, metadata=auth(), timeout=10).duplicate
        finally:
            channel.close()
        flows = get_json(console, "/api/v1/flows?sensitivity=high")
        assert flows["total"] == 2
        assert flows["flows"][0]["max_sensitivity"] == "high"
        assert get_json(console, "/api/v1/flows?namespace=nope")["total"] == 0
        kinds = {e["kind"] for e in get_json(console, "/api/v1/events")["events"]}
        assert {"policy_violation", "third_party_violation", "new_data_type"} <= kinds
        assets = get_json(console, "/api/v1/assets")["assets"]
        external = [a for a in assets if a["kind"] == "external"]
        assert [a["name"] for a in external] == ["api.stripe-like.example"]
        assert get_json(console, "/api/v1/datastores")["total"] == 1
        assert get_json(console, "/api/v1/overview")["counts"]["flows"] == 2
        assert metadata_pb2.SENSITIVITY_HIGH == 3
