"""The Calendar builds only what its first paint shows: the month. The Week and Agenda views are
built when the user first switches to them (or code first asks for them), and a day's chips when
the day has posts to show; each works as before once built (issue 13)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.calendar import CalendarTab
from linkie_desktop.ui.calendar.tab import AGENDA, MONTH, WEEK
from tests.calendar_support import add_post, local
from tests.ui.calendar import test_calendar_tab as base
from tests.ui.calendar.test_calendar_tab import TODAY, reread, settle
from tests.ui.workspace_support import opened_workspace


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    with opened_workspace(tmp_path) as space:
        yield space


@pytest.fixture
def tab(qtbot: QtBot, workspace: Workspace, british: None) -> CalendarTab:
    return base.make_tab(qtbot, workspace)


def _named(tab: CalendarTab, name: str) -> list[QWidget]:
    return tab.findChildren(QWidget, name)


def test_the_week_and_the_agenda_are_built_when_first_shown(
    tab: CalendarTab, workspace: Workspace
) -> None:
    assert _named(tab, "calendarWeek") == [] and _named(tab, "calendarWeekCanvas") == []
    assert _named(tab, "calendarAgenda") == [] and _named(tab, "calendarAgendaSearch") == []

    add_post(
        workspace.engine,
        workspace.user_id,
        "Thursday talk",
        PostStatus.SCHEDULED,
        local(date(2026, 3, 27), 10),
    )
    reread(tab)
    tab.set_mode(WEEK)
    settle(tab)
    [week] = _named(tab, "calendarWeek")
    assert tab.views.currentWidget() is week and week.isVisible()
    assert [post.label for post in tab.week_view.canvas.posts] == ["Thursday talk"]
    assert _named(tab, "calendarAgenda") == []  # still only what was shown

    tab.set_mode(AGENDA)
    settle(tab)
    [agenda] = _named(tab, "calendarAgenda")
    assert tab.views.currentWidget() is agenda and agenda.isVisible()
    assert tab.agenda.summary.text() == "1 upcoming post"
    assert tab.month_label.text() == "Upcoming posts"

    tab.set_mode(MONTH)
    assert tab.views.currentWidget() is tab.grid
    tab.set_mode(WEEK)  # built once: the same view again
    assert _named(tab, "calendarWeek") == [week]


def test_asking_for_the_week_view_builds_it_in_its_place(tab: CalendarTab) -> None:
    canvas = tab.week_view.canvas  # code (a test, a screenshot) may ask before it is shown
    assert tab.views.indexOf(tab.week_view) == 1
    assert tab.views.currentWidget() is tab.grid  # asking does not switch to it
    assert _named(tab, "calendarWeekCanvas") == [canvas]
    assert tab.views.indexOf(tab.agenda) == 2


def test_an_empty_day_has_no_chips_and_a_busy_one_gets_as_many_as_it_shows(
    tab: CalendarTab, workspace: Workspace
) -> None:
    day = tab.grid.cell_for(TODAY)
    assert day is not None
    assert all(not cell.chips and not cell.slot_chips for cell in tab.grid.cells)

    for hour in (15, 16, 17):
        add_post(
            workspace.engine,
            workspace.user_id,
            f"At {hour}",
            PostStatus.SCHEDULED,
            local(TODAY, hour),
        )
    reread(tab)
    shown = [chip.post.label for chip in day.chips if chip.isVisible() and chip.post]
    assert shown == ["At 15", "At 16", "At 17"]
    assert len(day.chips) == 3
    assert [chip.objectName() for chip in day.chips] == [
        f"calendarPost_{day.index}_{n}" for n in range(3)
    ]
