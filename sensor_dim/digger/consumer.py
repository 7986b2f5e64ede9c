"""The digger's Kafka loop: pairs from the `events` topic into metadata, at least once.

Offsets are stored (and then auto-committed) only after the metadata of the messages before
them was handed to the stats client: `builder.drain()` -> `stats.add_flow()` -> `stats.flush()`
(a batch the console cannot take yet is spooled to disk, which counts as handed over). Until
then a partition's next offset waits in `pending`; a crash redelivers those messages.

Backpressure: the loop handles one batch at a time; librdkafka fetches ahead of it at most
`prefetchkbytes` (plus one fetch per partition) and stops fetching while that much waits, so a
digger that falls behind holds a bounded amount and the broker keeps the rest.

Poison messages (not an HttpPair, an incomplete pair, or processing raised) are counted and
skipped; their offsets advance like any other. Logs carry counts and error codes, never payloads.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import Counter
from collections.abc import Callable, Sequence
from typing import Any, Protocol

from confluent_kafka import Consumer, KafkaError, KafkaException, Message, TopicPartition
from dsensor.v1 import pair_pb2
from google.protobuf.message import DecodeError

from sensor_core.kafka_settings import client_config
from sensor_core.logs import get_logger
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.remote_detection import DetectionUnavailableError
from sensor_dim.digger.settings import DiggerSettings

log = get_logger("dsensor.digger.consumer")

BATCH_SIZE = 500
# one log line per Kafka error code in this many seconds (all are counted)
ERROR_LOG_SECONDS = 30.0

ConsumerFactory = Callable[[dict[str, Any]], Consumer]


class Processor(Protocol):
    def process_batch(self, pairs: Sequence[pair_pb2.HttpPair]) -> list[str]: ...


class FlowSink(Protocol):
    """The stats client as far as this loop uses it."""

    def add_flow(self, flow: Any) -> None: ...

    def flush(self) -> None: ...


# a consumed message: itself, its error, its pair (None: an error or poison) and why not
_Consumed = tuple[Message, KafkaError | None, pair_pb2.HttpPair | None, str]


class ConsumerFailedError(Exception):
    """The loop stopped because it could not continue safely (details in the log)."""


def _ms(seconds: float) -> int:
    return max(1, round(seconds * 1000))


def consumer_config(settings: DiggerSettings) -> dict[str, Any]:
    """The confluent-kafka Consumer config of the digger (no callbacks)."""
    if settings.heartbeatinterval >= settings.sessiontimeout:
        raise ValueError("heartbeatinterval must be shorter than sessiontimeout")
    return {
        **client_config(settings.kafka),
        "group.id": settings.consumergroup,
        "client.id": "dsensor-digger",
        "enable.auto.commit": True,
        "enable.auto.offset.store": False,
        "auto.offset.reset": settings.autooffsetreset,
        "session.timeout.ms": _ms(settings.sessiontimeout),
        "heartbeat.interval.ms": _ms(settings.heartbeatinterval),
        "fetch.wait.max.ms": _ms(settings.fetchwaitmax),
        "queued.max.messages.kbytes": settings.prefetchkbytes,
    }


def _decode(value: bytes | None) -> tuple[pair_pb2.HttpPair | None, str]:
    """The pair in a message value, or None and why not."""
    if not value:
        return None, "empty"
    try:
        pair = pair_pb2.HttpPair.FromString(value)
    except DecodeError:
        return None, "undecodable"
    if not pair.HasField("request") or not pair.request.method or not pair.destination.ip:
        return None, "incomplete"
    return pair, ""


class EventConsumer:
    """Consumes `eventstopic` in `consumergroup` until `stop()`; see the module docstring."""

    def __init__(
        self,
        settings: DiggerSettings,
        processor: Processor,
        builder: MetadataBuilder,
        stats: FlowSink,
        consumer_factory: ConsumerFactory | None = None,
    ) -> None:
        self.settings = settings
        self._processor = processor
        self._builder = builder
        self._stats = stats
        self._factory: ConsumerFactory = consumer_factory or Consumer
        self._stop = threading.Event()
        self._consumer: Consumer | None = None
        # (topic, partition) -> next offset to commit once the builder was handed over
        self.pending: dict[tuple[str, int], int] = {}
        self.counters: Counter[str] = Counter()
        self.failure = ""
        self._error_logged: dict[str, float] = {}

    def stop(self) -> None:
        """Ask the loop to finish the current message, flush and close. Thread-safe."""
        self._stop.set()

    @property
    def stopping(self) -> bool:
        return self._stop.is_set()

    # -- the loop --------------------------------------------------------------------------

    def run(self) -> None:
        """Consume until stopped. Raises ConsumerFailedError when it had to stop on its own."""
        config = {
            **consumer_config(self.settings),
            "error_cb": self._on_client_error,
            "logger": logging.getLogger("librdkafka"),  # through the process's log handler
            # errors arrive through error_cb (rate-limited); librdkafka's own lines on debug
            "log_level": 7 if self.settings.logging.level == "debug" else 2,
        }
        consumer = self._factory(config)
        self._consumer = consumer
        try:
            consumer.subscribe(
                [self.settings.eventstopic],
                on_assign=self._on_assign,
                on_revoke=self._on_revoke,
                on_lost=self._on_lost,
            )
            log.info("digger_consuming", topic=self.settings.eventstopic)
            last_handover = time.monotonic()
            while not self._stop.is_set():
                detection = self.settings.detection
                batch = consumer.consume(max(BATCH_SIZE, detection.batchpairs), detection.linger)
                self._handle_batch(consumer, batch)
                if time.monotonic() - last_handover >= self.settings.flushinterval:
                    self.handover()
                    last_handover = time.monotonic()
            if not self.failure:
                self.handover()
        finally:
            self._close(consumer)
        log.info("digger_stopped", **dict(self.counters))
        if self.failure:
            raise ConsumerFailedError(self.failure)

    def _handle_batch(self, consumer: Consumer, batch: list[Message]) -> None:
        """Process a consumed batch in chunks of up to `detection.batchpairs` pairs (one
        detection call each); offsets become pending only once their chunk was applied."""
        size = self.settings.detection.batchpairs
        start = 0
        while start < len(batch) and not self._stop.is_set():
            chunk: list[_Consumed] = []
            pairs = 0
            end = start
            while end < len(batch) and pairs < size:
                msg = batch[end]
                err = msg.error()
                pair, problem = (None, "") if err is not None else _decode(msg.value())
                chunk.append((msg, err, pair, problem))
                pairs += pair is not None
                end += 1
            if not self._handle_chunk(chunk):
                # not these pairs' fault: they and the rest of the batch are delivered again
                self.counters["redelivered"] += pairs
                self._rewind(consumer, batch[start:])
                return
            start = end
        # when stopping, the rest of the batch is not pending: it is redelivered after a restart

    def _handle_chunk(self, chunk: list[_Consumed]) -> bool:
        """False when detection is away (nothing of the chunk was applied or is pending)."""
        pairs = [pair for _, _, pair, _ in chunk if pair is not None]
        try:
            problems = iter(self._process(pairs))
        except DetectionUnavailableError:
            return False
        pending = self.pending
        messages = 0
        for msg, err, pair, problem in chunk:
            if err is not None:
                self._kafka_error(err, "message")
                continue
            messages += 1
            if pair is not None:
                problem = next(problems)
            if problem:
                self.counters["poison"] += 1
                log.warning("digger_poison_message", reason=problem, partition=msg.partition())
            topic, partition, offset = msg.topic(), msg.partition(), msg.offset()
            if topic is not None and partition is not None and offset is not None and offset >= 0:
                pending[(topic, partition)] = offset + 1
        self.counters["messages"] += messages
        return True

    def _process(self, pairs: list[pair_pb2.HttpPair]) -> list[str]:
        """Per pair "" or its problem; a batch that failed as a whole is retried pair by pair
        so that only the pair at fault becomes a poison message."""
        if not pairs:
            return []
        try:
            return self._processor.process_batch(pairs)
        except DetectionUnavailableError:
            raise
        except Exception as exc:  # one bad pair must not stop the digger
            if len(pairs) == 1:
                return ["processing_" + type(exc).__name__]
        problems: list[str] = []
        for pair in pairs:
            try:
                problems.extend(self._processor.process_batch([pair]))
            except DetectionUnavailableError:
                raise
            except Exception as exc:  # one bad pair must not stop the digger
                problems.append("processing_" + type(exc).__name__)
        return problems

    @staticmethod
    def _rewind(consumer: Consumer, unhandled: list[Message]) -> None:
        """Seek every partition back to its first message not handled in this batch."""
        first: dict[tuple[str, int], int] = {}
        for msg in unhandled:
            topic, partition, offset = msg.topic(), msg.partition(), msg.offset()
            if msg.error() is not None or topic is None or partition is None or offset is None:
                continue
            if offset >= 0:
                first.setdefault((topic, partition), offset)
        for (topic, partition), offset in first.items():
            consumer.seek(TopicPartition(topic, partition, offset))

    def handover(self) -> None:
        """Builder -> stats client -> flush; then store the offsets that waited for it."""
        if self.failure:
            return
        flows = self._builder.drain()
        try:
            for flow in flows:
                self._stats.add_flow(flow)
            self._stats.flush()
        except Exception as exc:  # offsets stay uncommitted; a restart redelivers
            self._fail("handover_failed", error=type(exc).__name__, flows=len(flows))
            return
        self.counters["flows_handed_over"] += len(flows)
        self.counters["handovers"] += 1
        self._store_pending()
        emit = log.info if flows else log.debug
        emit("digger_handover", flows=len(flows), messages=self.counters["messages"])

    def _store_pending(self) -> None:
        if not self.pending or self._consumer is None:
            return
        offsets = [TopicPartition(t, p, o) for (t, p), o in sorted(self.pending.items())]
        self.pending.clear()
        try:
            self._consumer.store_offsets(offsets=offsets)
        except KafkaException as exc:
            # partitions taken away meanwhile: their messages are redelivered elsewhere
            self.counters["offset_store_errors"] += 1
            log.warning(
                "digger_offset_store_failed", code=kafka_error_name(exc), partitions=len(offsets)
            )
            return
        self.counters["offsets_stored"] += len(offsets)

    def _close(self, consumer: Consumer) -> None:
        """Leave the group and commit the stored offsets, within `shutdowntimeout`."""
        closer = threading.Thread(target=consumer.close, name="digger-kafka-close", daemon=True)
        closer.start()
        closer.join(self.settings.shutdowntimeout)
        if closer.is_alive():
            log.warning("digger_close_timeout", seconds=self.settings.shutdowntimeout)
        self._consumer = None

    # -- callbacks (run inside consume(), on the loop's thread) ----------------------------

    def _on_assign(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        log.info("digger_partitions_assigned", partitions=len(partitions))

    def _on_revoke(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        # hand over now so the offsets of the revoked partitions are committed before they move
        self.handover()
        log.info("digger_partitions_revoked", partitions=len(partitions))

    def _on_lost(self, consumer: Consumer, partitions: list[TopicPartition]) -> None:
        lost = {(tp.topic, tp.partition) for tp in partitions}
        for key in lost:
            self.pending.pop(key, None)
        self.counters["partitions_lost"] += len(lost)
        log.warning("digger_partitions_lost", partitions=len(lost))

    def _on_client_error(self, err: KafkaError) -> None:
        self._kafka_error(err, "client")

    def _kafka_error(self, err: KafkaError, where: str) -> None:
        if err.code() == KafkaError._PARTITION_EOF:
            return
        self.counters["kafka_errors"] += 1
        code = err.name()
        if err.fatal():
            self._fail("kafka_fatal_error", code=code, where=where)
            return
        now = time.monotonic()
        if now - self._error_logged.get(code, -ERROR_LOG_SECONDS) >= ERROR_LOG_SECONDS:
            self._error_logged[code] = now
            log.warning(
                "digger_kafka_error", code=code, where=where, total=self.counters["kafka_errors"]
            )

    def _fail(self, event: str, **fields: Any) -> None:
        self.failure = event
        log.error(event, **fields)
        self._stop.set()


def kafka_error_name(exc: KafkaException) -> str:
    """The librdkafka error code name carried by an exception (its text may hold config)."""
    arg = exc.args[0] if exc.args else None
    return arg.name() if isinstance(arg, KafkaError) else "UNKNOWN"
