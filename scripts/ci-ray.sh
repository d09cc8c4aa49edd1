#!/usr/bin/env bash
# Ray Data adapter: install the `ray` extra into the project venv (about 40 s from PyPI) and run
# the Ray tests on a local cluster. The main test run skips them when ray is not installed.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
start=$(date +%s)
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[ray]"
echo "== ray extra installed in $(( $(date +%s) - start )) s"
"$PY" -m pytest -q tests/test_ray.py
