"""The post dialog: the Drafts tab's own composer (title, text, counter, writing aids, every
attachment, first comment, visibility, preview, autosave) with a local date and time to schedule
it for.

New (`post_id` None) or existing post; `day` pre-selects scheduling on that day at the default
posting time. Published and publishing posts open read-only. The composer saves the words as
they are typed; Save then schedules the post for the chosen time (or keeps it a draft) with the
same rules as every other screen, through PostService on the task runner. A refusal is shown in
the dialog, which stays open. Esc with typed words asks: Save, Discard (the post goes back to the
words it had, a new one is removed again) or Keep editing.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, tzinfo

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.posts import (
    ValidationError,
    display_title,
    validate_content,
    validate_schedule_time,
)
from linkie_desktop.domain.schedule import (
    LocalSlot,
    default_slot,
    format_day,
    local_day,
    resolve_wall_time,
    wall_clock,
)
from linkie_desktop.services.posts import PostRecord, PostService, StorageError
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.drafts.composer import Composer
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.date_time_picker import DateTimePicker
from linkie_desktop.ui.widgets.palette import warning_colour


def _quoted(record: PostRecord) -> str:
    return f"“{display_title(record.title, record.content, limit=60)}”"


def _outcome_message(record: PostRecord, slot: LocalSlot | None) -> str:
    if slot is None:
        return f"{_quoted(record)} is saved as a draft."
    message = f"{_quoted(record)} is scheduled for {format_day(slot.day)} at {slot.wall:%H:%M}."
    return f"{message} {slot.note}" if slot.note else message


def _refusal_as_value(work: Callable[[], PostRecord]) -> Callable[[], PostRecord | str]:
    """On the database worker: a refusal of the rules or the disk is an answer, not a crash."""

    def run() -> PostRecord | str:
        try:
            return work()
        except (ValidationError, StorageError) as exc:
            return str(exc)

    return run


class PostDialog(QDialog):
    saved = Signal(str, str)  # (post id, what happened in a sentence)
    gone = Signal(str)  # the post to open is no longer there: why, in a sentence

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
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
    ) -> None:
        super().__init__(parent)
        self.signals = signals
        self.post_id = post_id
        # The window's runner; a dialog made alone (a test) gets one of its own.
        self.tasks = tasks if tasks is not None else TaskRunner(parent=self)
        # Today, the default slot and DST notes come from the domain's rules with this clock and
        # zone (the calendar's): the dialog reads nothing for them.
        self.tz = tz
        self.clock = clock
        # The window's preferences object (the Calendar's); a dialog made alone reads the file once.
        prefs = window_preferences(preferences, workspace.config.data_dir, signals, self)
        self.default_time = prefs.current.default_time
        # A new post takes Settings › Posting's visibility, as it is when the post is made.
        self.posts = PostService(
            workspace.engine,
            workspace.user_id,
            workspace.config.media_dir,
            preferences=lambda: prefs.current,
        )
        self._data_dir = workspace.config.data_dir
        self._day, self._schedule = day, schedule
        # The words the post had when the dialog opened (Discard goes back to them); None for
        # a new post, or until the post has been read.
        self._original: PostRecord | None = None
        # Save pressed while the composer's save is on its way: the slot to schedule for next.
        self._waiting_to_schedule: tuple[LocalSlot | None] | None = None
        named(self, "postDialog", "New post" if post_id is None else "Edit post")
        self.setWindowTitle("New post" if post_id is None else "Edit post")
        self.resize(680, 820)
        self._build()
        if post_id is not None:
            self.composer.load(post_id)  # the rest follows in `_loaded`
        self._set_when(None)
        self.composer.body_edit.setFocus()

    # --- building --------------------------------------------------------------------------------

    def _build(self) -> None:
        self.composer = Composer(self.posts, self.tasks, data_dir=self._data_dir)
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

        when_row = QHBoxLayout()
        when_row.addWidget(self.schedule_box)
        when_row.addWidget(self.when, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.composer, 1)
        layout.addLayout(when_row)
        layout.addWidget(self.time_note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)

        self.schedule_box.toggled.connect(self._update_when)
        self.when.changed.connect(self._update_when)
        self.composer.loaded.connect(self._loaded)
        self.composer.saved.connect(self._composer_saved)
        self.composer.problem.connect(self._show_problem)
        # "Waiting — reconnect LinkedIn" follows the connection, as in the Drafts tab.
        self.signals.connection_changed.connect(self.composer.refresh)

    def _today(self) -> date:
        return local_day(self.clock(), self.tz)

    def _set_when(self, scheduled_at: datetime | None) -> None:
        start = None if scheduled_at is None else wall_clock(scheduled_at, self.tz)
        if self._day is not None or (self._schedule and start is None):
            day = self._day or self._today()
            # As a draft dropped on that day would go; None once the day is over.
            slot = default_slot(day, self.default_time, self.clock(), self.tz)
            start = slot.wall if slot is not None else None
        self.schedule_box.setChecked(start is not None)
        self.when.set_value(start or datetime.combine(self._today(), self.default_time))
        self._update_when()

    def _loaded(self) -> None:
        record = self.composer.record
        if record is None:
            self.gone.emit("That post is no longer there; it was deleted meanwhile.")
            super().reject()
            return
        self._original = record
        self._set_when(record.scheduled_at)
        if not record.editable:
            self._make_read_only()

    def _make_read_only(self) -> None:
        # The composer shows the post read-only and says why (Duplicate reuses the text).
        self.schedule_box.setEnabled(False)
        self.when.setEnabled(False)
        self.save_button.hide()
        self.setWindowTitle("Post (read-only)")

    @property
    def read_only(self) -> bool:
        record = self.composer.record
        return record is not None and not record.editable

    def _update_when(self) -> None:
        scheduled = self.schedule_box.isChecked()
        self.when.setEnabled(scheduled and not self.read_only)
        if scheduled:
            slot = resolve_wall_time(self.when.value(), self.tz)
            note = (
                slot.note or "Your local time. Linkie publishes while it is running or in the tray."
            )
        else:
            note = "Kept as a draft: it appears beside the calendar."
        self.time_note.setText(note)

    def wall_time(self) -> datetime | None:
        return self.when.value() if self.schedule_box.isChecked() else None

    def _show_problem(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
        self._waiting_to_schedule = None

    def _composer_saved(self, record: PostRecord) -> None:
        self.post_id = record.id
        self.signals.announce_posts([record.id], initiator=self)
        waiting = self._waiting_to_schedule
        if waiting is not None and self.composer.settled:
            self._schedule_and_close(waiting[0])

    # --- closing ---------------------------------------------------------------------------------

    def has_unsaved_text(self) -> bool:
        """Words typed since the dialog opened (saved as a draft already, or on their way)."""
        if self.read_only:
            return False
        before = ("", "") if self._original is None else self._original_text()
        now = (self.composer.title_edit.text(), self.composer.body_edit.toPlainText())
        return now != before

    def _original_text(self) -> tuple[str, str]:
        assert self._original is not None
        return (self._original.title or "", self._original.content)

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
            self._discard()

    def _discard(self) -> None:
        """Back to the words the post had (a new post is removed again), then close."""
        self.composer.autosave_timer.stop()
        self.composer.finish()  # what autosave sent lands first, so its id is known
        post_id, original, posts = self.composer.post_id, self._original, self.posts
        if post_id is not None:
            if original is None:
                self.tasks.run_db(_refusal_as_value(lambda: posts.delete(post_id).record))
            else:
                title, content = self._original_text()
                self.tasks.run_db(
                    _refusal_as_value(lambda: posts.save_text(post_id, title, content))
                )
            self.signals.announce_posts([post_id], initiator=self)
        self.post_id = None if original is None else original.id
        super().reject()

    def accept(self) -> None:
        """Save: the words (the composer) and then the time, or a draft without one."""
        self.error_label.hide()
        slot = None
        try:
            # Checked here first, without the database, so a refusal shows at once.
            validate_content(self.composer.body_edit.toPlainText())
            wall = self.wall_time()
            if wall is not None:
                slot = resolve_wall_time(wall, self.tz)
                validate_schedule_time(slot.instant, self.clock())
        except ValidationError as exc:
            self._show_problem(str(exc))
            return
        if not self.composer.flush():
            return  # the composer said why
        if self.composer.settled and self.composer.post_id is not None:
            self._schedule_and_close(slot)
        else:
            self._waiting_to_schedule = (slot,)  # scheduled once the composer's save is in

    def _schedule_and_close(self, slot: LocalSlot | None) -> None:
        self._waiting_to_schedule = None
        post_id, posts, now = self.composer.post_id, self.posts, self.clock()
        assert post_id is not None
        at = None if slot is None else slot.instant
        self.tasks.run_db(
            _refusal_as_value(lambda: posts.set_schedule(post_id, at, now)),
            lambda outcome: self._scheduled(outcome, slot),
            self._show_problem,
            owner=self,
        )

    def _scheduled(self, outcome: PostRecord | str, slot: LocalSlot | None) -> None:
        if isinstance(outcome, str):
            self._show_problem(outcome)
            return
        self.post_id = outcome.id
        self.signals.announce_posts([outcome.id], initiator=self)
        self.saved.emit(outcome.id, _outcome_message(outcome, slot))
        super().accept()
