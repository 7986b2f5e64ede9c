"""The interceptor's compiled build (mypyc, setup.py) and its plain-Python sources agree.

Users get the compiled build; a machine without a C compiler gets the sources. Both must give
byte-identical pairs and the same counters on clean, edge-case, busy and corrupted captures.
"""

from __future__ import annotations

import hashlib
import json
import random
import struct
from pathlib import Path

from benchmarks.interceptor_pcap import write_traffic
from sensor_core.compiled import COMPILED_MODULES, is_compiled
from sensor_core.demo_data import __file__ as demo_data_init
from sensor_dim.interceptor.pipeline import read_pairs
from sensor_dim.interceptor.settings import InterceptorLimits
from tests.harness.interpreted import run_from_sources
from tests.harness.prereq import require

DEMO_DATA = Path(demo_data_init).parent
SMALL = InterceptorLimits(maxflows=40, messagecap=2048, headercap=1024, flowbuffer=4096)


def digests(paths: list[str]) -> dict[str, str]:
    """Per capture and setting: a digest of every serialized pair, in order, and the counters."""
    out: dict[str, str] = {}
    for path in paths:
        for select in (True, False):
            for name, limits in (("default", InterceptorLimits()), ("small", SMALL)):
                result = read_pairs(Path(path), settings=limits, select=select)
                digest = hashlib.sha256()
                for pair in result.pairs:
                    digest.update(pair.SerializeToString(deterministic=True))
                counters = json.dumps(result.counters.snapshot(), sort_keys=True)
                key = f"{Path(path).name} select={select} limits={name}"
                out[key] = f"{len(result.pairs)} {digest.hexdigest()} {counters}"
    return out


def corrupted(source: Path, target: Path, seed: int) -> Path:
    """A copy of a classic pcap with random bytes of its frames changed (records kept whole)."""
    rng = random.Random(seed)
    data = bytearray(source.read_bytes())
    pos = 24
    while pos + 16 <= len(data):
        caplen = struct.unpack_from("<I", data, pos + 8)[0]
        for _ in range(rng.randrange(3)):
            if caplen:
                data[pos + 16 + rng.randrange(caplen)] = rng.randrange(256)
        pos += 16 + caplen
    target.write_bytes(bytes(data))
    return target


def test_the_interceptor_runs_compiled() -> None:
    ours = [name for name in COMPILED_MODULES if name.startswith("sensor_")]
    missing = [name for name in ours if not is_compiled(name)]
    require(not missing, f"{len(missing)} modules are not compiled (scripts/setup.sh builds them)")


def test_compiled_and_interpreted_builds_give_the_same_pairs_and_counters(tmp_path: Path) -> None:
    busy = tmp_path / "busy.pcap"
    write_traffic(busy, 6000, 300)
    paths = [
        DEMO_DATA / "demo.pcap",
        DEMO_DATA / "services.pcap",
        busy,
        corrupted(DEMO_DATA / "demo.pcap", tmp_path / "demo-corrupt.pcap", 1),
        corrupted(busy, tmp_path / "busy-corrupt.pcap", 2),
    ]
    code = (
        "import json, sys\n"
        "from sensor_dim.interceptor import flows\n"
        "from tests.interceptor.test_compiled import digests\n"
        "print(flows.__file__)\n"
        "print(json.dumps(digests(sys.argv[1:])))\n"
    )
    output = run_from_sources(code, list(map(str, paths)), timeout=240)
    module_file, interpreted = output[-2:]
    assert module_file.endswith(".py")  # the subprocess really ran the sources
    here = digests([str(path) for path in paths])
    assert json.loads(interpreted) == here
    assert len(here) == 20
