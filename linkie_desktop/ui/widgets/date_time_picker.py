"""A local date + time picker (two fields, keyboard-friendly) that hands out naive wall-clock times.

Naive on purpose: what a person picks is a wall-clock time; services turn it into an instant with
the zone's rules (spring-forward gaps, fall-back repeats), see domain/schedule.resolve_wall_time.
"""

from __future__ import annotations

from datetime import date, datetime, time

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QTimeEdit, QWidget

from linkie_desktop.ui.widgets.accessible import named


class DateTimePicker(QWidget):
    changed = Signal()

    def __init__(self, key: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        named(self, key, "Date and time, your local time")
        self.date_edit = named(QDateEdit(), f"{key}Date", "Date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("ddd d MMM yyyy")
        self.time_edit = named(QTimeEdit(), f"{key}Time", "Time, your local time")
        self.time_edit.setDisplayFormat("HH:mm")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.date_edit, 2)
        layout.addWidget(self.time_edit, 1)
        self.setFocusProxy(self.date_edit)
        self.date_edit.dateChanged.connect(self.changed)
        self.time_edit.timeChanged.connect(self.changed)

    def value(self) -> datetime:
        picked_day = self.date_edit.date().toPython()
        picked_time = self.time_edit.time().toPython()
        assert isinstance(picked_day, date) and isinstance(picked_time, time)
        return datetime.combine(picked_day, picked_time.replace(second=0, microsecond=0))

    def set_value(self, wall: datetime) -> None:
        self.date_edit.setDate(QDate(wall.year, wall.month, wall.day))
        self.time_edit.setTime(QTime(wall.hour, wall.minute))
