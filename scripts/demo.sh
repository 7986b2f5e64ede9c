#!/usr/bin/env bash
# The demo command of the README: set up .venv (no root needed) and run `dsensor demo`
# on the bundled sample capture. Extra arguments go to `dsensor demo` (e.g. --serve).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh --no-system >&2
exec .venv/bin/dsensor demo "$@"
