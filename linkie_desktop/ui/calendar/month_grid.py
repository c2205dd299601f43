"""The 6×7 month grid: weekday names from the locale's first day, 42 day cells, the keyboard.

Keys: arrows move the selected day (leaving the month turns the page), PgUp/PgDn change month,
Home goes to today, Enter opens the day (a new post when it is empty, else its list).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import QGridLayout, QLabel, QSizePolicy, QWidget

from linkie_desktop.domain.schedule import GRID_DAYS
from linkie_desktop.services.calendar import CalendarPost, MonthView
from linkie_desktop.ui.calendar.day_cell import DayCell, StatusText, long_day, stored_status
from linkie_desktop.ui.widgets.accessible import named

WEEK = 7
_ARROWS = {
    Qt.Key.Key_Left: -1,
    Qt.Key.Key_Right: 1,
    Qt.Key.Key_Up: -WEEK,
    Qt.Key.Key_Down: WEEK,
}


class MonthGrid(QWidget):
    day_selected = Signal(date, bool)  # the day, and whether the page should follow it
    day_activated = Signal(date)  # Enter, or a double-click on the day itself
    month_step_requested = Signal(int)  # PgUp -1, PgDn +1
    today_requested = Signal()
    more_requested = Signal(date)
    post_activated = Signal(str)
    post_menu_requested = Signal(str, QPoint)
    post_dropped = Signal(str, date)
    drag_hovered = Signal(str, bool)
    drag_abandoned = Signal()
    slot_dropped = Signal(str, object)  # post id, a free slot's Occurrence

    def __init__(
        self,
        weekday_names: list[str],
        drop_refusal: Callable[[str, date], str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "calendarGrid", "Month grid")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.current = date.min
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.headers: list[QLabel] = []
        for column, name in enumerate(weekday_names):
            header = QLabel(name)
            header.setObjectName(f"calendarWeekday_{column}")
            header.setAlignment(Qt.AlignmentFlag.AlignCenter)
            header.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
            layout.addWidget(header, 0, column)
            self.headers.append(header)
        self.cells: list[DayCell] = []
        for index in range(GRID_DAYS):
            cell = DayCell(index, drop_refusal)
            cell.pressed.connect(self._cell_pressed)
            cell.activated.connect(self.day_activated)
            cell.more_requested.connect(self.more_requested)
            cell.post_activated.connect(self.post_activated)
            cell.post_menu_requested.connect(self.post_menu_requested)
            cell.post_dropped.connect(self.post_dropped)
            cell.drag_hovered.connect(self.drag_hovered)
            cell.drag_abandoned.connect(self.drag_abandoned)
            cell.slot_dropped.connect(self.slot_dropped)
            layout.addWidget(cell, 1 + index // WEEK, index % WEEK)
            self.cells.append(cell)
        for row in range(1, 7):
            layout.setRowStretch(row, 1)
        for column in range(WEEK):
            layout.setColumnStretch(column, 1)

    def show_view(
        self,
        view: MonthView,
        time_text: Callable[[CalendarPost], str],
        status_text: StatusText = stored_status,
    ) -> None:
        for cell, day in zip(self.cells, view.days, strict=True):
            cell.show_day(
                day,
                view.posts_on(day),
                view.in_month(day),
                day == view.today,
                time_text,
                view.count_on(day),
                view.free_on(day),
                status_text,
            )
        self._paint_current()

    def cell_for(self, day: date) -> DayCell | None:
        return next((cell for cell in self.cells if cell.day == day), None)

    def set_current(self, day: date) -> None:
        self.current = day
        self.setAccessibleName(f"Month grid, selected {long_day(day)}")
        self._paint_current()

    def _paint_current(self) -> None:
        focused = self.hasFocus()
        for cell in self.cells:
            cell.set_current(cell.day == self.current, focused)

    def _cell_pressed(self, day: date) -> None:
        self.setFocus(Qt.FocusReason.MouseFocusReason)
        self.day_selected.emit(day, False)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802
        key = event.key()
        if key in _ARROWS and not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier:
            self.day_selected.emit(self.current + timedelta(days=_ARROWS[Qt.Key(key)]), True)
        elif key == Qt.Key.Key_PageUp:
            self.month_step_requested.emit(-1)
        elif key == Qt.Key.Key_PageDown:
            self.month_step_requested.emit(1)
        elif key == Qt.Key.Key_Home:
            self.today_requested.emit()
        elif key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.day_activated.emit(self.current)
        else:
            super().keyPressEvent(event)
            return
        event.accept()

    def focusInEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusInEvent(event)
        self._paint_current()

    def focusOutEvent(self, event: QFocusEvent) -> None:  # noqa: N802
        super().focusOutEvent(event)
        self._paint_current()
