#!/usr/bin/env bash
# Fails when the committed generated code differs from what scripts/gen_proto.sh produces now.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r "$root/proto/dsensor" "$tmp/"
rm -f "$tmp"/dsensor/v1/*_pb2.py "$tmp"/dsensor/v1/*_pb2.pyi "$tmp"/dsensor/v1/*_pb2_grpc.py
(cd "$tmp" && "$py" -m grpc_tools.protoc -I . --python_out=. --pyi_out=. --grpc_python_out=. dsensor/v1/*.proto)
if ! diff -r -x __pycache__ -x '*.proto' -x '__init__.py' "$root/proto/dsensor/v1" "$tmp/dsensor/v1"; then
  echo "proto/dsensor/v1: generated code is stale; run scripts/gen_proto.sh and commit" >&2
  exit 1
fi
echo "proto/dsensor/v1: generated code is fresh"
