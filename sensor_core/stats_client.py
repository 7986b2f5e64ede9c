"""The sensors' only way out: metadata batches to the console over gRPC, with a disk spool.

Delivery rules (every outcome is counted in `StatsClient.counters`):

- sent: the console stored the batch (`sent_batches`) or had it already (`duplicate_batches`).
- UNAVAILABLE, DEADLINE_EXCEEDED, CANCELLED, ABORTED (console down, network): the batch is
  written to the spool (`spooled_batches`) and resent on a later flush with the same batch id
  (`resent_batches` once delivered), so the console stores it once.
- UNAUTHENTICATED, PERMISSION_DENIED (token or sensor id wrong): logged as an error
  (`auth_failures`) and the batch is spooled too. A configuration fix (new token, restart)
  then delivers it. The spool cap bounds what waits, and each flush makes one attempt at most,
  so a refused sensor does not hammer the console. Spooled batches are resent under the
  current sensor id and cluster name.
- RESOURCE_EXHAUSTED (batch too big for the console) and INVALID_ARGUMENT (an item breaks a
  console limit): split in halves with new batch ids (`split_batches`), so one bad item does
  not cost its batch-mates; a single item the console still refuses is dropped
  (`rejected_batches`).
- Any other status: the batch is dropped (`rejected_batches`), never retried.
- The spool holds at most `spoolmaxbytes`; the oldest batches are dropped to make room
  (`dropped_batches` counts every batch lost for any reason).

Logs carry counts and status codes only, never metadata contents.
"""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from pathlib import Path
from types import TracebackType
from typing import Any

import grpc
from dsensor.v1 import metadata_pb2, stats_pb2, stats_pb2_grpc
from google.protobuf.message import DecodeError

from sensor_core import __version__
from sensor_core.grpc_proxy import proxy_options
from sensor_core.logs import get_logger
from sensor_core.sections import StatsClientSettings
from sensor_core.spool import Spool, SpoolEntry

log = get_logger("sensor_core.stats_client")

COUNTER_NAMES = (
    "sent_batches",
    "duplicate_batches",
    "spooled_batches",
    "resent_batches",
    "dropped_batches",
    "rejected_batches",
    "split_batches",
    "auth_failures",
    "heartbeats",
    "heartbeat_failures",
)
RETRY_CODES = frozenset(
    {
        grpc.StatusCode.UNAVAILABLE,
        grpc.StatusCode.DEADLINE_EXCEEDED,
        grpc.StatusCode.CANCELLED,
        grpc.StatusCode.ABORTED,
    }
)
AUTH_CODES = frozenset({grpc.StatusCode.UNAUTHENTICATED, grpc.StatusCode.PERMISSION_DENIED})
SPLIT_CODES = frozenset({grpc.StatusCode.RESOURCE_EXHAUSTED, grpc.StatusCode.INVALID_ARGUMENT})
# reconnect quickly once the console is back (gRPC's default backoff grows to two minutes)
CHANNEL_OPTIONS = (
    ("grpc.initial_reconnect_backoff_ms", 500),
    ("grpc.min_reconnect_backoff_ms", 500),
    ("grpc.max_reconnect_backoff_ms", 10_000),
)

Item = metadata_pb2.FlowMetadata | metadata_pb2.DataAssetMetadata


def _authorization(token: str) -> tuple[tuple[str, str], ...]:
    if not token:
        return ()
    if not token.isascii() or not token.isprintable():
        raise ValueError("statsclient.token: only printable ASCII characters are allowed")
    return (("authorization", f"Bearer {token}"),)


class StatsClient:
    """Buffers metadata, sends it in batches, spools what cannot be delivered yet."""

    def __init__(self, settings: StatsClientSettings, sensor_kind: int, data_dir: Path) -> None:
        self.settings = settings
        self.sensor_kind = sensor_kind
        self.counters: dict[str, int] = dict.fromkeys(COUNTER_NAMES, 0)
        self.spool = Spool(
            settings.spooldir or data_dir / "spool" / "stats", settings.spoolmaxbytes
        )
        self._metadata = _authorization(settings.token.get_secret_value())
        self._buffer: list[Item] = []
        self._lock = threading.RLock()
        self._closed = False
        self._last_flush = time.monotonic()
        self._stop_flusher = threading.Event()
        self._flusher: threading.Thread | None = None
        options = [*CHANNEL_OPTIONS, *proxy_options(settings.address)]
        if settings.tls:
            root = settings.cafile.read_bytes() if settings.cafile is not None else None
            creds = grpc.ssl_channel_credentials(root_certificates=root)
            self._channel = grpc.secure_channel(settings.address, creds, options=options)
        else:
            self._channel = grpc.insecure_channel(settings.address, options=options)
        self._stub: Any = stats_pb2_grpc.StatsServiceStub(self._channel)  # type: ignore[no-untyped-call]

    # -- buffering -------------------------------------------------------------------------

    def add_flow(self, flow: metadata_pb2.FlowMetadata) -> None:
        self._add(flow)

    def add_asset(self, asset: metadata_pb2.DataAssetMetadata) -> None:
        self._add(asset)

    def _add(self, item: Item) -> None:
        with self._lock:
            if self._closed:
                raise RuntimeError("stats client is closed")
            self._buffer.append(item)
            if len(self._buffer) >= self.settings.batchsize:
                self.flush()

    def flush_if_due(self) -> bool:
        """Flush when `flushinterval` has passed since the last flush. True when it flushed."""
        with self._lock:
            if time.monotonic() - self._last_flush < self.settings.flushinterval:
                return False
            self.flush()
            return True

    def start_flusher(self) -> None:
        """Flush every `flushinterval` seconds in a background thread until `close()`."""
        with self._lock:
            if self._flusher is not None or self._closed:
                return
            self._flusher = threading.Thread(
                target=self._flush_loop, name="stats-flusher", daemon=True
            )
            self._flusher.start()

    def _flush_loop(self) -> None:
        while not self._stop_flusher.wait(self.settings.flushinterval):
            try:
                self.flush()
            except Exception as exc:  # keep flushing; the error class is enough to act on
                log.error("stats_flush_failed", error=type(exc).__name__)

    # -- delivery --------------------------------------------------------------------------

    def _new_batch(self, items: Sequence[Item]) -> stats_pb2.PushBatchRequest:
        req = stats_pb2.PushBatchRequest(
            batch_id=str(uuid.uuid4()),
            sensor_id=self.settings.sensorid,
            cluster_name=self.settings.clustername,
            sensor_kind=self.sensor_kind,  # type: ignore[arg-type]
            created_unix_nanos=time.time_ns(),
        )
        for item in items:
            if isinstance(item, metadata_pb2.FlowMetadata):
                req.flows.append(item)
            else:
                req.assets.append(item)
        return req

    def flush(self) -> None:
        """Send spooled batches (oldest first), then everything buffered."""
        with self._lock:
            if self._closed:
                return
            self._last_flush = time.monotonic()
            size = self.settings.batchsize
            items, self._buffer = self._buffer, []
            batches = [self._new_batch(items[i : i + size]) for i in range(0, len(items), size)]
            reachable = self._resend_spooled()
            for req in batches:
                if reachable:
                    _, reachable = self._deliver(req, spooled=False)
                else:
                    self._spool(req)
            log.debug("stats_flush", batches=len(batches), items=len(items), reachable=reachable)

    def _resend_spooled(self) -> bool:
        for entry in self.spool.entries():
            req = self._load(entry)
            if req is None:
                continue
            consumed, reachable = self._deliver(req, spooled=True)
            if consumed:
                Spool.remove(entry)
            if not reachable:
                return False
        return True

    def _load(self, entry: SpoolEntry) -> stats_pb2.PushBatchRequest | None:
        data = Spool.read(entry)
        if data is None:
            return None
        try:
            req = stats_pb2.PushBatchRequest.FromString(data)
        except DecodeError:
            req = None
        if req is None or not req.batch_id:
            log.error("stats_spool_entry_unreadable", file=entry.path.name)
            Spool.remove(entry)
            self.counters["dropped_batches"] += 1
            return None
        req.sensor_id = self.settings.sensorid
        req.cluster_name = self.settings.clustername
        return req

    def _push(self, req: stats_pb2.PushBatchRequest) -> grpc.StatusCode | None:
        try:
            resp = self._stub.PushBatch(req, timeout=self.settings.timeout, metadata=self._metadata)
        except grpc.RpcError as exc:
            code = exc.code()
            return code if isinstance(code, grpc.StatusCode) else grpc.StatusCode.UNKNOWN
        self.counters["duplicate_batches" if resp.duplicate else "sent_batches"] += 1
        return None

    def _deliver(self, req: stats_pb2.PushBatchRequest, *, spooled: bool) -> tuple[bool, bool]:
        """Try one batch. Returns (consumed: the caller may forget it, console reachable)."""
        flows, assets = len(req.flows), len(req.assets)
        code = self._push(req)
        if code is None:
            if spooled:
                self.counters["resent_batches"] += 1
            return True, True
        if code in RETRY_CODES or code in AUTH_CODES:
            if code in AUTH_CODES:
                self.counters["auth_failures"] += 1
                log.error("stats_auth_refused", code=code.name, flows=flows, assets=assets)
            else:
                log.warning("stats_console_unreachable", code=code.name)
            if spooled:
                return False, False
            self._spool(req)
            return True, False
        if code in SPLIT_CODES and flows + assets > 1:
            self.counters["split_batches"] += 1
            log.warning("stats_batch_split", code=code.name, flows=flows, assets=assets)
            items: list[Item] = [*req.flows, *req.assets]
            half = len(items) // 2
            reachable = True
            for part in (items[:half], items[half:]):
                sub = self._new_batch(part)
                if reachable:
                    _, reachable = self._deliver(sub, spooled=False)
                else:
                    self._spool(sub)
            return True, reachable
        self.counters["rejected_batches"] += 1
        self.counters["dropped_batches"] += 1
        log.error("stats_batch_rejected", code=code.name, flows=flows, assets=assets)
        return True, True

    def _spool(self, req: stats_pb2.PushBatchRequest) -> None:
        try:
            stored, dropped = self.spool.put(req.SerializeToString())
        except OSError as exc:
            self.counters["dropped_batches"] += 1
            log.error("stats_spool_write_failed", error=type(exc).__name__, errno=exc.errno)
            return
        self.counters["dropped_batches"] += dropped
        if dropped:
            log.warning("stats_spool_full", dropped_batches=dropped)
        if stored:
            self.counters["spooled_batches"] += 1
        else:
            self.counters["dropped_batches"] += 1
            log.warning("stats_batch_dropped", reason="larger than the spool cap")

    # -- health ----------------------------------------------------------------------------

    def heartbeat(
        self, counters: Mapping[str, int], nodes: Sequence[stats_pb2.NodeHealth] = ()
    ) -> bool:
        """Report liveness and counters (the client's own under `statsclient_*`)."""
        req = stats_pb2.HeartbeatRequest(
            sensor_id=self.settings.sensorid,
            cluster_name=self.settings.clustername,
            sensor_kind=self.sensor_kind,  # type: ignore[arg-type]
            version=__version__,
            unix_nanos=time.time_ns(),
        )
        for name, value in counters.items():
            req.counters[name] = max(0, int(value))
        with self._lock:
            for name, value in self.counters.items():
                req.counters["statsclient_" + name] = value
        req.nodes.extend(nodes)
        try:
            self._stub.Heartbeat(req, timeout=self.settings.timeout, metadata=self._metadata)
        except grpc.RpcError as exc:
            code = exc.code()
            with self._lock:
                self.counters["heartbeat_failures"] += 1
            log.warning("stats_heartbeat_failed", code=getattr(code, "name", "UNKNOWN"))
            return False
        except ValueError:  # the channel was closed
            return False
        with self._lock:
            self.counters["heartbeats"] += 1
        return True

    # -- lifecycle -------------------------------------------------------------------------

    def close(self) -> None:
        """Flush, then close the channel. Safe to call twice."""
        self._stop_flusher.set()
        if self._flusher is not None:
            self._flusher.join()
        with self._lock:
            if self._closed:
                return
            try:
                self.flush()
            finally:
                self._closed = True
                self._channel.close()

    def __enter__(self) -> StatsClient:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()
