#!/usr/bin/env bash
# Refresh the translation sources (resources/translations/*.ts) from the tr() strings of the UI.
# Translators edit the .ts files with Qt Linguist (pyside6-linguist); lrelease makes .qm files.
set -euo pipefail
cd "$(dirname "$0")/.."
mapfile -t sources < <(find linksdesk/ui linksdesk/app -name '*.py' | sort)
for ts in resources/translations/*.ts; do
  .venv/bin/pyside6-lupdate "${sources[@]}" -ts "$ts" -no-obsolete -locations none
done
