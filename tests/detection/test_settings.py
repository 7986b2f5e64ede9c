from __future__ import annotations

from pathlib import Path

import pytest

from detection_tool import Detector
from detection_tool.settings import DetectionToolSettings
from sensor_core.settings import SettingsError, load_settings


def test_defaults_follow_the_contract() -> None:
    settings = load_settings(DetectionToolSettings, "DETECTION_TOOL", None, {})
    assert settings.grpc.port == 8000
    assert settings.http.port == 9100
    assert settings.maxdepth == 64


def test_seed_variable_sets_the_registry_token() -> None:
    env = {"SVRN_DETECTION_TOOL_OTAREGISTRY_AUTH_TOKEN": "tok-canary-81723"}
    settings = load_settings(DetectionToolSettings, "DETECTION_TOOL", None, env)
    assert settings.otaregistry.auth.token.get_secret_value() == "tok-canary-81723"
    assert "canary" not in repr(settings)
    assert "canary" not in str(settings.model_dump())


def test_yaml_thresholds_reach_the_detector(tmp_path: Path) -> None:
    config = tmp_path / "dt.yaml"
    config.write_text("detector:\n  minconfidence: 0.99\nmaxdepth: 3\n", encoding="utf-8")
    settings = load_settings(DetectionToolSettings, "DETECTION_TOOL", config, {})
    detector = Detector.from_settings(settings)
    assert detector.detect_document({"email": "a@example.com"}) == {}
    assert detector.max_depth == 3


def test_bad_threshold_names_the_variable() -> None:
    env = {"SVRN_DETECTION_TOOL_DETECTOR_MINCONFIDENCE": "2"}
    with pytest.raises(SettingsError) as info:
        load_settings(DetectionToolSettings, "DETECTION_TOOL", None, env)
    assert "SVRN_DETECTION_TOOL_DETECTOR_MINCONFIDENCE" in str(info.value)
