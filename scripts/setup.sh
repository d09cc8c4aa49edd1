#!/usr/bin/env bash
# Create .venv (once) and install the project with its dev tools. Sourced by the other scripts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
if [ ! -f .venv/.installed ] || [ pyproject.toml -nt .venv/.installed ]; then
    python -m pip install --quiet --disable-pip-version-check -e ".[dev]"
    touch .venv/.installed
fi
