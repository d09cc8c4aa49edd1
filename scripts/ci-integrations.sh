#!/usr/bin/env bash
# v1's Logfire and Langfuse integrations: a venv of their own (.venv-int) with the `logfire` and
# `langfuse` extras (about 40 s from PyPI), then their tests, offline: logfire exports to memory,
# langfuse posts to a recording server on 127.0.0.1. Not in the project venv on purpose: logfire
# registers a pydantic plugin, so pydantic would import OpenTelemetry with the first model and the
# lazy-import tests (and import-time figures) of the main run would measure logfire.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
rm -rf .venv-int
python3 -m venv .venv-int
.venv-int/bin/python -m pip install --quiet --disable-pip-version-check -e ".[dev,logfire,langfuse]"
echo "== logfire + langfuse venv installed in $(( $(date +%s) - start )) s"
.venv-int/bin/python -m pytest -q -p no:cacheprovider tests/integrations/test_logfire.py \
    tests/integrations/test_langfuse.py tests/integrations/test_middleware.py tests/test_v1_public_names.py
