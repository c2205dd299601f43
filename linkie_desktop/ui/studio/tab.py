"""The Studio tab: an idea in, three variations and images out, a history of runs to go back to."""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QIcon, QKeySequence, QPixmap, QShortcut, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from linkie_desktop.domain.schedule import to_local
from linkie_desktop.services.ai_http import CancelToken
from linkie_desktop.services.ai_text import LENGTHS, TONES, VARIATION_COUNT, Brief
from linkie_desktop.services.posts import PostRecord
from linkie_desktop.services.secrets import SecretName
from linkie_desktop.services.studio import GenerationRecord, StudioService, keyring_key
from linkie_desktop.services.workspace import Workspace
from linkie_desktop.ui.app_signals import AppSignals
from linkie_desktop.ui.icons import themed_icon
from linkie_desktop.ui.known_errors import explain_for
from linkie_desktop.ui.preferences import AppPreferences, window_preferences
from linkie_desktop.ui.studio.cards import VariationCard
from linkie_desktop.ui.studio.jobs import JobRunner
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.message_bar import MessageBar

log = logging.getLogger(__name__)

THUMBNAIL = QSize(112, 112)
_HINT = (
    "Write an idea, pick a tone and a length, then Generate (Ctrl+Enter). Three variations "
    "appear here, folded where LinkedIn folds them."
)


def _history_label(run: GenerationRecord) -> str:
    first_line = run.idea.strip().splitlines()[0] if run.idea.strip() else "(no idea)"
    idea = first_line if len(first_line) <= 48 else first_line[:47] + "…"
    when = to_local(run.created_at).strftime("%d %b %H:%M")
    parts = [f"{len(run.variations)} variations"] if run.variations else []
    if run.images:
        parts.append(f"{len(run.images)} image{'s' if len(run.images) != 1 else ''}")
    return f"{idea}\n{when} · {', '.join(parts) or 'empty'}"


class StudioTab(QWidget):
    data_shown = Signal()  # the history of runs is on screen

    def __init__(
        self,
        workspace: Workspace,
        signals: AppSignals,
        parent: QWidget | None = None,
        *,
        service: StudioService | None = None,
        tasks: TaskRunner | None = None,
        preferences: AppPreferences | None = None,
    ) -> None:
        super().__init__(parent)
        named(self, "studioTab", "Studio")
        self.signals = signals
        if service is None:
            # The models come from the window's preferences object at each run (never the file).
            prefs = window_preferences(preferences, workspace.config.data_dir, signals, self)
            service = StudioService(
                workspace.engine,
                workspace.user_id,
                workspace.config,
                anthropic_key=keyring_key(SecretName.ANTHROPIC_API_KEY),
                gemini_key=keyring_key(SecretName.GEMINI_API_KEY),
                preferences=lambda: prefs.current,
            )
        self.service = service
        self.run: GenerationRecord | None = None
        self._asked_for_text = False  # the request in flight writes variations (not an image)
        # The window's runner; a tab made alone (a test) gets one of its own.
        self.tasks = tasks if tasks is not None else TaskRunner(explain_for(None), self)
        self.jobs = JobRunner(self.tasks, self)
        self.jobs.succeeded.connect(self._show_run)
        self.jobs.failed.connect(self._request_failed)
        self.jobs.busy_changed.connect(self._set_busy)
        self._build()
        self.reload_history()

    # --- layout -----------------------------------------------------------------------------------

    def _build(self) -> None:
        self.history = named(QListWidget(), "studioHistory", "Recent generations")
        self.history.setToolTip("Your recent runs; select one to open it again")
        self.history.setWordWrap(True)
        self.history.setSpacing(3)
        self.history.currentItemChanged.connect(self._history_selected)
        history_panel = QWidget()
        history_layout = QVBoxLayout(history_panel)
        history_layout.setContentsMargins(0, 0, 0, 0)
        history_title = QLabel("<b>Recent</b>")
        history_title.setBuddy(self.history)
        history_layout.addWidget(history_title)
        history_layout.addWidget(self.history, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.setObjectName("studioSplitter")
        splitter.addWidget(history_panel)
        splitter.addWidget(self._build_main())
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([230, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

    def _build_main(self) -> QWidget:
        self.idea_edit = named(QPlainTextEdit(), "studioIdea", "Your idea")
        self.idea_edit.setPlaceholderText(
            "Your idea, in a sentence or two: e.g. why consistency beats virality on LinkedIn"
        )
        self.idea_edit.setTabChangesFocus(True)
        self.idea_edit.setMaximumHeight(96)
        idea_label = QLabel("&Idea")
        idea_label.setBuddy(self.idea_edit)

        self.tone_box = named(QComboBox(), "studioTone", "Tone")
        for key, label, _ in TONES:
            self.tone_box.addItem(label, key)
        self.length_box = named(QComboBox(), "studioLength", "Length")
        for key, label, _ in LENGTHS:
            self.length_box.addItem(label, key)
        self.length_box.setCurrentIndex(1)
        tone_label, length_label = QLabel("&Tone"), QLabel("&Length")
        tone_label.setBuddy(self.tone_box)
        length_label.setBuddy(self.length_box)
        self.generate_button = named(
            QPushButton("&Generate"),
            "studioGenerate",
            "Generate three variations",
            "Write three variations of the idea (Ctrl+Enter)",
        )
        self.generate_button.setDefault(True)
        self.generate_button.clicked.connect(self.generate)
        self.image_button = named(
            QPushButton("Generate i&mage"),
            "studioGenerateImage",
            "Generate an image",
            "Draw an image for this idea; it is saved with the run and can go on a draft",
        )
        self.image_button.clicked.connect(self.generate_image)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            # whatsThis: Help › Keyboard shortcuts reads it as the shortcut's description.
            QShortcut(QKeySequence(keys), self, self.generate).setWhatsThis("Generate")

        options = QHBoxLayout()
        for widget in (tone_label, self.tone_box, length_label, self.length_box):
            options.addWidget(widget)
        options.addStretch(1)
        options.addWidget(self.image_button)
        options.addWidget(self.generate_button)

        self.progress = named(QProgressBar(), "studioProgress", "Working")
        self.progress.setRange(0, 0)  # busy: a request has no meaningful percentage
        self.progress.setMaximumWidth(160)
        self.progress_label = named(QLabel(), "studioProgressText", "What is happening")
        self.cancel_button = named(
            QPushButton("Cancel"), "studioCancel", "Cancel", "Stop this request (Esc)"
        )
        self.cancel_button.clicked.connect(self.cancel)
        QShortcut(QKeySequence(Qt.Key.Key_Escape), self, self.cancel).setWhatsThis(
            "Cancel the request"
        )
        for button, icon in (
            (self.generate_button, "media-playback-start"),
            (self.image_button, "insert-image"),
            (self.cancel_button, "process-stop"),
        ):
            button.setIcon(themed_icon(icon))
        self.progress_row = QWidget()
        self.progress_row.setObjectName("studioProgressRow")
        progress_layout = QHBoxLayout(self.progress_row)
        progress_layout.setContentsMargins(0, 0, 0, 0)
        progress_layout.addWidget(self.progress)
        progress_layout.addWidget(self.progress_label, 1)
        progress_layout.addWidget(self.cancel_button)
        self.progress_row.hide()

        self.messages = MessageBar("studio")
        self.hint = named(QLabel(_HINT), "studioHint", "How the Studio works")
        self.hint.setWordWrap(True)
        self.cards = [VariationCard(i) for i in range(VARIATION_COUNT)]
        cards_row = QHBoxLayout()
        for card in self.cards:
            card.use_requested.connect(self.use_as_draft)
            card.hide()
            cards_row.addWidget(card, 1)

        self.images = named(QListWidget(), "studioImages", "Generated images")
        self.images.setViewMode(QListWidget.ViewMode.IconMode)
        self.images.setIconSize(THUMBNAIL)
        self.images.setFlow(QListWidget.Flow.LeftToRight)
        self.images.setWrapping(False)
        self.images.setFixedHeight(THUMBNAIL.height() + 24)
        self.images.setToolTip("Select the image to put on the draft")
        self.attach_box = named(
            QCheckBox("Attach the selected image to the draft"), "studioAttachImage", "Attach image"
        )
        self.attach_box.setChecked(True)
        self.images_panel = QWidget()
        self.images_panel.setObjectName("studioImagesPanel")
        images_layout = QVBoxLayout(self.images_panel)
        images_layout.setContentsMargins(0, 0, 0, 0)
        images_layout.addWidget(QLabel("<b>Images</b>"))
        images_layout.addWidget(self.images)
        images_layout.addWidget(self.attach_box)
        self.images_panel.hide()

        main = QWidget()
        layout = QVBoxLayout(main)
        layout.addWidget(idea_label)
        layout.addWidget(self.idea_edit)
        layout.addLayout(options)
        layout.addWidget(self.progress_row)
        layout.addWidget(self.messages)
        layout.addWidget(self.hint)
        layout.addLayout(cards_row, 1)
        layout.addWidget(self.images_panel)
        return main

    # --- requests ---------------------------------------------------------------------------------

    def brief(self) -> Brief:
        return Brief(
            self.idea_edit.toPlainText(),
            tone=str(self.tone_box.currentData()),
            length=str(self.length_box.currentData()),
        )

    def generate(self) -> None:
        if self.jobs.busy:
            return
        brief = self.brief()
        if not brief.idea.strip():
            self.messages.show_message("Write your idea first: a sentence or two is enough.")
            self.idea_edit.setFocus()
            return
        self.progress_label.setText("Writing three variations…")
        self._asked_for_text = True
        self.jobs.start(lambda token: self.service.generate(brief, token))

    def generate_image(self) -> None:
        if self.jobs.busy:
            return
        idea = self.idea_edit.toPlainText()
        if not idea.strip():
            self.messages.show_message("Write your idea first: the image is drawn from it.")
            self.idea_edit.setFocus()
            return
        # Add to the run on screen only when it is still about this idea.
        run = self.run if self.run and self.run.idea == idea.strip() else None
        context = run.variations[0] if run and run.variations else ""

        def work(token: CancelToken) -> GenerationRecord:
            return self.service.generate_images(idea, token, run.id if run else None, context)

        self.progress_label.setText("Drawing an image…")
        self._asked_for_text = False
        self.jobs.start(work)

    def cancel(self) -> None:
        if not self.jobs.busy:
            return
        if self.jobs.cancel():
            self.messages.show_message("Cancelled. Nothing was saved.")
        else:
            self.progress_label.setText("Saving what arrived…")

    def shutdown(self) -> None:
        """Before the window closes: stop the request in flight (the runner's owner waits)."""
        self.jobs.cancel()

    def _say_warning(self, message: str) -> None:
        self.messages.show_message(message, warning=True)

    def _request_failed(self, message: str) -> None:
        # Variations left from the run before would read as the answer to the idea just sent.
        # A failed image is different: the variations on screen are the ones it was drawn for.
        if self._asked_for_text:
            self.clear_run()
        self._say_warning(message)

    def clear_run(self) -> None:
        """No run on screen: no cards, no images, the hint back; the idea box keeps its text."""
        self.run = None
        for card in self.cards:
            card.hide()
        self.images.clear()
        self.images_panel.hide()
        self.hint.show()
        blocked = self.history.blockSignals(True)  # unselecting is not choosing a run
        try:
            self.history.setCurrentRow(-1)
            self.history.clearSelection()
        finally:
            self.history.blockSignals(blocked)

    def _set_busy(self, busy: bool) -> None:
        self.progress_row.setVisible(busy)
        self.generate_button.setEnabled(not busy)
        self.image_button.setEnabled(not busy)
        self.history.setEnabled(not busy)  # the answer on its way belongs to the run on screen
        if busy:
            self.messages.dismiss()
            self.cancel_button.setFocus()
        else:
            self.generate_button.setFocus()

    # --- showing runs -----------------------------------------------------------------------------

    def _show_run(self, run: object) -> None:
        assert isinstance(run, GenerationRecord)
        self.open_run(run)
        self.reload_history()

    def open_run(self, run: GenerationRecord) -> None:
        self.run = run
        if self.idea_edit.toPlainText().strip() != run.idea:
            # An edit, not setPlainText: Ctrl+Z brings back an idea typed before opening a run.
            cursor = self.idea_edit.textCursor()
            cursor.select(QTextCursor.SelectionType.Document)
            cursor.insertText(run.idea)
        for card, text in zip(self.cards, run.variations, strict=False):
            card.set_text(text)
        for index, card in enumerate(self.cards):
            card.setVisible(index < len(run.variations))
        self.hint.setVisible(not run.variations)
        self.images.clear()
        for path in run.images:
            item = QListWidgetItem(
                QIcon(QPixmap(path).scaled(THUMBNAIL, Qt.AspectRatioMode.KeepAspectRatio)), ""
            )
            item.setData(Qt.ItemDataRole.UserRole, path)
            item.setToolTip(path)
            self.images.addItem(item)
        if run.images:
            self.images.setCurrentRow(self.images.count() - 1)  # the newest
        self.images_panel.setVisible(bool(run.images))

    def reload_history(self) -> None:
        self.tasks.run_db(
            self.service.recent,
            self._show_history,
            self._say_warning,
            owner=self,
            key=(id(self), "history"),
        )

    def _show_history(self, runs: list[GenerationRecord]) -> None:
        self.history.blockSignals(True)
        try:
            self.history.clear()
            for run in runs:
                item = QListWidgetItem(_history_label(run))
                item.setData(Qt.ItemDataRole.UserRole, run.id)
                self.history.addItem(item)
                if self.run is not None and run.id == self.run.id:
                    self.history.setCurrentItem(item)
        finally:
            self.history.blockSignals(False)
        self.data_shown.emit()

    def _history_selected(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        run_id = str(item.data(Qt.ItemDataRole.UserRole))
        self.tasks.run_db(
            lambda: self.service.get(run_id),
            self.open_run,
            self._run_gone,
            owner=self,
            key=(id(self), "open run"),
        )

    def _run_gone(self, message: str) -> None:
        self._say_warning(message)
        self.reload_history()

    # --- drafts -----------------------------------------------------------------------------------

    def selected_image(self) -> Path | None:
        item = self.images.currentItem()
        if not self.attach_box.isChecked() or item is None or self.images_panel.isHidden():
            return None
        return Path(str(item.data(Qt.ItemDataRole.UserRole)))

    def use_as_draft(self, text: str) -> None:
        idea = self.run.idea if self.run else self.idea_edit.toPlainText()
        image = self.selected_image()
        self.tasks.run_db(
            lambda: self.service.use_as_draft(text, idea, image),
            self._draft_made,
            self._say_warning,
            owner=self,
        )

    def _draft_made(self, draft: PostRecord) -> None:
        self.signals.announce_posts([draft.id], initiator=self)
        self.signals.open_post_requested.emit(draft.id)
        self.messages.show_message("Draft created and opened in Drafts.", timeout_ms=8000)
