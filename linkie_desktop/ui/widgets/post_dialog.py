"""The post dialog: title, text with its N/3000 counter, and an optional local date and time.

New (`post_id` None) or existing post; `day` pre-selects scheduling on that day at the default
posting time. Published and publishing posts open read-only. Saving applies the same rules as
every other screen (services/calendar.CalendarService.save); a refusal is shown in the dialog,
which stays open with nothing changed.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    MAX_TITLE_CHARS,
    ValidationError,
    is_editable,
)
from linkie_desktop.domain.schedule import wall_clock
from linkie_desktop.services.calendar import CalendarService
from linkie_desktop.services.preferences import load_preferences
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.date_time_picker import DateTimePicker
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour


class PostDialog(QDialog):
    saved = Signal(str, str)  # (post id, what happened in a sentence)

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        post_id: str | None = None,
        day: date | None = None,
        parent: QWidget | None = None,
        *,
        schedule: bool = False,
        tz: tzinfo | None = None,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        super().__init__(parent)
        self.signals = signals
        self.post_id = post_id
        self.service = CalendarService(
            workspace.engine,
            workspace.user_id,
            tz=tz,
            clock=clock,
            media_dir=workspace.config.media_dir,
        )
        self.default_time = load_preferences(workspace.config.data_dir).default_time
        named(self, "postDialog", "New post" if post_id is None else "Edit post")
        self.setWindowTitle("New post" if post_id is None else "Edit post")
        self.resize(560, 480)
        self._build()
        self._load(day, schedule)

    def _build(self) -> None:
        self.title_edit = named(QLineEdit(), "postDialogTitle", "Title (optional, not posted)")
        self.title_edit.setPlaceholderText("A title for you (not posted)")
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.text_edit = named(QPlainTextEdit(), "postDialogText", "Post text")
        self.text_edit.setPlaceholderText("What do you want to say?")
        self.text_edit.setTabChangesFocus(True)
        self.counter = named(QLabel(""), "postDialogCounter", "Characters used")
        self.counter.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.schedule_box = named(
            QCheckBox("Schedule for"), "postDialogSchedule", "Schedule this post"
        )
        self.when = DateTimePicker("postDialogWhen")
        self.time_note = named(QLabel(""), "postDialogTimeNote", "About the chosen time")
        self.time_note.setWordWrap(True)
        self.error_label = named(QLabel(""), "postDialogError", "Problem")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet(f"color: {warning_colour(self.palette()).name()}")
        self.error_label.hide()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.setObjectName("postDialogButtons")
        self.save_button = named(
            self.buttons.button(QDialogButtonBox.StandardButton.Save), "postDialogSave", "Save"
        )
        named(
            self.buttons.button(QDialogButtonBox.StandardButton.Cancel),
            "postDialogCancel",
            "Cancel",
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Title", self.title_edit)
        form.addRow(self.schedule_box, self.when)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        text_label = QLabel("&Text")
        text_label.setBuddy(self.text_edit)
        layout.addWidget(text_label)
        layout.addWidget(self.text_edit, 1)
        layout.addWidget(self.counter)
        layout.addWidget(self.time_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.text_edit.textChanged.connect(self._update_counter)
        self.schedule_box.toggled.connect(self._update_when)
        self.when.changed.connect(self._update_when)

    def _load(self, day: date | None, schedule: bool) -> None:
        start = None
        if self.post_id is not None:
            record = self.service.record(self.post_id)
            self.title_edit.setText(record.title or "")
            self.text_edit.setPlainText(record.content)
            if record.scheduled_at is not None:
                start = wall_clock(record.scheduled_at, self.service.tz)
            if not is_editable(record.status):
                self._make_read_only(record.status)
        if day is not None or (schedule and start is None):
            slot = self.service.slot_for_new_post(day or self.service.today(), self.default_time)
            start = slot.wall if slot is not None else None
        self.schedule_box.setChecked(start is not None)
        self.when.set_value(start or datetime.combine(self.service.today(), self.default_time))
        self._update_counter()
        self._update_when()
        self.text_edit.setFocus()
        self._loaded_text = (self.title_edit.text(), self.text_edit.toPlainText())

    def _make_read_only(self, status: str) -> None:
        self.title_edit.setReadOnly(True)
        self.text_edit.setReadOnly(True)
        self.schedule_box.setEnabled(False)
        self.when.setEnabled(False)
        self.save_button.hide()
        self.setWindowTitle("Post (read-only)")
        self.error_label.setText(
            f"This post is {status} and can no longer be changed; duplicate it to reuse the text."
        )
        self.error_label.setStyleSheet(f"color: {muted_colour(self.palette()).name()}")
        self.error_label.show()

    def _update_counter(self) -> None:
        length = len(self.text_edit.toPlainText())
        self.counter.setText(f"{length}/{MAX_CONTENT_CHARS}")
        over = length > MAX_CONTENT_CHARS
        self.counter.setStyleSheet(
            f"color: {warning_colour(self.palette()).name()}" if over else ""
        )
        self.counter.setAccessibleName(
            f"{length} of {MAX_CONTENT_CHARS} characters" + (", too long" if over else "")
        )

    def _update_when(self) -> None:
        scheduled = self.schedule_box.isChecked()
        self.when.setEnabled(scheduled and not self.text_edit.isReadOnly())
        note = ""
        if scheduled:
            slot = self.service.preview(self.when.value())
            note = (
                slot.note or "Your local time. Linkie publishes while it is running or in the tray."
            )
        else:
            note = "Kept as a draft: it appears beside the calendar."
        self.time_note.setText(note)

    def wall_time(self) -> datetime | None:
        return self.when.value() if self.schedule_box.isChecked() else None

    def has_unsaved_text(self) -> bool:
        current = (self.title_edit.text(), self.text_edit.toPlainText())
        return not self.text_edit.isReadOnly() and current != self._loaded_text

    def reject(self) -> None:
        """Esc, Cancel or the window's ✕: never drop typed words without asking."""
        if not self.has_unsaved_text():
            super().reject()
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Unsaved text",
            "Save the text you typed, or discard it?",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("postDialogUnsaved")
        box.setDefaultButton(QMessageBox.StandardButton.Save)
        answer = box.exec()
        if answer == QMessageBox.StandardButton.Save:
            self.accept()
        elif answer == QMessageBox.StandardButton.Discard:
            super().reject()

    def accept(self) -> None:
        try:
            outcome = self.service.save(
                self.post_id,
                self.title_edit.text().strip(),
                self.text_edit.toPlainText(),
                self.wall_time(),
            )
        except ValidationError as exc:
            self.error_label.setText(str(exc))
            self.error_label.setStyleSheet(f"color: {warning_colour(self.palette()).name()}")
            self.error_label.show()
            return
        self.post_id = outcome.post_id
        self.signals.announce_posts([outcome.post_id], initiator=self)
        self.saved.emit(outcome.post_id, outcome.message)
        super().accept()
