"""Remote detection: the digger calls the detection-tool service; while the service is away no
pair is dropped — it is delivered again and analysed once the service is back."""

from __future__ import annotations

import io
from pathlib import Path

from detection_tool.server import serve
from detection_tool.settings import DetectionToolSettings
from sensor_dim.digger.service import DiggerService
from tests.digger.test_consumer import (
    Console,
    _committed_lag,
    _expected_flows,
    _produce,
    _sample_pairs,
    _settings,
    _start,
    _wait,
)
from tests.harness.kafka import KafkaBroker
from tests.harness.ports import free_port


def test_pairs_wait_for_the_detection_service_and_none_is_lost(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path, logs: io.StringIO
) -> None:
    topic = kafka_broker.new_topic("events")
    pairs = _sample_pairs()
    produced = _produce(kafka_broker, topic, pairs)
    port = free_port()
    settings = _settings(
        kafka_broker,
        topic,
        console,
        tmp_path,
        flushinterval="300ms",
        detection={"mode": "remote", "address": f"127.0.0.1:{port}", "timeout": "2s",
                   "patience": "1s"},
    )  # fmt: skip
    service = DiggerService(settings)
    assert service.remote is not None
    thread = _start(service)
    running = None
    try:
        # the service is away: pairs are retried and delivered again, none is analysed or lost
        _wait(lambda: service.consumer.counters["redelivered"] >= 2, 30, "redeliveries")
        assert service.processor.counters["analysed"] == 0
        assert service.consumer.counters["poison"] <= 1  # only the garbage message
        tool = DetectionToolSettings.model_validate({"grpc": {"host": "127.0.0.1", "port": port}})
        running = serve(tool, with_http=False)
        _wait(lambda: service.consumer.counters["messages"] >= produced, 30, "all messages")
        expected = _expected_flows(pairs)
        _wait(lambda: console.flow_keys() == expected, 15, "every flow in the console")
    finally:
        service.stop()
        thread.join(20)
        if running is not None:
            running.stop(grace=1.0)
    assert not thread.is_alive()
    assert service.consumer.counters["poison"] == 1
    assert service.processor.counters["analysed"] == len(pairs)
    assert service.remote.counters["unavailable"] >= 2
    # pairs are detected in batches: far fewer requests than pairs
    assert 1 <= service.remote.counters["calls"] < len(pairs) / 2
    assert _committed_lag(kafka_broker, settings) == 0
