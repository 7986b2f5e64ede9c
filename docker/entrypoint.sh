#!/usr/bin/env bash
# The detection tool's entrypoint: the image's working directory is /app, so `./entrypoint.sh`
# works as the seeds' Vault agent example expects
# (`source /vault/secrets/soverentokens && ./entrypoint.sh`).
# DSENSOR_CONFIG names another config file; extra arguments are passed on.
set -euo pipefail
exec /usr/local/bin/detection-tool --config "${DSENSOR_CONFIG:-/etc/config.yaml}" "$@"
