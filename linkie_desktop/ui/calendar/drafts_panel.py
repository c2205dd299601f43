"""The unscheduled drafts beside the grid: drag one onto a day; drop a post here to unschedule.

The list can be long (tens of thousands of drafts): it shows pages of rows the tab fetches on the
task runner, and asks for the next page (`more_wanted`) when it is scrolled near its end.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import (
    QContextMenuEvent,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.services.calendar import CalendarPost
from linkie_desktop.ui.calendar.drag import post_id_from, start_post_drag
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

POST_ID_ROLE = Qt.ItemDataRole.UserRole
MORE_WHEN_ROWS_LEFT = 20  # ask for the next page this many rows before the end is in view


def more_when_near_the_end(view: QListWidget, wanted: Callable[[], None]) -> None:
    """Call `wanted` whenever `view` is scrolled near its last row (the next page's cue)."""

    def scrolled(value: int) -> None:
        bar = view.verticalScrollBar()
        rows = max(1, view.count())
        row_height = max(1, (bar.maximum() + bar.pageStep()) // rows)
        if bar.maximum() - value <= MORE_WHEN_ROWS_LEFT * row_height:
            wanted()

    view.verticalScrollBar().valueChanged.connect(scrolled)


def space_items(view: QListWidget) -> None:
    """Room between rows and alternate shading, so wrapped titles read as separate posts.

    Not a style sheet: item style sheets break the inactive-selection colours of some styles
    (white text on a pale row in Fusion)."""
    view.setSpacing(2)
    view.setAlternatingRowColors(True)


class DraftsList(QListWidget):
    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    post_dropped = Signal(str)
    drag_hovered = Signal(str, bool)  # what a drop here would do, or why not; refused?
    drag_abandoned = Signal()  # a drag from here ended without a drop (refused or cancelled)
    more_wanted = Signal(int)  # scrolled near the end: the rows from this offset, please

    def __init__(self, drop_refusal: Callable[[str], str]) -> None:
        super().__init__()
        named(self, "calendarDrafts", "Unscheduled drafts")
        self._drop_refusal = drop_refusal
        self.drop_state = ""
        self.total = 0  # drafts there are, shown or not
        self._ids: set[str] = set()
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDropIndicatorShown(False)
        self.setWordWrap(True)
        self.setUniformItemSizes(False)
        space_items(self)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.itemActivated.connect(self._activated)
        more_when_near_the_end(self, self._near_the_end)

    def _near_the_end(self) -> None:
        if self.count() < self.total:
            self.more_wanted.emit(self.count())

    def show_drafts(self, drafts: Sequence[CalendarPost], total: int) -> None:
        """The first rows afresh (after a change): the same number as shown before, at least."""
        current = self.current_post_id()
        self.clear()
        self._ids.clear()
        self.total = total
        self._add(drafts, current)

    def add_drafts(self, offset: int, drafts: Sequence[CalendarPost], total: int) -> None:
        """The next page, fetched for the rows from `offset` on (an outdated page is ignored)."""
        if offset != self.count():
            return
        self.total = total
        self._add(drafts, None)

    def _add(self, drafts: Sequence[CalendarPost], current: str | None) -> None:
        for post in drafts:
            if post.id in self._ids:  # moved up between two pages: it is shown already
                continue
            self._ids.add(post.id)
            mark = "⚠ " if post.content_problem else ""
            item = QListWidgetItem(f"{mark}{post.label}")
            item.setData(POST_ID_ROLE, post.id)
            tip = post.label
            if post.content_problem:
                tip += f"\nNot ready to schedule: {post.content_problem}"
                item.setForeground(warning_colour(self.palette()))
            item.setToolTip(tip)
            self.addItem(item)
            if post.id == current:
                self.setCurrentItem(item)

    def post_ids(self) -> list[str]:
        return [str(self.item(row).data(POST_ID_ROLE)) for row in range(self.count())]

    def shows(self, post_id: str) -> bool:
        return post_id in self._ids

    def current_post_id(self) -> str | None:
        item = self.currentItem()
        return None if item is None else str(item.data(POST_ID_ROLE))

    def _activated(self, item: QListWidgetItem) -> None:
        self.post_activated.emit(str(item.data(POST_ID_ROLE)))

    def startDrag(self, _actions: Qt.DropAction) -> None:  # noqa: N802
        item = self.currentItem()
        if item is not None:
            picture = self.viewport().grab(self.visualItemRect(item))
            if not start_post_drag(self, str(item.data(POST_ID_ROLE)), picture):
                self.drag_abandoned.emit()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:  # noqa: N802
        item = self.itemAt(self.viewport().mapFrom(self, event.pos())) or self.currentItem()
        if item is not None:
            self.post_menu_requested.emit(str(item.data(POST_ID_ROLE)), event.globalPos())
        event.accept()

    # --- drops: a post dropped here becomes a draft again --------------------------------------

    def _set_drop_state(self, state: str) -> None:
        if state == self.drop_state:
            return
        self.drop_state = state
        if not state:
            space_items(self)
            return
        colour = (
            warning_colour(self.palette())
            if state == "refuse"
            else self.palette().color(QPalette.ColorRole.Highlight)
        )
        style = "dashed" if state == "refuse" else "solid"
        self.setStyleSheet(f"QListWidget {{ border: 2px {style} {colour.name()}; }}")

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802
        if post_id_from(event.mimeData()) is None:
            event.ignore()
            return
        event.acceptProposedAction()
        self._hover(event, entering=True)

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802
        self._hover(event, entering=False)

    def _hover(self, event: QDragMoveEvent, entering: bool) -> None:
        post_id = post_id_from(event.mimeData())
        if post_id is None:
            event.ignore()
            return
        if self.shows(post_id):
            self._set_drop_state("")  # a draft dragged over its own list: nothing to do here
            event.ignore()
            return
        refusal = self._drop_refusal(post_id)
        self._set_drop_state("refuse" if refusal else "accept")
        self.drag_hovered.emit(
            refusal or "Drop to unschedule: the post becomes a draft again.", bool(refusal)
        )
        if refusal and not entering:
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:  # noqa: N802
        self._set_drop_state("")
        event.accept()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802
        self._set_drop_state("")
        post_id = post_id_from(event.mimeData())
        if post_id is None or self.shows(post_id):
            event.ignore()
            return
        event.acceptProposedAction()
        self.post_dropped.emit(post_id)


class DraftsPanel(QWidget):
    def __init__(self, drop_refusal: Callable[[str], str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarDraftsPanel")
        self.title = title = QLabel("&Drafts")
        title.setObjectName("calendarDraftsTitle")
        font = title.font()
        font.setBold(True)
        title.setFont(font)
        self.list = DraftsList(drop_refusal)
        title.setBuddy(self.list)
        hint = QLabel("Drag a draft onto a day to schedule it. Drop a post here to unschedule it.")
        hint.setObjectName("calendarDraftsHint")
        hint.setWordWrap(True)
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.list, 1)
        layout.addWidget(hint)

    def show_drafts(self, drafts: Sequence[CalendarPost], total: int) -> None:
        self.list.show_drafts(drafts, total)
        self._show_count()

    def add_drafts(self, offset: int, drafts: Sequence[CalendarPost], total: int) -> None:
        self.list.add_drafts(offset, drafts, total)
        self._show_count()

    def _show_count(self) -> None:
        total = self.list.total
        self.title.setText(f"&Drafts ({total:,})")
        self.title.setAccessibleName(f"{total:,} unscheduled draft{'s' if total != 1 else ''}")
