#!/usr/bin/env bash
# macOS recipe: "Linkie Desktop.app" from the same PyInstaller spec (its BUNDLE step), in a .dmg.
# Not built on the Linux CI machine. On a Mac (Python 3.11+, uv, Xcode command line tools):
#   bash packaging/macos/build-dmg.sh
# Output: dist/linkie-desktop-<version>.dmg. Signing and notarization need the team's Developer ID:
#   codesign --deep --options runtime --sign "Developer ID Application: …" "dist/Linkie Desktop.app"
#   xcrun notarytool submit dist/linkie-desktop-<version>.dmg --keychain-profile … --wait
# The user's data (~/Library/Application Support/linkie-desktop) is outside the app and is kept
# when the app is dragged to the bin.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
[ "$(uname -s)" = Darwin ] || { echo "build-dmg: run this on macOS" >&2; exit 1; }
UV_PROJECT_ENVIRONMENT=build/venv uv sync --frozen --no-dev --group packaging --no-editable
VERSION="$(build/venv/bin/python -c "import importlib.metadata as m; print(m.version('linkie-desktop'))")"
build/venv/bin/python packaging/render_icons.py --ico-icns build/icons
build/venv/bin/pyinstaller --noconfirm --distpath build/pyinstaller/dist \
  --workpath build/pyinstaller/work packaging/linkie-desktop.spec
mkdir -p dist
rm -rf "dist/Linkie Desktop.app"
cp -R "build/pyinstaller/dist/Linkie Desktop.app" dist/
hdiutil create -volname "Linkie Desktop" -srcfolder "dist/Linkie Desktop.app" -ov -format UDZO \
  "dist/linkie-desktop-$VERSION.dmg"
echo "dist/linkie-desktop-$VERSION.dmg"
