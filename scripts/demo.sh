#!/usr/bin/env bash
# The demo command of the README: set up .venv (no root needed) and run `dsensor demo`, which
# replays the bundled recording of the sample services (examples/services/). Extra arguments go
# to `dsensor demo`: --serve keeps the dashboard up; --live (as root) runs the services in
# network namespaces and captures them live, --seconds N sets how long traffic is driven.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
bash scripts/setup.sh --no-system >&2
exec .venv/bin/dsensor demo "$@"
