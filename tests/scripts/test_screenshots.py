"""scripts/screenshots.py, run as a user runs it (a real process and its children), writes every
tab's picture, and each one shows a window: not blank, the dark ones dark."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

from PySide6.QtGui import QColor, QImage

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "screenshots.py"


def _script() -> ModuleType:
    """The script as a module, for its file names (scripts/ is not a package)."""
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


screenshots = _script()


def _colours(image: QImage) -> list[QColor]:
    step = 16
    return [
        image.pixelColor(x, y)
        for y in range(0, image.height(), step)
        for x in range(0, image.width(), step)
    ]


def test_the_script_writes_every_tab_light_and_dark(tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    subprocess.run(
        [sys.executable, str(SCRIPT), "--fast", "--out", str(tmp_path)],
        env=env,
        check=True,
        timeout=300,
    )
    expected = screenshots.expected_files(fast=True)
    assert len(expected) == len(screenshots.SHOTS) * 2
    assert {"drafts-light.png", "settings-dark.png"} <= set(expected)
    for name in expected:
        image = QImage(str(tmp_path / name))
        assert not image.isNull(), name
        assert (image.width(), image.height()) == screenshots.SIZE, name
        colours = _colours(image)
        distinct = {c.name() for c in colours}
        assert len(distinct) > 20, f"{name} is nearly blank ({len(distinct)} colours)"
        lightness = sum(c.lightnessF() for c in colours) / len(colours)
        assert (lightness < 0.4) if "-dark" in name else (lightness > 0.6), (name, lightness)


def test_the_full_run_names_both_scales() -> None:
    full = screenshots.expected_files(fast=False)
    assert len(full) == len(screenshots.SHOTS) * len(screenshots.SCALES) * 2
    assert "calendar-dark@2x.png" in full and "calendar-dark.png" in full
