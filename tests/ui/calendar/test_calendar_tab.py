"""The Calendar tab driven like a user: real widgets, real drag-and-drop events, a real database.

Drags are QDragEnterEvent / QDragMoveEvent / QDropEvent carrying our MIME type, delivered with
QApplication.sendEvent (a real QDrag cannot run offscreen, see ENVIRONMENT.md).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta, tzinfo
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QLocale, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QPushButton,
    QWidget,
)
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, insert

from linkie_desktop.db.models import Post
from linkie_desktop.db.types import new_id
from linkie_desktop.domain.schedule import PUBLISHED_FIXED
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.calendar import PAGE_SIZE, MonthView
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.preferences import Preferences, PreferencesStore, save_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals, PostsChanged
from linkie_desktop.ui.calendar import CalendarTab
from linkie_desktop.ui.calendar.day_cell import DayCell, DropState, PostChip
from linkie_desktop.ui.calendar.day_dialog import DayPostsDialog
from linkie_desktop.ui.calendar.drag import post_mime
from linkie_desktop.ui.calendar.month_grid import MonthGrid
from linkie_desktop.ui.post_actions import PostTarget
from linkie_desktop.ui.preferences import AppPreferences
from linkie_desktop.ui.widgets.post_dialog import PostDialog
from tests.calendar_support import (
    BERLIN,
    NEW_YORK,
    REFUSED_DROPS,
    REFUSED_IDS,
    add_post,
    local,
    row_of,
    system_zone,
)
from tests.connection_support import mark_connected
from tests.ui.workspace_support import opened_workspace

# Thursday 26 March 2026, 14:07 in Berlin: the week the clocks go forward (Sunday 29th).
TODAY = date(2026, 3, 26)
NOW = local(TODAY, 14, 7)


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def engine_(workspace: Workspace) -> Engine:
    return workspace.engine


def settle(tab: CalendarTab, timeout_s: float = 10.0) -> None:
    """Wait until every read and change the tab started on the runner has answered (bounded)."""
    deadline = time.monotonic() + timeout_s
    while tab.tasks.pending:
        assert time.monotonic() < deadline, f"the calendar's tasks did not answer in {timeout_s} s"
        QTest.qWait(5)


_made: list[CalendarTab] = []


def make_tab(
    qtbot: QtBot,
    workspace: Workspace,
    tz: tzinfo | None = BERLIN,
    now: datetime = NOW,
    preferences: AppPreferences | None = None,
) -> CalendarTab:
    tab = CalendarTab(workspace, AppSignals(), tz=tz, clock=lambda: now, preferences=preferences)
    _made.append(tab)
    qtbot.addWidget(tab)
    tab.resize(1200, 760)
    tab.show()
    settle(tab)
    settle(tab)
    return tab


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, british: None) -> CalendarTab:
    return make_tab(qtbot, workspace)


def reread(tab: CalendarTab) -> None:
    """What the test wrote straight to the database, read by the tab and on screen."""
    tab.reload()
    settle(tab)


def cell(tab: CalendarTab, day: date) -> DayCell:
    found = tab.grid.cell_for(day)
    assert found is not None, f"{day} is not on the grid"
    return found


def _drag_event(
    kind: type[QDragEnterEvent] | type[QDragMoveEvent],
    at: QPointF,
    mime: QMimeData,
) -> QDragMoveEvent:
    """Drag events take a QPointF from Qt 6.12 on (the QPoint form then warns); 6.11 has only
    the QPoint form."""
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    point: Any = at
    try:
        return kind(point, actions, mime, buttons, mods)
    except TypeError:
        return kind(at.toPoint(), actions, mime, buttons, mods)


def drag_onto(target: QWidget, post_id: str, leave: bool = False) -> None:
    """Hover a post over `target` the way Qt delivers a drag: enter, then move."""
    mime = post_mime(post_id)
    at = QPointF(target.rect().center())
    QApplication.sendEvent(target, _drag_event(QDragEnterEvent, at, mime))
    QApplication.sendEvent(target, _drag_event(QDragMoveEvent, at, mime))
    if leave:
        QApplication.sendEvent(target, QDragLeaveEvent())


def drop_onto(target: QWidget, post_id: str) -> None:
    drag_onto(target, post_id)
    mime = post_mime(post_id)
    event = QDropEvent(
        QPointF(target.rect().center()),
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(target, event)


def message(tab: CalendarTab) -> str:
    return tab.message_bar.text_label.text() if tab.message_bar.isVisible() else ""


def drop_state(day_cell: DayCell) -> DropState:
    return day_cell.drop_state


def chips(day_cell: DayCell) -> list[PostChip]:
    return [chip for chip in day_cell.chips if chip.isVisible()]


# --- the grid ---------------------------------------------------------------------------------


def test_grid_is_six_weeks_from_the_locales_first_day(tab: CalendarTab) -> None:
    assert len(tab.grid.cells) == 42
    assert [h.text() for h in tab.grid.headers][:2] == ["Mon", "Tue"]
    assert tab.grid.cells[0].day == date(2026, 2, 23)  # the Monday before 1 March 2026
    assert tab.month_label.text() == "March 2026"


def test_a_sunday_first_locale_starts_the_grid_on_sunday(
    qtbot: QtBot, workspace: Workspace
) -> None:
    previous = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.English, QLocale.Country.UnitedStates))
    try:
        tab = make_tab(qtbot, workspace)
    finally:
        QLocale.setDefault(previous)
    assert tab.grid.headers[0].text() == "Sun"
    assert tab.grid.cells[0].day == date(2026, 3, 1)  # 1 March 2026 is a Sunday


def test_today_is_marked_and_other_months_are_dimmed(tab: CalendarTab) -> None:
    today = cell(tab, TODAY)
    assert today.is_today and "today" in today.accessibleName()
    before = cell(tab, date(2026, 2, 27))
    assert not before.in_month and "other month" in before.accessibleName()
    assert cell(tab, date(2026, 3, 5)).in_month


def test_header_buttons_change_month(tab: CalendarTab, qtbot: QtBot) -> None:
    QTest.mouseClick(tab.next_button, Qt.MouseButton.LeftButton)
    settle(tab)
    assert tab.month_label.text() == "April 2026"
    QTest.mouseClick(tab.prev_button, Qt.MouseButton.LeftButton)
    settle(tab)
    QTest.mouseClick(tab.prev_button, Qt.MouseButton.LeftButton)
    settle(tab)
    assert tab.month_label.text() == "February 2026"
    QTest.mouseClick(tab.today_button, Qt.MouseButton.LeftButton)
    settle(tab)
    assert tab.month_label.text() == "March 2026" and tab.grid.current == TODAY


def test_keyboard_moves_between_days_and_months(tab: CalendarTab, qtbot: QtBot) -> None:
    tab.grid.setFocus()
    assert tab.grid.current == TODAY
    QTest.keyClick(tab.grid, Qt.Key.Key_Right)
    settle(tab)
    assert tab.grid.current == date(2026, 3, 27)
    QTest.keyClick(tab.grid, Qt.Key.Key_Up)
    settle(tab)
    assert tab.grid.current == date(2026, 3, 20)
    QTest.keyClick(tab.grid, Qt.Key.Key_Down)
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_Down)
    settle(tab)
    assert tab.grid.current == date(2026, 4, 3)  # left March: the page turns
    assert tab.month_label.text() == "April 2026"
    QTest.keyClick(tab.grid, Qt.Key.Key_Left)
    settle(tab)
    assert tab.grid.current == date(2026, 4, 2)
    QTest.keyClick(tab.grid, Qt.Key.Key_PageDown)
    settle(tab)
    assert tab.month_label.text() == "May 2026" and tab.grid.current == date(2026, 5, 2)
    QTest.keyClick(tab.grid, Qt.Key.Key_PageUp)
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_PageUp)
    settle(tab)
    assert tab.month_label.text() == "March 2026"
    QTest.keyClick(tab.grid, Qt.Key.Key_PageDown)
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_Home)
    settle(tab)
    assert tab.grid.current == TODAY and tab.month_label.text() == "March 2026"
    assert cell(tab, TODAY).is_current


def test_page_down_from_the_31st_lands_on_the_months_last_day(
    tab: CalendarTab, qtbot: QtBot
) -> None:
    tab.select_day(date(2026, 3, 31))
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_PageDown)
    settle(tab)
    assert tab.grid.current == date(2026, 4, 30)


def test_each_day_lists_its_posts_by_time_with_more(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    day = date(2026, 3, 30)
    for hour in (15, 9, 11, 17):
        add_post(
            engine_, workspace.user_id, f"Post at {hour}", PostStatus.SCHEDULED, local(day, hour)
        )
    add_post(engine_, workspace.user_id, "Out", PostStatus.PUBLISHED, local(date(2026, 3, 24), 8))
    reread(tab)
    busy = cell(tab, day)
    shown = chips(busy)
    assert [chip.text for chip in shown] == ["09:00  Post at 9", "11:00  Post at 11"]
    assert busy.more_button.isVisible() and busy.more_button.text() == "+2 more"
    published = chips(cell(tab, date(2026, 3, 24)))[0]
    assert published.text.startswith("✓ 08:00") and "Published" in published.accessibleName()
    failed = add_post(
        engine_, workspace.user_id, "Oops", PostStatus.FAILED, local(date(2026, 3, 25), 9)
    )
    reread(tab)
    failed_chip = chips(cell(tab, date(2026, 3, 25)))[0]
    assert failed_chip.text == "⚠ 09:00  Oops" and failed_chip.post is not None
    assert failed_chip.post.id == failed and "LinkedIn said no" in failed_chip.toolTip()
    busy.more_button.click()
    settle(tab)
    dialog = tab.day_dialog
    assert isinstance(dialog, DayPostsDialog)
    assert dialog.list.count() == 4
    assert dialog.list.item(3).text().startswith("17:00  Post at 17")


def test_drafts_are_listed_beside_the_grid(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    draft = add_post(engine_, workspace.user_id, "An idea", title="Idea")
    empty = add_post(engine_, workspace.user_id, "  ")
    add_post(
        engine_, workspace.user_id, "Scheduled", PostStatus.SCHEDULED, local(date(2026, 3, 30), 9)
    )
    reread(tab)
    assert sorted(tab.drafts_list.post_ids()) == sorted([draft, empty])
    rows = {tab.drafts_list.item(r).text() for r in range(tab.drafts_list.count())}
    assert "Idea" in rows and "⚠ (empty post)" in rows


# --- drag and drop ------------------------------------------------------------------------------


def test_a_draft_dropped_on_a_day_is_scheduled_at_the_default_time(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(engine_, workspace.user_id, "Weekly kickoff")
    reread(tab)
    target = cell(tab, date(2026, 3, 30))
    drag_onto(target, post_id)
    assert target.drop_state is DropState.ACCEPT  # the day lights up while hovered
    assert "Drop to schedule on Monday 30 March 2026" in tab.hover_label.text()
    drop_onto(target, post_id)
    settle(tab)
    assert drop_state(target) is DropState.NONE
    status, scheduled_at, *_ = row_of(engine_, post_id)
    assert status == PostStatus.SCHEDULED
    assert scheduled_at == datetime(2026, 3, 30, 7, 0, tzinfo=UTC)  # 09:00 in Berlin (CEST)
    assert message(tab) == "“Weekly kickoff” is scheduled for Mon 30 Mar 2026 at 09:00."
    assert post_id not in tab.drafts_list.post_ids()
    assert [chip.text for chip in chips(target)] == ["09:00  Weekly kickoff"]


def test_a_draft_dropped_on_today_after_the_default_time_gets_the_next_quarter_hour(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(engine_, workspace.user_id, "Now-ish")
    reread(tab)
    drop_onto(cell(tab, TODAY), post_id)
    settle(tab)
    assert row_of(engine_, post_id)[1] == local(TODAY, 14, 30)
    assert "09:00 has already passed today, so the post is set for 14:30." in message(tab)


def test_the_default_posting_time_is_the_windows_preferences_object(
    qtbot: QtBot, engine_: Engine, workspace: Workspace, british: None
) -> None:
    prefs = AppPreferences(PreferencesStore(workspace.config.data_dir), AppSignals())
    tab = make_tab(qtbot, workspace, preferences=prefs)
    prefs.save(Preferences(default_post_time="07:45"))  # Settings › OK
    # The file changed behind the window's back is not read at each use: the object says.
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="06:00"))
    post_id = add_post(engine_, workspace.user_id)
    reread(tab)
    drop_onto(cell(tab, date(2026, 4, 1)), post_id)
    settle(tab)
    assert row_of(engine_, post_id)[1] == local(date(2026, 4, 1), 7, 45)


def test_the_post_dialog_proposes_the_time_of_the_windows_preferences_object(
    qtbot: QtBot, workspace: Workspace, british: None
) -> None:
    prefs = AppPreferences(PreferencesStore(workspace.config.data_dir), AppSignals())
    tab = make_tab(qtbot, workspace, preferences=prefs)
    prefs.save(Preferences(default_post_time="07:45"))  # Settings › OK
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="06:00"))
    tab.new_post_on(date(2026, 4, 1))
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog)
    assert dialog.when.value() == datetime(2026, 4, 1, 7, 45)
    dialog.reject()
    settle(tab)


@pytest.mark.parametrize("status", [PostStatus.SCHEDULED, PostStatus.FAILED])
def test_a_post_dragged_across_the_dst_change_keeps_its_local_time(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, status: str
) -> None:
    post_id = add_post(engine_, workspace.user_id, "Moving", status, local(date(2026, 3, 27), 9))
    reread(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 27, 8, 0, tzinfo=UTC)  # CET
    drop_onto(cell(tab, date(2026, 3, 31)), post_id)
    settle(tab)
    assert row_of(engine_, post_id)[:2] == (
        PostStatus.SCHEDULED,
        datetime(2026, 3, 31, 7, 0, tzinfo=UTC),  # CEST: still 09:00 on the wall
    )
    assert message(tab) == "“Moving” moved to Tue 31 Mar 2026 at 09:00."
    assert chips(cell(tab, date(2026, 3, 31)))[0].text == "09:00  Moving"
    assert not chips(cell(tab, date(2026, 3, 27)))


def test_a_0230_post_dragged_onto_the_spring_forward_day_goes_to_0300_and_says_so(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Night", PostStatus.SCHEDULED, local(date(2026, 3, 28), 2, 30)
    )
    reread(tab)
    drop_onto(cell(tab, date(2026, 3, 29)), post_id)
    settle(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 29, 1, 0, tzinfo=UTC)
    assert "02:30 does not exist on Sun 29 Mar 2026 (the clocks go forward)" in message(tab)
    assert chips(cell(tab, date(2026, 3, 29)))[0].text == "03:00  Night"


def test_new_york_with_the_system_zone_keeps_0900_across_fall_back(
    qtbot: QtBot, workspace: Workspace, british: None
) -> None:
    with system_zone("America/New_York"):
        now = local(date(2026, 10, 29), 12, tz=NEW_YORK)
        post_id = add_post(
            workspace.engine,
            workspace.user_id,
            "NY",
            PostStatus.SCHEDULED,
            local(date(2026, 10, 30), 9, tz=NEW_YORK),
        )
        tab = make_tab(qtbot, workspace, tz=None, now=now)
        assert tab.month_label.text() == "October 2026"
        assert chips(cell(tab, date(2026, 10, 30)))[0].text == "09:00  NY"
        drop_onto(cell(tab, date(2026, 11, 3)), post_id)
        settle(tab)
        assert row_of(workspace.engine, post_id)[1] == datetime(2026, 11, 3, 14, 0, tzinfo=UTC)
        assert chips(cell(tab, date(2026, 11, 3)))[0].text == "09:00  NY"


@pytest.mark.parametrize(
    ("case", "status", "content", "day", "reason"), REFUSED_DROPS, ids=REFUSED_IDS
)
def test_a_refused_drop_says_why_and_changes_nothing(
    tab: CalendarTab,
    engine_: Engine,
    workspace: Workspace,
    case: str,
    status: str,
    content: str,
    day: date,
    reason: str,
) -> None:
    at = None if status == PostStatus.DRAFT else local(date(2026, 3, 24), 9)
    post_id = add_post(engine_, workspace.user_id, content, status, at)
    reread(tab)
    before = row_of(engine_, post_id)
    target = cell(tab, day)
    drag_onto(target, post_id)
    assert target.drop_state is DropState.REFUSE
    assert tab.hover_label.text() == reason  # said while hovering, before letting go
    drop_onto(target, post_id)
    settle(tab)
    assert message(tab) == reason
    assert row_of(engine_, post_id) == before


def test_the_highlight_goes_when_the_drag_leaves(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(engine_, workspace.user_id)
    reread(tab)
    target = cell(tab, date(2026, 3, 30))
    drag_onto(target, post_id, leave=True)
    assert target.drop_state is DropState.NONE


def test_a_published_post_cannot_be_dragged(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    published = add_post(
        engine_, workspace.user_id, "Out", PostStatus.PUBLISHED, local(date(2026, 3, 24), 9)
    )
    scheduled = add_post(
        engine_, workspace.user_id, "Soon", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    published_chip = chips(cell(tab, date(2026, 3, 24)))[0]
    assert published_chip.drag_post_id() is None
    assert "stay where they are" in published_chip.toolTip()
    assert chips(cell(tab, date(2026, 3, 28)))[0].drag_post_id() == scheduled
    drop_onto(tab.drafts_list.viewport(), published)  # even if a drag arrived from elsewhere
    settle(tab)
    assert message(tab) == PUBLISHED_FIXED
    assert row_of(engine_, published)[0] == PostStatus.PUBLISHED


def test_a_post_dropped_on_the_drafts_list_is_unscheduled(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Back", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    drag_onto(tab.drafts_list.viewport(), post_id)
    assert tab.drafts_list.drop_state == "accept"
    drop_onto(tab.drafts_list.viewport(), post_id)
    settle(tab)
    assert row_of(engine_, post_id)[:2] == (PostStatus.DRAFT, None)
    assert tab.drafts_list.post_ids() == [post_id]
    assert not chips(cell(tab, date(2026, 3, 28)))
    assert message(tab) == "“Back” is a draft again, not scheduled."


# --- opening posts and days --------------------------------------------------------------------


def test_double_click_on_a_post_opens_it_in_the_post_dialog(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Edit me", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    QTest.mouseDClick(chips(cell(tab, date(2026, 3, 28)))[0], Qt.MouseButton.LeftButton)
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog) and dialog.post_id == post_id
    qtbot.waitUntil(lambda: dialog.composer.record is not None, timeout=5000)
    assert dialog.composer.body_edit.toPlainText() == "Edit me"
    assert dialog.when.value() == datetime(2026, 3, 28, 9, 0)
    assert dialog.composer.counter.text() == "7 / 3000"
    assert dialog.composer.preview.isVisible()  # the Drafts composer, preview and all


def test_enter_on_an_empty_day_starts_a_new_post_there(tab: CalendarTab, qtbot: QtBot) -> None:
    tab.grid.setFocus()
    QTest.keyClick(tab.grid, Qt.Key.Key_Right)
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_Return)
    settle(tab)
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog) and dialog.post_id is None
    assert dialog.schedule_box.isChecked()
    assert dialog.when.value() == datetime(2026, 3, 27, 9, 0)


def test_double_click_on_an_empty_day_starts_a_new_post_there(
    tab: CalendarTab, qtbot: QtBot
) -> None:
    QTest.mouseDClick(
        cell(tab, date(2026, 4, 2)),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(60, 60),
    )
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog)
    assert dialog.when.value() == datetime(2026, 4, 2, 9, 0)


def test_a_new_post_on_a_past_day_is_refused(tab: CalendarTab, qtbot: QtBot) -> None:
    QTest.mouseDClick(
        cell(tab, date(2026, 3, 20)),
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
        QPoint(60, 60),
    )
    assert tab.active_dialog is None
    assert "That day has passed" in message(tab)


def test_enter_on_a_day_with_posts_opens_its_list(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    add_post(engine_, workspace.user_id, "One", PostStatus.SCHEDULED, local(date(2026, 3, 27), 9))
    reread(tab)
    tab.grid.setFocus()
    QTest.keyClick(tab.grid, Qt.Key.Key_Right)
    settle(tab)
    QTest.keyClick(tab.grid, Qt.Key.Key_Enter)
    settle(tab)
    assert isinstance(tab.day_dialog, DayPostsDialog)
    assert tab.day_dialog.list.count() == 1


def test_the_post_dialog_saves_0230_on_the_spring_forward_day_as_0300(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    tab.new_post_on(date(2026, 3, 29))
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog)
    dialog.composer.body_edit.setPlainText("Up early")
    dialog.when.set_value(datetime(2026, 3, 29, 2, 30))
    assert "02:30 does not exist" in dialog.time_note.text()  # told before saving
    with qtbot.waitSignal(dialog.saved, timeout=5000):
        dialog.accept()
    assert dialog.result() == PostDialog.DialogCode.Accepted
    assert "set for 03:00" in message(tab)
    settle(tab)
    chip = chips(cell(tab, date(2026, 3, 29)))[0]
    assert chip.text == "03:00  Up early"
    assert chip.post is not None and row_of(engine_, chip.post.id)[1] == datetime(
        2026, 3, 29, 1, 0, tzinfo=UTC
    )


def test_the_post_dialog_refuses_too_long_text_and_stays_open(tab: CalendarTab) -> None:
    tab.new_post_on(date(2026, 3, 30))
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog)
    dialog.composer.body_edit.setPlainText("z" * 3001)
    assert dialog.composer.counter.text() == "3001 / 3000"
    dialog.accept()
    assert dialog.isVisible()
    assert "LinkedIn allows 3000" in dialog.error_label.text()
    assert not tab.view or not tab.view.posts


# --- the context menu --------------------------------------------------------------------------


def menu_action(tab: CalendarTab, post_id: str, key: str) -> QAction:
    menu = tab.post_menu_for(post_id)
    assert menu is not None
    action = menu.findChild(QAction, f"{key}Action")
    assert isinstance(action, QAction)
    return action


def test_the_context_menu_is_edit_then_the_shared_post_actions(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Menu", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    menu = tab.post_menu_for(post_id)
    assert menu is not None
    shared = tab.post_actions.menu_for(PostTarget.of_calendar(tab.known[post_id]))
    names = [a.objectName() for a in menu.actions() if a.objectName()]
    assert names == ["editAction"] + [a.objectName() for a in shared.actions() if a.objectName()]
    core = [
        "duplicatePostAction",
        "deletePostAction",
        "schedulePostAction",
        "queuePostAction",
        "unschedulePostAction",
        "publishNowAction",
        "retryPostAction",
        "markPublishedAction",
        "repeatPostAction",
        "evergreenPostAction",
    ]
    # These in this order (other issues add actions of their own among them).
    assert [name for name in names[1:] if name in core] == core
    # The same object names as the Drafts toolbar's actions: one set of actions, not two.
    # Repeat… and Evergreen are only in a post's menu (MENU_EXTRAS), not on the toolbar.
    extras = {"repeatPostAction", "evergreenPostAction"}
    assert set(names[1:]) - extras <= {a.objectName() for a in tab.post_actions.actions.values()}


def test_context_menu_unschedule_duplicate_delete_and_undo(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Menu", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    menu_action(tab, post_id, "duplicatePost").trigger()
    settle(tab)
    assert len(tab.drafts_list.post_ids()) == 1
    copy_id = tab.drafts_list.post_ids()[0]
    assert row_of(engine_, copy_id)[:3] == (PostStatus.DRAFT, None, "Menu")

    menu_action(tab, post_id, "unschedulePost").trigger()
    settle(tab)
    assert row_of(engine_, post_id)[:2] == (PostStatus.DRAFT, None)
    assert message(tab) == "“Menu” is a draft again, not scheduled."
    assert not menu_action(tab, post_id, "unschedulePost").isEnabled()  # a draft now

    menu_action(tab, copy_id, "deletePost").trigger()
    settle(tab)
    assert copy_id not in tab.drafts_list.post_ids()
    assert tab.message_bar.action_button.text() == "Undo"
    tab.message_bar.action_button.click()
    settle(tab)
    assert copy_id in tab.drafts_list.post_ids()


def test_undo_after_a_second_delete_restores_the_second_post(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    first = add_post(engine_, workspace.user_id, "First to go")
    second = add_post(engine_, workspace.user_id, "Second to go")
    reread(tab)
    menu_action(tab, first, "deletePost").trigger()
    settle(tab)
    menu_action(tab, second, "deletePost").trigger()  # before the first Undo ran out
    settle(tab)
    tab.message_bar.action_button.click()
    settle(tab)
    assert second in tab.drafts_list.post_ids()
    assert row_of(engine_, second)[2] == "Second to go"
    assert first not in tab.drafts_list.post_ids()  # its Undo ended when the next one came


def test_editing_a_post_deleted_meanwhile_says_so_and_opens_nothing(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(engine_, workspace.user_id, "Soon gone")
    reread(tab)
    PostService(engine_, workspace.user_id).delete(post_id)  # another process, say
    tab.edit_post(post_id)
    qtbot.waitUntil(lambda: tab.active_dialog is None, timeout=5000)
    assert "no longer there" in message(tab)
    settle(tab)  # the tab reads again once it hears the post is gone
    assert post_id not in tab.drafts_list.post_ids()


def test_context_menu_edit_opens_the_dialog(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(engine_, workspace.user_id, "Edit via menu")
    reread(tab)
    menu_action(tab, post_id, "edit").trigger()
    assert isinstance(tab.active_dialog, PostDialog) and tab.active_dialog.post_id == post_id


def test_publish_now_needs_linkedin_and_then_asks_the_publisher(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Now", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    settle(tab)
    publish = menu_action(tab, post_id, "publishNow")
    assert not publish.isEnabled()
    assert publish.toolTip() == "Connect your LinkedIn account in File › Settings… to publish."
    mark_connected(engine_, workspace.user_id)
    tab.signals.connection_changed.emit()
    settle(tab)
    publish = menu_action(tab, post_id, "publishNow")
    assert publish.isEnabled()
    publish.trigger()
    # Publish now asks first (ui/post_actions.py); its Publish button sends the post.
    qtbot.waitUntil(lambda: tab.post_actions.publish_question is not None, timeout=5000)
    question = tab.post_actions.publish_question
    assert question is not None
    with qtbot.waitSignal(tab.publish_now_requested) as emitted:
        button = question.findChild(QPushButton, "publishNowConfirm")
        assert button is not None
        button.click()
    assert emitted.args == [post_id]


def test_published_posts_offer_only_open_duplicate_and_delete(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Done", PostStatus.PUBLISHED, local(date(2026, 3, 20), 9)
    )
    reread(tab)
    assert menu_action(tab, post_id, "edit").text() == "&Open…"
    assert not menu_action(tab, post_id, "unschedulePost").isEnabled()
    assert menu_action(tab, post_id, "duplicatePost").isEnabled()
    assert menu_action(tab, post_id, "deletePost").isEnabled()


# --- changes made elsewhere --------------------------------------------------------------------


def test_posts_changed_from_another_tab_refreshes_at_once(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(engine_, workspace.user_id, "From Drafts")
    tab.signals.announce_posts([post_id])
    settle(tab)
    assert post_id in tab.drafts_list.post_ids()


def test_a_hidden_calendar_catches_up_when_shown(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    tab.hide()
    post_id = add_post(engine_, workspace.user_id, "While away")
    tab.signals.announce_posts([post_id])
    settle(tab)
    assert post_id not in tab.drafts_list.post_ids() and tab.stale
    tab.show()
    settle(tab)
    assert post_id in tab.drafts_list.post_ids() and not tab.stale


def test_every_interactive_widget_has_names(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    add_post(engine_, workspace.user_id, "Named", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9))
    reread(tab)
    for mode in ("week", "agenda", "month"):  # each view is built when first shown
        tab.set_mode(mode)
    settle(tab)
    interactive = [
        w
        for w in tab.findChildren(QWidget)
        if isinstance(w, (QAbstractButton, QAbstractItemView, MonthGrid, DayCell, PostChip))
    ]
    assert len(interactive) > 42 * 2  # the cells and their "+N more" buttons at least
    assert any(isinstance(w, PostChip) and w.isVisible() for w in interactive)
    assert tab.findChild(QWidget, "calendarAgendaSearch") is not None
    unnamed = [w for w in interactive if not (w.objectName() and w.accessibleName())]
    assert unnamed == []


def test_a_short_day_cell_shows_fewer_chips_and_says_how_many_more(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    day = date(2026, 3, 30)
    for hour in (9, 11, 13):
        add_post(engine_, workspace.user_id, f"At {hour}", PostStatus.SCHEDULED, local(day, hour))
    reread(tab)
    assert tab.view is not None
    posts = tab.view.posts_on(day)
    cell = DayCell(0, lambda _post_id, _day: "")
    qtbot.addWidget(cell)
    cell.resize(120, cell.minimumHeight())  # a small screen: room for one line only
    cell.show()
    cell.show_day(day, posts, True, False, tab.time_text)
    assert [chip for chip in cell.chips if chip.post is not None] == []
    assert cell.more_button.text() == "+3 more"
    cell.resize(120, 400)  # room for every chip again
    assert [chip.post.label for chip in cell.chips if chip.post is not None] == [
        "At 9",
        "At 11",
        "At 13",
    ]


def test_the_colour_key_is_never_squeezed_into_cut_words(tab: CalendarTab, qtbot: QtBot) -> None:
    qtbot.addWidget(tab)
    tab.resize(tab.minimumSizeHint())
    tab.show()
    settle(tab)
    qtbot.waitExposed(tab)
    for status in ("scheduled", "publishing", "published", "failed"):
        swatch = tab.findChild(QWidget, f"calendarLegend_{status}")
        assert swatch is not None and swatch.width() >= swatch.sizeHint().width(), status


# --- reads on the task runner: month switches, pages of long lists, change echoes ---------------


def many_posts(engine: Engine, user_id: str, count: int, at: datetime | None = None) -> None:
    """`count` posts in one statement: drafts, or posts scheduled at `at` (a busy day)."""
    base = datetime(2026, 3, 1, 12, 0, tzinfo=BERLIN)
    rows = [
        {
            "id": new_id(),
            "user_id": user_id,
            "content": f"Post {n}",
            "status": PostStatus.DRAFT if at is None else PostStatus.SCHEDULED,
            "scheduled_at": None if at is None else at + timedelta(seconds=n),
            "retry_count": 0,
            "created_at": base + timedelta(seconds=n),
            "updated_at": base + timedelta(seconds=n),
        }
        for n in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Post), rows)


def test_the_tab_says_when_its_month_and_drafts_are_on_screen(
    qtbot: QtBot, workspace: Workspace, british: None
) -> None:
    add_post(workspace.engine, workspace.user_id, "An idea")
    tab = CalendarTab(workspace, AppSignals(), tz=BERLIN, clock=lambda: NOW)
    qtbot.addWidget(tab)
    assert tab.drafts_list.count() == 0  # nothing was read on the GUI thread
    with qtbot.waitSignal(tab.data_shown, timeout=10_000):
        tab.show()
    assert tab.drafts_list.count() == 1 and tab.view is not None
    settle(tab)
    tab.tasks.close()  # made without make_tab: its runner finishes here


def test_a_month_switch_keeps_the_old_grid_until_the_newest_month_arrives(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    draft = add_post(engine_, workspace.user_id, "Drop me")
    reread(tab)
    shown: list[tuple[int, int]] = []
    show_view = tab.grid.show_view

    def recording(view: MonthView, *args: Any, **kwargs: Any) -> None:
        shown.append((view.year, view.month))
        show_view(view, *args, **kwargs)

    tab.grid.show_view = recording  # type: ignore[method-assign]
    for _ in range(3):
        tab.step_month(1)
    # Until the answer: the grid still shows March, and a drop on it still works.
    assert tab.month_label.text() == "March 2026" and cell(tab, date(2026, 3, 30)).in_month
    drop_onto(cell(tab, date(2026, 3, 30)), draft)
    settle(tab)
    assert row_of(engine_, draft)[0] == PostStatus.SCHEDULED
    assert set(shown) == {(2026, 6)}  # April and May were never painted: only the newest month
    assert tab.month_label.text() == "June 2026"


def test_the_drafts_panel_fetches_pages_as_it_is_scrolled(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    many_posts(engine_, workspace.user_id, 2 * PAGE_SIZE + 50)
    reread(tab)
    listed = tab.drafts_list
    assert listed.count() == PAGE_SIZE and listed.total == 2 * PAGE_SIZE + 50
    assert tab.drafts_panel.title.text() == "&Drafts (450)"
    for expected in (2 * PAGE_SIZE, 2 * PAGE_SIZE + 50):
        bar = listed.verticalScrollBar()
        # The list lays its new rows out on a timer of its own: until then the bar's end is the
        # old one, and scrolling there would not move it (a busy machine showed it).
        qtbot.waitUntil(lambda: bar.value() < bar.maximum(), timeout=5000)  # noqa: B023
        bar.setValue(bar.maximum())
        settle(tab)
        assert listed.count() == expected
    assert len(set(listed.post_ids())) == 2 * PAGE_SIZE + 50
    # A change elsewhere reads again as many rows as are shown, not back to the first page.
    tab.signals.announce_posts(())
    settle(tab)
    assert listed.count() == 2 * PAGE_SIZE + 50


def test_a_busy_days_list_fetches_pages_as_it_is_scrolled(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    day = date(2026, 3, 30)
    many_posts(engine_, workspace.user_id, PAGE_SIZE + 30, at=local(day, 9))
    reread(tab)
    cell(tab, day).more_button.click()
    settle(tab)
    dialog = tab.day_dialog
    assert dialog is not None and dialog.list.count() == PAGE_SIZE
    assert dialog.heading.text() == f"{PAGE_SIZE + 30} posts on Monday 30 March 2026"
    bar = dialog.list.verticalScrollBar()
    bar.setValue(bar.maximum())
    settle(tab)
    assert dialog.list.count() == PAGE_SIZE + 30


def test_a_day_of_fifty_posts_reads_only_what_its_cell_shows_and_lists_all_of_them(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    day = date(2026, 3, 30)
    many_posts(engine_, workspace.user_id, 50, at=local(day, 9))
    reread(tab)
    assert tab.view is not None
    # The month read holds the day's first GRID_POSTS_PER_DAY posts by time and the day's count.
    assert [post.label for post in tab.view.posts_on(day)] == [f"Post {n}" for n in range(8)]
    assert tab.view.count_on(day) - len(tab.view.posts_on(day)) == 42
    busy = cell(tab, day)
    lines = busy.chip_room()
    shown = [chip.text for chip in chips(busy)]
    assert shown == [f"09:00  Post {n}" for n in range(lines - 1)]
    assert busy.more_button.text() == f"+{50 - (lines - 1)} more"  # chips and the rest
    assert busy.accessibleName().endswith("50 posts")
    busy.more_button.click()
    settle(tab)
    dialog = tab.day_dialog
    assert dialog is not None and dialog.list.count() == 50
    assert dialog.heading.text() == "50 posts on Monday 30 March 2026"


def test_its_own_drop_is_read_once_and_its_echo_skipped(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    draft = add_post(engine_, workspace.user_id, "Once")
    reread(tab)
    heard: list[PostsChanged] = []
    tab.signals.posts_changed.connect(heard.append)
    reads: list[int] = []
    month_view = tab.service.month_view

    def counting(year: int, month: int, first_weekday: int) -> MonthView:
        reads.append(month)
        return month_view(year, month, first_weekday)

    tab.service.month_view = counting  # type: ignore[method-assign]
    drop_onto(cell(tab, date(2026, 3, 30)), draft)
    settle(tab)
    assert [change.echoes(tab) for change in heard] == [True]  # announced, as its own
    assert reads == [3]  # read again once: the echo did not start a second read
    assert [chip.text for chip in chips(cell(tab, date(2026, 3, 30)))] == ["09:00  Once"]


def test_the_dialogs_autosave_reaches_the_grid_through_the_runner(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Before", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    tab.edit_post(post_id)
    dialog = tab.active_dialog
    assert isinstance(dialog, PostDialog)
    qtbot.waitUntil(lambda: dialog.composer.record is not None, timeout=5000)
    dialog.composer.body_edit.setPlainText("After the pause")
    with qtbot.waitSignal(dialog.composer.saved, timeout=10_000):
        dialog.composer.autosave_timer.timeout.emit()  # the pause in typing, without waiting
    settle(tab)  # the guard fails this test if the calendar read it on the GUI thread
    assert [chip.text for chip in chips(cell(tab, date(2026, 3, 28)))] == ["09:00  After the pause"]
    dialog.composer.autosave_timer.stop()


@pytest.mark.parametrize("where", ["day", "drafts"])
def test_a_refused_drop_read_in_the_database_is_said_and_nothing_moves(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot, where: str
) -> None:
    published = add_post(
        engine_, workspace.user_id, "Out", PostStatus.PUBLISHED, local(date(2026, 3, 24), 9)
    )
    # Not on screen (another month's post, say): only the database's check can refuse it.
    tab.step_month(1)
    settle(tab)
    before = row_of(engine_, published)
    target = cell(tab, date(2026, 4, 20)) if where == "day" else tab.drafts_list.viewport()
    drop_onto(target, published)
    settle(tab)
    assert "already on LinkedIn" in message(tab)
    assert row_of(engine_, published) == before


def test_a_tab_made_alone_still_reads_its_posting_time_once(
    qtbot: QtBot, workspace: Workspace, british: None
) -> None:
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="10:15"))
    tab = make_tab(qtbot, workspace)
    save_preferences(workspace.config.data_dir, Preferences(default_post_time="06:00"))
    tab.signals.preferences_changed.emit()  # not a reason to read the file again
    post_id = add_post(workspace.engine, workspace.user_id)
    reread(tab)
    drop_onto(cell(tab, date(2026, 4, 1)), post_id)
    settle(tab)
    assert row_of(workspace.engine, post_id)[1] == local(date(2026, 4, 1), 10, 15)
