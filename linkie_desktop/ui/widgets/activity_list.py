"""A list of activity history entries, newest first, read in pages on the task runner's database
worker (services/activity.py): the Activity tab shows every post's, and a post's own view (the
composer, a dialog) can show one post's with `ActivityList(..., post_id=...)`, compact.

Columns: when (local time), the post, what happened (coloured by outcome), LinkedIn's answer in
plain words (with its HTTP status), and who acted. The model only ever holds the rows scrolled to.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView, QWidget
from sqlalchemy import Engine

from linkie_desktop.domain.schedule import to_local
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services import activity
from linkie_desktop.services.activity import ActivityEvent, ActivityQuery, EventOutcome
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.palette import muted_colour, status_colour, warning_colour

PAGE_SIZE = 100
POST_ID_ROLE = Qt.ItemDataRole.UserRole + 1
COLUMNS = ("When", "Post", "What happened", "LinkedIn's answer and details", "By")
WHEN, POST, WHAT, DETAIL, WHO = range(len(COLUMNS))

_Index = QModelIndex | QPersistentModelIndex


def when_text(instant: datetime, now: datetime) -> str:
    """'Today 09:00:05', else '26 Nov 09:00:05' (with the year when not this year's)."""
    local, today = to_local(instant), to_local(now)
    clock = f"{local:%H:%M:%S}"
    if local.date() == today.date():
        return f"Today {clock}"
    year = f" {local.year}" if local.year != today.year else ""
    return f"{local.day} {local:%b}{year} {clock}"


def detail_text(event: ActivityEvent) -> str:
    detail = event.detail or ""
    if event.http_status is not None and f"HTTP {event.http_status}" not in detail:
        detail = f"{detail} (HTTP {event.http_status})".strip()
    return detail


def outcome_colour(outcome: str) -> QColor:
    if outcome == EventOutcome.SUCCESS:
        return status_colour(PostStatus.PUBLISHED)
    if outcome == EventOutcome.FAILURE:
        return warning_colour()
    if outcome == EventOutcome.RETRY:
        return status_colour(PostStatus.PUBLISHING)
    return muted_colour()


class ActivityModel(QAbstractTableModel):
    """The entries of one `ActivityQuery`, page by page as the view scrolls."""

    loaded = Signal()  # a page (or the count) arrived
    failed = Signal(str)

    def __init__(
        self,
        tasks: TaskRunner,
        engine: Engine,
        user_id: str,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self._tasks = tasks
        self._engine = engine
        self._user_id = user_id
        self._clock = clock
        self.query = ActivityQuery()
        self.rows: list[ActivityEvent] = []
        self.total: int | None = None
        self._generation = 0
        self._fetching = False

    # --- reading ------------------------------------------------------------------------------

    def set_query(self, query: ActivityQuery) -> None:
        self.query = query
        self.reload()

    def reload(self) -> None:
        """Read again from the first page (the history grew, or the filter changed)."""
        self._generation += 1
        generation, query = self._generation, self.query
        engine, user_id = self._engine, self._user_id

        def first() -> tuple[int, list[ActivityEvent]]:
            return (
                activity.count(engine, user_id, query),
                activity.page(engine, user_id, query, 0, PAGE_SIZE),
            )

        def show(answer: tuple[int, list[ActivityEvent]]) -> None:
            if generation != self._generation:
                return  # a newer filter was chosen meanwhile
            self.beginResetModel()
            self.total, self.rows = answer
            self.endResetModel()
            self._fetching = False
            self.loaded.emit()

        self._fetching = True
        self._tasks.run_db(first, show, self._failed, owner=self, key=(id(self), "first"))

    def _failed(self, message: str) -> None:
        self._fetching = False
        self.failed.emit(message)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008, N802
        if parent.isValid() or self._fetching or self.total is None:
            return False
        return len(self.rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008, N802
        if not self.canFetchMore(parent):
            return
        self._fetching = True
        generation, query, offset = self._generation, self.query, len(self.rows)
        engine, user_id = self._engine, self._user_id

        def append(page: list[ActivityEvent]) -> None:
            if generation != self._generation:
                return
            self._fetching = False
            if page:
                first = len(self.rows)
                self.beginInsertRows(QModelIndex(), first, first + len(page) - 1)
                self.rows.extend(page)
                self.endInsertRows()
            else:  # the history shrank (a post deleted for good): nothing more to ask for
                self.total = len(self.rows)
            self.loaded.emit()

        self._tasks.run_db(
            lambda: activity.page(engine, user_id, query, offset, PAGE_SIZE),
            append,
            self._failed,
            owner=self,
        )

    # --- the table ----------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(  # noqa: N802
        self,
        section: int,
        orientation: Qt.Orientation,
        role: int = Qt.ItemDataRole.DisplayRole,
    ) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return COLUMNS[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        event = self.rows[index.row()]
        column = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return self._text(event, column)
        if role == Qt.ItemDataRole.ToolTipRole and column in (DETAIL, POST):
            return self._text(event, column) or None
        if role == Qt.ItemDataRole.ForegroundRole and column == WHAT:
            return outcome_colour(event.outcome)
        if role == POST_ID_ROLE:
            return event.post_id
        return None

    def _text(self, event: ActivityEvent, column: int) -> str:
        if column == WHEN:
            now = self._clock() if self._clock is not None else datetime.now(event.at.tzinfo)
            return when_text(event.at, now)
        if column == POST:
            return event.post_label
        if column == WHAT:
            return event.what
        if column == DETAIL:
            return detail_text(event)
        return event.who


class ActivityList(QTableView):
    """The entries newest first; `post_id` shows one post's only (its Post column hidden)."""

    post_activated = Signal(str)  # Enter or a double-click on an entry: open its post

    def __init__(
        self,
        tasks: TaskRunner,
        engine: Engine,
        user_id: str,
        parent: QWidget | None = None,
        *,
        post_id: str | None = None,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("activityList")
        self.setAccessibleName("Activity history")
        self.history = ActivityModel(tasks, engine, user_id, self, clock=clock)
        self.setModel(self.history)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setShowGrid(False)
        self.setWordWrap(False)
        self.verticalHeader().hide()
        header = self.horizontalHeader()
        header.setHighlightSections(False)
        for column, mode in (
            (WHEN, QHeaderView.ResizeMode.ResizeToContents),
            (POST, QHeaderView.ResizeMode.Interactive),
            (WHAT, QHeaderView.ResizeMode.ResizeToContents),
            (DETAIL, QHeaderView.ResizeMode.Stretch),
            (WHO, QHeaderView.ResizeMode.ResizeToContents),
        ):
            header.setSectionResizeMode(column, mode)
        self.setColumnWidth(POST, 220)
        self.activated.connect(self._activated)
        if post_id is not None:
            self.show_post(post_id)

    def show_query(self, query: ActivityQuery) -> None:
        self.setColumnHidden(POST, query.post_id is not None)
        self.history.set_query(query)

    def show_post(self, post_id: str) -> None:
        """Only this post's entries (compact: the post's own view knows which post it is)."""
        self.show_query(ActivityQuery(post_id=post_id))

    def _activated(self, index: QModelIndex) -> None:
        post_id = self.history.data(index, POST_ID_ROLE)
        if isinstance(post_id, str):
            self.post_activated.emit(post_id)
