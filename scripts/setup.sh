#!/usr/bin/env bash
# Prepare this machine for dsensor: the Debian packages the tests use (when root, unless
# --no-system) and a virtualenv in .venv with dsensor installed editable plus its dev tools.
# Safe to run again: it only installs what is missing or changed.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if [ "${1:-}" != "--no-system" ]; then
  bash scripts/install_system_packages.sh
fi

python=${PYTHON:-python3}
if ! "$python" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
  echo "dsensor needs Python >= 3.11 (found: $("$python" --version 2>&1))" >&2
  exit 1
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$python" -m venv .venv 2>/dev/null; then
    # Debian splits venv into its own package
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null
      rm -rf .venv && "$python" -m venv .venv
    else
      echo "cannot create a virtualenv: install python3-venv" >&2
      exit 1
    fi
  fi
fi

# reinstall only when the dependency list, the build or a compiled source changed since the
# last successful install: the interceptor's per-packet path and the detector's per-value path
# are compiled with mypyc (setup.py, sensor_core/compiled.py; DSENSOR_COMPILE=0 keeps them
# plain Python)
stamp=.venv/.dsensor-installed
compiled=$(.venv/bin/python -c 'from sensor_core.compiled import COMPILED_MODULES as m
print(" ".join(name.replace(".", "/") + ".py" for name in m))')
# shellcheck disable=SC2086
want=$( (echo "compile=${DSENSOR_COMPILE:-1}"; cat pyproject.toml setup.py $compiled) | sha256sum | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "installing dsensor and its dependencies into .venv (and compiling its hot paths) ..."
  # binaries of an earlier build go first: one left for a module no longer compiled would
  # shadow its source
  find detection_tool sensor_core sensor_dim -name '*.so' -delete
  rm -f dsensor_fast__mypyc.*.so
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import dsensor.v1, sensor_core, confluent_kafka, scapy' \
    || { echo "installation into .venv failed" >&2; exit 1; }
  echo "$want" > "$stamp"
fi
