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
if [ "${PREPARE_ONLY:-0}" = "1" ]; then  # installed, nothing built (.ci/run, before the tests)
  exit 0
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
frozen() {
  env -u LINKSDESK_RESOURCES -u PYTHONPATH HOME="$home" XDG_DATA_HOME="$home/data" \
    XDG_STATE_HOME="$home/state" XDG_CONFIG_HOME="$home/config" XDG_CACHE_HOME="$home/cache" \
    QT_QPA_PLATFORM=offscreen "$@"
}
# the window: encrypted temporary vault, migrated, shown offscreen, a search, the bundle's
# resources, About and the user guide
frozen "$app" --smoke-test
# the command-line verbs of the frozen app: a vault, a check, a backup and its restore
export LINKSDESK_PASSPHRASE="frozen smoke passphrase $$"
frozen env LINKSDESK_KDF_PROFILE=fast "$app" new --vault "$home/v/smoke.vault" >/dev/null
frozen "$app" check --vault "$home/v/smoke.vault"
frozen "$app" backup --vault "$home/v/smoke.vault" --out "$home/smoke.ldbackup" >/dev/null
frozen "$app" restore "$home/smoke.ldbackup" --vault "$home/r/smoke.vault" >/dev/null
frozen "$app" check --vault "$home/r/smoke.vault"
unset LINKSDESK_PASSPHRASE
if ls "$home/state/LinksDesk/log/"crash-* >/dev/null 2>&1; then
  echo "the frozen app wrote a crash report:" >&2
  cat "$home/state/LinksDesk/log/"crash-* >&2
  exit 1
fi
echo "smoke test passed in $(($(date +%s) - built)) s"
