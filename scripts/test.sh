#!/usr/bin/env bash
# Set up, then run every check CI runs: lint, format, types, layer contracts, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
# SETUP_DONE=1: .ci/run has set up already, and builds the app beside the tests
[ "${SETUP_DONE:-0}" = 1 ] || bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          .venv/bin/ruff check .
echo "== ruff format";   .venv/bin/ruff format --check .
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
# The Qt tests run in their own pytest processes, after the rest: a QApplication left in a
# worker by a window test must never be processing events under a non-Qt test's teardown.
# A crashed worker stops the run (no restart), so a crash fails fast instead of hanging.
# Files are handed out in the order tests/conftest.py sorts them (slow trials first).
# The tests' files (vaults, servers' databases) go to memory when /dev/shm has room: a vault
# syncs every save to disk (synchronous=FULL, unchanged), and on a loaded 2-core machine the
# disk's answer took longer than the save. /dev/shm of a container may be only 64 MB.
temp=""
if [ -d /dev/shm ] && [ -w /dev/shm ] && \
  [ "$(df --output=avail -k /dev/shm | tail -n 1)" -gt 2097152 ]; then
  temp=$(mktemp -d /dev/shm/linksdesk-tests.XXXXXX)
  trap 'rm -rf "$temp"' EXIT
fi
# Three workers on CI's two cores: with two, a third of the CPU stood idle while tests waited
# for servers and subprocesses they had started (docs/performance.md, "The test suite").
run_pytest() {
  local part=$1
  shift
  .venv/bin/pytest -p no:cacheprovider -n "${PYTEST_WORKERS:-3}" --dist loadfile --no-loadscope-reorder \
    --max-worker-restart=0 ${temp:+--basetemp="$temp/$part"} "$@"
}
echo "== pytest (everything but the windows)"
run_pytest rest --ignore=tests/ui "$@"
echo "== pytest (windows, offscreen)"
run_pytest windows tests/ui "$@"
