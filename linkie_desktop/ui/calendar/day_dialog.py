"""All posts of one day ("+N more", or Enter on a busy day): open, act on them, or add one.

A busy day can hold many posts: the dialog shows the pages the tab fetches on the task runner and
asks for the next one (`more_wanted`) when it is scrolled near its end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QContextMenuEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.calendar import CalendarPost
from linkie_desktop.ui.calendar.day_cell import StatusText, chip_text, long_day, stored_status
from linkie_desktop.ui.calendar.drafts_panel import more_when_near_the_end, space_items
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import status_colour

POST_ID_ROLE = Qt.ItemDataRole.UserRole


class _DayList(QListWidget):
    menu_requested = Signal(str, QPoint)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        item = self.itemAt(self.viewport().mapFrom(self, event.pos())) or self.currentItem()
        if item is not None:
            self.menu_requested.emit(str(item.data(POST_ID_ROLE)), event.globalPos())
        event.accept()


class DayPostsDialog(QDialog):
    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    new_post_requested = Signal(date)
    more_wanted = Signal(date, int)  # the day, and the offset of the rows wanted next

    def __init__(self, day: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.day = day
        named(self, "calendarDayDialog", f"Posts on {long_day(day)}")
        self.setWindowTitle(long_day(day))
        self.resize(420, 320)
        self.heading = QLabel(f"Posts on {long_day(day)}")
        self.heading.setObjectName("calendarDayDialogHeading")
        self.list = named(_DayList(), "calendarDayDialogList", f"Posts on {long_day(day)}")
        space_items(self.list)
        self.list.itemActivated.connect(
            lambda item: self.post_activated.emit(str(item.data(POST_ID_ROLE)))
        )
        self.list.menu_requested.connect(self.post_menu_requested)
        self.total = 0  # the day's posts, shown or not
        more_when_near_the_end(self.list, self._near_the_end)
        new_post = named(
            QPushButton("&New post on this day"), "calendarDayDialogNew", "New post on this day"
        )
        new_post.clicked.connect(lambda: self.new_post_requested.emit(self.day))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        named(
            buttons.button(QDialogButtonBox.StandardButton.Close), "calendarDayDialogClose", "Close"
        )
        buttons.addButton(new_post, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)

    def _near_the_end(self) -> None:
        if self.list.count() < self.total:
            self.more_wanted.emit(self.day, self.list.count())

    def show_posts(
        self,
        posts: Sequence[CalendarPost],
        total: int,
        time_text: Callable[[CalendarPost], str],
        status_text: StatusText = stored_status,
    ) -> None:
        """The first rows afresh (opened, or the day changed)."""
        current = self.list.currentRow()
        self.list.clear()
        self.total = total
        self._add(posts, time_text, status_text)
        if posts:
            self.list.setCurrentRow(min(max(current, 0), len(posts) - 1))

    def add_posts(
        self,
        offset: int,
        posts: Sequence[CalendarPost],
        total: int,
        time_text: Callable[[CalendarPost], str],
        status_text: StatusText = stored_status,
    ) -> None:
        """The next page, fetched for the rows from `offset` on (an outdated page is ignored)."""
        if offset == self.list.count():
            self.total = total
            self._add(posts, time_text, status_text)

    def _add(
        self,
        posts: Sequence[CalendarPost],
        time_text: Callable[[CalendarPost], str],
        status_text: StatusText,
    ) -> None:
        for post in posts:
            item = QListWidgetItem(f"{chip_text(post, time_text(post))} — {status_text(post)}")
            item.setData(POST_ID_ROLE, post.id)
            item.setForeground(status_colour(post.status, self.palette()))
            self.list.addItem(item)
        self.heading.setText(
            f"{self.total} post{'s' if self.total != 1 else ''} on {long_day(self.day)}"
        )
