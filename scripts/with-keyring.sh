#!/usr/bin/env bash
# Run a command inside a private D-Bus session with a fresh, unlocked gnome-keyring, so tests use
# the real Secret Service without touching the user's own keyring (ENVIRONMENT.md, Keyring).
set -euo pipefail
if ! command -v dbus-run-session >/dev/null 2>&1 || ! command -v gnome-keyring-daemon >/dev/null 2>&1; then
  echo "with-keyring: dbus-run-session or gnome-keyring-daemon missing; run scripts/setup.sh" >&2
  exit 1
fi
KEYRING_HOME="$(mktemp -d -t linkie-keyring-XXXXXX)"
trap 'rm -rf "$KEYRING_HOME"' EXIT
export LINKIE_REAL_HOME="${HOME:-}"
export HOME="$KEYRING_HOME" XDG_DATA_HOME="$KEYRING_HOME/.local/share" XDG_RUNTIME_DIR="$KEYRING_HOME/run"
mkdir -p "$XDG_DATA_HOME" "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
# shellcheck disable=SC2016
exec dbus-run-session -- sh -c 'printf "linkie-test" | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; export LINKIE_KEYRING_DAEMON=1; exec "$@"' sh "$@"
