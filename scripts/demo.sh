#!/usr/bin/env bash
# Set up, build a demo vault of synthetic participants, and open LinksDesk on it.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export LINKSDESK_PASSPHRASE=${LINKSDESK_PASSPHRASE:-"demo passphrase"}
exec .venv/bin/linksdesk demo --participants "${DEMO_PARTICIPANTS:-150}" --open "$@"
