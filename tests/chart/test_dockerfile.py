"""The Dockerfile, checked without a Docker engine: parsed with dockerfile-parse."""

from __future__ import annotations

import shlex
import subprocess
import tomllib
from pathlib import Path
from typing import Any

import pytest

from tests.chart.render import CHART
from tests.harness.prereq import require, require_binary

ROOT = CHART.parent
SCRIPTS: dict[str, str] = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
    "project"
]["scripts"]


def parsed() -> Any:
    try:
        from dockerfile_parse import DockerfileParser  # type: ignore[import-untyped]
    except ImportError:  # pragma: no cover
        require(False, "dockerfile-parse is not installed (pip install -e .[dev])")
        raise
    parser = DockerfileParser(path=str(ROOT / "Dockerfile"))
    return parser


def final_stage(parser: Any) -> list[dict[str, Any]]:
    starts = [i for i, item in enumerate(parser.structure) if item["instruction"] == "FROM"]
    return list(parser.structure[starts[-1] :])


def runtime_commands(parser: Any) -> list[str]:
    (arg,) = [
        i["value"]
        for i in final_stage(parser)
        if i["instruction"] == "ARG" and "COMMANDS" in i["value"]
    ]
    return " ".join(shlex.split(arg.split("=", 1)[1])).split()


def test_multi_stage_build() -> None:
    parser = parsed()
    stages = [i["value"] for i in parser.structure if i["instruction"] == "FROM"]
    assert len(stages) >= 2
    assert stages[0].endswith(" AS build")
    assert stages[-1].endswith(" AS runtime")
    # the runtime takes the build stage's output, not its toolchain
    runs = " ".join(i["value"] for i in final_stage(parser) if i["instruction"] == "RUN")
    assert "from=build" in runs


def test_runs_as_uid_1000_non_root() -> None:
    stage = final_stage(parsed())
    users = [i["value"] for i in stage if i["instruction"] == "USER"]
    assert users[-1] == "1000:1000"
    runs = " ".join(i["value"] for i in stage if i["instruction"] == "RUN")
    assert '--uid "${UID}"' in runs
    assert "ARG UID=1000" in "".join(
        f"ARG {i['value']}" for i in stage if i["instruction"] == "ARG"
    )
    assert [i["value"] for i in stage if i["instruction"] == "VOLUME"] == ['["/var/lib/dsensor"]']


@pytest.mark.parametrize(
    "command", ["interceptor", "digger", "crawler", "detection-tool", "console"]
)
def test_every_entrypoint_is_a_console_script(command: str) -> None:
    parser = parsed()
    assert command in runtime_commands(parser)
    if command not in SCRIPTS and command == "crawler":
        pytest.xfail("the crawler's console script arrives with the data-at-rest sensor (issue 7)")
    assert command in SCRIPTS
    # and the chart's default commands name the same paths
    workload = {"interceptor": "daemonset.yaml"}.get(command, "deployment.yaml")
    if command != "detection-tool":
        template = (CHART / "templates" / command / workload).read_text(encoding="utf-8")
        assert f'"/usr/local/bin/{command}"' in template


def test_detection_tool_entrypoint_script(tmp_path: Path) -> None:
    bash = require_binary("bash")
    script = ROOT / "docker" / "entrypoint.sh"
    assert script.stat().st_mode & 0o111
    subprocess.run([bash, "-n", str(script)], check=True)
    text = script.read_text(encoding="utf-8")
    assert "exec /usr/local/bin/detection-tool --config" in text
    copies = [i["value"] for i in final_stage(parsed()) if i["instruction"] == "COPY"]
    assert "--chmod=0755 docker/entrypoint.sh ./entrypoint.sh" in copies
    workdirs = [i["value"] for i in final_stage(parsed()) if i["instruction"] == "WORKDIR"]
    assert workdirs[-1] == "/app"


def test_the_build_stage_compiles_the_interceptor() -> None:
    structure = parsed().structure
    starts = [i for i, item in enumerate(structure) if item["instruction"] == "FROM"]
    build = structure[starts[0] : starts[1]]
    runs = " ".join(i["value"] for i in build if i["instruction"] == "RUN")
    assert "gcc" in runs  # mypyc needs a C compiler (setup.py); the runtime image has none
    copies = " ".join(i["value"] for i in build if i["instruction"] == "COPY")
    assert "setup.py" in copies.split()
    runtime = " ".join(i["value"] for i in final_stage(parsed()) if i["instruction"] == "RUN")
    assert "gcc" not in runtime


def test_build_context_holds_every_package() -> None:
    copied = {
        i["value"].split()[0]
        for i in parsed().structure
        if i["instruction"] == "COPY" and "--" not in i["value"].split()[0]
    }
    for package in (
        "proto",
        "sensor_core",
        "sensor_dim",
        "sensor_dar",
        "plugins",
        "detection_tool",
        "sensor_console",
    ):
        assert package in copied
        assert (ROOT / package).is_dir()
