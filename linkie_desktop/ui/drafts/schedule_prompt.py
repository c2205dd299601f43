"""The Schedule… dialog: pick a local date and time; a time in the past is refused in place."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, time, timedelta

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import ValidationError, validate_schedule_time
from linkie_desktop.domain.schedule import localize
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour


def suggested_time(
    current: datetime | None, default_time: time, now: datetime | None = None
) -> datetime:
    """The post's own future time, else the default posting time today or, if past, tomorrow."""
    now = now or datetime.now().astimezone()
    if current is not None and current > now:
        return current.astimezone()
    today = now.astimezone().replace(
        hour=default_time.hour, minute=default_time.minute, second=0, microsecond=0
    )
    return today if today > now else today + timedelta(days=1)


class SchedulePrompt(QDialog):
    """`schedule` is called with the chosen aware instant once it is in the future; a time
    that has passed is refused in place and the dialog stays open. The write itself runs
    on the task runner (the caller's business), and its refusal goes to the message bar."""

    def __init__(
        self,
        parent: QWidget | None,
        suggestion: datetime,
        schedule: Callable[[datetime], None],
    ) -> None:
        super().__init__(parent)
        named(self, "scheduleDialog", "Schedule post")
        self.setWindowTitle("Schedule post")
        self._schedule = schedule
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Publish this post on (your local time):"))
        self.when_edit = named(QDateTimeEdit(), "scheduleWhen", "Date and time to publish")
        self.when_edit.setCalendarPopup(True)
        self.when_edit.setDisplayFormat("ddd d MMM yyyy  HH:mm")
        self.when_edit.setDateTime(QDateTime.fromSecsSinceEpoch(int(suggestion.timestamp())))
        self.when_edit.setMinimumDateTime(QDateTime.currentDateTime().addSecs(-60))
        layout.addWidget(self.when_edit)
        note = QLabel("Linkie publishes only while it is running (or in the tray).")
        note.setObjectName("scheduleNote")
        note.setWordWrap(True)
        layout.addWidget(note)
        self.error_label = named(QLabel(""), "scheduleError", "Scheduling problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {warning_colour(self.palette()).name()}")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.setObjectName("scheduleButtons")
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        named(ok, "scheduleConfirm", "Schedule")
        ok.setText("Schedule")
        named(buttons.button(QDialogButtonBox.StandardButton.Cancel), "scheduleCancel", "Cancel")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def chosen(self) -> datetime:
        local = self.when_edit.dateTime().toPython()
        assert isinstance(local, datetime)
        return localize(local.replace(second=0, microsecond=0))

    def accept(self) -> None:
        when = self.chosen()
        try:
            validate_schedule_time(when, utc_now())
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            return
        super().accept()
        self._schedule(when)
