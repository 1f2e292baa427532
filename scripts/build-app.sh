#!/usr/bin/env bash
# Build the desktop app with PyInstaller (dist/linksdesk/) and run its smoke test.
#
#   bash scripts/build-app.sh            # build, smoke-test, print the bundle's size
#   SKIP_SMOKE=1 bash scripts/build-app.sh
#
# Installs PyInstaller into .venv (a packaging tool, not an app dependency). Exits non-zero if
# the build fails or the frozen app's --smoke-test does not pass (a missing hidden import or
# resource fails here, not on a worker's first morning).
set -euo pipefail
cd "$(dirname "$0")/.."
PYINSTALLER_VERSION=${PYINSTALLER_VERSION:-">=6.10,<7"}
if [ ! -x .venv/bin/python ]; then
  bash scripts/setup.sh
fi
if ! .venv/bin/python -c 'import PyInstaller' 2>/dev/null; then
  .venv/bin/python -m pip install --quiet "pyinstaller${PYINSTALLER_VERSION}"
fi
start=$(date +%s)
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller linksdesk.spec
built=$(date +%s)
app=dist/linksdesk/linksdesk
[ -x "$app" ] || app=dist/linksdesk/linksdesk.exe
echo "built $app in $((built - start)) s"
echo "bundle size: $(du -sh dist/linksdesk | cut -f1) ($(du -sb dist/linksdesk | cut -f1) bytes," \
  "$(find dist/linksdesk -type f | wc -l) files)"
if [ "${SKIP_SMOKE:-0}" = "1" ]; then
  exit 0
fi
# a throw-away home, so the smoke test's logs and settings never touch the builder's own
home=$(mktemp -d)
trap 'rm -rf "$home"' EXIT
env -u LINKSDESK_RESOURCES -u PYTHONPATH HOME="$home" XDG_DATA_HOME="$home/data" \
  XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
  QT_QPA_PLATFORM=offscreen "$app" --smoke-test
echo "smoke test passed in $(($(date +%s) - built)) s"
