#!/usr/bin/env bash
# Prepare this checkout on a Debian/Ubuntu machine: system packages Qt, the headless display and
# the keyring daemon need (only those missing), then .venv from the committed uv.lock.
# Sourced by scripts/run.sh and scripts/test.sh; safe to run again (it only does what is missing).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
UV_VERSION="0.13.9"

# Qt (xcb + offscreen), fonts (an emoji font for the composer's emoji picker and preview), Xvfb,
# the Secret Service daemon, and Python's venv module; desktop-file-validate and objdump for the
# packaging tests and packaging/build-deb.sh; PostgreSQL's server programs, for the tests that
# run every query and service on a throwaway PostgreSQL server too (tests/postgres_server.py).
DEB_PACKAGES=(
  python3-venv libgl1 libegl1 libglib2.0-0 libfontconfig1 libfreetype6 libdbus-1-3
  libxkbcommon0 libxkbcommon-x11-0 libx11-xcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
  libxcb-keysyms1 libxcb-randr0 libxcb-render-util0 libxcb-shape0 libxcb-shm0 libxcb-sync1
  libxcb-util1 libxcb-xfixes0 libxcb-xkb1 fonts-dejavu-core fonts-noto-color-emoji xvfb xauth
  dbus dbus-x11 gnome-keyring
  desktop-file-utils binutils
  postgresql
)

missing_debs() {
  local pkg
  for pkg in "${DEB_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || echo "$pkg"
  done
}

install_debs() {
  command -v dpkg-query >/dev/null 2>&1 || { echo "setup: not a Debian/Ubuntu system; install Qt's libraries yourself" >&2; return 0; }
  local missing
  missing=$(missing_debs)
  [ -z "$missing" ] && return 0
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  echo "setup: installing Debian packages: $(echo $missing)" >&2
  $sudo apt-get update -qq
  # shellcheck disable=SC2086
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends $missing >/dev/null
}

ensure_uv() {
  UV="$ROOT/.cache/bootstrap/bin/uv"
  if [ ! -x "$UV" ] || ! "$UV" --version 2>/dev/null | grep -q "$UV_VERSION"; then
    echo "setup: installing uv $UV_VERSION into .cache/bootstrap" >&2
    python3 -m venv "$ROOT/.cache/bootstrap"
    "$ROOT/.cache/bootstrap/bin/pip" install -q --disable-pip-version-check "uv==$UV_VERSION"
  fi
}

ensure_venv() {
  # --frozen: install exactly what uv.lock says; never re-resolve on a user's machine.
  # --compile-bytecode, and compileall for our own sources: a user's environment may forbid
  # writing __pycache__ at import (PYTHONDONTWRITEBYTECODE), and then every start would compile
  # ~1.5 s of sources again. compileall skips what is up to date, so a second run costs ~30 ms.
  UV_PROJECT_ENVIRONMENT="$ROOT/.venv" UV_PYTHON_DOWNLOADS=never \
    "$UV" sync --frozen --quiet --compile-bytecode --project "$ROOT" --python python3
  "$ROOT/.venv/bin/python" -m compileall -q "$ROOT/linkie_desktop" "$ROOT/migrations" >/dev/null
}

install_debs
ensure_uv
ensure_venv
