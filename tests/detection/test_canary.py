"""Privacy invariant: planted values never appear in any output, error or log line."""

from __future__ import annotations

import io
import json
import logging
from collections.abc import Iterator

import grpc
import pytest
import structlog
from click.testing import CliRunner
from dsensor.v1 import detection_pb2, detection_pb2_grpc

from detection_tool import Detector
from detection_tool.client import RemoteDetector
from detection_tool.server import RunningServer
from detection_tool.settings import DetectorSettings
from sensor_core.cli import main as dsensor
from sensor_core.logs import configure_logging
from sensor_core.sections import LoggingSettings

from .helpers import luhn_complete, make_jwt

CANARIES = {
    "email": "kx9qv2canary@zt7wq-mail.io",
    "card": luhn_complete("453987651234987"),
    "password": "Pw!qcanary-93jfk2",
    "phone": "+44 7911 583962",
    "name": "Quixelbrandt Vormayer",
    "ssn": "536-87-4213",
    "iban": "GB82WEST12345698765432",
    "jwt": make_jwt({"alg": "HS256", "kid": "qcanarykid77"}),
    "notes": "please mail zzcanaryjm@qv8-notes.org about order 7781",
    "user_id": "uid-qcanary-55k",
    "pair_name": "qzorbexwendal full name",
    "env_name": "QZORB_CANARY_PASSWORD",
    "doc_type": "qzorbex wendal kind",
    "passport": "QZ7719034",
    "pair_type": "qzorbwendal pwd",
    "record_type": "Qzorbexwendalvmtyp",
}


def _document() -> dict[str, object]:
    return {
        "customer": {
            "email": CANARIES["email"],
            "full_name": CANARIES["name"],
            "phone": CANARIES["phone"],
            "ssn": CANARIES["ssn"],
            "user_id": CANARIES["user_id"],
        },
        "payment": {"card_number": CANARIES["card"], "iban": CANARIES["iban"]},
        "password": CANARIES["password"],
        "authorization": "Bearer " + CANARIES["jwt"],
        "notes": CANARIES["notes"],
        "by_email": {CANARIES["email"]: {"name": CANARIES["name"]}},
        # an attribute pair names its value by `Name`, which may itself be a value
        "card": {"Name": CANARIES["pair_name"], "Value": CANARIES["name"]},
        # CI variables and typed documents: the name or type text may itself be a value
        "variable": {"key": CANARIES["env_name"], "value": CANARIES["password"], "a": 1, "b": 2},
        "document": {"tipo": CANARIES["doc_type"], "numero": CANARIES["passport"]},
        # a credential named by its type member, a record named by its type (JSON:API)
        "credential": {"type": CANARIES["pair_type"], "value": CANARIES["password"]},
        "record": {"type": CANARIES["record_type"], "id": CANARIES["user_id"], "attributes": {}},
        # an environment list's assignment: the variable's name may itself be a value
        "environment": [CANARIES["env_name"] + "=" + CANARIES["password"]],
    }


def _leaks(text: str) -> list[str]:
    """Canary substrings of 6+ characters found in `text`."""
    found = []
    for name, value in CANARIES.items():
        for start in range(len(value) - 5):
            if value[start : start + 6] in text:
                found.append(f"{name}[{start}:{start + 6}]")
                break
    return found


@pytest.fixture
def captured_logs() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    root = logging.getLogger()
    saved = (root.handlers[:], root.level)
    configure_logging(LoggingSettings(level="debug", format="json"), stream=stream)
    try:
        yield stream
    finally:
        structlog.reset_defaults()
        root.handlers[:], root.level = saved


def _log_text(stream: io.StringIO) -> str:
    """Log lines without their timestamps (digits there could collide by chance)."""
    lines = []
    for line in stream.getvalue().splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            lines.append(line)
            continue
        event.pop("timestamp", None)
        lines.append(json.dumps(event))
    return "\n".join(lines)


def test_canaries_are_detected_but_never_echoed(
    running_server: RunningServer, captured_logs: io.StringIO
) -> None:
    doc = json.dumps(_document())
    broken = doc[: len(doc) // 2]  # invalid JSON that holds canaries
    outputs: list[str] = []

    detector = Detector()
    result = detector.detect_json(doc)
    types = {f.type_id for findings in result.values() for f in findings}
    # the detector does see them: a leak test on an empty result would prove nothing
    assert {"email", "credit_card_number", "password", "phone_number", "us_ssn", "iban"} <= types
    assert {"person_name", "bearer_token", "user_id"} <= types
    outputs.append(repr(result))
    for data in (broken.encode(), doc.encode().replace(b"kx9", b"\xff\xfe9")):
        try:
            detector.detect_json(data)
        except ValueError as exc:
            outputs.append(repr(exc) + str(exc))
    outputs.append(
        repr(
            detector.detect_fields(
                [("header.authorization", "authorization", "Bearer " + CANARIES["jwt"])]
            )
        )
    )
    outputs.append(repr(detector.detect_records([_document(), _document()])))

    cli_input = "\n".join([doc, broken, doc]) + "\n"
    for args in (["--explain", "-"], ["--explain", "--records", "-"]):
        run = CliRunner().invoke(dsensor, ["detect", *args], input=cli_input)
        assert run.stdout.strip()
        outputs.append(run.stdout + run.stderr)

    target = f"127.0.0.1:{running_server.port}"
    with grpc.insecure_channel(target) as channel:
        stub = detection_pb2_grpc.DetectionServiceStub(channel)  # type: ignore[no-untyped-call]
        reply = stub.Detect(
            detection_pb2.DetectRequest(
                documents=[
                    detection_pb2.Document(id="1", json=doc.encode()),
                    detection_pb2.Document(id="2", json=broken.encode()),
                ]
            ),
            timeout=5,
        )
        outputs.append(str(reply))
        compact = stub.Detect(
            detection_pb2.DetectRequest(
                documents=[detection_pb2.Document(id="1", json=doc.encode())], compact=True
            ),
            timeout=5,
        )
        assert compact.findings
        outputs.append(str(compact))
        records = stub.DetectRecords(
            detection_pb2.DetectRecordsRequest(records=[doc.encode()] * 3), timeout=5
        )
        outputs.append(str(records))
    with RemoteDetector(target, timeout=5) as remote:
        outputs.append(repr(remote.detect_json_batch([doc.encode(), broken.encode()])))

    assert _leaks(doc)  # the checker itself finds a planted value
    logs = _log_text(captured_logs)
    assert '"detect"' in logs  # the service did log its batches
    assert _leaks("\n".join(outputs)) == []
    assert _leaks(logs) == []


NEW_CANARIES = {
    "nino": "JK918273B",
    "codice": "RSSMRA85T10A562S",
    "badge": "BQZ-771903-canary",
    "pwd_es": "qcanary-pw-Zk81x3",
    "gitlab": "glpat-qcanaryZ7x9Wm2Lp4Kd8s",
    "key_email": "qcanary.key@zt7wq-mail.io",
}


def _new_leaks(text: str) -> list[str]:
    found = []
    for name, value in NEW_CANARIES.items():
        for start in range(len(value) - 5):
            if value[start : start + 6] in text:
                found.append(f"{name}[{start}:{start + 6}]")
                break
    return found


def test_new_types_custom_types_and_remote_calls_never_echo(
    running_server: RunningServer, captured_logs: io.StringIO
) -> None:
    settings = DetectorSettings.model_validate(
        {
            "customtypes": [{"id": "badge_number", "keypattern": "badge"}],
            "suppressions": [{"paths": ["$.hidden"]}],
        }
    )
    detector = Detector(settings)
    doc = {
        "nino": NEW_CANARIES["nino"],
        "value": NEW_CANARIES["codice"],
        "badge": NEW_CANARIES["badge"],
        "contraseña": NEW_CANARIES["pwd_es"],
        "ci": NEW_CANARIES["gitlab"],
        "hidden": NEW_CANARIES["gitlab"],
        NEW_CANARIES["key_email"]: {"email": NEW_CANARIES["key_email"]},
    }
    result = detector.detect_document(doc, context="POST /v1/people")
    types = {f.type_id for findings in result.values() for f in findings}
    assert {"uk_nino", "it_codice_fiscale", "badge_number", "password", "gitlab_token"} <= types
    outputs = [repr(result), repr(detector.detect_records([doc, doc]))]
    fields = [("header.x-gitlab-token", "x-gitlab-token", NEW_CANARIES["gitlab"])]
    with RemoteDetector(f"127.0.0.1:{running_server.port}", timeout=5) as remote:
        outputs.append(repr(remote.detect_document(doc)))
        outputs.append(repr(remote.detect_fields(fields)))
    run = CliRunner().invoke(
        dsensor, ["detect", "--explain", "--context", "GET /x", "-"], input=json.dumps(doc) + "\n"
    )
    outputs.append(run.stdout + run.stderr)
    assert _new_leaks(json.dumps(doc, ensure_ascii=False))
    assert _new_leaks("\n".join(outputs)) == []
    assert _new_leaks(_log_text(captured_logs)) == []
