"""The Calendar tab's posting slots and its Week and Agenda views, driven like a user: real
widgets, synthetic drag-and-drop events (a real QDrag cannot run offscreen), keys, a real
database. Today is Thursday 26 March 2026, 14:07 in Berlin (clocks go forward on the 29th)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QAction, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine

from linkie_desktop.domain.repeat import RepeatRule
from linkie_desktop.domain.slots import Slot
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostService
from linkie_desktop.services.slots import SlotService
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.calendar import CalendarTab
from linkie_desktop.ui.calendar.day_cell import DayCell, DropState
from linkie_desktop.ui.calendar.drag import post_mime
from linkie_desktop.ui.calendar.tab import AGENDA, WEEK
from linkie_desktop.ui.calendar.week_view import WeekCanvas
from linkie_desktop.ui.widgets.recurrence_editor import RepeatDialog
from tests.calendar_support import BERLIN, add_post, local, row_of
from tests.ui.calendar import test_calendar_tab as base
from tests.ui.calendar.test_calendar_tab import (
    NOW,
    _drag_event,
    cell,
    chips,
    drop_onto,
    message,
    reread,
    settle,
)
from tests.ui.workspace_support import opened_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def engine_(workspace: Workspace) -> Engine:
    return workspace.engine


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, british: None) -> CalendarTab:
    """The calendar's own tab, in a Monday-first English locale; its runner finishes first."""
    return base.make_tab(qtbot, workspace)


MONDAY = date(2026, 3, 30)


def slots_of(workspace: Workspace, *slots: Slot) -> SlotService:
    service = SlotService(workspace.engine, workspace.user_id, BERLIN, clock=lambda: NOW)
    for slot in slots:
        service.add(slot)
    return service


# --- the month: as many chips as fit, free slots as drop targets --------------------------------


def test_a_cell_three_lines_tall_shows_three_posts_not_two_and_more(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    for hour in (9, 11, 13):
        add_post(
            engine_, workspace.user_id, f"At {hour}", PostStatus.SCHEDULED, local(MONDAY, hour)
        )
    reread(tab)
    assert tab.view is not None
    day_cell = DayCell(0, lambda _post_id, _day: "")
    qtbot.addWidget(day_cell)
    metrics = day_cell.fontMetrics()
    line = metrics.height() + 6
    margins = (metrics.height() + 8) + 3
    day_cell.resize(120, margins + 3 * line + 2 * 2)  # exactly three lines and their gaps
    day_cell.show()
    day_cell.show_day(MONDAY, tab.view.posts_on(MONDAY), True, False, tab.time_text)
    assert day_cell.chip_room() == 3
    assert [c.post.label for c in day_cell.chips if c.post is not None] == [
        "At 9",
        "At 11",
        "At 13",
    ]
    assert not day_cell.more_button.isVisible()
    add_post(engine_, workspace.user_id, "At 15", PostStatus.SCHEDULED, local(MONDAY, 15))
    reread(tab)
    day_cell.show_day(MONDAY, tab.view.posts_on(MONDAY), True, False, tab.time_text, 4)
    assert [c.post.label for c in day_cell.chips if c.post is not None] == ["At 9", "At 11"]
    assert day_cell.more_button.text() == "+2 more"


def test_free_slots_are_dashed_drop_targets_in_the_month(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    slots_of(workspace, Slot(0, time(9)), Slot(3, time(14, 10)))  # today's is 3 minutes away
    draft = add_post(engine_, workspace.user_id, "Into the slot")
    reread(tab)
    monday = cell(tab, MONDAY)
    [free] = [chip for chip in monday.slot_chips if chip.isVisible()]
    assert free.text == "09:00  Free slot" and "drop a post here" in free.toolTip()
    assert not any(chip.isVisible() for chip in cell(tab, date(2026, 3, 26)).slot_chips)
    drop_onto(free, draft)
    settle(tab)
    status, scheduled_at, *_ = row_of(engine_, draft)
    assert (status, scheduled_at) == (PostStatus.SCHEDULED, datetime(2026, 3, 30, 7, tzinfo=UTC))
    assert message(tab) == "“Into the slot” is scheduled for Mon 30 Mar 2026 at 09:00."
    monday = cell(tab, MONDAY)
    assert [c.text for c in chips(monday)] == ["09:00  Into the slot"]
    assert not any(chip.isVisible() for chip in monday.slot_chips)  # taken now


def test_add_to_queue_from_the_post_menu_takes_the_next_free_slot(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    slots_of(workspace, Slot(0, time(9)))
    post_id = add_post(
        engine_, workspace.user_id, "Queue me", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    menu = tab.post_menu_for(post_id)
    assert menu is not None
    action = menu.findChild(QAction, "queuePostAction")
    assert action is not None and action.isEnabled() and action.text() == "Add to &queue"
    action.trigger()
    settle(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 30, 7, tzinfo=UTC)
    assert message(tab) == "“Queue me” is queued for Mon 30 Mar 2026 at 09:00."


def test_repeat_from_the_post_menu_sets_the_rule(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "Again", PostStatus.SCHEDULED, local(date(2026, 3, 28), 9)
    )
    reread(tab)
    menu = tab.post_menu_for(post_id)
    assert menu is not None
    repeat = menu.findChild(QAction, "repeatPostAction")
    assert repeat is not None
    repeat.trigger()
    settle(tab)
    dialog = tab.post_actions.repeat_dialog
    assert isinstance(dialog, RepeatDialog) and dialog.isVisible()
    dialog.every.setValue(2)
    dialog.weekdays[0].setChecked(True)
    dialog.after.setChecked(True)
    dialog.count.setValue(5)
    dialog.buttons.button(dialog.buttons.StandardButton.Ok).click()
    settle(tab)
    rule = PostService(engine_, workspace.user_id).repeat_rule(post_id)
    assert rule == RepeatRule(every=2, weekdays=(0,), count=5)
    assert message(tab) == "“Again” repeats every 2 weeks on mon, 5 times."


def test_the_message_bar_never_moves_the_grid(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    before = tab.views.geometry()
    tab.message_bar.show_message("Something happened, in a sentence long enough to read.")
    QApplication.processEvents()
    assert tab.message_bar.isVisible() and tab.views.geometry() == before
    tab.message_bar.dismiss()
    QApplication.processEvents()
    assert tab.views.geometry() == before


# --- the week ----------------------------------------------------------------------------------


def week_tab(tab: CalendarTab) -> WeekCanvas:
    tab.select_day(MONDAY)
    tab.set_mode(WEEK)
    settle(tab)
    return tab.week_view.canvas


def drop_state(canvas: WeekCanvas) -> DropState:
    return canvas.hover_state  # read afresh at each call (mypy narrows an attribute)


def drop_on_canvas(canvas: WeekCanvas, post_id: str, day: date, at: time) -> None:
    mime = post_mime(post_id)
    point = QPointF(canvas.point_of(day, at))
    QApplication.sendEvent(canvas, _drag_event(QDragEnterEvent, point, mime))
    QApplication.sendEvent(canvas, _drag_event(QDragMoveEvent, point, mime))
    drop = QDropEvent(
        point,
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(canvas, drop)


def test_the_week_shows_hours_by_days_with_posts_and_free_slots(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    slots_of(workspace, Slot(1, time(12, 30)))
    add_post(engine_, workspace.user_id, "Monday", PostStatus.SCHEDULED, local(MONDAY, 9))
    canvas = week_tab(tab)
    assert canvas.days[0] == MONDAY and canvas.days[-1] == date(2026, 4, 5)
    assert tab.month_label.text() == "30 March – 5 April 2026"
    [post_block] = [b for b in canvas.blocks if b.post is not None]
    assert post_block.post is not None and post_block.post.label == "Monday"
    assert post_block.rect.contains(canvas.point_of(MONDAY, time(9)))
    [free] = [b for b in canvas.blocks if b.occurrence is not None]
    assert free.rect.contains(canvas.point_of(date(2026, 3, 31), time(12, 30)))
    QTest.keyClick(canvas, Qt.Key.Key_PageDown)
    settle(tab)
    assert canvas.days[0] == date(2026, 4, 6)


def test_a_draft_dragged_to_a_time_lands_on_that_quarter_hour(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    draft = add_post(engine_, workspace.user_id, "Week drop")
    canvas = week_tab(tab)
    reread(tab)
    drop_on_canvas(canvas, draft, date(2026, 3, 31), time(10, 15))
    settle(tab)
    status, scheduled_at, *_ = row_of(engine_, draft)
    assert status == PostStatus.SCHEDULED
    assert scheduled_at == datetime(2026, 3, 31, 8, 15, tzinfo=UTC)  # 10:15 CEST
    assert message(tab) == "“Week drop” is scheduled for Tue 31 Mar 2026 at 10:15."
    assert any(b.post is not None and b.post.id == draft for b in canvas.blocks)


def test_a_drag_over_a_past_time_in_the_week_is_refused_and_says_why(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    draft = add_post(engine_, workspace.user_id, "Too late")
    tab.select_day(date(2026, 3, 26))
    tab.set_mode(WEEK)
    settle(tab)
    reread(tab)
    canvas = tab.week_view.canvas
    mime = post_mime(draft)
    point = QPointF(canvas.point_of(date(2026, 3, 26), time(14, 0)))  # 7 minutes ago
    QApplication.sendEvent(canvas, _drag_event(QDragEnterEvent, point, mime))
    QApplication.sendEvent(canvas, _drag_event(QDragMoveEvent, point, mime))
    assert drop_state(canvas) is DropState.REFUSE
    assert tab.hover_label.text() == "That time has passed: drop the post on a later time."
    later = QPointF(canvas.point_of(date(2026, 3, 26), time(15, 0)))
    QApplication.sendEvent(canvas, _drag_event(QDragMoveEvent, later, mime))
    assert drop_state(canvas) is DropState.ACCEPT
    assert "Thursday 26 March 2026 at 15:00" in tab.hover_label.text()


def test_keys_move_the_chosen_post_by_a_quarter_hour_and_by_a_day(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    post_id = add_post(
        engine_, workspace.user_id, "By keys", PostStatus.SCHEDULED, local(MONDAY, 9)
    )
    canvas = week_tab(tab)
    canvas.setFocus()
    QTest.keyClick(canvas, Qt.Key.Key_Down)  # choose the first post
    assert canvas.selected == post_id
    QTest.keyClick(canvas, Qt.Key.Key_Down, Qt.KeyboardModifier.AltModifier)
    settle(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 30, 7, 15, tzinfo=UTC)
    QTest.keyClick(canvas, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)
    settle(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 31, 7, 15, tzinfo=UTC)
    assert canvas.selected == post_id  # still chosen after the re-read
    QTest.keyClick(canvas, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    settle(tab)
    assert row_of(engine_, post_id)[1] == datetime(2026, 3, 31, 7, 0, tzinfo=UTC)


# --- the agenda --------------------------------------------------------------------------------


def agenda_rows(tab: CalendarTab) -> list[str]:
    listing = tab.agenda.list
    return [listing.item(row).text() for row in range(listing.count())]


def test_the_agenda_lists_upcoming_posts_in_order_and_searches(
    tab: CalendarTab, engine_: Engine, workspace: Workspace, qtbot: QtBot
) -> None:
    add_post(engine_, workspace.user_id, "Later idea", PostStatus.SCHEDULED, local(MONDAY, 11))
    add_post(engine_, workspace.user_id, "Sooner idea", PostStatus.SCHEDULED, local(MONDAY, 9))
    add_post(engine_, workspace.user_id, "Gone", PostStatus.PUBLISHED, local(date(2026, 3, 20), 9))
    add_post(engine_, workspace.user_id, "A draft")
    tab.set_mode(AGENDA)
    settle(tab)
    assert agenda_rows(tab) == ["Monday 30 March 2026", "09:00  Sooner idea", "11:00  Later idea"]
    assert tab.agenda.summary.text() == "2 upcoming posts"
    tab.agenda.search.setText("later")
    qtbot.waitUntil(lambda: len(agenda_rows(tab)) == 2, timeout=5000)
    settle(tab)
    assert agenda_rows(tab) == ["Monday 30 March 2026", "11:00  Later idea"]
    assert tab.agenda.summary.text() == "1 upcoming post matching “later”"


def test_the_agenda_moves_and_shuffles_the_queue_keeping_its_slots(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    slots = slots_of(workspace, Slot(0, time(9)), Slot(2, time(9)))
    first = add_post(engine_, workspace.user_id, "First")
    second = add_post(engine_, workspace.user_id, "Second")
    slots.add_to_queue(first)
    slots.add_to_queue(second)
    tab.set_mode(AGENDA)
    settle(tab)
    assert "· queue slot Monday 09:00" in agenda_rows(tab)[1]
    assert tab.agenda.shuffle_button.isEnabled()
    tab.agenda.select_post(second)
    assert tab.agenda.up_button.isEnabled()
    QTest.keyClick(tab.agenda.list, Qt.Key.Key_Up, Qt.KeyboardModifier.AltModifier)
    settle(tab)
    assert [p.id for p in slots.queue()] == [second, first]
    assert message(tab) == "“Second” moved up the queue."
    times = [p.scheduled_at for p in slots.queue()]
    tab.agenda.shuffle_button.click()
    settle(tab)
    assert [p.id for p in slots.queue()] == [first, second]  # two posts: the other order
    assert [p.scheduled_at for p in slots.queue()] == times


def test_a_days_posts_and_free_slots_read_in_time_order(
    tab: CalendarTab, engine_: Engine, workspace: Workspace
) -> None:
    slots_of(workspace, Slot(0, time(9)), Slot(0, time(16)))
    add_post(engine_, workspace.user_id, "Noon", PostStatus.SCHEDULED, local(MONDAY, 12))
    reread(tab)
    monday = cell(tab, MONDAY)
    layout = monday._layout
    shown = []
    for index in range(layout.count()):
        item = layout.itemAt(index)
        widget = item.widget() if item is not None else None
        if widget is not None and widget.isVisible():
            shown.append(widget)
    texts = [getattr(widget, "text", "") for widget in shown]
    assert texts == ["09:00  Free slot", "12:00  Noon", "16:00  Free slot"]
