"""Render the SVG icon into the hicolor theme: <out>/<N>x<N>/apps/*.png and scalable/apps/*.svg.

Run by build-deb.sh with the build venv's Python (offscreen, no network):
    python packaging/render_icons.py OUT_DIR
The Windows and macOS recipes take the same icon as .ico and .icns (Qt's image plugins write them):
    python packaging/render_icons.py --ico-icns build/icons
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from PySide6.QtGui import QGuiApplication

from linkie_desktop import APP_NAME
from linkie_desktop.ui.app_icon import ICON_SIZES, render_icon

# The checkout's own SVG: the build venv holds the package without the resources/ folder.
SOURCE_SVG = Path(__file__).resolve().parent.parent / "resources" / "icons" / f"{APP_NAME}.svg"


def render_theme(out: Path) -> list[Path]:
    written = []
    for size in ICON_SIZES:
        target = out / f"{size}x{size}" / "apps" / f"{APP_NAME}.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        if not render_icon(size, SOURCE_SVG).save(str(target)):
            raise OSError(f"cannot write {target}")
        written.append(target)
    scalable = out / "scalable" / "apps" / f"{APP_NAME}.svg"
    scalable.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(SOURCE_SVG, scalable)
    written.append(scalable)
    return written


def render_ico_icns(out: Path) -> list[Path]:
    out.mkdir(parents=True, exist_ok=True)
    written = [out / f"{APP_NAME}.ico", out / f"{APP_NAME}.icns"]
    for target, size in zip(written, (256, 512), strict=True):
        if not render_icon(size, SOURCE_SVG).save(str(target)):
            raise OSError(f"cannot write {target}")
    return written


def main(argv: list[str]) -> int:
    if len(argv) == 1:
        render = render_theme
    elif len(argv) == 2 and argv[0] == "--ico-icns":
        render = render_ico_icns
    else:
        print("usage: render_icons.py OUT_DIR | --ico-icns OUT_DIR", file=sys.stderr)
        return 2
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    _app = QGuiApplication([sys.argv[0]])
    for path in render(Path(argv[-1])):
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
