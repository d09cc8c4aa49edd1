#!/usr/bin/env bash
# Install everything the tests need into .venv, then run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh
python -m pytest -q "$@"
