"""The composer: title, text, counter, writing aids, attachments of every kind, first comment,
visibility and preview of one post, saved as the user types.

Nothing typed is ever lost: a named timer saves about a second after the last keystroke, and
`flush()` saves at once (focus leaving the composer, another post chosen, the window closing).
If the post stopped being editable meanwhile (the publisher took it), the text is kept as a new
draft instead of being dropped.

The pieces (attachments strip, document and video cards, poll editor, link card editor, first
comment) change the post through `change()`: each change waits with the text and goes on the same
save (composer_saving.py), after the text, so a new post's first save creates it before its first
attachment is written. Clicks go at once; typing waits for the autosave timer.
The format editors are built the first time a post needs one (format_editors.py) and the preview
on the event loop's next turn, so the composer's first show costs only what a text post shows.

Every read and write runs on the task runner's database worker, never on the GUI thread. What was
typed stays on screen until the save's answer arrives: more typing while a save is on its way is
saved again right after it, another post is shown only once the text is safely stored, and
`finish()` (the window closes) waits for the last answer. The worker is serialized, so a read
queued after a save sees that save.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from PySide6.QtCore import QCoreApplication, QEventLoop, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QPalette, QTextCursor
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

from linkie_desktop.db.types import utc_now
from linkie_desktop.domain.images import FILE_DIALOG_FILTER
from linkie_desktop.domain.little_text import reader_length
from linkie_desktop.domain.post_content import (
    DOCUMENT_FILE_DIALOG_FILTER,
    MAX_IMAGES,
    VIDEO_FILE_DIALOG_FILTER,
    ContentKind,
    MediaKind,
    PostContent,
    Visibility,
    check_image_count,
    refuse_mixing,
)
from linkie_desktop.domain.posts import (
    MAX_CONTENT_CHARS,
    MAX_TITLE_CHARS,
    ValidationError,
    validate_draft_content,
    validate_title,
)
from linkie_desktop.domain.status import PostStatus
from linkie_desktop.services.oauth import ConnectionInfo
from linkie_desktop.services.overview import waiting_label
from linkie_desktop.services.posts import PostRecord, PostService
from linkie_desktop.services.upload_progress import UploadState
from linkie_desktop.ui.drafts import composer_saving
from linkie_desktop.ui.drafts.composer_saving import FORKED, SaveOutcome
from linkie_desktop.ui.drafts.content_changes import ContentChange, ServiceCall
from linkie_desktop.ui.drafts.first_comment import FirstCommentBox
from linkie_desktop.ui.drafts.format_editors import (
    OnDemand,
    has_images,
    has_link,
    has_media,
    has_poll,
)
from linkie_desktop.ui.drafts.link_offer import LinkOffer
from linkie_desktop.ui.drafts.post_history import PostHistory
from linkie_desktop.ui.drafts.visibility import chosen_visibility, visibility_box
from linkie_desktop.ui.drafts.writing_aids import WritingAids
from linkie_desktop.ui.tasks import TaskRunner
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.flow_layout import FlowLayout
from linkie_desktop.ui.widgets.local_time import local_time_text
from linkie_desktop.ui.widgets.palette import warning_colour

if TYPE_CHECKING:  # the format editors' and the preview's modules: imported when first built
    from PySide6.QtGui import QPixmap

    from linkie_desktop.ui.drafts.attachments_strip import AttachmentsStrip
    from linkie_desktop.ui.drafts.link_card_editor import LinkCardEditor
    from linkie_desktop.ui.drafts.media_cards import MediaCard
    from linkie_desktop.ui.drafts.poll_editor import PollEditor
    from linkie_desktop.ui.drafts.preview import PostPreview

AUTOSAVE_DELAY_MS = 800
# The preview waits for the composer's first paint: a 0 ms timer runs in the same turn as that
# paint, and the two together are more than a turn of the GUI thread should take (issue 13).
PREVIEW_DELAY_MS = 30
VISIBILITY_KEY = "visibility"
_attach_numbers = itertools.count(1)
Placed = TypeVar("Placed", bound=QWidget)

__all__ = ["AUTOSAVE_DELAY_MS", "FORKED", "Composer", "counter_text"]


def counter_text(length: int) -> str:
    return f"{length} / {MAX_CONTENT_CHARS}"


class _SidewaysScroll(QScrollArea):
    """The preview at the feed's own width, scrolled sideways in a narrower composer, so the
    fields above it keep the composer's width; as tall as the preview, which the composer's
    details scroll through."""

    def __init__(self, preview: QWidget) -> None:
        super().__init__()
        self.setObjectName("composerPreviewScroll")
        self._preview = preview
        self.setWidget(preview)
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        inner = self._preview.sizeHint()
        return QSize(inner.width(), inner.height() + self.horizontalScrollBar().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(0, self.sizeHint().height())


class Composer(QWidget):
    saved = Signal(object)  # the PostRecord just written (created or updated)
    problem = Signal(str)  # a plain-words message for the user
    # An attach of files ended: True attached; False refused (the message area says why).
    attach_finished = Signal(bool)
    loaded = Signal()  # another post (or a new, empty one) is shown
    stayed = Signal()  # a switch to another post was refused: the text on screen is unsaved

    def __init__(
        self,
        service: PostService,
        tasks: TaskRunner,
        *,
        data_dir: Path | None = None,
        window_state: QSettings | None = None,
    ) -> None:
        super().__init__()
        named(self, "composer", "Post composer")
        self._window_state = window_state  # the preview remembers Desktop or Mobile there
        self._service = service
        self._tasks = tasks
        self._record: PostRecord | None = None
        # The LinkedIn connection, read with the post: a due post it cannot send is "Waiting".
        self._connection: ConnectionInfo | None = None
        self._dirty = False  # text typed since the last save was sent
        self._pending: dict[str, ContentChange] = {}  # the pieces' changes not yet sent
        self._saving = False  # a save is on its way to the database
        self._failed = False  # the last save failed: the text on screen is not stored
        self._loading = False
        self._last_text = ("", "")  # the title and text as last shown or typed
        self._attaching = False
        # A newer load supersedes an older one still on its way.
        self._load_key = object()
        self._refresh_key = object()

        self.autosave_timer = QTimer(self)
        self.autosave_timer.setObjectName("autosave-timer")
        self.autosave_timer.setSingleShot(True)
        self.autosave_timer.setInterval(AUTOSAVE_DELAY_MS)
        self.autosave_timer.timeout.connect(self.flush)

        self._build_text()
        self._build_attachments()
        # Spelling, styles, snippets and emoji, when the host gives the folder they keep files in.
        self.aids: WritingAids | None = None
        if data_dir is not None:
            self.aids = WritingAids.attach(self.body_edit, self, tasks=tasks, data_dir=data_dir)
            self.aids.problem.connect(self.problem)
        self._layout()
        self.title_edit.textChanged.connect(self._on_edit)
        self.body_edit.textChanged.connect(self._on_edit)
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.focusChanged.connect(self._on_focus_changed)
            app.aboutToQuit.connect(self.finish)  # e.g. Quit from the tray, with no close event
        self._show(None)

    # --- building --------------------------------------------------------------------------------

    def _build_text(self) -> None:
        self.title_edit = named(QLineEdit(), "composerTitle", "Post title")
        self.title_edit.setPlaceholderText("Title (only for you; LinkedIn doesn't show it)")
        self.title_edit.setMaxLength(MAX_TITLE_CHARS)
        self.body_edit = named(QPlainTextEdit(), "composerBody", "Post text")
        self.body_edit.setPlaceholderText("What do you want to talk about?")
        self.body_edit.setTabChangesFocus(True)
        self.counter = named(QLabel(counter_text(0)), "composerCounter", "Characters used")
        self.save_state = named(QLabel(""), "composerSaveState", "Save state")
        self.upload_state = named(QLabel(""), "composerUploadState", "Upload to LinkedIn")
        self.upload_state.hide()
        self.notice = named(QLabel(""), "composerNotice", "Notice about this post")
        self.notice.setWordWrap(True)
        self.notice.setAutoFillBackground(True)
        self.notice.setBackgroundRole(QPalette.ColorRole.AlternateBase)
        self.notice.setFrameShape(QFrame.Shape.StyledPanel)
        self.notice.setMargin(6)
        self.notice.hide()
        # The preview is built on the event loop's next turn, once the rest is on screen (or at
        # once when asked for): it and its modules are a good part of the composer's first show.
        self._preview: PostPreview | None = None
        self._profile: tuple[str, QPixmap | None] | None = None  # who posts, for the preview
        self.preview_scroll: QScrollArea | None = None
        self._tasks.later(PREVIEW_DELAY_MS, self, self._build_preview)

    def _build_attachments(self) -> None:
        self.add_images_button = named(
            QPushButton("Images…"), "composerAddImages", "Add images", "1 to 20 PNG, JPEG or GIF"
        )
        self.add_document_button = named(
            QPushButton("Document…"),
            "composerAddDocument",
            "Add a document",
            "A PDF, PowerPoint or Word file, shown as a carousel",
        )
        self.add_video_button = named(
            QPushButton("Video…"), "composerAddVideo", "Add a video", "An MP4 video"
        )
        self.add_poll_button = named(QPushButton("Poll"), "composerAddPoll", "Add a poll")
        self.add_link_button = named(QPushButton("Link card"), "composerAddLink", "Add a link card")
        self.add_buttons = (
            self.add_images_button,
            self.add_document_button,
            self.add_video_button,
            self.add_poll_button,
            self.add_link_button,
        )
        self.message = named(QLabel(""), "composerMessage", "Message about the attachments")
        self.message.setWordWrap(True)
        self.message.hide()
        self._strip = OnDemand(self._make_strip, has_images)
        self._document_card = OnDemand(
            lambda: self._make_media_card(MediaKind.DOCUMENT), has_media(MediaKind.DOCUMENT)
        )
        self._video_card = OnDemand(
            lambda: self._make_media_card(MediaKind.VIDEO), has_media(MediaKind.VIDEO)
        )
        self._poll_editor = OnDemand(self._make_poll_editor, has_poll)
        self._link_editor = OnDemand(self._make_link_editor, has_link)
        self._format_editors = (
            self._strip,
            self._document_card,
            self._video_card,
            self._poll_editor,
            self._link_editor,
        )
        self.link_offer = LinkOffer()
        self.first_comment = FirstCommentBox(self)
        self.history = PostHistory(self._tasks, self._service.engine, self._service.user_id)
        self.history.toggle.toggled.connect(
            lambda _open: self._chain_focus()
        )  # its list, once built
        self.visibility = visibility_box(
            "composerVisibility", "Who can see the post", self._default_visibility()
        )

        self.add_images_button.clicked.connect(self._choose_images)
        self.add_document_button.clicked.connect(self._choose_document)
        self.add_video_button.clicked.connect(self._choose_video)
        self.add_poll_button.clicked.connect(self.add_poll)
        self.add_link_button.clicked.connect(lambda: self.add_link_card(""))
        self.link_offer.accepted.connect(self.add_link_card)
        self.visibility.activated.connect(lambda _index: self._visibility_chosen())
        self.first_comment.retry_requested.connect(self.retry_comment)

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.notice)
        layout.addWidget(self.title_edit)
        if self.aids is not None:
            layout.addWidget(self.aids.bar)
        layout.addWidget(self.body_edit, 2)
        meta = QHBoxLayout()
        meta.addWidget(self.save_state)
        meta.addWidget(self.upload_state)
        meta.addStretch(1)  # the counter stays right while the upload line is hidden
        meta.addWidget(self.counter)
        layout.addLayout(meta)
        layout.addWidget(self.link_offer)

        # Everything below the text scrolls, so the text keeps its room with any attachment.
        details = QWidget()
        details.setObjectName("composerDetails")
        below = QVBoxLayout(details)
        below.setContentsMargins(0, 0, 4, 0)
        add_row = QHBoxLayout()
        add_row.setSpacing(4)
        add_label = QLabel("Add:")
        add_label.setObjectName("composerAddLabel")
        # As tall as a button, at the top: level with the first row when the buttons wrap.
        add_label.setMinimumHeight(self.add_images_button.sizeHint().height())
        add_row.addWidget(add_label, 0, Qt.AlignmentFlag.AlignTop)
        # The buttons wrap: in one row they are wider than the details at a 900 px window.
        buttons = FlowLayout(spacing=4)
        for button in self.add_buttons:
            buttons.addWidget(button)
        add_row.addLayout(buttons, 1)
        below.addLayout(add_row)
        below.addWidget(self.message)
        # The format editors go here, above the comment, as each is first needed (`_place`).
        self._details_layout = below
        comment_label = QLabel("First &comment:")
        self._format_editors_end = comment_label
        comment_label.setBuddy(self.first_comment.editor)
        below.addWidget(comment_label)
        below.addWidget(self.first_comment)
        visibility_row = QHBoxLayout()
        visibility_label = QLabel("&Who can see it:")
        visibility_label.setBuddy(self.visibility)
        visibility_row.addWidget(visibility_label)
        visibility_row.addWidget(self.visibility)
        visibility_row.addStretch(1)
        below.addLayout(visibility_row)
        below.addWidget(self.history)
        heading = QLabel("<b>Preview</b>")
        heading.setObjectName("composerPreviewHeading")
        below.addWidget(heading)
        self._preview_heading = heading
        below.addStretch(1)
        scroll = QScrollArea()
        scroll.setObjectName("composerDetailsScroll")
        scroll.setWidgetResizable(True)
        scroll.setWidget(details)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        layout.addWidget(scroll, 3)
        self.details_scroll = scroll

    # --- the preview, built on the event loop's next turn ---------------------------------------

    @property
    def preview(self) -> PostPreview:
        return self._build_preview()

    def _build_preview(self) -> PostPreview:
        if self._preview is not None:
            return self._preview
        from linkie_desktop.ui.drafts.preview import PostPreview

        preview = self._preview = PostPreview(self._window_state, tasks=self._tasks)
        scroll = self.preview_scroll = _SidewaysScroll(preview)
        self.body_edit.textChanged.connect(scroll.updateGeometry)
        layout = self._details_layout
        layout.insertWidget(layout.indexOf(self._preview_heading) + 1, scroll)
        scroll.show()  # at once: a widget added to a shown layout is shown only a turn later
        if self._profile is not None:
            preview.show_profile(*self._profile)
        self._show_in_preview()
        self._chain_focus()
        return preview

    def show_profile(self, name: str, picture: QPixmap | None) -> None:
        """The member the post appears from, in the preview (ProfileSource tells)."""
        self._profile = (name, picture)
        if self._preview is not None:
            self._preview.show_profile(name, picture)

    def _show_in_preview(self) -> None:
        """The preview shows the post as it is on screen: text, time and what it carries."""
        preview, scroll = self._preview, self.preview_scroll
        if preview is None or scroll is None:
            return  # built soon: it then shows what is on screen
        record = self._record
        preview.show_text(self.body_edit.toPlainText())
        preview.show_time(record.scheduled_at if record is not None else None)
        preview.show_content(self.content, self._service.media_dir or Path())
        scroll.updateGeometry()

    # --- the format editors, built when first needed (format_editors.py) ------------------------

    def _place(self, editor: Placed) -> Placed:
        """A format editor just built, in its place: under the message, above the comment (a
        post holds one format, so their order among themselves is never seen)."""
        layout = self._details_layout
        layout.insertWidget(layout.indexOf(self._format_editors_end), editor)
        return editor

    def _make_strip(self) -> AttachmentsStrip:
        from linkie_desktop.ui.drafts.attachments_strip import AttachmentsStrip

        return self._place(AttachmentsStrip(self, self._tasks, self._service.media_path))

    def _make_media_card(self, kind: MediaKind) -> MediaCard:
        from linkie_desktop.ui.drafts.media_cards import MediaCard

        return self._place(MediaCard(kind, self, self._tasks, self._service.media_path))

    def _make_poll_editor(self) -> PollEditor:
        from linkie_desktop.ui.drafts.poll_editor import PollEditor

        return self._place(PollEditor(self))

    def _make_link_editor(self) -> LinkCardEditor:
        from linkie_desktop.ui.drafts.link_card_editor import LinkCardEditor

        return self._place(LinkCardEditor(self, self._tasks, self._service.media_path))

    @property
    def strip(self) -> AttachmentsStrip:
        return self._strip.get()

    @property
    def document_card(self) -> MediaCard:
        return self._document_card.get()

    @property
    def video_card(self) -> MediaCard:
        return self._video_card.get()

    @property
    def poll_editor(self) -> PollEditor:
        return self._poll_editor.get()

    @property
    def link_editor(self) -> LinkCardEditor:
        return self._link_editor.get()

    def _chain_focus(self) -> None:
        """Tab order: title, text, writing aids, attachments, comment, visibility."""
        chain: list[QWidget] = [self.title_edit, self.body_edit]
        if self.aids is not None:
            chain += self.aids.focus_order
        chain += [self.link_offer.add_button, self.link_offer.dismiss_button, *self.add_buttons]
        # Only the editors built: one not built yet has nothing to reach.
        strip = self._strip.built
        for tile in strip.tiles if strip is not None else []:
            chain += [tile, tile.alt_button, tile.remove_button]
        for card in (self._document_card.built, self._video_card.built):
            if card is not None:
                chain += [card.remove_button, card.title_edit]
        poll = self._poll_editor.built
        if poll is not None:
            chain += [poll.remove_button, poll.question]
            for edit, remove in zip(poll.options, poll.remove_option_buttons, strict=True):
                chain += [edit, remove]
            chain += [poll.add_option_button, poll.days]
        link = self._link_editor.built
        if link is not None:
            chain += [
                link.remove_button,
                link.url_edit,
                link.fetch_button,
                link.title_edit,
                link.description_edit,
                link.remove_thumbnail_button,
            ]
        chain += [self.first_comment.editor, self.first_comment.retry_button, self.visibility]
        chain += [self.history.toggle]
        if self.history.list is not None:
            chain.append(self.history.list)
        if self._preview is not None:
            chain += list(self._preview.layout_buttons.values())
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    # --- what is shown ---------------------------------------------------------------------------

    @property
    def post_id(self) -> str | None:
        return self._record.id if self._record else None

    @property
    def record(self) -> PostRecord | None:
        return self._record

    @property
    def content(self) -> PostContent:
        """The post's content as last stored (a new post: none yet)."""
        return self._record.post_content if self._record is not None else PostContent()

    @property
    def dirty(self) -> bool:
        return self._dirty or bool(self._pending)

    @property
    def settled(self) -> bool:
        """True when what is on screen is stored: nothing typed unsaved, no save on its way."""
        return not (self.dirty or self._saving)

    @property
    def editable(self) -> bool:
        return self._record is None or self._record.editable

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
            self._tasks.forget(self._load_key)  # a post asked for before must not replace it
            self._show(None)
            self._show_upload(None)
            self.loaded.emit()
            return True
        service = self._service
        self._tasks.run_db(
            lambda: composer_saving.read(service, post_id),
            lambda stored: self._loaded(post_id, stored),
            owner=self,
            key=self._load_key,
        )
        return True

    def _loaded(self, post_id: str | None, stored: composer_saving.Stored) -> None:
        if not self.settled:
            # The save before the switch failed, or the user typed on: stay with the words.
            self.stayed.emit()
            return
        self._connection = stored.connection
        self._show(stored.record if post_id is not None else None)
        self._show_upload(stored.upload if post_id is not None else None)
        self.loaded.emit()

    def refresh(self) -> None:
        """The post (or the LinkedIn connection) changed elsewhere (publisher, calendar,
        Settings): show what is stored now.

        Unsaved typing is saved first, or kept as a new draft if the post became read-only or
        was deleted; if it cannot be saved at all, the editors keep it and only the state moves.
        """
        if self._record is None:
            return
        if not self.flush():
            return
        post_id, service = self._record.id, self._service

        def show(stored: composer_saving.Stored) -> None:
            # Typing since, or a fork of the text into a new draft: the screen is newer.
            if self.settled and self.post_id == post_id:
                self._connection = stored.connection
                self._show(stored.record)
                self._show_upload(stored.upload)

        self._tasks.run_db(
            lambda: composer_saving.read(service, post_id), show, owner=self, key=self._refresh_key
        )

    def _show(self, record: PostRecord | None) -> None:
        another = record is None or self._record is None or record.id != self._record.id
        self._record = record
        self._dirty = False
        self._pending.clear()
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
        self._last_text = self._text_on_screen()
        if another:
            self.link_offer.reset()
            for editor in (self._poll_editor.built, self._link_editor.built):
                if editor is not None:
                    editor.reset()
            self.say("")
        self._update_counter_and_preview()
        if self._preview is not None:
            self._preview.show_time(record.scheduled_at if record is not None else None)
        self._show_state(record)
        self.history.show_post(record.id if record is not None else None)
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
        for button in self.add_buttons:
            button.setEnabled(editable and not self._attaching)
        self.visibility.setEnabled(editable)
        self._show_content(record)
        self._show_notice(record)

    def _show_content(self, record: PostRecord | None) -> None:
        content = record.post_content if record is not None else PostContent()
        editable = record is None or record.editable
        waiting = frozenset(self._pending)
        for editor in self._format_editors:
            editor.show_content(content, editable, waiting)
        self.first_comment.show_content(content, editable, waiting)
        if VISIBILITY_KEY not in waiting:
            shown = content.visibility if record is not None else self._default_visibility()
            self.visibility.setCurrentIndex(self.visibility.findData(shown))
        # The feed card shows what is stored: the attachments, who sees it, the first comment.
        if self._preview is not None and self.preview_scroll is not None:
            self._preview.show_content(content, self._service.media_dir or Path())
            self.preview_scroll.updateGeometry()
        self._chain_focus()

    def _default_visibility(self) -> Visibility:
        """What a new post will get: Settings › Posting's choice, as the service applies it."""
        preferences = self._service.preferences
        return preferences().default_visibility if preferences is not None else Visibility.PUBLIC

    def _show_notice(self, record: PostRecord | None) -> None:
        text = ""
        if record is None:
            pass
        elif record.status == PostStatus.PUBLISHED:
            text = "Published — it can no longer be changed. Use Duplicate to reuse the text."
        elif record.status == PostStatus.PUBLISHING:
            text = "Being published right now — it can't be changed."
        elif record.status == PostStatus.SCHEDULED and record.scheduled_at is not None:
            when = local_time_text(record.scheduled_at)
            when = when[0].lower() + when[1:]
            waiting = self._waiting(record)
            if waiting:
                text = f"{waiting}. It was due {when} and goes out once LinkedIn is connected."
            else:
                text = f"Scheduled for {when}: changes are saved and go out with it."
        elif record.status == PostStatus.FAILED:
            reason = (record.error_message or "LinkedIn did not accept it").rstrip()
            reason = reason if reason.endswith((".", "!", "?")) else reason + "."
            text = f"Publishing failed: {reason} Retry, reschedule or mark it as published."
        failed = record is not None and record.status == PostStatus.FAILED
        colour = warning_colour(self.palette()).name() if failed else ""
        self.notice.setStyleSheet(f"color: {colour};" if failed else "")
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    def _waiting(self, record: PostRecord) -> str:
        """The Drafts list's and the Dashboard's one rule (overview.waiting_label)."""
        if self._connection is None:
            return ""
        return waiting_label(record.status, record.scheduled_at, utc_now(), self._connection)

    def _show_upload(self, upload: UploadState | None) -> None:
        """How the post's uploads to LinkedIn stand, beside the save state, while there is news."""
        text = upload.text if upload is not None else ""
        failed = upload is not None and upload.failed
        colour = warning_colour(self.palette()).name() if failed else ""
        self.upload_state.setStyleSheet(f"color: {colour};" if failed else "")
        self.upload_state.setText(text)
        self.upload_state.setVisible(bool(text))

    def say(self, message: str) -> None:
        """The composer's message area, under the Add buttons ("": nothing to say)."""
        self.message.setStyleSheet(f"color: {warning_colour(self.palette()).name()};")
        self.message.setText(message)
        self.message.setVisible(bool(message))

    def _update_counter_and_preview(self) -> None:
        text = self.body_edit.toPlainText()
        length = reader_length(text)  # what the reader sees: a mention counts its name
        self.counter.setText(counter_text(length))
        over = length > MAX_CONTENT_CHARS
        colour = warning_colour(self.palette()).name() if over else ""
        self.counter.setStyleSheet(f"color: {colour}; font-weight: bold;" if over else "")
        self.counter.setAccessibleDescription(
            f"{length - MAX_CONTENT_CHARS} characters over LinkedIn's limit" if over else ""
        )
        if self._preview is not None:
            self._preview.show_text(text)

    # --- saving ----------------------------------------------------------------------------------

    def _text_on_screen(self) -> tuple[str, str]:
        return self.title_edit.text(), self.body_edit.toPlainText()

    def _on_edit(self) -> None:
        if self._loading:
            return
        # textChanged also comes when only the look changed (the spell checker underlines a
        # word once its dictionary is loaded): that is no edit, and must not save a new post.
        shown = self._text_on_screen()
        if shown == self._last_text:
            return
        self._last_text = shown
        self._dirty = True
        self.save_state.setText("Editing…")
        self._update_counter_and_preview()
        link_editor = self._link_editor.built
        editing_card = link_editor is not None and link_editor.editing
        self.link_offer.consider(self.body_edit.toPlainText(), self.content, editing_card)
        self.autosave_timer.start()

    def _on_focus_changed(self, old: QWidget | None, new: QWidget | None) -> None:
        leaving = old is not None and self.isAncestorOf(old)
        if self.dirty and leaving and (new is None or not self.isAncestorOf(new)):
            self.flush()

    def change(self, change: ContentChange, *, at_once: bool = False) -> bool:
        """A piece's change, saved with the text (a newer one of the same key replaces it)."""
        if not self.editable:
            return False
        self._pending.pop(change.key, None)  # to the end: after what was changed before it
        self._pending[change.key] = change
        self.save_state.setText("Editing…")
        if at_once:
            self.flush()
        else:
            self.autosave_timer.start()
        return True

    def flush(self) -> bool:
        """Send what is unsaved to the database now.

        True when nothing is unsaved or the save is on its way (`saved` or `problem` tell how it
        ended); False when the rules refuse the text (the words wait, unsaved, with the reason).
        """
        self.autosave_timer.stop()
        if not self.dirty:
            return True
        title = self.title_edit.text()
        content = self.body_edit.toPlainText()
        send_text = self._dirty or self._record is None
        if send_text:
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
        changes = tuple(self._pending.values())
        self._pending.clear()
        self._dirty = False
        self._saving = True
        self.save_state.setText("Saving…")
        service, post_id = self._service, self.post_id
        text = (title, content) if send_text else None
        calls: list[ServiceCall] = [c.call for c in changes]
        self._tasks.run_db(
            lambda: composer_saving.save(service, post_id, text, calls),
            lambda outcome: self._on_saved(outcome, changes),
            owner=self,
        )
        return True

    def _refused(self, reason: str) -> None:
        self._failed = True
        self.save_state.setText("Not saved — see the message")
        self.problem.emit(reason)

    def _on_saved(self, outcome: SaveOutcome, changes: Sequence[ContentChange]) -> None:
        self._saving = False
        if outcome.record is None and outcome.refusal:
            self._dirty = True
            for waiting in changes:  # they go with the text, once it can be saved
                self._pending.setdefault(waiting.key, waiting)
            if outcome.retry:
                self._failed = True
                self.save_state.setText("Not saved yet — will try again")
                self.problem.emit(outcome.refusal)
                self.autosave_timer.start()
            else:
                self._refused(outcome.refusal)
            return
        self._failed = False
        record = outcome.record
        if record is not None:
            self._record = record
            self._show_state(record)
            self.saved.emit(record)
        if outcome.forked:
            self.problem.emit(FORKED)
        refusals = [r for r in outcome.change_refusals if r]
        if refusals:
            self.say(" ".join(dict.fromkeys(refusals)))
        elif changes:
            self.say("")
        for sent, refusal in zip(changes, outcome.change_refusals, strict=False):
            if sent.done is not None:
                sent.done(refusal)
        if self.dirty:
            self.flush()  # typed while the save was on its way
        else:
            self.save_state.setText("Saved")

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

    # --- adding attachments ----------------------------------------------------------------------

    @property
    def attaching(self) -> bool:
        return self._attaching

    def _may_add(self, adding: ContentKind) -> bool:
        """One kind per post: another kind is refused here, in the domain's words, before any
        file is chosen (the service checks again when it writes)."""
        if not self.editable:
            return False
        try:
            refuse_mixing(self.content, adding)
        except ValidationError as exc:
            self.say(str(exc))
            return False
        return True

    def _choose_images(self) -> None:
        if not self._may_add(ContentKind.IMAGES):
            return
        names, _ = QFileDialog.getOpenFileNames(
            self, f"Add images (up to {MAX_IMAGES})", "", FILE_DIALOG_FILTER
        )
        if names:
            self.attach_images([Path(name) for name in names])

    def _choose_document(self) -> None:
        if not self._may_add(ContentKind.DOCUMENT):
            return
        name, _ = QFileDialog.getOpenFileName(
            self, "Add a document", "", DOCUMENT_FILE_DIALOG_FILTER
        )
        if name:
            self.attach_document(Path(name))

    def _choose_video(self) -> None:
        if not self._may_add(ContentKind.VIDEO):
            return
        name, _ = QFileDialog.getOpenFileName(self, "Add a video", "", VIDEO_FILE_DIALOG_FILTER)
        if name:
            self.attach_video(Path(name))

    def attach_images(self, sources: Sequence[Path]) -> bool:
        """Append copies of `sources` (in order), checked and copied off the GUI thread.

        True once the work is on its way (`attach_finished` tells how it ended); False when it
        could not start: another attach is on its way, the post holds another kind, or more than
        20 images would be too many (the message area says why). A refused file is explained and
        the post stays as it was.
        """
        adding = ContentKind.IMAGE if len(sources) == 1 else ContentKind.IMAGES
        files = list(sources)
        try:
            check_image_count(len(self.content.images), len(files))
        except ValidationError as exc:
            self.say(str(exc))
            return False
        return self._attach(
            adding,
            lambda service, post_id: service.attach_images(post_id, files),
            "Checking and adding the image…"
            if len(files) == 1
            else f"Checking and adding {len(files)} images…",
        )

    def attach_image(self, source: Path) -> bool:
        return self.attach_images([source])

    def attach_document(self, source: Path, title: str | None = None) -> bool:
        """The post's document, titled after its file until the user writes a title."""
        shown = title if title is not None else source.stem
        return self._attach(
            ContentKind.DOCUMENT,
            lambda service, post_id: service.set_document(post_id, source, shown),
            "Checking and adding the document…",
        )

    def attach_video(self, source: Path, title: str | None = None) -> bool:
        shown = title if title is not None else source.stem
        return self._attach(
            ContentKind.VIDEO,
            lambda service, post_id: service.set_video(post_id, source, shown),
            "Checking and adding the video…",
        )

    def _attach(self, adding: ContentKind, call: ServiceCall, busy: str) -> bool:
        if self._attaching or not self._may_add(adding):
            return False
        key = f"attach:{next(_attach_numbers)}"
        if not self.change(ContentChange(key, call, self._attached), at_once=True):
            return False
        self._set_attaching(True)
        self.message.setStyleSheet("")
        self.message.setText(busy)
        self.message.show()
        return True

    def _set_attaching(self, attaching: bool) -> None:
        self._attaching = attaching
        for button in self.add_buttons:
            button.setEnabled(self.editable and not attaching)

    def _attached(self, refusal: str) -> None:
        self._set_attaching(False)
        self.say(refusal)
        self.attach_finished.emit(not refusal)

    def add_poll(self) -> None:
        if self.poll_editor.isVisible():  # one poll per post: this is the one
            self.poll_editor.question.setFocus()
        elif self._may_add(ContentKind.POLL):
            self.say("")
            self.poll_editor.start()
            self._chain_focus()

    def add_link_card(self, url: str = "") -> None:
        if self._may_add(ContentKind.LINK):
            self.say("")
            self.link_offer.hide()
            self.link_editor.start(url)
            self._chain_focus()

    def retry_comment(self) -> None:
        """Retry comment: the published post's failed first comment goes at the next pass."""
        post_id, service = self.post_id, self._service
        if post_id is None:
            return

        def retried(outcome: PostRecord | str) -> None:
            if isinstance(outcome, str):
                self.say(outcome)
                return
            if self.post_id == outcome.id:
                self._record = outcome
                self._show_state(outcome)
                self.say("")
            self.saved.emit(outcome)

        self._tasks.run_db(
            lambda: composer_saving.retry_comment(service, post_id), retried, owner=self
        )

    def _visibility_chosen(self) -> None:
        chosen = chosen_visibility(self.visibility)
        self.change(
            ContentChange(
                VISIBILITY_KEY, lambda service, post_id: service.set_visibility(post_id, chosen)
            ),
            at_once=True,
        )
