"""Custom data types and suppressions by configuration (YAML and environment JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from detection_tool import Detector
from detection_tool.settings import DetectionToolSettings, DetectorSettings
from sensor_core.cli import main as dsensor
from sensor_core.settings import SettingsError, load_settings

from .helpers import luhn_complete

CARD = luhn_complete("411111111111111")


def _detector(**detector: object) -> Detector:
    return Detector(DetectorSettings.model_validate(detector))


def test_custom_type_by_key_and_value() -> None:
    detector = _detector(
        customtypes=[
            {
                "id": "employee_number",
                "category": "personal",
                "sensitivity": "medium",
                "keypattern": r"(?:^|_)(?:emp|employee)_?(?:no|number)$",
                "valuepattern": r"E-\d{6}",
            }
        ]
    )
    # (`employee_no` itself names a person's identifier, like `employee_number`)
    result = detector.detect_document(
        {"emp_no": "E-123456", "emp_number": "X-1", "other": "E-123456"}
    )
    assert list(result) == ["$.emp_no"]
    (finding,) = result["$.emp_no"]
    assert finding.type_id == "employee_number"
    assert finding.sensitivity == "medium"
    assert finding.reasons[:2] == ("key:custom:employee_number", "value:custom:employee_number")
    assert "employee_number" in detector.catalog


def test_custom_type_by_value_with_validator() -> None:
    detector = _detector(
        customtypes=[
            {"id": "loyalty_card", "valuepattern": r"LC\d{16}", "validator": "luhn",
             "sensitivity": "low"}
        ]
    )  # fmt: skip
    good = "LC" + luhn_complete("123456789012345")
    bad = "LC" + str(int(luhn_complete("123456789012345")) + 1)
    result = detector.detect_document({"a": good, "b": bad})
    assert [f.type_id for f in result["$.a"]] == ["loyalty_card"]
    assert "validator:luhn" in result["$.a"][0].reasons
    assert "$.b" not in result


@pytest.mark.parametrize(
    ("entry", "problem"),
    [
        ({"id": "x_type"}, "needs keypattern, valuepattern or both"),
        ({"id": "Bad-Id", "keypattern": "a"}, "String should match pattern"),
        ({"id": "x_type", "valuepattern": "(unclosed"}, "not a valid regular expression"),
        ({"id": "x_type", "keypattern": "a", "validator": "nope"}, "Input should be"),
    ],
)
def test_bad_custom_types_are_configuration_errors(entry: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        DetectorSettings.model_validate({"customtypes": [entry]})


def test_suppressions_by_path_type_and_endpoint() -> None:
    detector = _detector(
        suppressions=[
            {"paths": ["$.items[*].buyer_email"]},
            {"types": ["ip_address"]},
            {"types": ["email"], "endpoints": ["POST /internal/*"]},
        ]
    )
    doc = {
        "items": [{"buyer_email": "a@example.com"}, {"buyer_email": "b@example.com"}],
        "client_ip": "10.1.2.3",
        "email": "c@example.com",
        "card_number": CARD,
    }
    result = detector.detect_document(doc)
    assert set(result) == {"$.email", "$.card_number"}
    internal = detector.detect_document(doc, context="POST /internal/audit")
    assert set(internal) == {"$.card_number"}
    records = detector.detect_records([doc, doc], context="POST /internal/audit")
    assert set(records) == {"$.card_number"}


def test_suppression_needs_a_scope() -> None:
    with pytest.raises(ValueError, match="needs types, paths or endpoints"):
        DetectorSettings.model_validate({"suppressions": [{}]})


def test_custom_types_from_environment_json(monkeypatch: pytest.MonkeyPatch) -> None:
    entries = [{"id": "ticket_secret", "keypattern": "ticket_secret$", "sensitivity": "high",
                "category": "credentials"}]  # fmt: skip
    monkeypatch.setenv("SVRN_DETECTION_TOOL_DETECTOR_CUSTOMTYPES", json.dumps(entries))
    monkeypatch.setenv(
        "SVRN_DETECTION_TOOL_DETECTOR_SUPPRESSIONS", json.dumps([{"paths": ["$.debug.*"]}])
    )
    settings = load_settings(DetectionToolSettings, "DETECTION_TOOL", None)
    detector = Detector.from_settings(settings)
    result = detector.detect_document(
        {"ticket_secret": "anything", "debug": {"email": "a@example.com"}}
    )
    assert list(result) == ["$.ticket_secret"]
    assert result["$.ticket_secret"][0].category == "credentials"


def test_environment_errors_name_the_variable_not_the_value(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "SVRN_DETECTION_TOOL_DETECTOR_CUSTOMTYPES",
        json.dumps([{"id": "x_type", "valuepattern": "(qcanary-secret-regex"}]),
    )
    with pytest.raises(SettingsError) as info:
        load_settings(DetectionToolSettings, "DETECTION_TOOL", None)
    assert "CUSTOMTYPES" in str(info.value)
    assert "qcanary" not in str(info.value)


def test_cli_reads_custom_types_from_config(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        "detector:\n"
        "  customtypes:\n"
        "    - id: badge_number\n"
        "      keypattern: 'badge'\n"
        "      valuepattern: 'B\\d{5}'\n"
        "  suppressions:\n"
        "    - types: [email]\n",
        encoding="utf-8",
    )
    doc = json.dumps({"badge": "B12345", "email": "a@example.com"}) + "\n"
    runner = CliRunner()
    out = runner.invoke(dsensor, ["detect", "--config", str(config), "-"], input=doc)
    assert out.exit_code == 0, out.output
    assert json.loads(out.output) == {"fields": {"$.badge": ["badge_number"]}}
    listed = runner.invoke(dsensor, ["detect", "--config", str(config), "--list-types"])
    ids = [json.loads(line)["id"] for line in listed.output.splitlines()]
    assert "badge_number" in ids
    assert len(ids) >= 70
