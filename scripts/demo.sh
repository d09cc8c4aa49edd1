#!/usr/bin/env bash
# Install into .venv, then stream a book recommendation: from Groq when GROQ_API_KEY is set,
# otherwise from the bundled Groq emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup.sh >/dev/null
python examples/demo.py "$@"
