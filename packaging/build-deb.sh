#!/usr/bin/env bash
# Build dist/linkie-desktop_<version>_amd64.deb from this checkout in one command:
#   bash packaging/build-deb.sh
# A build venv (build/venv: the app's locked dependencies + PyInstaller, no dev tools) makes the
# one-folder bundle; it goes to /opt/linkie-desktop with /usr/bin links, the .desktop entry, the
# hicolor icons rendered from resources/icons/linkie-desktop.svg and the systemd user unit of
# `linkie serve` (packaging/linkie-serve.service). Debian/Ubuntu amd64 only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
NAME="linkie-desktop"
BUILD="$ROOT/build"
STAGE="$BUILD/deb/root"
say() { echo "build-deb: $* (${SECONDS}s)" >&2; }

# System packages (Qt's, objdump for PyInstaller, desktop-file-validate), uv and .venv.
bash scripts/setup.sh

say "build venv (uv.lock, no dev tools, with PyInstaller)"
# --reinstall-package: uv would otherwise keep an older build of our own code in the venv.
UV_PROJECT_ENVIRONMENT="$BUILD/venv" UV_PYTHON_DOWNLOADS=never \
  "$ROOT/.cache/bootstrap/bin/uv" sync --frozen --quiet --no-dev --group packaging \
  --no-editable --reinstall-package "$NAME" --python python3
PY="$BUILD/venv/bin/python"
VERSION="$("$PY" -c "import importlib.metadata as m; print(m.version('$NAME'))")"

say "PyInstaller bundle of $NAME $VERSION"
"$BUILD/venv/bin/pyinstaller" --noconfirm --log-level WARN \
  --distpath "$BUILD/pyinstaller/dist" --workpath "$BUILD/pyinstaller/work" \
  packaging/linkie-desktop.spec
BUNDLE="$BUILD/pyinstaller/dist/$NAME"

say "staging the package"
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$STAGE/opt" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor" "$STAGE/usr/share/doc/$NAME" "$STAGE/usr/lib/systemd/user"
cp -a "$BUNDLE" "$STAGE/opt/$NAME"
ln -s "/opt/$NAME/linkie-desktop" "$STAGE/usr/bin/linkie-desktop"
ln -s "/opt/$NAME/linkie" "$STAGE/usr/bin/linkie"
install -m 644 resources/linkie-desktop.desktop "$STAGE/usr/share/applications/$NAME.desktop"
desktop-file-validate "$STAGE/usr/share/applications/$NAME.desktop"
# `linkie serve` as a systemd user service for /usr/bin/linkie: `systemctl --user enable --now
# linkie-serve` (or Settings › General, which writes the user's own unit of that name).
install -m 644 packaging/linkie-serve.service "$STAGE/usr/lib/systemd/user/linkie-serve.service"
QT_QPA_PLATFORM=offscreen "$PY" packaging/render_icons.py "$STAGE/usr/share/icons/hicolor" >/dev/null
printf 'Linkie Desktop %s\nProprietary. Bundles Qt and PySide6 (LGPLv3) and Python (PSF License).\n' \
  "$VERSION" > "$STAGE/usr/share/doc/$NAME/copyright"
chmod -R u+rwX,go+rX,go-w "$STAGE"

DEPENDS="$(python3 packaging/system_depends.py "$STAGE/opt/$NAME" \
  "fontconfig" "fonts-dejavu-core | fonts-liberation2")"
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $NAME
Version: $VERSION
Architecture: amd64
Maintainer: Linkie Desktop team <support@linkie.invalid>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $DEPENDS
Recommends: fonts-noto-color-emoji
Section: net
Priority: optional
Description: write, schedule and publish LinkedIn posts
 Linkie Desktop keeps your LinkedIn posts on your own computer: drafts,
 AI variations, a calendar, and a publisher that posts each one on time,
 in the window or in the background (linkie serve, a systemd user
 service). Tokens are protected by the system keyring.
CONTROL
# Menus and icon caches learn about the app; on removal, also sweep anything the app left in
# /opt (never the user's data, which lives in their home folder).
cat > "$STAGE/DEBIAN/postinst" <<'POSTINST'
#!/bin/sh
set -e
if [ "$1" = configure ]; then
  command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
  command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
fi
exit 0
POSTINST
cat > "$STAGE/DEBIAN/postrm" <<'POSTRM'
#!/bin/sh
set -e
case "$1" in
  remove|purge)
    rm -rf /opt/linkie-desktop
    command -v update-desktop-database >/dev/null 2>&1 && update-desktop-database -q /usr/share/applications || true
    command -v gtk-update-icon-cache >/dev/null 2>&1 && gtk-update-icon-cache -q -t -f /usr/share/icons/hicolor || true
    ;;
esac
exit 0
POSTRM
chmod 755 "$STAGE/DEBIAN/postinst" "$STAGE/DEBIAN/postrm"

mkdir -p dist
DEB="dist/${NAME}_${VERSION}_amd64.deb"
# zstd -6: measured here 5 s and 68 MB; gzip took 20 to 60 s for 73 MB, and xz is slower still.
# dpkg reads zstd since Debian 12 and Ubuntu 21.10, older than the libraries we depend on.
dpkg-deb --root-owner-group -Zzstd -z6 --build "$STAGE" "$DEB" >/dev/null
say "built $DEB ($(du -h "$DEB" | cut -f1))"
echo "$ROOT/$DEB"
