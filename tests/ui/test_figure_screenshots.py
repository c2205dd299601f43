"""Screenshots of the Dashboard and Analytics tabs with the seed data, in light and dark palettes.

Each shot is checked for what a person would notice first (the dark one really is dark, the
figures are not blank); set LINKIE_SHOTS_DIR to keep the PNGs for looking at them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.services.seed import seed
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from tests.ui.palettes import dark_palette
from tests.ui.workspace_support import make_workspace


@pytest.fixture(params=["light", "dark"])
def palette_name(request: pytest.FixtureRequest) -> Iterator[str]:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    original = QPalette(app.palette())
    if request.param == "dark":
        app.setPalette(dark_palette())
    yield str(request.param)
    app.setPalette(original)


def _save(widget: QWidget, name: str, folder: Path) -> QImage:
    image = widget.grab().toImage()
    path = folder / f"{name}.png"
    assert image.save(str(path))
    keep = os.environ.get("LINKIE_SHOTS_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copy(path, Path(keep) / path.name)
    return image


def _background_lightness(image: QImage) -> float:
    return QColor(image.pixel(2, image.height() - 3)).lightnessF()


def test_dashboard_screenshot(
    qtbot: QtBot, engine: Engine, tmp_path: Path, palette_name: str
) -> None:
    user_id = seed(engine).user_id
    tab = DashboardTab(make_workspace(engine, user_id, tmp_path), AppSignals())
    qtbot.addWidget(tab)
    tab.resize(1100, 700)
    tab.show()
    qtbot.waitExposed(tab)

    image = _save(tab, f"dashboard-{palette_name}", tmp_path)

    assert (_background_lightness(image) < 0.5) is (palette_name == "dark")
    assert tab.drafts_card.value() == "2"  # the seed's two drafts
    assert tab.failed_card.value() == "1"


def test_analytics_screenshot(
    qtbot: QtBot, engine: Engine, tmp_path: Path, palette_name: str
) -> None:
    user_id = seed(engine).user_id
    tab = AnalyticsTab(make_workspace(engine, user_id, tmp_path), AppSignals())
    qtbot.addWidget(tab)
    tab.resize(1100, 1250)
    tab.show()
    qtbot.waitUntil(lambda: tab.figures is not None)
    qtbot.waitExposed(tab)

    image = _save(tab, f"analytics-{palette_name}", tmp_path)
    tab.wait_for_background()

    assert (_background_lightness(image) < 0.5) is (palette_name == "dark")
    assert tab.figures is not None and tab.figures.published == 2  # the seed's two
    assert tab.weekly_stack.currentWidget() is tab.weekly_chart
