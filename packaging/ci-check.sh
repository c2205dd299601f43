#!/usr/bin/env bash
# CI check of the Linux package, as a user gets it: build the .deb, install it with apt, start the
# installed app offscreen in a fresh home (data folder created, database migrated, no samples),
# migrate a temp database with the installed `linkie`, run `linkie serve` and stop it, check the
# systemd user unit, prove the bundle finds the Secret Service,
# then remove the package and check that /opt/linkie-desktop is gone and the user's data is not.
#   bash packaging/ci-check.sh        (root, or a user with sudo; Debian/Ubuntu amd64)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NAME="linkie-desktop"
sudo=""; [ "$(id -u)" -ne 0 ] && sudo="sudo"
WORK="$(mktemp -d -t linkie-ci-XXXXXX)"
passed=0
ok() { passed=$((passed + 1)); echo "ci-check: ok - $* (${SECONDS}s)"; }
fail() { echo "ci-check: FAILED - $*" >&2; echo "ci-check: $passed passed, 1 failed"; exit 1; }
installed() { dpkg-query -W -f='${Status}' "$NAME" 2>/dev/null | grep -q "install ok installed"; }
cleanup() {
  installed && $sudo apt-get remove -y -qq "$NAME" >/dev/null 2>&1 || true
  rm -rf "$WORK"
}
trap cleanup EXIT

DEB="$(bash packaging/build-deb.sh | tail -n 1)"
[ -f "$DEB" ] || fail "build-deb.sh made no package"
ok "built $(basename "$DEB") ($(du -h "$DEB" | cut -f1))"

apt_install() { DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --reinstall "$DEB" >/dev/null; }
apt_install || { $sudo apt-get update -qq && apt_install; } || fail "apt-get install $DEB"
ok "installed with apt"

# The installed programs, run as a new user would: a fresh home, none of the test overrides.
as_new_user() {
  env -u LINKIE_DB -u LINKIE_DATA_DIR -u XDG_DATA_HOME -u XDG_STATE_HOME -u XDG_CONFIG_HOME \
    -u XDG_CACHE_HOME HOME="$WORK/home" QT_QPA_PLATFORM=offscreen "$@"
}
mkdir -p "$WORK/home"
as_new_user /usr/bin/linkie-desktop --smoke >"$WORK/smoke.log" 2>&1 \
  || { cat "$WORK/smoke.log" >&2; fail "installed linkie-desktop --smoke"; }
DATA="$WORK/home/.local/share/$NAME"
[ -f "$DATA/linkie.db" ] || fail "first run did not create $DATA/linkie.db"
[ -f "$WORK/home/.local/state/$NAME/log/$NAME.log" ] || fail "first run wrote no log file"
ok "first run: window shown offscreen, data folder and log created"
# The real X11 path too: Qt's xcb plugin from the bundle on the system's X libraries (Depends).
as_new_user env -u QT_QPA_PLATFORM xvfb-run -a /usr/bin/linkie-desktop --smoke >"$WORK/xcb.log" 2>&1 \
  || { cat "$WORK/xcb.log" >&2; fail "installed linkie-desktop --smoke on X11 (Xvfb)"; }
ok "window shown on X11 (xcb under Xvfb)"
# Tabs are imported by name when first shown: the bundler's analysis cannot see them, so every
# one is opened in the installed window (a tab left out of the bundle failed only in use).
as_new_user /usr/bin/linkie-desktop --smoke --every-tab >"$WORK/tabs.log" 2>&1 \
  || { cat "$WORK/tabs.log" >&2; fail "installed linkie-desktop --smoke --every-tab"; }
grep -q "tabs opened: dashboard drafts calendar studio analytics activity" "$WORK/tabs.log" \
  || { cat "$WORK/tabs.log" >&2; fail "the installed window did not open every tab"; }
ok "every tab opens in the installed window"
posts="$(as_new_user /usr/bin/linkie posts list --json)"
[ "$(echo "$posts" | tr -d '[:space:]')" = "[]" ] || fail "first run added posts: $posts"
ok "first run: database migrated, no sample posts"

# The background publisher from the bundle: it starts, publishes nothing (no account), and ends
# cleanly on SIGTERM (exit 0).
as_new_user timeout --preserve-status -s TERM 10 /usr/bin/linkie --db "$WORK/serve.db" serve \
  >"$WORK/serve.log" 2>&1 || { cat "$WORK/serve.log" >&2; fail "installed linkie serve"; }
grep -q "publishing in the background" "$WORK/serve.log" && grep -q "serve: stopped" "$WORK/serve.log" \
  || { cat "$WORK/serve.log" >&2; fail "linkie serve did not start and stop as it says"; }
ok "linkie serve runs headless and stops on SIGTERM"
# The MCP server from the bundle: the SDK and pydantic are imported by `linkie mcp` alone, so only
# running it shows the bundle carries them. An MCP client's first three messages, then the end.
mcp_in='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"ci-check","version":"1"}}}
{"jsonrpc":"2.0","method":"notifications/initialized"}
{"jsonrpc":"2.0","id":2,"method":"tools/list"}'
# Input stays open a few seconds: at end of input the SDK drops requests not answered yet.
mcp_out="$({ printf '%s\n' "$mcp_in"; sleep 5; } | as_new_user timeout 60 /usr/bin/linkie --db "$WORK/mcp.db" mcp \
  2>"$WORK/mcp.log")" || { cat "$WORK/mcp.log" >&2; fail "installed linkie mcp"; }
echo "$mcp_out" | grep -q '"name":"add_to_queue"' \
  || { cat "$WORK/mcp.log" >&2; fail "installed linkie mcp did not list its tools: $mcp_out"; }
ok "linkie mcp answers an MCP client (initialize, tools/list)"
UNIT="/usr/lib/systemd/user/linkie-serve.service"
[ -f "$UNIT" ] || fail "no systemd user unit at $UNIT"
if command -v systemd-analyze >/dev/null 2>&1; then
  systemd-analyze verify "$UNIT" || fail "systemd-analyze verify $UNIT"
  ok "systemd user unit installed and verified ($UNIT)"
else
  ok "systemd user unit installed ($UNIT; no systemd-analyze here to verify it)"
fi

revision="$(as_new_user /usr/bin/linkie --db "$WORK/migrate.db" migrate)" || fail "linkie migrate"
[ -n "$revision" ] && [ -f "$WORK/migrate.db" ] || fail "linkie migrate made no database"
ok "linkie --db <tmp> migrate: $revision"

# A shared PostgreSQL database from the bundle (psycopg and its libpq are imported at run time,
# which PyInstaller cannot see): a throwaway server on a Unix socket, as the tests run it.
PG_BIN="$(find /usr/lib/postgresql -maxdepth 2 -name bin -type d 2>/dev/null | sort -V | tail -n 1)"
[ -n "$PG_BIN" ] || fail "no PostgreSQL server programs (scripts/setup.sh installs postgresql)"
PG="$WORK/pg" && mkdir -p "$PG" && chmod 755 "$WORK" "$PG"
pg_as() { if [ "$(id -u)" -eq 0 ]; then chown -R nobody "$PG"; runuser -u nobody -- "$@"; else "$@"; fi; }
pg_as "$PG_BIN/initdb" -D "$PG/data" -U postgres --auth=trust -E UTF8 --no-locale >/dev/null \
  || fail "initdb for the PostgreSQL check"
pg_as "$PG_BIN/pg_ctl" -D "$PG/data" -l "$PG/log" -w -o "-k $PG -c listen_addresses=" start \
  >/dev/null || fail "pg_ctl start for the PostgreSQL check"
pg_url="postgresql+psycopg://postgres@/postgres?host=$PG"
pg_status=0
pg_revision="$(as_new_user /usr/bin/linkie --db "$pg_url" migrate 2>&1)" || pg_status=$?
pg_tables="$(psql -h "$PG" -U postgres -tAc \
  "SELECT count(*) FROM information_schema.tables WHERE table_name = 'posts'" || true)"
pg_as "$PG_BIN/pg_ctl" -D "$PG/data" -m immediate -w stop >/dev/null || true
[ "$pg_status" -eq 0 ] && [ "$pg_tables" = "1" ] \
  || fail "installed linkie could not migrate a PostgreSQL database: $pg_revision"
ok "linkie --db postgresql+psycopg://… migrate: $pg_revision"

keyring_out="$(bash scripts/with-keyring.sh /usr/bin/linkie-desktop --check-keyring 2>/dev/null)" \
  || fail "keyring check in the bundle: $keyring_out"
echo "$keyring_out" | grep -q "keyring.backends.SecretService.Keyring" \
  || fail "the bundle did not select the Secret Service: $keyring_out"
ok "bundle selects the Secret Service keyring and round-trips a secret"

desktop-file-validate "/usr/share/applications/$NAME.desktop" || fail ".desktop entry invalid"
for size in 16 22 24 32 48 64 128 256 512; do
  [ -f "/usr/share/icons/hicolor/${size}x${size}/apps/$NAME.png" ] || fail "no ${size}px icon"
done
[ -f "/usr/share/icons/hicolor/scalable/apps/$NAME.svg" ] || fail "no scalable icon"
ok "menu entry valid, icons 16-512 px and scalable installed"

$sudo apt-get remove -y -qq "$NAME" >/dev/null || fail "apt-get remove"
for path in "/opt/$NAME" /usr/bin/linkie-desktop /usr/bin/linkie \
  "/usr/share/applications/$NAME.desktop" "/usr/share/icons/hicolor/48x48/apps/$NAME.png" \
  /usr/lib/systemd/user/linkie-serve.service; do
  [ ! -e "$path" ] && [ ! -L "$path" ] || fail "$path left after removal"
done
[ -f "$DATA/linkie.db" ] || fail "removal touched the user's data"
ok "removed: /opt/$NAME and every installed file gone, user data kept"
echo "ci-check: $passed passed, 0 failed"
