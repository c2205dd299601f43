"""packaging/render_icons.py turns the SVG into every hicolor size, as the .deb build runs it."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage

from linkie_desktop import APP_NAME
from linkie_desktop.ui.app_icon import ICON_SIZES, icon_svg_path
from tests.packaging.support import PACKAGING, run_python


def test_render_icons_writes_each_size_and_the_scalable_svg(tmp_path: Path) -> None:
    done = run_python(str(PACKAGING / "render_icons.py"), str(tmp_path))
    assert done.returncode == 0, done.stderr

    assert min(ICON_SIZES) == 16
    assert max(ICON_SIZES) == 512
    for size in ICON_SIZES:
        image = QImage(str(tmp_path / f"{size}x{size}" / "apps" / f"{APP_NAME}.png"))
        assert (image.width(), image.height()) == (size, size)
        assert image.hasAlphaChannel()
        assert image.pixelColor(0, 0).alpha() == 0  # rounded corner: transparent
        assert image.pixelColor(size // 2, size // 2).alpha() == 255  # the tile itself
    scalable = tmp_path / "scalable" / "apps" / f"{APP_NAME}.svg"
    assert scalable.read_bytes() == icon_svg_path().read_bytes()
