#!/usr/bin/env bash
# Create .venv (once) and install the project with its dev tools. Sourced by test.sh and CI;
# the demo sources setup-runtime.sh alone, so it installs no dev tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
# shellcheck disable=SC1091
. scripts/setup-runtime.sh
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
    touch .venv/.installed
fi
