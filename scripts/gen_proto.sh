#!/usr/bin/env bash
# Regenerate the committed Python code of proto/dsensor/v1 (messages, type stubs, gRPC stubs).
# The grpcio-tools version is pinned in pyproject.toml ([dev]); the grpcio floor matches it.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
py=${PYTHON:-$root/.venv/bin/python}
cd "$root/proto"
rm -f dsensor/v1/*_pb2.py dsensor/v1/*_pb2.pyi dsensor/v1/*_pb2_grpc.py
"$py" -m grpc_tools.protoc -I . --python_out=. --pyi_out=. --grpc_python_out=. dsensor/v1/*.proto
echo "regenerated: $(ls dsensor/v1/*_pb2*.py* | wc -l) files"
