#!/usr/bin/env bash
# Set up what is missing, then launch Linkie Desktop on its default database (or pass --db PATH).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
bash "$ROOT/scripts/setup.sh"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run: no display found; starting Linkie Desktop on a virtual screen (Xvfb)" >&2
  exec xvfb-run -a "$ROOT/.venv/bin/linkie-desktop" "$@"
fi
exec "$ROOT/.venv/bin/linkie-desktop" "$@"
