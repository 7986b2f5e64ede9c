"""The digger's Kafka loop against a real broker and a real console: at least once, no values."""

from __future__ import annotations

import io
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml
from confluent_kafka import Consumer, Producer, TopicPartition
from dsensor.v1 import pair_pb2
from pydantic import ValidationError

from detection_tool.detector import Detector
from sensor_console.server import ConsoleServer
from sensor_core.demo import SENSOR_ID, DemoSettings, bundled_capture, running_console
from sensor_core.kafka_settings import KafkaSettings, client_config
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings
from sensor_dim.digger.assets import StaticResolver
from sensor_dim.digger.consumer import consumer_config
from sensor_dim.digger.metadata import MetadataBuilder
from sensor_dim.digger.pipeline import PairProcessor
from sensor_dim.digger.service import DiggerService
from sensor_dim.digger.settings import DiggerSettings
from sensor_dim.interceptor.pipeline import read_pairs
from tests.harness.kafka import KafkaBroker

GARBAGE = b"\xff\xff\xff\xff not a protobuf"
CANARY_EMAIL = "qvexlimund.canary@example.test"
CANARY_TOKEN = "Bearer canarytok9x8y7z6w5v4u3t"
DIGGER = Path(sys.executable).with_name("digger")


# -- the connection settings ---------------------------------------------------------------


def test_plain_connection_maps_to_plaintext() -> None:
    config = client_config(KafkaSettings(brokers=["k1:9092", " k2:9093 "]))
    assert config == {"bootstrap.servers": "k1:9092,k2:9093", "security.protocol": "PLAINTEXT"}


def test_tls_and_sasl_map_to_the_librdkafka_keys() -> None:
    settings = KafkaSettings.model_validate(
        {
            "brokers": ["kafka.example:9094"],
            "tls": True,
            "tlsconfig": {"cafile": "/ca.pem", "certfile": "/c.pem", "keyfile": "/k.pem"},
            "sasl": True,
            "user": "digger",
            "password": "s3cret",
            "saslmechanism": "SCRAM-SHA-512",
        }
    )
    assert client_config(settings) == {
        "bootstrap.servers": "kafka.example:9094",
        "security.protocol": "SASL_SSL",
        "ssl.ca.location": "/ca.pem",
        "ssl.certificate.location": "/c.pem",
        "ssl.key.location": "/k.pem",
        "enable.ssl.certificate.verification": "true",
        "ssl.endpoint.identification.algorithm": "https",
        "sasl.mechanism": "SCRAM-SHA-512",
        "sasl.username": "digger",
        "sasl.password": "s3cret",
    }
    assert "s3cret" not in repr(settings)


def test_tls_without_verification_and_sasl_without_tls() -> None:
    insecure = client_config(
        KafkaSettings.model_validate({"tls": True, "tlsconfig": {"insecureskipverify": True}})
    )
    assert insecure["security.protocol"] == "SSL"
    assert insecure["enable.ssl.certificate.verification"] == "false"
    assert "ssl.ca.location" not in insecure
    sasl_only = client_config(KafkaSettings(sasl=True, user="u"))
    assert sasl_only["security.protocol"] == "SASL_PLAINTEXT"
    assert sasl_only["sasl.mechanism"] == "PLAIN"


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        ({"sasl": True}, "user is empty"),
        ({"tlsconfig": {"certfile": "/c.pem"}}, "certfile and keyfile"),
        ({"brokers": ["secret-host-no-port"]}, "entry 0 is not host:port"),
        ({"brokers": []}, "at least 1"),
    ],
)
def test_bad_connection_settings_are_named_without_values(
    data: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValidationError) as info:
        KafkaSettings.model_validate(data)
    text = str(info.value.errors(include_input=False, include_url=False))
    assert problem in text
    assert "secret-host" not in text


# -- helpers -------------------------------------------------------------------------------


@dataclass
class Console:
    server: ConsoleServer
    token: str

    def flow_keys(self) -> set[tuple[str, str, str, str]]:
        assert self.server.store is not None
        return {
            (f.source.name, f.destination.name, f.method, f.path_template)
            for f in self.server.store.data_map()
        }


@pytest.fixture
def console(tmp_path: Path) -> Iterator[Console]:
    token = secrets.token_urlsafe(16)
    settings = DemoSettings(
        capture=bundled_capture(), data_dir=tmp_path / "console", log=LoggingSettings()
    )
    with running_console(settings, token) as server:
        yield Console(server, token)


@pytest.fixture
def logs() -> io.StringIO:
    stream = io.StringIO()
    configure_logging(LoggingSettings(level="debug", format="json"), stream=stream)
    return stream


def _canary_pair() -> pair_pb2.HttpPair:
    pair = pair_pb2.HttpPair(unix_nanos=1_700_000_000_000_000_000)
    pair.source.ip, pair.source.port = "10.244.1.10", 40000
    pair.destination.ip, pair.destination.port = "10.244.2.20", 8080
    pair.request.method, pair.request.target, pair.request.version = "POST", "/signup", "HTTP/1.1"
    req = pair.request.message
    req.headers.add(name="Host", value="accounts:8080")
    req.headers.add(name="Authorization", value=CANARY_TOKEN)
    req.content_type = "application/json"
    req.body = json.dumps({"email": CANARY_EMAIL}).encode()
    pair.response.status = 201
    return pair


def _produce(broker: KafkaBroker, topic: str, pairs: list[pair_pb2.HttpPair]) -> int:
    """Every pair keyed by destination, plus one garbage message. Returns the message count."""
    producer = Producer(broker.producer_config())
    for pair in pairs:
        key = f"{pair.destination.ip}:{pair.destination.port}".encode()
        producer.produce(topic, key=key, value=pair.SerializeToString())
    producer.produce(topic, key=b"10.0.0.1:80", value=GARBAGE)
    assert producer.flush(15) == 0
    return len(pairs) + 1


def _sample_pairs() -> list[pair_pb2.HttpPair]:
    return read_pairs(bundled_capture()).pairs


def _settings(
    broker: KafkaBroker, topic: str, console: Console, data_dir: Path, **extra: Any
) -> DiggerSettings:
    return DiggerSettings.model_validate(
        {
            "kafka": {"brokers": [broker.bootstrap]},
            "eventstopic": topic,
            "consumergroup": f"digger-{topic}",
            "sessiontimeout": "6s",
            "heartbeatinterval": "1s",
            "fetchwaitmax": "10ms",
            "autooffsetreset": "earliest",
            "statsclient": {
                "address": f"127.0.0.1:{console.server.grpc_port}",
                "token": console.token,
                "sensorid": SENSOR_ID,
                "clustername": "test",
            },
            "datadir": data_dir,
            "http": {"host": "127.0.0.1", "port": 0},
            **extra,
        }
    )


def _committed_lag(broker: KafkaBroker, settings: DiggerSettings) -> int:
    """Messages of the topic not covered by the group's committed offsets."""
    probe = Consumer(broker.consumer_config(settings.consumergroup))
    try:
        meta = probe.list_topics(settings.eventstopic, timeout=10).topics[settings.eventstopic]
        parts = [TopicPartition(settings.eventstopic, p) for p in meta.partitions]
        committed = probe.committed(parts, timeout=10)
        lag = 0
        for tp in committed:
            low, high = probe.get_watermark_offsets(tp, timeout=10)
            lag += high - (tp.offset if tp.offset >= 0 else low)
        return lag
    finally:
        probe.close()


def _wait(condition: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.1)


def _start(service: DiggerService) -> threading.Thread:
    thread = threading.Thread(target=service.run, name="digger-under-test", daemon=True)
    thread.start()
    return thread


def _fast_commits(config: dict[str, Any]) -> Consumer:
    # a real consumer whose auto-commit timer fires often, so early commits would show at once
    return Consumer({**config, "auto.commit.interval.ms": 100})


def _expected_flows(pairs: list[pair_pb2.HttpPair]) -> set[tuple[str, str, str, str]]:
    """The flows the same pipeline builds without Kafka (names as the console stores them)."""
    builder = MetadataBuilder()
    processor = PairProcessor(Detector(), StaticResolver([], "test"), builder)
    for pair in pairs:
        processor.process(pair)
    return {
        (f.source.name, f.destination.name, f.endpoint.method, f.endpoint.path_template)
        for f in builder.drain()
    }


# -- the loop ------------------------------------------------------------------------------


def test_consumer_config_takes_the_tuning_from_settings() -> None:
    config = consumer_config(DiggerSettings.model_validate({"fetchwaitmax": "10ms"}))
    assert config["enable.auto.commit"] is True
    assert config["enable.auto.offset.store"] is False
    assert config["session.timeout.ms"] == 6000
    assert config["heartbeat.interval.ms"] == 1000
    assert config["fetch.wait.max.ms"] == 10
    assert config["group.id"] == "dsensor-digger"
    assert config["queued.max.messages.kbytes"] == 16384


def test_a_digger_that_falls_behind_stops_fetching_at_the_prefetch_bound(
    kafka_broker: KafkaBroker,
) -> None:
    """12 MiB wait in the topic while the loop is busy: with a 1 MiB bound the consumer holds a
    few MiB (the bound plus one fetch per partition) and gets the rest once it catches up; the
    same consumer with a 64 MiB bound holds everything."""
    topic = kafka_broker.new_topic("prefetch")
    producer = Producer(kafka_broker.producer_config())
    value = os.urandom(8192)
    count = 1536  # 12 MiB over the topic's 4 partitions
    for i in range(count):
        producer.produce(topic, key=str(i).encode(), value=value)
    assert producer.flush(30) == 0

    def held_while_busy(prefetch: int) -> tuple[int, int]:
        """(messages held after a busy spell, messages in all), one fresh consumer group."""
        settings = DiggerSettings.model_validate(
            {
                "kafka": {"brokers": [kafka_broker.bootstrap]},
                "eventstopic": topic,
                "consumergroup": f"prefetch-{prefetch}",
                "prefetchkbytes": prefetch,
            }
        )
        consumer = Consumer(consumer_config(settings))
        try:
            consumer.subscribe([topic])
            first: list[Any] = []
            deadline = time.monotonic() + 20
            while not first and time.monotonic() < deadline:
                first = consumer.consume(1, 0.5)
            time.sleep(3.0)  # the loop is busy: librdkafka fetches ahead on its own
            held = len(consumer.consume(count, 0))  # what is already here, without waiting
            total = len(first) + held
            deadline = time.monotonic() + 30
            while total < count and time.monotonic() < deadline:
                total += len(consumer.consume(count, 0.5))
            return held, total
        finally:
            consumer.close()

    bounded_held, bounded_total = held_while_busy(1024)
    unbounded_held, unbounded_total = held_while_busy(65536)
    assert bounded_total == unbounded_total == count  # the rest arrives once the loop catches up
    assert bounded_held * len(value) <= 6 * 1024 * 1024
    assert unbounded_held == count - 1


def test_pairs_reach_the_console_and_every_offset_is_committed(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path, logs: io.StringIO
) -> None:
    topic = kafka_broker.new_topic("events")
    pairs = [*_sample_pairs(), _canary_pair()]
    produced = _produce(kafka_broker, topic, pairs)
    settings = _settings(kafka_broker, topic, console, tmp_path, flushinterval="300ms")
    service = DiggerService(settings, consumer_factory=_fast_commits)
    thread = _start(service)
    try:
        _wait(lambda: service.consumer.counters["messages"] == produced, 20, "all messages")
        expected = _expected_flows(pairs)
        _wait(lambda: console.flow_keys() == expected, 10, "every flow in the console")
        assert service.probes is not None
        probes = f"http://127.0.0.1:{service.probes.port}"
        with urllib.request.urlopen(probes + "/readyz", timeout=5) as reply:
            assert reply.status == 200
        with urllib.request.urlopen(probes + "/metrics", timeout=5) as reply:
            metrics = reply.read().decode()
    finally:
        service.stop()
        thread.join(15)
    assert not thread.is_alive()
    assert 'dsensor_digger_consumer_total{event="poison"} 1.0' in metrics
    assert f'dsensor_digger_pipeline_total{{event="pairs"}} {float(len(pairs))}' in metrics
    assert CANARY_EMAIL not in metrics
    assert service.consumer.counters["poison"] == 1
    assert service.processor.counters["pairs"] == len(pairs)
    assert len(expected) >= 5
    assert any(key[3] == "/signup" for key in expected)
    assert _committed_lag(kafka_broker, settings) == 0
    written = logs.getvalue()
    assert "digger_poison_message" in written
    assert CANARY_EMAIL not in written
    assert "canarytok" not in written


def test_offsets_wait_for_the_handover_and_the_stop_path_hands_over(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path, logs: io.StringIO
) -> None:
    topic = kafka_broker.new_topic("events")
    produced = _produce(kafka_broker, topic, _sample_pairs())
    settings = _settings(kafka_broker, topic, console, tmp_path, flushinterval="1h")
    service = DiggerService(settings, consumer_factory=_fast_commits)
    thread = _start(service)
    try:
        _wait(lambda: service.consumer.counters["messages"] == produced, 20, "all messages")
        time.sleep(1.0)  # ten auto-commit intervals
        # consumed and processed, but the metadata is only in the builder: nothing committed
        assert _committed_lag(kafka_broker, settings) == produced
        assert console.flow_keys() == set()
    finally:
        service.stop()
        thread.join(15)
    assert not thread.is_alive()
    expected = _expected_flows(_sample_pairs())
    assert console.flow_keys() == expected
    assert _committed_lag(kafka_broker, settings) == 0
    assert service.consumer.counters["flows_handed_over"] == len(expected)


def test_a_console_outage_spools_and_still_commits(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path, logs: io.StringIO
) -> None:
    topic = kafka_broker.new_topic("events")
    produced = _produce(kafka_broker, topic, _sample_pairs())
    settings = _settings(kafka_broker, topic, console, tmp_path, flushinterval="1h")
    down = settings.statsclient.model_copy(update={"address": "127.0.0.1:1", "timeout": 1.0})
    settings = settings.model_copy(update={"statsclient": down})
    service = DiggerService(settings)
    thread = _start(service)
    try:
        _wait(lambda: service.consumer.counters["messages"] == produced, 20, "all messages")
    finally:
        service.stop()
        thread.join(15)
    assert not thread.is_alive()
    assert service.stats.counters["spooled_batches"] >= 1
    assert any((tmp_path / "spool" / "stats").iterdir())
    assert _committed_lag(kafka_broker, settings) == 0


# -- the command ---------------------------------------------------------------------------


def _digger_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("SVRN_")}
    return {**env, **extra}


def test_digger_command_runs_until_sigterm(
    kafka_broker: KafkaBroker, console: Console, tmp_path: Path
) -> None:
    topic = kafka_broker.new_topic("events")
    _produce(kafka_broker, topic, [*_sample_pairs(), _canary_pair()])
    config = tmp_path / "config.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "kafka": {"brokers": [kafka_broker.bootstrap]},
                "eventstopic": topic,
                "consumergroup": f"digger-{topic}",
                "fetchwaitmax": "10ms",
                "flushinterval": "300ms",
                "statsclient": {
                    "address": f"127.0.0.1:{console.server.grpc_port}",
                    "sensorid": SENSOR_ID,
                },
                "datadir": str(tmp_path / "data"),
                "http": {"host": "127.0.0.1", "port": 0},
                "logging": {"level": "debug", "format": "json"},
            }
        )
    )
    proc = subprocess.Popen(
        [str(DIGGER), "--config", str(config)],
        env=_digger_env(SVRN_DIGGER_STATSCLIENT_TOKEN=console.token),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        _wait(lambda: any(k[3] == "/signup" for k in console.flow_keys()), 20, "the canary flow")
        started = time.monotonic()
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.communicate()
    assert proc.returncode == 0, err[-2000:]
    assert time.monotonic() - started < 10
    assert "digger_stopped" in err
    assert CANARY_EMAIL not in out + err
    assert "canarytok" not in out + err


def test_digger_command_names_a_bad_variable_and_exits_2(tmp_path: Path) -> None:
    proc = subprocess.run(
        [str(DIGGER)],
        env=_digger_env(SVRN_DIGGER_KAFKA_BROKERS="not json"),
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 2
    assert "SVRN_DIGGER_KAFKA_BROKERS: invalid JSON" in proc.stderr
    assert "not json" not in proc.stderr
    assert "Traceback" not in proc.stderr
