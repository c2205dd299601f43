"""The first comment, sent right after the post: plain text with its own counter (at most 1,250
characters), saved as it is typed like the post's text, with how its sending went once tried.

Comments are plain text on LinkedIn, not the post's "little text": a hashtag there is no link, so
the box says so rather than let the user expect one.
"""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
)

from linkie_desktop.domain.post_content import (
    MAX_COMMENT_CHARS,
    CommentStatus,
    PostContent,
    validate_first_comment,
)
from linkie_desktop.domain.posts import ValidationError
from linkie_desktop.ui.drafts.content_changes import ChangeSink, ContentChange
from linkie_desktop.ui.widgets.accessible import named
from linkie_desktop.ui.widgets.palette import muted_colour, warning_colour

COMMENT_KEY = "comment"
PLACEHOLDER = "First comment (optional). Plain text: hashtags here are not links"
BOX_LINES = 3


def comment_counter_text(length: int) -> str:
    return f"{length:,} / {MAX_COMMENT_CHARS:,}"


class FirstCommentBox(QFrame):
    # Retry comment: a published post's comment that failed is to be sent again.
    retry_requested = Signal()

    def __init__(self, sink: ChangeSink) -> None:
        super().__init__()
        self.setObjectName("firstCommentBox")
        self._sink = sink
        self._loading = False
        self.editor = named(QPlainTextEdit(), "firstComment", "First comment")
        self.editor.setPlaceholderText(PLACEHOLDER)
        self.editor.setTabChangesFocus(True)
        lines = self.editor.fontMetrics().lineSpacing() * BOX_LINES
        self.editor.setFixedHeight(lines + 2 * self.editor.frameWidth() + 8)
        self.counter = named(
            QLabel(comment_counter_text(0)), "firstCommentCounter", "Comment characters used"
        )
        self.state = named(QLabel(), "firstCommentState", "First comment state")
        self.state.setWordWrap(True)
        self.state.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.state.hide()
        self.retry_button = named(
            QPushButton("Retry comment"), "firstCommentRetry", "Retry the first comment"
        )
        self.retry_button.hide()
        self.retry_button.clicked.connect(self.retry_requested)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.state)
        row.addWidget(self.retry_button)
        row.addStretch(1)  # the counter stays right while the state line is hidden
        row.addWidget(self.counter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.editor)
        layout.addLayout(row)
        self.editor.textChanged.connect(self._edited)

    @property
    def text(self) -> str:
        return self.editor.toPlainText()

    def show_content(self, content: PostContent, editable: bool, waiting: frozenset[str]) -> None:
        comment = content.first_comment
        if COMMENT_KEY not in waiting:
            stored = comment.text if comment is not None else ""
            if self.text != stored:
                self._loading = True
                try:
                    self.editor.setPlainText(stored)
                finally:
                    self._loading = False
            self._update_counter()
        self.editor.setReadOnly(not editable)
        state, warning = "", False
        if comment is not None and comment.status is CommentStatus.PUBLISHED:
            state = "Comment published."
        elif comment is not None and comment.status is CommentStatus.FAILED:
            state, warning = f"The comment was not sent: {comment.error or 'no reason given'}", True
        self._show_state(state, warning)
        # Only a published post comments, so its comment is retried although the post is not
        # editable any more.
        self.retry_button.setVisible(warning)

    def _update_counter(self) -> None:
        length = len(self.text)
        over = length > MAX_COMMENT_CHARS
        colour = warning_colour(self.palette()) if over else muted_colour(self.palette())
        self.counter.setText(comment_counter_text(length))
        self.counter.setStyleSheet(f"color: {colour.name()};" + (" font-weight: bold;" * over))
        self.counter.setAccessibleDescription(
            f"{length - MAX_COMMENT_CHARS} characters over LinkedIn's limit" if over else ""
        )

    def _show_state(self, text: str, warning: bool) -> None:
        colour = warning_colour(self.palette()) if warning else muted_colour(self.palette())
        self.state.setStyleSheet(f"color: {colour.name()};")
        self.state.setText(text)
        self.state.setVisible(bool(text))

    def _edited(self) -> None:
        if self._loading:
            return
        self._update_counter()
        text = self.text
        try:
            validate_first_comment(text)
        except ValidationError as exc:
            self._show_state(f"Not saved: {exc}", warning=True)
            return
        self._show_state("", False)
        self._sink.change(
            ContentChange(
                COMMENT_KEY, lambda service, post_id: service.set_first_comment(post_id, text)
            )
        )
