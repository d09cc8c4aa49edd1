#!/usr/bin/env bash
# Web: install Debian's chromium (apt) and the `playwright` + `web-example` extras, then run the
# real-browser tests of examples/web (tests/web/test_browser.py; Playwright drives the system
# Chromium via executable_path, its own browser download is not used). The screenshot goes to
# artifacts/web-chat.png (ARTIFACTS_DIR overrides). The main test run skips these tests.
# `ci-web.sh apt` only installs chromium: .ci/run starts that in the background at its start, so
# the download overlaps the test runs, and waits for it before this step.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"
start=$(date +%s)
if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
[ "${1:-}" = "apt" ] && { echo "chromium installed in $(( $(date +%s) - start )) s"; exit 0; }
apt_done=$(date +%s)
"$PY" -m pip install --quiet --disable-pip-version-check -e ".[playwright,web-example]"
installed=$(date +%s)
echo "== web: chromium $(chromium --version 2>/dev/null | awk '{print $2}') in $(( apt_done - start )) s, extras in $(( installed - apt_done )) s"
CHROMIUM_PATH="$(command -v chromium)" "$PY" -m pytest -q -rs tests/web/test_browser.py
echo "== web step took $(( $(date +%s) - start )) s; screenshot: ${ARTIFACTS_DIR:-artifacts}/web-chat.png"
