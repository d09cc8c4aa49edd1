#!/usr/bin/env bash
# Check Python >= 3.10, create .venv (once) and install the project alone, with no dev tools.
# Sourced by demo.sh and by setup.sh. PYTHON picks the interpreter (default: python3).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
python_cmd="${PYTHON:-python3}"
if ! "$python_cmd" -c 'import sys; sys.exit(sys.version_info < (3, 10))' 2>/dev/null; then
    found="$("$python_cmd" -c 'import sys; print(sys.version.split()[0])' 2>/dev/null || echo "not found")"
    echo "error: mirascope-groq needs Python >= 3.10, but $python_cmd is $found." >&2
    echo "Install Python 3.10 or newer and run again with PYTHON=/path/to/python3.1x." >&2
    # `return` when sourced, `exit` when run.
    return 1 2>/dev/null || exit 1
fi
if [ ! -x .venv/bin/python ]; then
    "$python_cmd" -m venv .venv
fi
# shellcheck disable=SC1091
. .venv/bin/activate
if [ ! -f .venv/.installed-runtime ] || [ pyproject.toml -nt .venv/.installed-runtime ]; then
    python -m pip install --quiet --disable-pip-version-check -e .
    touch .venv/.installed-runtime
fi
