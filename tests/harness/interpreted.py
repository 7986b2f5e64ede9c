"""Load the mypyc-compiled modules from their Python sources instead (the plain-Python build).

`install()` puts a finder first on `sys.meta_path` that answers every name in
`sensor_core.compiled.COMPILED_MODULES` with its `.py` file, so a process that calls
it before importing dsensor runs exactly what an uncompiled install runs. Used by the tests that
hold the compiled and the interpreted interceptor to the same output.
"""

from __future__ import annotations

import importlib.abc
import importlib.machinery
import importlib.util
import subprocess
import sys
from collections.abc import Sequence
from types import ModuleType

from sensor_core.compiled import COMPILED_MODULES, ROOT


class SourceFirst(importlib.abc.MetaPathFinder):
    def find_spec(
        self, fullname: str, path: Sequence[str] | None, target: ModuleType | None = None
    ) -> importlib.machinery.ModuleSpec | None:
        if fullname not in COMPILED_MODULES:
            return None
        source = ROOT.joinpath(*fullname.split(".")).with_suffix(".py")
        return importlib.util.spec_from_file_location(fullname, source)


def install() -> None:
    """Call before anything imports a compiled module."""
    loaded = [name for name in COMPILED_MODULES if name in sys.modules]
    if loaded:
        raise RuntimeError(f"already imported: {loaded[0]}")
    sys.meta_path.insert(0, SourceFirst())


def run_from_sources(code: str, args: Sequence[str], timeout: float) -> list[str]:
    """Run `code` (with `sys.argv[1:]` = `args`) in a new interpreter whose compiled modules
    load from their sources; its output lines."""
    script = f"from tests.harness.interpreted import install\ninstall()\n{code}"
    done = subprocess.run(
        [sys.executable, "-c", script, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=timeout,
    )
    return done.stdout.splitlines()
