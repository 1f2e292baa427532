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
echo "== pytest"
.venv/bin/pytest -p no:cacheprovider -n "${PYTEST_WORKERS:-2}" --dist loadfile "$@"
