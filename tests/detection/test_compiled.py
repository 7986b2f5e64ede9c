"""The detector's compiled build (mypyc, setup.py) and its plain-Python sources agree.

Users get the compiled build; a machine without a C compiler gets the sources. Both must give
the same findings (types, confidence, sensitivity, reasons) and the same errors, on the
project's corpus and record sets, the hand-written payload sets and hostile input.
"""

from __future__ import annotations

import hashlib
import json
import random

from detection_tool import Detector
from detection_tool.errors import DetectionInputError
from detection_tool.training.corpus import CorpusGenerator
from detection_tool.training.tables import table_samples
from sensor_core.compiled import COMPILED_MODULES, ROOT, is_compiled
from tests.harness.interpreted import run_from_sources
from tests.harness.prereq import require

HOSTILE: list[bytes] = [
    b'{"a": ' * 300 + b"1" + b"}" * 300,  # deeper than the limit
    b'{"email": "\xff\xfe@example.com"}',  # invalid UTF-8
    b'{"card": 4111111111111111, "n": 1e999, "big": 123456789012345678901234567890}',
    b'{"x": [' + b",".join(b'"4111 1111 1111 1111"' for _ in range(50)) + b"]}",
    b'{"k": "' + b"a" * 200_000 + b'"}',
    b"[1, 2,",
    b"",
    b'{"\\u0000": "\\ud800", "user": {"name": null, "email": true}}',
]


def digests(documents: int, tables: int) -> dict[str, str]:
    """Per input group, a digest of every finding (path, type, confidence, sensitivity,
    category, reasons) or error class, in order."""
    detector = Detector()
    out: dict[str, str] = {}

    def add(group: str, result: object) -> None:
        out.setdefault(group, "")
        digest = hashlib.sha256((out[group] + repr(result)).encode())
        out[group] = digest.hexdigest()

    generator = CorpusGenerator(7)
    for _ in range(documents):
        add("corpus", sorted(detector.detect_document(generator.document().doc).items()))
    for columns, rows in table_samples(random.Random(7), generator, tables):
        add("tables", (columns, sorted(detector.detect_records(rows).items())))
    for data in sorted((ROOT / "benchmarks" / "data").glob("*.jsonl")):
        for line in data.read_text("utf-8").splitlines():
            add(data.name, sorted(detector.detect_document(json.loads(line)["doc"]).items()))
    for raw in HOSTILE:
        try:
            add("hostile", sorted(detector.detect_json(raw).items()))
        except DetectionInputError as exc:
            add("hostile", (type(exc).__name__, str(exc)))
    return out


def test_the_detector_runs_compiled() -> None:
    ours = [name for name in COMPILED_MODULES if name.startswith("detection_tool.")]
    missing = [name for name in ours if not is_compiled(name)]
    require(not missing, f"{len(missing)} modules are not compiled (scripts/setup.sh builds them)")


def test_compiled_and_interpreted_detectors_give_the_same_findings() -> None:
    code = (
        "import json, sys\n"
        "from detection_tool import analysis\n"
        "from tests.detection.test_compiled import digests\n"
        "print(analysis.__file__)\n"
        "print(json.dumps(digests(int(sys.argv[1]), int(sys.argv[2]))))\n"
    )
    output = run_from_sources(code, ["300", "30"], timeout=300)
    module_file, interpreted = output[-2:]
    assert module_file.endswith(".py")  # the subprocess really ran the sources
    here = digests(300, 30)
    assert json.loads(interpreted) == here
    assert len(here) == 3 + len(list((ROOT / "benchmarks" / "data").glob("*.jsonl")))
