#!/usr/bin/env bash
# Set up, then run every check CI runs: lint, format, types, layer contracts, the test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff";          .venv/bin/ruff check .
echo "== ruff format";   .venv/bin/ruff format --check .
echo "== mypy";          .venv/bin/mypy
echo "== import-linter"; .venv/bin/lint-imports
# The Qt tests run in their own pytest processes, after the rest: a QApplication left in a
# worker by a window test must never be processing events under a non-Qt test's teardown.
# A crashed worker stops the run (no restart), so a crash fails fast instead of hanging.
# Files are handed out in the order tests/conftest.py sorts them (slow trials first).
run_pytest() {
  .venv/bin/pytest -p no:cacheprovider -n "${PYTEST_WORKERS:-2}" --dist loadfile --no-loadscope-reorder \
    --max-worker-restart=0 "$@"
}
echo "== pytest (everything but the windows)"
run_pytest --ignore=tests/ui "$@"
echo "== pytest (windows, offscreen)"
run_pytest tests/ui "$@"
