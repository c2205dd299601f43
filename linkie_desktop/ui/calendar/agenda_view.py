"""The agenda: the upcoming posts in time order under their days, searchable, with the queue's
Move up / Move down / Shuffle for posts that sit in posting slots.

The search is asked of the tab (`search_changed`, a moment after typing stops), which reads it
on the runner; the queue's moves too. Keys: Alt+Up / Alt+Down move the chosen post in the
queue, Enter opens it, the context-menu key shows the shared post actions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from PySide6.QtCore import QPoint, Qt, QTimer, Signal
from PySide6.QtGui import QContextMenuEvent, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.calendar import AgendaEntry, CalendarPost
from linkie_desktop.ui.calendar.day_cell import StatusText, chip_text, long_day, stored_status
from linkie_desktop.ui.widgets.accessible import named

POST_ID_ROLE = Qt.ItemDataRole.UserRole
SEARCH_PAUSE_MS = 250


class AgendaList(QListWidget):
    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    move_requested = Signal(str, int)

    def __init__(self) -> None:
        super().__init__()
        named(self, "calendarAgendaList", "Upcoming posts")
        self.itemActivated.connect(self._activated)

    def _activated(self, item: QListWidgetItem) -> None:
        post_id = item.data(POST_ID_ROLE)
        if post_id:
            self.post_activated.emit(post_id)

    def current_post_id(self) -> str | None:
        item = self.currentItem()
        value = item.data(POST_ID_ROLE) if item is not None else None
        return str(value) if value else None

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        alt = bool(event.modifiers() & Qt.KeyboardModifier.AltModifier)
        post_id = self.current_post_id()
        if alt and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down) and post_id:
            self.move_requested.emit(post_id, -1 if event.key() == Qt.Key.Key_Up else 1)
            event.accept()
            return
        super().keyPressEvent(event)

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        item = self.itemAt(event.pos())
        if item is None and event.reason() == QContextMenuEvent.Reason.Keyboard:
            item = self.currentItem()
        post_id = item.data(POST_ID_ROLE) if item is not None else None
        if post_id:
            self.post_menu_requested.emit(post_id, event.globalPos())
        event.accept()


class AgendaView(QWidget):
    search_changed = Signal(str)
    shuffle_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, "calendarAgenda", "Agenda")
        self.search = named(QLineEdit(), "calendarAgendaSearch", "Search upcoming posts")
        self.search.setPlaceholderText("Search upcoming posts…")
        self.search.setClearButtonEnabled(True)
        for clear in self.search.findChildren(QToolButton):  # the line edit's own ✕
            named(clear, "calendarAgendaSearchClear", "Clear the search")
        self.list = AgendaList()
        self.summary = named(QLabel(""), "calendarAgendaSummary", "How many posts are listed")
        self.up_button = named(
            QPushButton("Move &up"), "calendarQueueUp", "Move up the queue", "Alt+Up"
        )
        self.down_button = named(
            QPushButton("Move d&own"), "calendarQueueDown", "Move down the queue", "Alt+Down"
        )
        self.shuffle_button = named(
            QPushButton("S&huffle queue"),
            "calendarQueueShuffle",
            "Shuffle the queue",
            "Deal the queued posts out over the same slots in a new order",
        )
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.shuffle_button.clicked.connect(self.shuffle_requested)
        self._pause = QTimer(self)
        self._pause.setSingleShot(True)
        self._pause.setInterval(SEARCH_PAUSE_MS)
        self._pause.timeout.connect(lambda: self.search_changed.emit(self.search.text()))
        self.search.textChanged.connect(lambda _text: self._pause.start())
        self.list.currentItemChanged.connect(lambda *_: self._follow_choice())
        self.queued: set[str] = set()
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.up_button)
        buttons.addWidget(self.down_button)
        buttons.addWidget(self.shuffle_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search)
        layout.addWidget(self.list, 1)
        layout.addLayout(buttons)
        self._follow_choice()

    def _move(self, step: int) -> None:
        post_id = self.list.current_post_id()
        if post_id:
            self.list.move_requested.emit(post_id, step)

    def _follow_choice(self) -> None:
        post_id = self.list.current_post_id()
        in_queue = post_id is not None and post_id in self.queued
        self.up_button.setEnabled(in_queue)
        self.down_button.setEnabled(in_queue)
        self.shuffle_button.setEnabled(len(self.queued) > 1)

    def show_entries(
        self,
        entries: Sequence[AgendaEntry],
        time_text: Callable[[CalendarPost], str],
        searched: str,
        status_text: StatusText = stored_status,
    ) -> None:
        chosen = self.list.current_post_id()
        self.list.clear()
        self.queued = {entry.post.id for entry in entries if entry.slot}
        heading = QFont(self.list.font())
        heading.setBold(True)
        day: date | None = None
        for entry in entries:
            post = entry.post
            assert post.wall is not None
            if post.wall.date() != day:
                day = post.wall.date()
                header = QListWidgetItem(long_day(day))
                header.setFlags(Qt.ItemFlag.ItemIsEnabled)  # a heading: read, never chosen
                header.setFont(heading)
                self.list.addItem(header)
            text = chip_text(post, time_text(post))
            if entry.slot:
                text += f"    · queue slot {entry.slot}"
            item = QListWidgetItem(text)
            item.setData(POST_ID_ROLE, post.id)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                f"{time_text(post)} {post.label}, {status_text(post)}"
                + (f", in the {entry.slot} slot" if entry.slot else ""),
            )
            if post.error_message:
                item.setToolTip(post.error_message)
            self.list.addItem(item)
            if post.id == chosen:
                self.list.setCurrentItem(item)
        count = len(entries)
        what = f"{count} upcoming post{'s' if count != 1 else ''}"
        self.summary.setText(f"{what} matching “{searched}”" if searched.strip() else what)
        self._follow_choice()

    def select_post(self, post_id: str) -> None:
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(POST_ID_ROLE) == post_id:
                self.list.setCurrentItem(item)
                return
