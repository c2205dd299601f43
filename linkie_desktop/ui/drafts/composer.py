"""The composer: title, text, counter, preview and image of one post, saved as the user types.

Nothing typed is ever lost: a named timer saves about a second after the last keystroke, and
`flush()` saves at once (focus leaving the composer, another post chosen, the window closing).
If the post stopped being editable meanwhile (the publisher took it), the text is kept as a new
draft instead of being dropped.

Every read and write runs on the task runner's database worker, never on the GUI thread. What was
typed stays on screen until the save's answer arrives: more typing while a save is on its way is
saved again right after it, another post is shown only once the text is safely stored, and
`finish()` (the window closes) waits for the last answer. The worker is serialized, so a read
queued after a save sees that save.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QEventLoop, Qt, QTimer, Signal
from PySide6.QtGui import QImageReader, QPalette, QPixmap, QTextCursor
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)
from sqlalchemy.exc import OperationalError

from linkie_desktop.domain.images import FILE_DIALOG_FILTER
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    MAX_TITLE_CHARS,
    ReadOnlyPostError,
    ValidationError,
    validate_draft_content,
    validate_title,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.posts import PostRecord, PostService, StorageError, UnknownPostError
from linkie_desktop.ui.drafts.model import database_reason
from linkie_desktop.ui.drafts.preview import PostPreview
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import warning_colour

AUTOSAVE_DELAY_MS = 800
THUMBNAIL_PX = 72


def counter_text(length: int) -> str:
    return f"{length} / {MAX_CONTENT_CHARS}"


@dataclass(frozen=True)
class _AttachOutcome:
    record: PostRecord | None  # None: refused
    refusal: str = ""


def _attach(service: PostService, post_id: str, source: Path) -> _AttachOutcome:
    """On the database worker: check, copy, point the post at the copy; a refusal is an answer.

    Refusals come back as values, not exceptions, so they read the same whichever runner's
    `explain` (the window's or the tab's) sees the task.
    """
    try:
        return _AttachOutcome(service.attach_image(post_id, source))
    except (ValidationError, StorageError) as exc:
        return _AttachOutcome(None, str(exc))
    except OperationalError as exc:
        return _AttachOutcome(
            None, f"The image could not be attached yet ({database_reason(exc)})."
        )


@dataclass(frozen=True)
class _SaveOutcome:
    record: PostRecord | None  # None: not saved
    forked: bool = False  # the post could no longer be edited: the text became a new draft
    refusal: str = ""  # why not saved
    retry: bool = False  # the database could not take it now: try again later


def _save(service: PostService, post_id: str | None, title: str, content: str) -> _SaveOutcome:
    """On the database worker: create or update the post; a refusal is an answer, not a crash."""
    try:
        if post_id is None:
            return _SaveOutcome(service.create_draft(title, content))
        try:
            return _SaveOutcome(service.save_text(post_id, title, content))
        except (ReadOnlyPostError, UnknownPostError):
            # Published or deleted while the user typed: keep their words as a new draft.
            return _SaveOutcome(service.create_draft(title, content), forked=True)
    except StorageError as exc:
        return _SaveOutcome(None, refusal=str(exc), retry=True)
    except ValidationError as exc:
        return _SaveOutcome(None, refusal=str(exc))


def _read(service: PostService, post_id: str | None) -> PostRecord | None:
    """On the database worker: the post as stored now (None: there is none, or it is gone)."""
    if post_id is None:
        return None
    try:
        return service.get(post_id)
    except UnknownPostError:
        return None


FORKED = (
    "This post changed elsewhere and can no longer be edited, so your text was saved as a new "
    "draft."
)


def _remove_image(service: PostService, post_id: str) -> _AttachOutcome:
    try:
        return _AttachOutcome(service.remove_image(post_id))
    except (ValidationError, StorageError) as exc:
        return _AttachOutcome(None, str(exc))


class Composer(QWidget):
    saved = Signal(object)  # the PostRecord just written (created or updated)
    problem = Signal(str)  # a plain-words message for the user
    attach_finished = Signal(bool)  # True: the image is attached; False: refused (problem says why)
    loaded = Signal()  # another post (or a new, empty one) is shown
    stayed = Signal()  # a switch to another post was refused: the text on screen is unsaved

    def __init__(self, service: PostService, tasks: TaskRunner) -> None:
        super().__init__()
        named(self, "composer", "Post composer")
        self._service = service
        self._tasks = tasks
        self._record: PostRecord | None = None
        self._dirty = False  # typed since the last save was sent
        self._saving = False  # a save is on its way to the database
        self._failed = False  # the last save failed: the text on screen is not stored
        self._loading = False
        self._attaching = False
        self._image_waiting: Path | None = None  # attached once the new post's first save lands
        # A newer load supersedes an older one still on its way.
        self._load_key = object()
        self._refresh_key = object()

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosave-timer")
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.flush)

        self.title_edit = named(QLineEdit(), "composerTitle", "Post title")
        self.title_edit.setPlaceholderText("Title (only for you; LinkedIn doesn't show it)")
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.body_edit = named(QPlainTextEdit(), "composerBody", "Post text")
        self.body_edit.setPlaceholderText("What do you want to talk about?")
        self.body_edit.setTabChangesFocus(True)
        self.counter = named(QLabel(counter_text(0)), "composerCounter", "Characters used")
        self.save_state = named(QLabel(""), "composerSaveState", "Save state")
        self.notice = named(QLabel(""), "composerNotice", "Notice about this post")
        self.notice.setWordWrap(True)
        self.notice.setAutoFillBackground(True)
        self.notice.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setMargin(6)
        self.notice.hide()

        self.thumbnail = named(QLabel(), "composerThumbnail", "Attached image")
        self.thumbnail.setFixedSize(THUMBNAIL_PX, THUMBNAIL_PX)
        self.thumbnail.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.thumbnail.setFrameShape(QFrame.Shape.StyledPanel)
        self.image_label = named(QLabel("No image"), "composerImageName", "Image file name")
        self.add_image_button = named(
            QPushButton("Add image…"), "composerAddImage", "Add image", "PNG, JPEG or GIF"
        )
        self.remove_image_button = named(
            QPushButton("Remove image"), "composerRemoveImage", "Remove image"
        )
        self.preview = PostPreview()
        preview_scroll = QScrollArea()
        preview_scroll.setObjectName("composerPreviewScroll")
        preview_scroll.setWidgetResizable(True)
        preview_scroll.setWidget(self.preview)
        preview_scroll.setFrameShape(QScrollArea.Shape.NoFrame)

        self._layout(preview_scroll)
        self.title_edit.textChanged.connect(self._on_edit)
        self.body_edit.textChanged.connect(self._on_edit)
        self.add_image_button.clicked.connect(self._choose_image)
        self.remove_image_button.clicked.connect(self.remove_image)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
            app.aboutToQuit.connect(self.finish)  # e.g. Quit from the tray, with no close event
        self.setTabOrder(self.title_edit, self.body_edit)
        self.setTabOrder(self.body_edit, self.add_image_button)
        self.setTabOrder(self.add_image_button, self.remove_image_button)
        self._show(None)

    def _layout(self, preview_scroll: QScrollArea) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.title_edit)
        layout.addWidget(self.body_edit, 3)
        meta = QHBoxLayout()
        meta.addWidget(self.save_state)
        meta.addStretch(1)
        meta.addWidget(self.counter)
        layout.addLayout(meta)
        image_row = QHBoxLayout()
        image_row.addWidget(self.thumbnail)
        image_row.addWidget(self.image_label, 1)
        image_row.addWidget(self.add_image_button)
        image_row.addWidget(self.remove_image_button)
        layout.addLayout(image_row)
        heading = QLabel("<b>Preview</b>")
        heading.setObjectName("composerPreviewHeading")
        layout.addWidget(heading)
        layout.addWidget(preview_scroll, 2)
        self.image_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    # --- what is shown ---------------------------------------------------------------------------

    @property
    def post_id(self) -> str | None:
        return self._record.id if self._record else None

    @property
    def record(self) -> PostRecord | None:
        return self._record

    @property
    def dirty(self) -> bool:
        return self._dirty

    @property
    def settled(self) -> bool:
        """True when what is on screen is stored: nothing typed unsaved, no save on its way."""
        return not (self._dirty or self._saving)

    def load(self, post_id: str | None) -> bool:
        """Show another post (None: a new, empty one) once what was typed is saved.

        False (and the current text stays on screen) when the text cannot be saved now; the
        switch is also refused later (`stayed`) if the save on its way fails.
        """
        if self._failed and self._dirty:
            return False  # never switch away from words that are not stored (the timer retries)
        if not self.flush():
            return False
        if post_id is None and self.settled:
            self._show(None)
            self.loaded.emit()
            return True
        service = self._service
        self._tasks.run_db(
            lambda: _read(service, post_id),
            lambda record: self._loaded(post_id, record),
            owner=self,
            key=self._load_key,
        )
        return True

    def _loaded(self, post_id: str | None, record: PostRecord | None) -> None:
        if not self.settled:
            # The save before the switch failed, or the user typed on: stay with the words.
            self.stayed.emit()
            return
        self._show(record if post_id is not None else None)
        self.loaded.emit()

    def refresh(self) -> None:
        """The post changed elsewhere (publisher, calendar): show what is stored now.

        Unsaved typing is saved first, or kept as a new draft if the post became read-only or
        was deleted; if it cannot be saved at all, the editors keep it and only the state moves.
        """
        if self._record is None:
            return
        if not self.flush():
            return
        post_id, service = self._record.id, self._service

        def show(record: PostRecord | None) -> None:
            # Typing since, or a fork of the text into a new draft: the screen is newer.
            if self.settled and self.post_id == post_id:
                self._show(record)

        self._tasks.run_db(lambda: _read(service, post_id), show, owner=self, key=self._refresh_key)

    def _show(self, record: PostRecord | None) -> None:
        self._record = record
        self._dirty = False
        self.autosave_timer.stop()
        self._loading = True
        try:
            title = (record.title or "") if record else ""
            content = record.content if record else ""
            if self.title_edit.text() != title:
                self.title_edit.setText(title)
            if self.body_edit.toPlainText() != content:
                self.body_edit.setPlainText(content)
                self.body_edit.moveCursor(QTextCursor.MoveOperation.End)  # carry on writing
        finally:
            self._loading = False
        self._update_counter_and_preview()
        self.preview.show_time(record.scheduled_at if record is not None else None)
        self._show_state(record)
        self.save_state.setText("Saved" if record else "New post — starts saving as you type")

    def _show_state(self, record: PostRecord | None) -> None:
        editable = record is None or record.editable
        for editor in (self.title_edit, self.body_edit):
            editor.setReadOnly(not editable)
            # A read-only editor looks like the window, not like a field waiting for typing.
            palette = self.palette()
            if not editable:
                palette.setColor(QPalette.ColorRole.Base, palette.color(QPalette.ColorRole.Window))
            editor.setPalette(palette)
        self.add_image_button.setEnabled(editable and not self._attaching)
        self.remove_image_button.setEnabled(
            editable and not self._attaching and bool(record and record.image_path)
        )
        self._show_image(record.image_path if record else None)
        self._show_notice(record)

    def _show_notice(self, record: PostRecord | None) -> None:
        text = ""
        if record is None:
            pass
        elif record.status == PostStatus.PUBLISHED:
            text = "Published — it can no longer be changed. Use Duplicate to reuse the text."
        elif record.status == PostStatus.PUBLISHING:
            text = "Being published right now — it can't be changed."
        elif record.status == PostStatus.FAILED:
            reason = (record.error_message or "LinkedIn did not accept it").rstrip()
            reason = reason if reason.endswith((".", "!", "?")) else reason + "."
            text = f"Publishing failed: {reason} Retry, reschedule or mark it as published."
        failed = record is not None and record.status == PostStatus.FAILED
        colour = warning_colour(self.palette()).name() if failed else ""
        self.notice.setStyleSheet(f"color: {colour};" if failed else "")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _show_image(self, image_path: str | None) -> None:
        self.thumbnail.setVisible(bool(image_path))
        if not image_path:
            self.thumbnail.clear()
            self.image_label.setText("No image")
            return
        path = Path(image_path)
        reader = QImageReader(str(path))
        reader.setAutoTransform(True)
        size = reader.size()
        if size.isValid():
            reader.setScaledSize(
                size.scaled(THUMBNAIL_PX, THUMBNAIL_PX, Qt.AspectRatioMode.KeepAspectRatio)
            )
        image = reader.read()
        if image.isNull():
            self.thumbnail.setText("?")
            self.image_label.setText(f"{path.name} (missing or unreadable)")
            return
        self.thumbnail.setPixmap(QPixmap.fromImage(image))
        self.image_label.setText(path.name)

    def _update_counter_and_preview(self) -> None:
        text = self.body_edit.toPlainText()
        self.counter.setText(counter_text(len(text)))
        over = len(text) > MAX_CONTENT_CHARS
        colour = warning_colour(self.palette()).name() if over else ""
        self.counter.setStyleSheet(f"color: {colour}; font-weight: bold;" if over else "")
        self.counter.setAccessibleDescription(
            f"{len(text) - MAX_CONTENT_CHARS} characters over LinkedIn's limit" if over else ""
        )
        self.preview.show_text(text)

    # --- saving ----------------------------------------------------------------------------------

    def _on_edit(self) -> None:
        if self._loading:
            return
        self._dirty = True
        self.save_state.setText("Editing…")
        self._update_counter_and_preview()
        self.autosave_timer.start()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        leaving = old is not None and self.isAncestorOf(old)
        if self._dirty and leaving and (new is None or not self.isAncestorOf(new)):
            self.flush()

    def flush(self) -> bool:
        """Send what is unsaved to the database now.

        True when nothing is unsaved or the save is on its way (`saved` or `problem` tell how it
        ended); False when the rules refuse the text (the words wait, unsaved, with the reason).
        """
        self.autosave_timer.stop()
        if not self._dirty:
            return True
        title = self.title_edit.text()
        content = self.body_edit.toPlainText()
        try:
            # The rules are checked here, without the database, so a refusal is known at once.
            validate_draft_content(content)
            validate_title(title)
        except ValidationError as exc:
            # Saving again would fail again, so the words wait until the user changes them.
            self._refused(str(exc))
            return False
        if self._saving:
            return True  # saved again when the answer to the save on its way arrives
        self._dirty = False
        self._saving = True
        self.save_state.setText("Saving…")
        service, post_id = self._service, self.post_id
        self._tasks.run_db(
            lambda: _save(service, post_id, title, content), self._on_saved, owner=self
        )
        return True

    def _refused(self, reason: str) -> None:
        self._failed = True
        self.save_state.setText("Not saved — see the message")
        self.problem.emit(reason)

    def _on_saved(self, outcome: _SaveOutcome) -> None:
        self._saving = False
        if outcome.record is None:
            self._dirty = True
            if outcome.retry:
                self._failed = True
                self.save_state.setText("Not saved yet — will try again")
                self.problem.emit(outcome.refusal)
                self.autosave_timer.start()
            else:
                self._refused(outcome.refusal)
            self._image_waiting = None
            return
        self._failed = False
        record = outcome.record
        self._record = record
        if outcome.forked:
            self.problem.emit(FORKED)
        self._show_state(record)
        self.saved.emit(record)
        if self._dirty:
            self.flush()  # typed while the save was on its way
        else:
            self.save_state.setText("Saved")
        waiting, self._image_waiting = self._image_waiting, None
        if waiting is not None:
            self._start_attach(waiting)

    def finish(self, timeout_ms: int = 30_000) -> bool:
        """The window closes: save what was typed and wait for the answer.

        False when the text could not be saved, so the window can ask before closing.
        """
        if not self.flush():
            return False
        for _ in range(3):  # a save, and the one more that typing during it asked for
            if not self._saving:
                break
            self._tasks.wait_idle(timeout_ms)
            # The answers wait as posted events for the GUI thread: deliver them now.
            QCoreApplication.processEvents(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
        return self.settled

    # --- image -----------------------------------------------------------------------------------

    def _choose_image(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Add an image", "", FILE_DIALOG_FILTER)
        if name:
            self.attach_image(Path(name))

    @property
    def attaching(self) -> bool:
        return self._attaching

    def attach_image(self, source: Path) -> bool:
        """Attach a copy of `source`, checked and copied off the GUI thread.

        True once the work is on its way (`attach_finished` tells how it ended); False when it
        could not start: the text could not be saved first, or another image is on its way.
        A refused file is explained and the post stays as it was.
        """
        if self._attaching or self._image_waiting is not None:
            return False
        if self._record is None:
            # A new post gets its row first: the image follows its first save's answer.
            self._dirty = True
            if not self.flush():
                return False
            self._image_waiting = source
            self._set_attaching(True)
            return True
        self.flush()
        self._start_attach(source)
        return True

    def _start_attach(self, source: Path) -> None:
        assert self._record is not None
        service, post_id = self._service, self._record.id
        self._set_attaching(True)
        self._tasks.run_db(
            lambda: _attach(service, post_id, source),
            self._on_attached,
            self._on_attach_failed,
            owner=self,
        )

    def _set_attaching(self, attaching: bool) -> None:
        self._attaching = attaching
        self._show_state(self._record)
        if attaching:
            self.image_label.setText("Checking and adding the image…")

    def _on_attached(self, outcome: _AttachOutcome) -> None:
        if outcome.record is None:
            self._on_attach_failed(outcome.refusal)
            return
        attached = outcome.record
        if self._record is not None and self._record.id == attached.id:
            # Only the image changed; what was typed meanwhile stays as the composer knows it.
            self._record = replace(self._record, image_path=attached.image_path)
        self._set_attaching(False)
        self.saved.emit(self._record if self._record is not None else attached)
        self.attach_finished.emit(True)

    def _on_attach_failed(self, message: str) -> None:
        self._set_attaching(False)
        self.problem.emit(message)
        self.attach_finished.emit(False)

    def remove_image(self) -> None:
        if self._record is None or not self._record.image_path:
            return
        service, post_id = self._service, self._record.id

        def removed(outcome: _AttachOutcome) -> None:
            if outcome.record is None:
                self.problem.emit(outcome.refusal)
                return
            if self._record is not None and self._record.id == outcome.record.id:
                self._record = replace(self._record, image_path=None)
                self._show_state(self._record)
                self.saved.emit(self._record)

        self._tasks.run_db(lambda: _remove_image(service, post_id), removed, owner=self)
