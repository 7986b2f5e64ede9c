"""The sample services on loopback (no root): traffic flows, values are valid, nothing logged."""

from __future__ import annotations

import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from stdnum import iban, luhn

from examples.services.fakedata import MIN_NEEDLE, Canaries
from examples.services.seed import customer_rows, patient_records, signup_events
from tests.harness.ports import free_port


def test_canaries_are_valid_unique_and_searchable() -> None:
    first, second = Canaries.generate(), Canaries.generate()
    assert luhn.is_valid(first.card_number)
    assert luhn.is_valid(first.db_card)
    assert iban.is_valid(first.iban)
    assert first.jwt.count(".") == 2
    # high-entropy values never repeat between runs (a CVV or a birth date may, by chance)
    assert not {v for v in first.values() if len(v) >= 12} & set(second.values())
    assert len(first.needles()) == 4 * sum(len(v) >= MIN_NEEDLE for v in first.values())


def test_seed_records_carry_the_canaries() -> None:
    c = Canaries.generate()
    assert customer_rows(c)[0]["email"] == c.db_email
    assert patient_records(c)[0]["medical_record_number"] == c.medical_record
    assert signup_events(c)[0]["user"]["email"] == c.kafka_email
    assert len({row["email"] for row in customer_rows(c)}) == len(customer_rows(c))


@pytest.fixture
def services(tmp_path: Path) -> Iterator[tuple[dict[str, int], Path]]:
    canaries = tmp_path / "canaries.json"
    Canaries.generate().save(canaries)
    ports = {name: free_port() for name in ("users", "orders", "payments", "paygate")}
    peers = {
        "orders": [f"users=127.0.0.1:{ports['users']}", f"payments=127.0.0.1:{ports['payments']}"],
        "payments": [f"paygate=127.0.0.1:{ports['paygate']}"],
    }
    procs = []
    try:
        for name, port in ports.items():
            argv = [sys.executable, "-m", "examples.services.app", name,
                    "--listen", f"127.0.0.1:{port}", "--canaries", str(canaries)]  # fmt: skip
            for peer in peers.get(name, []):
                argv += ["--peer", peer]
            procs.append(subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE))
        yield ports, canaries
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            out, err = proc.communicate(timeout=10)
            assert proc.returncode == 0
            assert out == b""
            assert err == b""  # the services never log (their traffic is all values)


def test_driver_runs_rounds_through_every_service(
    services: tuple[dict[str, int], Path],
) -> None:
    ports, canaries = services
    out = subprocess.run(
        [sys.executable, "-m", "examples.services.drive",
         "--users", f"127.0.0.1:{ports['users']}", "--orders", f"127.0.0.1:{ports['orders']}",
         "--canaries", str(canaries), "--rounds", "3"],
        capture_output=True, text=True, check=False, timeout=60,
    )  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == '{"rounds": 3, "requests": 9, "failed": 0}'
    values = Canaries.load(canaries).values()
    assert not any(v in out.stdout + out.stderr for v in values)


def test_ready_waits_for_a_listener_and_fails_clearly_without_one() -> None:
    ready = [sys.executable, "-m", "examples.services.ready"]
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        address = f"127.0.0.1:{listener.getsockname()[1]}"
        assert subprocess.run([*ready, address], capture_output=True, timeout=30).returncode == 0
    closed = subprocess.run(
        [*ready, f"127.0.0.1:{free_port()}", "--wait=0.3"], capture_output=True, text=True,
        timeout=30,
    )  # fmt: skip
    assert closed.returncode == 1
    assert "not listening after 0.3 s" in closed.stderr
    for garbage in ("nonsense", "127.0.0.1:", ":8080", "127.0.0.1:99999", "10.0.0.1:http"):
        bad = subprocess.run([*ready, garbage], capture_output=True, text=True, timeout=30)
        assert bad.returncode == 1, garbage
        assert "not an IP:PORT address" in bad.stderr, garbage
        assert "Traceback" not in bad.stderr
