"""The SQLite store on its own: migrations, merging, duplicates, read models."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from dsensor.v1 import stats_pb2

from sensor_console.migrations import LATEST_VERSION
from sensor_console.storage import StorageError, Store
from tests.console.builders import NANOS, batch, data_asset, flow


def test_fresh_database_is_migrated_and_reopening_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "console.db"
    store = Store(path)
    assert store.applied_migrations == list(range(1, LATEST_VERSION + 1))
    assert store.schema_version() == LATEST_VERSION
    store.apply_batch(batch())
    store.close()

    again = Store(path)
    assert again.applied_migrations == []
    assert again.schema_version() == LATEST_VERSION
    assert len(again.data_map()) == 1
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        rows = conn.execute("SELECT COUNT(*) FROM schema_migrations").fetchone()[0]
    conn.close()
    assert rows == LATEST_VERSION
    again.close()


def test_a_version_1_database_is_migrated_in_place_and_keeps_its_data(tmp_path: Path) -> None:
    from sensor_console import migrations

    path = tmp_path / "console.db"
    conn = sqlite3.connect(path, isolation_level=None)
    first_only = migrations.MIGRATIONS[:1]
    original = migrations.MIGRATIONS
    migrations.MIGRATIONS = first_only
    try:
        assert migrations.migrate(conn) == [1]
    finally:
        migrations.MIGRATIONS = original
    conn.execute("INSERT INTO batches VALUES ('old-batch', 'sensor-a', 1, 0, 0)")
    conn.close()
    store = Store(path)
    assert store.applied_migrations == list(range(2, LATEST_VERSION + 1))
    assert store.apply_batch(batch(batch_id="old-batch")).duplicate
    store.close()


def test_database_from_a_newer_console_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "console.db"
    Store(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO schema_migrations VALUES (99, 'future', 0)")
    conn.commit()
    conn.close()
    with pytest.raises(StorageError, match="newer"):
        Store(path)


def test_identical_flows_merge_counts_times_and_types(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.apply_batch(batch([flow(observed=3, first=NANOS + 100, last=NANOS + 200, status=200)]))
    later = flow(observed=4, first=NANOS, last=NANOS + 900, status=404, type_id="user_id")
    second = store.apply_batch(batch([later]))
    assert not second.duplicate
    assert second.accepted_flows == 1

    (row,) = store.data_map()
    assert row.observed == 7
    assert row.first_seen_unix_nanos == NANOS
    assert row.last_seen_unix_nanos == NANOS + 900
    assert row.statuses == [200, 404]
    (email_field,) = row.request
    assert email_field.seen == 7
    assert sorted(t.type_id for t in email_field.data_types) == ["email", "user_id"]
    assert row.max_sensitivity == "high"
    store.close()


def test_same_batch_id_is_stored_once(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    req = batch([flow(observed=5)])
    assert not store.apply_batch(req).duplicate
    again = store.apply_batch(req)
    assert again.duplicate
    assert again.accepted_flows == 0
    (row,) = store.data_map()
    assert row.observed == 5
    assert store.batch_count() == 1
    store.close()


def test_data_types_count_endpoints_and_assets(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    store.apply_batch(
        batch(
            [flow("/a"), flow("/b")],
            assets=[data_asset("shop.public.users"), data_asset("shop.public.orders")],
        )
    )
    by_id = {t.type_id: t for t in store.data_types()}
    assert by_id["email"].endpoints == 2
    assert by_id["email"].data_assets == 2
    assert by_id["email"].max_sensitivity == "medium"
    assert by_id["credit_card_number"].endpoints == 2
    assert by_id["credit_card_number"].data_assets == 0
    assert store.data_types()[0].type_id == "credit_card_number"  # most sensitive first
    store.close()


def test_huge_counters_and_odd_enums_do_not_break_the_store(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    odd = flow(observed=2**64 - 1)
    odd.request.fields[0].data_types[0].sensitivity = 77  # type: ignore[assignment]
    odd.request.fields[0].data_types[0].confidence = float("nan")
    store.apply_batch(batch([odd]))
    store.apply_batch(batch([odd]))
    (row,) = store.data_map()
    assert row.observed >= 2**53
    labels = {t.sensitivity for t in row.request[0].data_types}
    assert labels == {"unknown"}
    assert row.request[0].data_types[0].confidence == 0.0
    store.close()


def test_heartbeat_is_recorded_latest_wins(tmp_path: Path) -> None:
    store = Store(tmp_path / "c.db")
    for packets in (10, 20):
        store.record_heartbeat(
            stats_pb2.HeartbeatRequest(
                sensor_id="sensor-a",
                cluster_name="c1",
                sensor_kind=stats_pb2.SENSOR_KIND_DAR,
                version="0.1.0",
                counters={"packets": packets},
                nodes=[stats_pb2.NodeHealth(node="node-1", counters={"drops": 1})],
            )
        )
    (sensor,) = store.sensors()
    assert sensor.kind == "dar"
    assert sensor.counters == {"packets": 20}
    assert sensor.nodes[0].node == "node-1"
    assert sensor.last_heartbeat_unix_nanos > 0
    store.close()
