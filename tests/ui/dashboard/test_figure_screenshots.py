"""Screenshots of the Dashboard and Analytics tabs with the seed data, in light and dark palettes.

Each shot is checked for what a person would notice first (the dark one really is dark, the
figures are not blank); set LINKIE_SHOTS_DIR to keep the PNGs for looking at them.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage, QPalette
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select

from linkie_desktop.db.engine import transaction
from linkie_desktop.db.models import Post
from linkie_desktop.db.types import utc_now
from linkie_desktop.services.seed import seed
from linkie_desktop.ui.analytics.tab import AnalyticsTab
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.dashboard.tab import DashboardTab
from tests.analytics_support import connect_linkedin
from tests.fakes.linkedin_server import ANALYTICS_SCOPE, FakeLinkedIn
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
    qtbot.waitUntil(lambda: tab.figures is not None)  # read on the database worker

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


def test_analytics_with_linkedin_figures_screenshot(
    qtbot: QtBot, engine: Engine, tmp_path: Path, linkedin_server: FakeLinkedIn
) -> None:
    user_id = seed(engine).user_id
    connect_linkedin(
        engine, user_id, f"openid,profile,{ANALYTICS_SCOPE}", utc_now() + timedelta(days=50)
    )
    with transaction(engine) as session:
        urns = session.scalars(select(Post.linkedin_post_urn).where(Post.user_id == user_id))
        for number, urn in enumerate(sorted(u for u in urns if u)):
            linkedin_server.post_statistics[urn] = {
                "IMPRESSION": 1800 * (number + 1),
                "MEMBERS_REACHED": 1100 * (number + 1),
                "REACTION": 35 * (number + 1),
                "COMMENT": 4 + number,
                "RESHARE": 2 * number,
            }
    token = linkedin_server.issue_token((ANALYTICS_SCOPE,))
    workspace = make_workspace(engine, user_id, tmp_path)
    workspace = replace(
        workspace, config=replace(workspace.config, linkedin_api_base=linkedin_server.base_url)
    )
    tab = AnalyticsTab(workspace, AppSignals(), linkedin_token=lambda: token)
    qtbot.addWidget(tab)
    tab.resize(1100, 1400)
    tab.show()
    qtbot.waitUntil(lambda: tab.linkedin_table.rowCount() == 2)

    _save(tab, "analytics-linkedin-light", tmp_path)
    tab.wait_for_background()

    assert tab.linkedin_stack.currentWidget() is tab.linkedin_table
