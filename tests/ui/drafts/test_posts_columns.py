"""The posts table's columns in a narrow and a wide window: the title keeps room to be read."""

from __future__ import annotations

from collections.abc import Callable

from pytestqt.qtbot import QtBot

from linkie_desktop.services.posts import PostService
from linkie_desktop.ui.drafts.model import STATUS, STATUS_CELL_WIDEST, TITLE
from linkie_desktop.ui.drafts.post_list import TITLE_ROOM
from linkie_desktop.ui.drafts.tab import DraftsTab
from tests.ui.drafts.test_composer_narrow import shown_at


def test_at_900_px_the_status_column_gives_way_so_the_title_keeps_its_room(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab], service: PostService
) -> None:
    service.create_draft("Lessons from shipping a desktop app", "Words")
    tab = shown_at(qtbot, make_tab, 900)
    header = tab.posts.view.horizontalHeader()
    metrics = tab.posts.view.fontMetrics()
    # The status keeps the room of its longest word ("Publishing…"), no more; the title the rest.
    status = header.sectionSize(STATUS)
    assert metrics.horizontalAdvance("Publishing…") < status
    assert status < metrics.horizontalAdvance("Publishing…") + 40
    assert header.sectionSize(TITLE) > 1.5 * status  # it had 78 px beside a 200 px status


def test_in_a_wide_window_the_status_column_fits_the_longest_news(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = shown_at(qtbot, make_tab, 1600)
    header = tab.posts.view.horizontalHeader()
    widest = tab.posts.view.fontMetrics().horizontalAdvance(STATUS_CELL_WIDEST)
    qtbot.waitUntil(lambda: header.sectionSize(STATUS) > widest, timeout=5000)
    assert header.sectionSize(TITLE) >= TITLE_ROOM


def test_a_width_the_user_gave_the_status_column_is_kept_when_the_window_changes(
    qtbot: QtBot, make_tab: Callable[[], DraftsTab]
) -> None:
    tab = shown_at(qtbot, make_tab, 1600)
    header = tab.posts.view.horizontalHeader()
    header.resizeSection(STATUS, 150)  # as dragging the column's edge does
    tab.resize(900, 600)
    qtbot.waitUntil(lambda: tab.width() == 900, timeout=5000)
    tab.resize(1400, 600)
    qtbot.waitUntil(lambda: tab.width() == 1400, timeout=5000)
    assert header.sectionSize(STATUS) == 150
