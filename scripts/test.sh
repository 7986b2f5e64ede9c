#!/usr/bin/env bash
# The test command of the README: set up (system packages when root, .venv), then lint, type-check,
# check the generated protobuf code is fresh, and run the whole test suite against real servers.
# Extra arguments go to pytest (e.g. scripts/test.sh -k console).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh
export PATH="$root/.venv/bin:$PATH"

echo "== ruff"
ruff check .
ruff format --check .
echo "== mypy"
mypy
echo "== generated protobuf code"
bash scripts/check_proto.sh
echo "== pytest"
pytest "$@"
